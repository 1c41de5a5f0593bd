"""Tables read by meaning (ingest/extract/grid.py): columns mapped by header text.

The rules were written while reading 8718801c503045f9 (five columns, no output column),
2edf5927c71bc4c1 (target + task appendix) and f1e0981425ec38be (one column per year); they
are tested here on the tables of other documents (001c610b2efdcf0c with a budget column,
ec00bd6f58be7864, b3a4b2605f9a281f's procedure table, 9b7eebadf7081069's forecast tables)
against the hand-written gold, never against the extractor's own output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plankg.folding import fold
from plankg.ingest.extract import extract
from plankg.ingest.extract.grid import read_grids, read_header, role_of, year_of
from plankg.ingest.model import SourceText
from plankg.ingest.readers import read_source
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]
DOCX = ROOT / "tests" / "data" / "corpus_docx"
MD = ROOT / "tests" / "data" / "corpus"
GOLD = ROOT / "tests" / "gold" / "corpus"


def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))[:50]


def _gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))


def _table_gold(stem: str) -> list[dict]:
    return [t for t in _gold(stem)["tasks"] if t.get("origin") == "table"]


def _by_text(tasks, gold_task):
    key = _key(gold_task["text_start"])
    return next((t for t in tasks if _key(t.text).startswith(key[: len(_key(t.text))]) and _key(t.text)[:30] == key[:30]),
                None)


# --- header vocabulary ------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "role"), [
    ("Cơ quan chủ trì", "lead"),
    ("Cơ quan phối hợp", "coop"),
    ("Thời gian dự kiến hoàn thành", "deadline"),
    ("Kết quả dự kiến", "output"),
    ("Nguồn kinh phí", "budget"),
    ("Phân công nhiệm vụ", "lead"),  # names who, though it holds "nhiệm vụ"
    ("Tên nhiệm vụ/dự án", "text"),
    ("STT", "number"),
    ("Ghi chú", "note"),
])
def test_task_header_roles(cell: str, role: str) -> None:
    assert role_of(cell, "task") == role


def test_target_header_roles_longest_phrase_wins() -> None:
    assert role_of("Cơ quan chủ trì theo dõi, đánh giá", "target") == "monitoring"
    assert role_of("Đơn vị tính", "target") == "unit"
    assert role_of("Chỉ tiêu", "target") == "indicator"
    assert year_of("Kế hoạch 2027") == "2027"
    assert year_of("GIAI ĐOẠN 2026 - 2030") is None  # a group over year columns


def test_other_tables_are_left_alone() -> None:
    """The issuer | motto block, signatures and b3a4's procedure list are not task tables."""
    src = read_source(DOCX / "b3a4b2605f9a281f.docx")
    kinds = [h.kind if (h := read_header(t)) else None for t in src.tables]
    assert kinds[0] is None and kinds[1] is None  # header block, signature block
    heads = [t[0] for t in src.tables]
    procedure = next(i for i, h in enumerate(heads) if any("thủ tục" in c.lower() for c in h))
    assert kinds[procedure] is None


# --- task tables on documents the rules were not written for ----------------------------------


@pytest.mark.parametrize("stem", ["001c610b2efdcf0c", "ec00bd6f58be7864", "8718801c503045f9"])
def test_task_columns_by_header_match_gold(stem: str) -> None:
    """Deadlines and outputs come from the columns their headers name (gold by hand)."""
    tasks = [t for t in extract(read_source(DOCX / f"{stem}.docx")).tasks if t.method == "table-header-docx"]
    gold = _table_gold(stem)
    assert gold and tasks
    found = deadlines = outputs = 0
    for g in gold:
        t = _by_text(tasks, g)
        if t is None:
            continue
        found += 1
        got = t.deadline.text if t.deadline else None
        deadlines += _key(got or "") == _key(g.get("deadline") or "")
        outputs += _key(t.output or "") == _key(g.get("output") or "")
    assert found >= 0.9 * len(gold)
    assert deadlines >= 0.9 * found
    assert outputs >= 0.9 * found


def test_budget_column_never_lands_in_another_field() -> None:
    """001c610b has a "Nguồn kinh phí" column: no deadline or output holds a budget source."""
    src = read_source(DOCX / "001c610b2efdcf0c.docx")
    table = next(t for t in src.tables if (h := read_header(t)) and h.kind == "task")
    header = read_header(table)
    assert header is not None
    budget_col = header.column("budget")
    assert budget_col is not None
    budgets = {_key(r[budget_col]) for r in table[header.nrows:] if len(r) > budget_col and r[budget_col].strip()}
    for t in read_grids(src).tasks:
        assert _key(t.output or "") not in budgets
        assert _key(t.deadline.text if t.deadline else "") not in budgets


