"""Words a narrow PDF table cell cut where its line was full, and rows a page break cut inside
a word (ingest/readers/pdf.py ``_word_cut``, ``_symbol_cut``, ``_rest_of_row``).

Why: a word wider than its cell is cut by the word processor wherever the line is full
("Số: 385/N" / "Q-CP", "CHỦ NGHĨ" / "A", "01/12/2" / "025"), and the cell rules read the pieces
as two words, so symbols, dates and issuers of documents whose header sits in narrow columns
were lost (round 6 dev b241b75dc4e6df64: kind, symbol, issuer; round 5 c53841af6c236aed:
symbol); a header row cut by a page break inside its symbol ("Số: 4508/QĐ-" / "BVHTTDL",
ca6ff32db1f99d30) stayed two rows. The rules were written on those three documents; the corpus
checks here run on PDFs they were not written on, against the DOCX each PDF was made from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.readers import read_source
from plankg.ingest.readers.pdf import _CellLine, _one_syllable, _rest_of_row, _symbol_cut, _Table, _word_cut

DATA = Path(__file__).parent / "data"


def _cell_line(text: str, x1: float, first_word: float, last_word: float, first_char: float = 6.0) -> _CellLine:
    return _CellLine(text, x1=x1, right=120.0, width=30.0, first_word=first_word, last_word=last_word,
                     first_char=first_char)


@pytest.mark.parametrize(("word", "one"), [
    ("NGHĨA", True), ("chuyển", True), ("ngày", True), ("tháng", True), ("Thỏa", True),
    ("phẩmchè", False), ("TổngI", False), ("thamgia", False), ("Takii", False),
    ("Đềán", False), ("dựán", False),  # two tones: two words (d600829aa1fa6596's "Đề án", "dự án")
])
def test_one_syllable(word: str, one: bool) -> None:
    assert _one_syllable(word) is one


def test_a_full_line_cut_inside_a_syllable_joins_and_two_words_stay_apart() -> None:
    full_nghi = _cell_line("CHỦ NGHĨ", x1=118.0, first_word=18, last_word=26)
    assert _word_cut(full_nghi, _cell_line("A VIỆT", x1=110, first_word=8, last_word=20))
    # one word a line, both lines full: the layout allows a cut, the words do not
    full_pham = _cell_line("phẩm", x1=118.5, first_word=28, last_word=28)
    assert not _word_cut(full_pham, _cell_line("chè", x1=100, first_word=18, last_word=18))
    # a line with room for the next letter was wrapped at a space
    short = _cell_line("CHỦ NGHĨ", x1=100.0, first_word=18, last_word=26)
    assert not _word_cut(short, _cell_line("A VIỆT", x1=110, first_word=8, last_word=20))
    # glued pieces that would fit on a line were a word moved whole
    narrow = _cell_line("CHỦ NG", x1=118.0, first_word=18, last_word=10)
    assert not _word_cut(narrow, _cell_line("A", x1=100, first_word=8, last_word=8))


@pytest.mark.parametrize(("tail", "piece", "cut"), [
    ("", "QH15", True),  # "93/2025/" / "QH15"
    ("2", "025", True),  # "01/12/2" / "025"
    ("N", "Q-CP", True),  # "385/N" / "Q-CP"
    ("n", "gày", True),  # "đồng/người/n" / "gày"
    ("thán", "g.", True),
    ("QĐ-TTg", "ngày", False),  # a whole symbol, then the next word
    ("di", "chvucong", False),
    ("N", "(", False),
    ("BNV-CQĐP", "V/v", False),  # "Số: 10988/BNV-CQĐP" / "V/v tuyên truyền …" (stop 21, h10p)
    ("KH-U", "BND", True),  # the upper-case rule still joins a code's rest
])
def test_symbol_cut(tail: str, piece: str, cut: bool) -> None:
    assert _symbol_cut(tail, piece) is cut


def test_rest_of_a_row_cut_inside_a_word() -> None:
    header = ["Số hiệu:", "4508/QĐ-BVHTTDL"]
    table = _Table([header, ["Số: 4508/QĐ-", "Hà Nội, ngày 28"]], 2)
    assert _rest_of_row(table, ["BVHTTDL", "tháng 11 năm 2025"], [])
    whole = _Table([header, ["Số: 4508/QĐ-BVHTTDL", "Hà Nội, ngày 28 tháng 11 năm 2025"]], 2)
    assert not _rest_of_row(whole, ["QUYẾT ĐỊNH", "Về việc"], [])
    # a row numbered "13" under one numbered "12.4" (7650ecce3d20626b) is a row of its own
    numbered = _Table([["TT", "Nội dung", "Mức chi"], ["12.4", "Khối 9", "4.000.000"]], 3)
    assert not _rest_of_row(numbered, ["13", "Trường Trung học cơ sở", ""], [])


@pytest.fixture(scope="module")
def cells() -> dict[str, tuple[list[str], list[str]]]:
    """PDF and DOCX table cells of two documents the rules were not written on: round 5's
    14893cd21e801bb3 (an An Giang decision with a procedures appendix in narrow columns) and
    round 4's 02b9be7711f88c70 (an allowance table, "đồng/người/ngày" in a narrow column)."""
    out = {}
    for stem in ("14893cd21e801bb3", "02b9be7711f88c70"):
        pdf = read_source(DATA / "corpus_pdf" / f"{stem}.pdf", on_warning=lambda _m: None)
        docx = read_source(DATA / "corpus_docx" / f"{stem}.docx", on_warning=lambda _m: None)
        out[stem] = ([c for t in pdf.tables for r in t for c in r], [c for t in docx.tables for r in t for c in r])
    return out


def test_symbols_and_words_cut_in_narrow_cells_read_as_in_the_docx(cells: dict[str, tuple[list[str], list[str]]]) -> None:
    pdf, docx = cells["14893cd21e801bb3"]
    law = [c for c in pdf if c.startswith("- Luật Đấu thầu số 22/")]
    assert law and all("22/2023/" in c and "57/2024/QH15" in c for c in law)  # one prints "OH15"
    assert any("ĐẤU THẦU THUỘC PHẠM VI" in c for c in pdf)
    assert any("ĐẤU THẦU THUỘC PHẠM VI" in c for c in docx)


def test_a_unit_cut_after_its_slash_reads_whole(cells: dict[str, tuple[list[str], list[str]]]) -> None:
    pdf, docx = cells["02b9be7711f88c70"]
    per_day = [c for c in docx if c.endswith("đồng/người/ngày")]
    assert per_day and all(c in pdf for c in per_day)
    assert not any("/n gày" in c or "/n ăm" in c for c in pdf)
