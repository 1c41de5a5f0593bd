"""Items of a targets section under a heading that names no targets and states no figure are
not targets (issue #10 item 1, targets; docs/extraction.md "targets and document metadata on the
retired round-1 held-out").

Written on the retired held-out plan 31fb08f34535fce3 ("II. MỤC TIÊU CỦA KẾ HOẠCH / … / 2.
Tháng hành động / a) Chủ đề … b) Thời gian: Từ ngày 15/11/2025 …"); tested here on the round-1
dev plan f1e0981425ec38be, whose "II. MỤC TIÊU" holds "2. Phát triển thị trường xuất khẩu"
(market directions, no figure), and on that heading rewritten to name targets or given a figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.extract import extract
from plankg.ingest.model import Extraction
from plankg.ingest.readers import read_source

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "tests" / "data" / "corpus" / "f1e0981425ec38be.md"
HEADING = "**2. Phát\ntriển thị trường xuất khẩu**"
ITEM = "Tiếp tục được xác định là thị\ntrường xuất khẩu chính"


def _extract(tmp_path: Path, text: str) -> Extraction:
    path = tmp_path / DOC.name
    path.write_text(text, encoding="utf-8")
    return extract(read_source(path))


def _under(ex: Extraction) -> list[str]:
    return [t.path for t in ex.targets if t.origin == "narrative" and (t.section or "").startswith("II.2")]


@pytest.fixture(scope="module")
def text() -> str:
    t = DOC.read_text(encoding="utf-8")
    assert HEADING in t and ITEM in t
    return t


def test_heading_without_targets_or_figures_yields_none(text: str) -> None:
    ex = extract(read_source(DOC))
    assert _under(ex) == []
    assert any(w.startswith("Mục II.2:") and "(" in w and "not read as targets" in w for w in ex.warnings)
    assert any(t.origin == "narrative" and (t.section or "").startswith("II.1") for t in ex.targets)


def test_heading_that_names_targets_keeps_its_items(tmp_path: Path, text: str) -> None:
    ex = _extract(tmp_path, text.replace(HEADING, "**2. Mục tiêu phát\ntriển thị trường xuất khẩu**"))
    assert len(_under(ex)) >= 3


def test_one_item_with_a_figure_keeps_the_heading(tmp_path: Path, text: str) -> None:
    ex = _extract(tmp_path, text.replace(ITEM, "Phấn đấu tăng 15% kim ngạch; tiếp tục được xác định là thị\ntrường xuất khẩu chính"))
    assert len(_under(ex)) >= 3


def test_general_aim_without_a_figure_is_no_target() -> None:
    """"1. Mục tiêu tổng quát / <a paragraph>" states an aim, not a target (CONVENTIONS §4).
    Written while reading the round-1 dev plans 24c7124ec6b2bf61, bffd9da6f0d38031 and
    ec00bd6f58be7864; checked on the resolution 7cfc6fdf6d7a5f5d (retired held-out, not read
    for this rule): its general aim goes, its "2. Mục tiêu cụ thể" figures stay."""
    ex = extract(read_source(ROOT / "tests" / "data" / "corpus" / "7cfc6fdf6d7a5f5d.md"))
    narrative = [t for t in ex.targets if t.origin == "narrative"]
    assert not any(t.indicator.startswith("Phát động phong trào toàn dân") for t in narrative)
    assert sum(1 for t in narrative if t.path.startswith("II.2")) >= 8
    assert any("general aims without a measure" in w for w in ex.warnings)