def test_rows_cite_their_line_in_the_text() -> None:
    src = read_source(DOCX / "ec00bd6f58be7864.docx")
    tasks = read_grids(src).tasks
    assert tasks
    for t in tasks:
        printed = src.original[t.span.start:t.span.end]
        assert _key(t.text)[:30] in _key(printed)


def test_markdown_cell_per_line_table_reads_like_docx() -> None:
    """The portal's Markdown of ec00bd6f gives the same table tasks as its DOCX."""
    md = read_source(MD / "ec00bd6f58be7864.md")
    dx = read_source(DOCX / "ec00bd6f58be7864.docx")
    if not md.tables:
        pytest.skip("Markdown reader gives no tables yet")
    a = {(_key(t.text), t.deadline.text if t.deadline else None) for t in read_grids(md).tasks}
    b = {(_key(t.text), t.deadline.text if t.deadline else None) for t in read_grids(dx).tasks}
    assert a and len(a & b) >= 0.9 * len(b)


def test_no_double_extraction_when_a_table_is_read_by_header() -> None:
    ex = extract(read_source(DOCX / "2edf5927c71bc4c1.docx"))
    assert not [t for t in ex.tasks if t.method.startswith("appendix-table")]
    assert not [t for t in ex.targets if t.method.startswith("appendix-table")]
    paths = [t.path for t in ex.tasks] + [t.path for t in ex.targets]
    assert not [p for p in paths if "~" in p]


# --- target tables ------------------------------------------------------------------------------


def test_forecast_tables_give_no_targets() -> None:
    """9b7eebad's annex tables are forecasts and budget estimates (gold: no targets)."""
    src = read_source(DOCX / "9b7eebadf7081069.docx")
    res = read_grids(src)
    assert res.targets == []
    assert _gold("9b7eebadf7081069")["targets"] == []


def test_two_level_header_gives_measure_and_unit() -> None:
    """A sub-header "Lượng (Tấn)" under a year column names the measure and the unit."""
    src = read_source(DOCX / "f1e0981425ec38be.docx")
    headers = [h for t in src.tables if (h := read_header(t)) and h.kind == "target"]
    with_measures = [h for h in headers if h.measures]
    assert with_measures
    h = with_measures[0]
    assert set(h.years.values()) >= {"2026", "2030"}
    units = {u for _m, u in h.measures.values()}
    assert "Tấn" in units


# --- rows that do not fit -----------------------------------------------------------------------


def _source(table: list[list[str]]) -> SourceText:
    text = "\n".join("\t".join(r) for r in table)
    return SourceText("t.docx", "t.docx", "docx", text, text, list(range(len(text) + 1)), "x",
                      tables=[table], table_lines=[list(range(len(table)))])


def test_row_that_does_not_fit_is_named_and_keeps_only_what_is_certain() -> None:
    header = ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    src = _source([
        header,
        ["I.", "NHÓM MỘT", "", ""],
        ["1", "Xây dựng kế hoạch", "Sở Nội vụ", "Quý I/2026"],
        ["- Nội dung lạc sang cột số thứ tự do bảng bị lệch", "phần còn lại của nội dung", "2026", ""],
        ["2", "Tổ chức tập huấn", "Sở Y tế", "Năm 2026", "ô thừa"],
    ])
    res = read_grids(src)
    assert [t.text for t in res.tasks] == ["Xây dựng kế hoạch", "Tổ chức tập huấn"]
    assert [s.path for s in res.sections] == ["BANG1.I"]
    assert res.tasks[0].section == "BANG1.I"
    assert any("dòng 4" in w and "(row does not fit" in w for w in res.warnings)
    assert any("dòng 5" in w and "5 ô" in w for w in res.warnings)
    assert res.tasks[1].deadline is not None and res.tasks[1].deadline.text == "Năm 2026"


def test_numbering_restarting_per_section_is_qualified() -> None:
    src = _source([
        ["TT", "Nhiệm vụ", "Chủ trì", "Tiến độ"],
        ["I", "Phần một", "", ""],
        ["1", "Việc A", "Sở Xây dựng", "2026"],
        ["II", "Phần hai", "", ""],
        ["1", "Việc B", "Sở Công Thương", "2027"],
    ])
    assert [t.path for t in read_grids(src).tasks] == ["BANG1.I.1", "BANG1.II.1"]


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not present")
def test_seeds_keep_their_text_layout_extractors() -> None:
    """The seeds are .txt without reader tables: nothing is read by header there."""
    for path in sorted(SEEDS.glob("*.txt")):
        src = read_source(path)
        if not src.tables:
            assert read_grids(src).tasks == []
