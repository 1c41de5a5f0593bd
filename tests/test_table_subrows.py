"""A task-table row whose number cell was merged away keeps only what is certain (issue #10
item 1: "A row that does not fit its header gets a warning naming it and keeps only what is
certain — never a value in the wrong field").

The rule was written while reading the round-1 dev plan 001c610b2efdcf0c (a sub-row "Xây
dựng hạ tầng kỹ thuật dự phòng … | Trung tâm Chuyển đổi số Thành phố" under the row that
printed the same lead); it is tested here on the task table of another dev plan,
8718801c503045f9 (DOCX, STT | Nội dung | Cơ quan chủ trì | …, leads printed "Sở KH&CN" — an
abbreviation the name words do not cover), with such a sub-row inserted the way the other
layout prints it.
"""

from __future__ import annotations

from pathlib import Path

from plankg.ingest.extract.agencies import agency_coverage
from plankg.ingest.extract.grid import read_grids, read_header
from plankg.ingest.model import SourceText
from plankg.ingest.readers import read_source

ROOT = Path(__file__).resolve().parents[1]
DOCX = ROOT / "tests" / "data" / "corpus_docx"


def _source(table: list[list[str]]) -> SourceText:
    text = "\n".join("\t".join(r) for r in table)
    return SourceText("t.docx", "t.docx", "docx", text, text, list(range(len(text) + 1)), "x",
                      tables=[table], table_lines=[list(range(len(table)))])


def _task_table() -> tuple[list[list[str]], int, int]:
    """8718801c503045f9's task table, the index of its first numbered row whose lead cell the
    grammar's name words do not cover wholly, and its lead column."""
    src = read_source(DOCX / "8718801c503045f9.docx")
    header = None
    for t in src.tables:
        header = read_header(t)
        if header is not None and header.kind == "task":
            table = [list(r) for r in t]
            break
    assert header is not None
    lead_col = header.column("lead")
    assert lead_col is not None
    first = next(i for i, r in enumerate(table)
                 if r[0].strip().isdigit() and r[lead_col] and agency_coverage(r[lead_col]) < 1.0)
    return table, first, lead_col


def test_sub_row_repeating_the_lead_above_is_read_one_column_right() -> None:
    table, first, lead_col = _task_table()
    width = len(table[0])
    lead = table[first][lead_col]
    text = "Xây dựng hạ tầng kỹ thuật dự phòng cho hệ thống"
    sub = [text, lead] + [""] * (width - 2)
    rows = table[: first + 1] + [sub] + table[first + 1:]
    plain, res = read_grids(_source(table)), read_grids(_source(rows))
    assert len(res.tasks) == len(plain.tasks) + 1
    task = next(t for t in res.tasks if t.text.startswith(text))
    above = next(t for t in plain.tasks if t.text.startswith(table[first][1][:40]))
    assert task.lead == above.lead
    # the cells the sub-row did not print stay empty: never the row above's, never shifted
    assert task.cooperating == [] and task.deadline is None and not task.output
    assert any("đọc lùi một cột" in w for w in res.warnings)


def test_sub_row_with_an_unseen_non_agency_cell_is_skipped_with_a_warning() -> None:
    """The same sub-row whose second cell is no agency printed above: nothing is certain, the
    row is left out and named in a warning."""
    table, first, _lead_col = _task_table()
    width = len(table[0])
    sub = ["Xây dựng hạ tầng kỹ thuật dự phòng cho hệ thống", "Tổng thời gian thực hiện"] + [""] * (width - 2)
    rows = table[: first + 1] + [sub] + table[first + 1:]
    plain, res = read_grids(_source(table)), read_grids(_source(rows))
    assert [t.text for t in res.tasks] == [t.text for t in plain.tasks]
    assert any("không khớp tiêu đề" in w and f"dòng {first + 2}" in w for w in res.warnings)

