"""An article whose title only names whom it asks, its work in the paragraph below (branch h10x).

The rule (ingest/extract/articles.py ``_titled_body``) was written on the Markdown of round-4
d71b3a48efad6d2c ("Điều 19. Đề nghị Tòa án nhân dân thành phố, …" then "Căn cứ chức năng, …");
it is checked here on that document's DOCX and PDF renditions, whose paragraphs break by line
and not by blank line, with the expected text start and lead read from the round-4 gold, and on
round-4 45cc2b3cda45b66c, whose hard-wrapped article ("Điều 3. Phân công Phó Thủ tướng … Nguyễn
Hòa" / "Bình chỉ đạo …") must not be cut at the wrap.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from plankg.ingest.extract import extract
from plankg.ingest.extract.articles import extract_article_tasks
from plankg.ingest.model import TaskRecord
from plankg.ingest.readers import read_bytes, read_source

TESTS = Path(__file__).resolve().parent
GOLD = TESTS / "gold" / "corpus"


@cache
def _tasks(stem: str, fmt: str) -> tuple[TaskRecord, ...]:
    folder = {"md": "corpus", "docx": "corpus_docx", "pdf": "corpus_pdf"}[fmt]
    return tuple(extract(read_source(TESTS / "data" / folder / f"{stem}.{fmt}", on_warning=lambda _m: None)).tasks)


def _gold(stem: str, number: str) -> dict[str, object]:
    tasks = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))["tasks"]
    return next(t for t in tasks if t["number"] == number)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_title_names_the_lead_body_is_the_work(fmt: str) -> None:
    gold = _gold("d71b3a48efad6d2c", "19")
    start = str(gold["text_start"])[:40]
    hits = [t for t in _tasks("d71b3a48efad6d2c", fmt) if t.path == "Điều19"]
    assert len(hits) == 1
    assert hits[0].text.startswith(start)
    assert hits[0].lead == gold["lead"]


def test_hard_wrapped_article_is_not_cut_at_the_wrap() -> None:
    texts = [t.text for t in _tasks("45cc2b3cda45b66c", "md")]
    assert not any(t.startswith("Bình chỉ đạo") for t in texts)


def test_titled_article_in_markdown() -> None:
    md = ("**Điều 5. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh,\nLiên đoàn Lao động tỉnh**\n\n"
          "Phối hợp tuyên truyền, vận động nhân dân thực hiện Quy chế này.\n\n"
          "**Điều 6. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính hướng dẫn thực hiện.**\n")
    src = read_bytes(md.encode("utf-8"), "quy_che.md", on_warning=lambda _m: None)
    tasks = {t.path: t for t in extract_article_tasks(src)[1]}
    assert tasks["Điều5"].text.startswith("Phối hợp tuyên truyền")
    assert tasks["Điều5"].lead == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Liên đoàn Lao động tỉnh"]
    assert tasks["Điều6"].text.startswith("Giao Sở Nội vụ")
