"""The PDF reader rebuilds what the page layout says and ``extract_text()`` loses: paragraphs
(a DOCX paragraph is one line; a PDF prints it over several) and table rows cut by a page break
(ingest/readers/pdf.py ``_paragraphs``, ``_goes_on``, ``_rest_of_row``).

Why: a heading stopping short above its text ("7. Các sở, ban, ngành tỉnh, Ủy ban nhân dân các
xã, phường" / "Trên cơ sở Kế hoạch này, …") was read as one paragraph, so the heading took the
text's first words as agencies and the item was lost; a group row opening a page was glued to
the row above. The rules were written on 8718801c503045f9, 74e2ddc7b11340da, 646f0a00d4174382
and b3a4b2605f9a281f; the corpus checks here run on development documents they were not written
on, against the DOCX each PDF was made from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.readers import read_source
from plankg.ingest.readers.pdf import _Geometry, _goes_on, _rest_of_row, _Table

DATA = Path(__file__).parent / "data"
RIGHT = 540.0


def _line(x0: float = 51, x1: float = RIGHT, top: float = 100, first_word: float = 30,
          columns: bool = False) -> _Geometry:
    return _Geometry(x0=x0, x1=x1, top=top, bottom=top + 10, size=12, first_word=first_word,
                     columns=columns, page_width=595)


def test_a_full_line_goes_on_and_a_short_one_ends_its_paragraph() -> None:
    full, nxt = _line(x1=RIGHT - 10), _line(top=112)
    assert _goes_on(full, nxt, RIGHT, line_gap=2)  # "Trên" (30 pt) did not fit in 10 pt
    short = _line(x1=RIGHT - 120)  # a heading stopping short: the next word would have fitted
    assert not _goes_on(short, nxt, RIGHT, line_gap=2)
    # a long first word explains a short line: "Ủy ban nhân dân" wrapped as a whole
    assert _goes_on(short, _line(top=112, first_word=125), RIGHT, line_gap=2)


def test_indent_spacing_and_columns_open_a_paragraph() -> None:
    full = _line(x1=RIGHT - 5)
    assert not _goes_on(full, _line(x0=80, top=112), RIGHT, line_gap=2)  # a first-line indent
    assert not _goes_on(full, _line(top=120), RIGHT, line_gap=2)  # paragraph spacing (10 pt > 2 + 3)
    assert _goes_on(full, _line(top=120), RIGHT, line_gap=None)  # across a page break: no spacing to read
    assert not _goes_on(_line(columns=True), _line(top=112), RIGHT, line_gap=2)  # issuer | motto


def test_rest_of_row_over_a_page_break() -> None:
    header = ["STT", "Nhiệm vụ", "Chủ trì", "Thời hạn"]
    group = ["", "Nhiệm vụ giao Bộ Tài chính", "", ""]
    table = _Table([header, group, ["1", "Xây dựng kế hoạch", "Bộ Tài chính", "2025"]], 4)
    # a numbered row's rest leaves the number empty
    assert _rest_of_row(table, ["", "và tổ chức thực hiện", "", ""], [])
    # a capitalised row filling one cell, shaped like the table's group rows, is a row of its own
    assert not _rest_of_row(table, ["", "Nhiệm vụ giao Bộ Y tế", "", ""], [])
    # a row without number cells (merged away) goes on in lower case in cells it filled
    merged = _Table([header, ["Xây dựng trình hồ sơ khắc phục ô", "- Quyết định", "Năm 2026", ""]], 4)
    assert _rest_of_row(merged, ["nhiễm không khí.", "- Triển khai", "thường xuyên", ""], [])
    assert not _rest_of_row(merged, ["Tổ chức hội nghị", "Báo cáo", "Năm 2027", ""], [])


def _body_lines(path: Path) -> list[str]:
    source = read_source(path, on_warning=lambda _m: None)
    return [" ".join(ln.split()) for ln in source.text.split("\n") if ln.strip() and "\t" not in ln]


@pytest.mark.parametrize("stem", ["bffd9da6f0d38031", "09daab284f92e2dd"])
def test_pdf_paragraphs_are_the_docx_paragraphs(stem: str) -> None:
    """Every line outside the tables of the PDF is one paragraph of the DOCX it was made from."""
    assert _body_lines(DATA / "corpus_pdf" / f"{stem}.pdf") == _body_lines(DATA / "corpus_docx" / f"{stem}.docx")


def test_pdf_table_rows_are_the_docx_rows() -> None:
    """3a2db039af8c2d05: a criteria table's row cut by a page break ("Căn cứ vào số" / "lượng mở
    mới tài khoản …") is one row again, as in the DOCX."""
    stem = "3a2db039af8c2d05"
    pdf = read_source(DATA / "corpus_pdf" / f"{stem}.pdf", on_warning=lambda _m: None)
    docx = read_source(DATA / "corpus_docx" / f"{stem}.docx", on_warning=lambda _m: None)
    assert [len(t) for t in pdf.tables] == [len(t) for t in docx.tables]
    def cells(source: object) -> list[str]:
        return [" ".join(c.split()) for t in source.tables for r in t for c in r  # type: ignore[attr-defined]
                if c.startswith("Căn cứ vào số")]

    assert len(cells(pdf)) == 2 and cells(pdf) == cells(docx)
