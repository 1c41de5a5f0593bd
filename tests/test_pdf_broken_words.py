"""PDF table cells too narrow for a word: LibreOffice breaks the word and pdfplumber gives the
pieces on two lines ("Sản phẩ" / "m", "Kế hoạc" / "h 2026", "Lượn" / "g (Tấn" / ")"); the
reader joins them again (ingest/readers/pdf.py ``_cell``). Written on f1e0981425ec38be (its
appendix header lost "Sản phẩm" and every "Kế hoạch <year>" column); checked here on the
other development PDFs that have such cells and on cells that must stay apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.readers import read_source
from plankg.ingest.readers.pdf import _cell

PDF = Path(__file__).parent / "data" / "corpus_pdf"


@pytest.mark.parametrize(("raw", "joined"), [
    ("BỘI CHI NGÂN SÁCH ĐỊA PHƯƠN\nG", "BỘI CHI NGÂN SÁCH ĐỊA PHƯƠNG"),  # 9b7eebadf7081069
    ("tỉnh/thàn\nh", "tỉnh/thành"),  # 646f0a00d4174382
    ("Lượn\ng (Tấn\n)", "Lượng (Tấn)"),
    ("khẩu\n(Ngh\nìn\nUSD)", "khẩu (Nghìn USD)"),  # the break after the first consonants
    ("240.\n000", "240.000"),  # a number broken after its thousands separator
    ("13.50\n0", "13.500"),  # ... or inside a group (f1e0981425ec38be, Phụ lục 02)
    ("736.00\n0", "736.000"),  # 9b7eebadf7081069's budget table (the same rule)
    ("1,5\n0", "1,5 0"),  # a decimal comma is no thousands group
    ("8.5\n0%", "8.5 0%"),  # a piece that is not digits alone stays apart
    ("Năm 2025-\n2030", "Năm 2025-2030"),  # a range broken after its dash (2edf5927c71bc4c1)
    ("Văn hóa -\nXã hội", "Văn hóa - Xã hội"),
    # no syllable was broken: the pieces stay words
    ("UBND\nTP", "UBND TP"),  # an abbreviation has no vowel either
    ("TP\nÁn", "TP Án"),
    ("Sở Tài\nchính", "Sở Tài chính"),
    ("đầu tư\nc) Xây dựng", "đầu tư c) Xây dựng"),  # a list marker on its own line
    ("Sở Y\ntế", "Sở Y tế"),
    ("năm 2025,\n2026", "năm 2025, 2026"),
    # a word or symbol broken at its hyphen (74e2ddc7b11340da, 2edf5927c71bc4c1: the Markdown
    # prints them whole)
    ("Thông báo số 07-\nTB/CQTTBCĐ", "Thông báo số 07-TB/CQTTBCĐ"),
    ("(UN e-\nGovernment Survey)", "(UN e-Government Survey)"),
    ("số 4577/BKHCN\n-CĐSQG ngày", "số 4577/BKHCN-CĐSQG ngày"),
    ("- Bộ Tài chính;\n- Bộ Y tế", "- Bộ Tài chính; - Bộ Y tế"),  # a list in a cell stays a list
    ("Hà Nội\n-Bộ Y tế", "Hà Nội -Bộ Y tế"),  # no symbol before: a careless list marker
])
def test_cell_lines(raw: str, joined: str) -> None:
    assert _cell(raw) == joined


@pytest.mark.slow
def test_budget_table_header_of_another_plan() -> None:
    """9b7eebadf7081069 (dev): a row label broken inside "PHƯƠNG" reads whole."""
    src = read_source(PDF / "9b7eebadf7081069.pdf", on_warning=lambda _m: None)
    cells = [c for t in src.tables for row in t for c in row]
    assert any(c.endswith("ĐỊA PHƯƠNG") for c in cells)
    assert not any("PHƯƠN G" in c for c in cells)


def test_budget_row_figures_read_whole() -> None:
    """9b7eebadf7081069 (a document the in-group rule was not written for): the row "1 | Thu từ
    khu vực doanh nghiệp nhà nước do Trung ương quản lý | 736.000 | …" prints its figures whole
    in the Markdown; the PDF, whose narrow columns break "736.00" / "0", reads them the same."""
    source = read_source(PDF / "9b7eebadf7081069.pdf", on_warning=lambda _m: None)
    rows = [r for t in source.tables for r in t if any(c.startswith("Thu từ khu vực doanh nghiệp nhà nước") for c in r)]
    assert rows and rows[0][2:4] == ["736.000", "736.000"]
