"""Document fields of a page with no header block (issue #10 item 5; docs/extraction.md "targets
and document metadata on the retired round-1 held-out").

Legal-portal pages of resolutions start at their kind line: "NGHỊ QUYẾT / <title> / ỦY BAN
THƯỜNG VỤ QUỐC HỘI / Căn cứ …" — no "Số:" and no place-date line. The issuer is the body printed
on its own line under the title; the date is the adoption date of the closing line ("… thông qua
ngày 06 tháng 02 năm 2025."), else the date of the appendix's note "(Ban hành kèm theo Nghị quyết
số 1339/NQ-UBTVQH15 ngày 28 tháng 12 năm 2024 …)". The rules were written on the retired
held-out resolutions ae8d299abf846604, f3abaf4f9c17f94b and 7cfc6fdf6d7a5f5d; they are tested
here on another resolution of the corpus, b668e92c0a910d62 (tests/data/metadata_headers).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plankg.ingest.extract.document_meta import extract_document
from plankg.ingest.readers import read_source

PAGE = Path(__file__).resolve().parent / "data" / "metadata_headers" / "b668e92c0a910d62_page.md"
CLOSING = "*Nghị quyết này được Ủy ban Thường vụ Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, "
TITLE = "Về việc tăng thêm số lượng Thứ trưởng, Phó Thủ trưởng cơ quan ngang Bộ"


@pytest.fixture(scope="module")
def text() -> str:
    return PAGE.read_text(encoding="utf-8")


def _doc(tmp_path: Path, text: str):  # noqa: ANN202 - DocumentRecord
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return extract_document(read_source(path))


def test_issuer_line_under_the_title_and_adoption_date(tmp_path: Path, text: str) -> None:
    d = _doc(tmp_path, text)
    assert d.kind == "Nghị quyết"
    assert d.issuer is not None and d.issuer.lower() == "ủy ban thường vụ quốc hội"
    assert d.title == TITLE  # the issuer line is no part of the title
    assert d.date == date(2025, 2, 6) and "date" in d.inferred
    assert d.symbol is None  # none is printed


def test_appendix_note_gives_symbol_and_date_in_words(tmp_path: Path, text: str) -> None:
    assert CLOSING in text
    body = text[: text.index(CLOSING)]
    note = ("\n\n## DANH SÁCH\n\n*(Ban hành kèm theo Nghị quyết số 1400/NQ-UBTVQH15 ngày 07 tháng 02 năm 2025 "
            "của Ủy ban Thường vụ Quốc hội)*\n\n1. Bộ Ngoại giao\n")
    d = _doc(tmp_path, body + note)
    assert (d.symbol, d.date) == ("1400/NQ-UBTVQH15", date(2025, 2, 7))
    # a note that names another kind of document is not this page's
    other = note.replace("Ban hành kèm theo Nghị quyết số 1400/NQ-UBTVQH15", "Ban hành kèm theo Kế hoạch số 12/KH-BNV")
    d = _doc(tmp_path, body + other)
    assert (d.symbol, d.date) == (None, None)


def test_lower_case_line_under_the_title_is_no_issuer(tmp_path: Path, text: str) -> None:
    d = _doc(tmp_path, text.replace("**ỦY BAN THƯỜNG VỤ QUỐC HỘI**", "**Ủy ban Thường vụ Quốc hội**"))
    assert d.title is not None and d.title.endswith("Quốc hội")


@pytest.mark.parametrize("rendition", ["corpus_docx/c2fb3a9578fcdb7e.docx", "corpus_pdf/c2fb3a9578fcdb7e.pdf"])
def test_dispatch_issuer_line_with_its_verb(rendition: str) -> None:
    """"CÔNG ĐIỆN / <title in capitals> / THỦ TƯỚNG CHÍNH PHỦ điện: / <addressees> …": the
    issuer is the line without the dispatch's verb, and the title ends before it. Written on
    the round-2 dev dispatch's Markdown; checked on its DOCX and PDF renditions, where the
    title and the issuer are paragraphs with no blank line between them."""
    d = extract_document(read_source(PAGE.parents[1] / rendition))
    assert d.kind == "Công điện"
    assert d.issuer == "Thủ tướng Chính phủ"
    assert d.title is not None and d.title.endswith("XUẤT KHẨU")


def test_notice_issuer_from_its_closing_formula(tmp_path: Path) -> None:
    """A notice whose header block was lost names its issuer in the closing formula ("Văn phòng
    Chính phủ thông báo để … biết, thực hiện./."). Written on the round-2 dev notice
    b13aef6aad6b2169; checked on another round-2 dev notice, 05729ab54fc07c39, with its header
    block cut away (its own header names the same office)."""
    source = PAGE.parents[1] / "corpus" / "05729ab54fc07c39.md"
    text = source.read_text(encoding="utf-8")
    whole = extract_document(read_source(source))
    d = _doc(tmp_path, text[text.index("**THÔNG BÁO**"):])
    assert d.kind == "Thông báo" and "issuer" in d.inferred
    assert d.issuer is not None and whole.issuer is not None
    assert d.issuer.lower() == whole.issuer.lower() == "văn phòng chính phủ"
