"""A list's horizon stated once in a lead-in sentence (issue #10 item 1, targets; docs/extraction.md
"targets and document metadata on the retired round-1 held-out").

Written on the retired held-out plan 437c3beb60ae2874 ("2. Mục tiêu cụ thể / Đến hết năm 2030,
phấn đấu đạt được những mục tiêu sau: / - 100% …"), tested here on the round-1 dev plan
f069c23c942c1ec6, whose heading "6. Chỉ tiêu chủ yếu đến năm 2030" is rewritten into that form:
the horizon moves from the heading into a lead-in sentence, and every target under it must keep
2030 rather than fall back to the plan's issue year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.extract import extract
from plankg.ingest.model import Extraction
from plankg.ingest.readers import read_source

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "tests" / "data" / "corpus" / "f069c23c942c1ec6.md"
HEADING = "**6. Chỉ tiêu chủ yếu đến năm\n2030**\n"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Extraction, Extraction]:
    text = DOC.read_text(encoding="utf-8")
    assert HEADING in text
    moved = tmp_path_factory.mktemp("lead_in") / DOC.name
    moved.write_text(text.replace(HEADING, "**6. Chỉ tiêu chủ yếu**\n\nĐến năm 2030, phấn đấu đạt các chỉ tiêu sau:\n"),
                     encoding="utf-8")
    return extract(read_source(DOC)), extract(read_source(moved))


def test_lead_in_sentence_gives_the_horizon_of_the_items_under_it(both: tuple[Extraction, Extraction]) -> None:
    plain, moved = both
    under = [t for t in moved.targets if (t.section or "").startswith("II.6")]
    assert len(under) >= 10
    assert [t.path for t in under] == [t.path for t in plain.targets if (t.section or "").startswith("II.6")]
    for t in under:
        assert t.horizon is not None and t.horizon.end is not None and t.horizon.end.year == 2030, t.path

