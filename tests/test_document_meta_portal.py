"""Document kind on pages of the portal without blank lines (ingest/readers/md_tables.py,
ingest/extract/document_meta.py).

Found by running the inventory of 529 state documents (tests/gold/corpus/inventory.json):
a header table in a file without blank lines swallowed the title block as a third cell, and
a letter (no kind printed) had no kind. The rules were written on 0465063a5486d493 and
005d8820eb95c1cb and are checked on these excerpts and on other pages' layouts below.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plankg.ingest.extract.document_meta import extract_document
from plankg.ingest.extract.title_line import read_title_line
from plankg.ingest.readers import read_bytes, read_source
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parent / "data" / "corpus_articles"


def _doc(name: str):  # type: ignore[no-untyped-def]
    return extract_document(read_source(DATA / name, on_warning=lambda _m: None))


def test_title_after_the_header_table_is_not_a_cell() -> None:
    src = read_source(DATA / "0465063a5486d493_header.md", on_warning=lambda _m: None)
    assert all(len(row) <= 2 for table in src.tables for row in table)
    doc = extract_document(src)
    assert doc.kind == "Nghị quyết" and doc.symbol == "388/NQ-CP"
    assert doc.issuer == "Chính phủ"
    assert doc.title is not None and doc.title.startswith("VỀ VIỆC NGHIÊN CỨU TIẾP THU")


def test_letter_with_subject_line_is_a_cong_van() -> None:
    doc = _doc("005d8820eb95c1cb_header.md")
    assert doc.kind == "Công văn" and doc.symbol == "5348/CT-CS"
    assert "kind" in doc.inferred


def test_decision_title_in_another_layout() -> None:
    """A decision of another issuer laid out the same way (symbol, place and date cells, then
    "**QUYẾT ĐỊNH**" with no blank line): the kind is read, the title is not a cell."""
    md = ("|\n**ỦY BAN NHÂN DÂN**\nTỈNH BẮC NINH\n-------\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n"
          "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 471/QĐ-UBND\n|\n*Bắc Ninh, ngày 05 tháng 12"
          " năm 2025*\n|\n**QUYẾT ĐỊNH**\nVỀ VIỆC PHÊ DUYỆT DANH MỤC ĐỊA ĐIỂM\n**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH**\n"
          "*Căn cứ Luật Tổ chức chính quyền địa phương;*\n**QUYẾT ĐỊNH:**\n**Điều 1.** Phê duyệt danh mục.\n")
    doc = extract_document(read_bytes(md.encode("utf-8"), "qd.md", on_warning=lambda _m: None))
    assert doc.kind == "Quyết định" and doc.symbol == "471/QĐ-UBND"
    assert doc.issuer in ("UBND tỉnh Bắc Ninh", "Ủy ban nhân dân tỉnh Bắc Ninh")


@pytest.mark.parametrize(("name", "symbol", "kind", "day"), [
    # written on the Huế resolution (issue #10's example), checked on the Lai Châu decision
    ("0eb3b8713cadea8f_header.md", "33/2025/NQ-HĐND", "Nghị quyết", date(2025, 11, 18)),
    ("01bf9d04a5b9e2c8_header.md", "87/2025/QĐ-UBND", "Quyết định", date(2025, 11, 19)),
])
def test_legal_symbol_with_its_year_in_a_header_table(name: str, symbol: str, kind: str, day: date) -> None:
    """"Số:" then "33/2025/NQ-HĐND" (number / year / kind code - issuer code, as printed in
    legal documents) inside the header table: read whole, Đ kept (values read from the pages)."""
    src = read_source(DATA / name, on_warning=lambda _m: None)
    doc = read_title_line(src, extract_document(src))
    assert (doc.symbol, doc.kind, doc.date) == (symbol, kind, day)


@pytest.mark.parametrize(("name", "symbol", "issuer"), [
    # written on the Văn phòng Trung ương conclusion, checked on the Ban Chấp hành regulation
    # (the lower body issues: "BAN CHẤP HÀNH TRUNG ƯƠNG" / "VĂN PHÒNG" → "Văn phòng Trung ương Đảng", the
    # convention of tests/gold/corpus/metadata_round2.json and metadata_round4.json)
    ("6e4d7759e03163f7_header.md", "07-KL/VPTW", "Văn phòng Trung ương Đảng"),
    ("ca9ba61fc61bf961_header.md", "384-QĐ/TW", "Ban chấp hành trung ương"),
])
def test_party_number_line_under_the_issuer_is_not_the_issuer(name: str, symbol: str, issuer: str) -> None:
    """Party headers print "Số 07-KL/VPTW" (no colon) in the issuer's cell, under it: the
    number ends the issuer's name (values read from the pages)."""
    doc = _doc(name)
    assert doc.symbol == symbol
    assert doc.issuer is not None and doc.issuer.casefold() == issuer.casefold()


def test_header_issuer_wins_over_a_misspelt_preamble_but_not_over_a_more_precise_one() -> None:
    """69db23c781b2e9aa prints "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" in its header and "Ủy ban nhân
    tỉnh ban hành Kế hoạch" in its preamble; seed 004 prints "TỈNH ỦY BÌNH PHƯỚC" and "Ban
    Thường vụ Tỉnh ủy Bình Phước" (the standing committee issues). Gold issuers, read by hand."""
    import json

    root = Path(__file__).resolve().parent
    corpus = json.loads((root / "gold" / "corpus" / "69db23c781b2e9aa.json").read_text("utf-8"))["document"]
    doc = extract_document(read_source(root / "data" / "corpus" / "69db23c781b2e9aa.md", on_warning=lambda _m: None))
    assert doc.issuer in {"UBND tỉnh Hà Tĩnh", corpus["issuer"]}
    seed = json.loads((root / "gold" / "seed004.json").read_text("utf-8"))["document"]
    seed_file = next(SEEDS.glob("004_*.txt"))
    assert extract_document(read_source(seed_file, on_warning=lambda _m: None)).issuer == seed["issuer"]
