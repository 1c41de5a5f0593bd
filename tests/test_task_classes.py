"""Task recall and precision classes of round 3 (issue #10; branch h10t).

Each rule was written while reading one document of round 3 (retired to development data) and
is tested here on documents or renditions it was not written on; each document is extracted
once per module.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from plankg.ingest.extract import extract
from plankg.ingest.model import Extraction
from plankg.ingest.readers import read_source

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
GOLD = ROOT / "tests" / "gold" / "corpus"
FOLDERS = {"md": "corpus", "docx": "corpus_docx", "pdf": "corpus_pdf"}


@cache
def extracted(stem: str, fmt: str = "md") -> Extraction:
    return extract(read_source(DATA / FOLDERS[fmt] / f"{stem}.{fmt}"))


def required_starts(stem: str) -> list[str]:
    gold = json.loads((GOLD / f"{stem}.json").read_text("utf-8"))
    return [t["text_start"][:40] for t in gold["tasks"] if not t.get("optional")]


def test_catalogue_table_heads_no_task_table() -> None:
    """A catalogue of administrative procedures ("Số TT | Tên TTHC | … | Căn cứ pháp lý"): its
    header names no task table, and the first entry under it ("01 | Thủ tục … | Trong thời hạn
    … | Cơ quan thực hiện: …") is not taken for one. Written on 71153021e3559f5e; tested on
    f411a708bcdcfda7 and 27cbc6425a10478c (same family, other provinces' catalogues)."""
    for stem in ("f411a708bcdcfda7", "27cbc6425a10478c"):
        ex = extracted(stem)
        assert all(t.path.startswith("Điều") for t in ex.tasks), [t.path for t in ex.tasks]
        texts = [t.text for t in ex.tasks]
        for start in required_starts(stem):
            assert any(x.startswith(start) for x in texts), start
