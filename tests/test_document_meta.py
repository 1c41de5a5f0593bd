"""Document metadata read from the seeds (values checked by reading the seed text) and
from small synthetic headers for the edge cases (draft numbers, OCR, missing title block)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from plankg.folding import fold
from plankg.ingest.extract.document_meta import extract_document
from plankg.ingest.readers import read_bytes, read_source
from tests.conftest import GOLD, seed_path


def _doc(prefix: str):
    return extract_document(read_source(seed_path(prefix)))


def _text(s: str):
    return extract_document(read_bytes(s.encode("utf-8"), "plan.txt"))


def test_seed000_title_block_without_header() -> None:
    d = _doc("000")
    assert d.kind == "Kế hoạch"
    assert d.symbol is None and d.number is None  # no header; appendices print "số /KH-UBND"
    assert d.date is None  # signature stamps date the file, not the plan
    assert d.year == 2025 and "year" in d.inferred
    assert d.issuer == "UBND tỉnh Bình Phước"
    assert (d.locality, d.locality_level) == ("Bình Phước", "province")
    assert d.title is not None and d.title.startswith("Triển khai thực hiện Chương trình hành động của Chính phủ")
    assert d.title.endswith("và chuyển đổi số quốc gia")
    assert d.signer == "Trần Tuyết Minh"
    assert d.span is not None and d.span.line_start == 4


def test_seed001_ocr_header_reads_symbol_and_date() -> None:
    d = _doc("001")
    assert (d.kind, d.number, d.symbol) == ("Kế hoạch", "57", "57/KH-UBND")
    assert d.date == date(2025, 2, 23)
    assert d.issuer == "UBND tỉnh Bình Phước"  # "UBND tinh" + the province, diacritics restored
    assert d.locality == "Bình Phước"


def test_seed002_ward_draft() -> None:
    d = _doc("002")
    assert d.symbol is None and d.date is None
    assert d.year == 2025 and "year" in d.inferred
    assert d.issuer == "UBND phường Bình Phước"
    assert (d.locality, d.locality_level) == ("Bình Phước", "ward")


def test_seed003_missing_title_block_is_inferred() -> None:
    d = _doc("003")
    assert d.kind == "Kế hoạch" and d.year == 2023
    assert d.issuer == "Ban Chỉ đạo về chuyển đổi số tỉnh Bình Phước"
    assert {"kind", "issuer", "year"} <= set(d.inferred)
    assert d.title is None and d.symbol is None and d.date is None and d.span is None
    assert d.signer == "Trần Tuyết Minh"


def test_seed004_party_programme_with_spaced_symbol() -> None:
    d = _doc("004")
    assert (d.kind, d.number, d.symbol) == ("Chương trình", "74", "74-CTr/TU")
    assert d.date == date(2025, 3, 2)
    assert d.issuer == "Ban Thường vụ Tỉnh ủy Bình Phước"
    assert d.locality_level == "province"
    assert d.title is not None and "thực hiện Nghị quyết số 57-NQ/TW" in d.title
    assert "ƣ" not in d.title
    assert d.inferred == []


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_against_gold(prefix: str) -> None:
    gold = json.loads((GOLD / f"seed{prefix}.json").read_text("utf-8"))["document"]
    d = _doc(prefix)

    def same(a: object, b: object) -> bool:  # issuers: "UBND" is the short form we write
        norm = lambda s: fold(str(s)).replace("uy ban nhan dan", "ubnd") if s is not None else None
        return norm(a) == norm(b)

    for field in ("kind", "symbol", "issuer", "locality", "locality_level", "signer", "year"):
        if field in gold:
            assert same(getattr(d, field), gold[field]), field
    if "date" in gold:
        assert (d.date.isoformat() if d.date else None) == gold["date"]
    if "title" in gold:
        assert same(d.title, gold["title"]) or same(d.title, gold.get("title_alt"))
    assert set(gold.get("inferred", [])) <= set(d.inferred)


def test_draft_number_gives_no_symbol() -> None:
    d = _text("ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố:      /KH-UBND\nBình Phước, ngày     tháng     năm 2025\n"
              "KẾ HOẠCH\nVề chuyển đổi số\nI. MỤC ĐÍCH\n1. Mục đích\n")
    assert d.symbol is None and d.number is None and d.date is None
    assert d.year == 2025 and d.kind == "Kế hoạch" and d.title == "Về chuyển đổi số"
    assert d.locality == "Bình Phước"


def test_header_date_and_decision_kind() -> None:
    d = _text("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 1234/QĐ-UBND\nĐồng Nai, ngày 05 tháng 8 năm 2025\n"
              "QUYẾT ĐỊNH\nPhê duyệt Đề án chuyển đổi số\nCăn cứ Luật Tổ chức chính quyền địa phương;\n"
              "I. MỤC TIÊU\n")
    assert (d.kind, d.symbol, d.date) == ("Quyết định", "1234/QĐ-UBND", date(2025, 8, 5))
    assert d.title == "Phê duyệt Đề án chuyển đổi số"
    assert d.locality == "Đồng Nai"


def test_appendix_self_reference_names_a_headerless_plan() -> None:
    d = _text("KẾ HOẠCH\nVề X\nI. MỤC ĐÍCH\n1. Mục đích\nPhụ lục I\n"
              "(Kèm theo Kế hoạch số 57/KH-UBND ngày 23/02/2025 của UBND tỉnh Bình Phước)\n")
    assert (d.symbol, d.date, d.year) == ("57/KH-UBND", date(2025, 2, 23), 2025)
    assert d.issuer == "UBND tỉnh Bình Phước" and d.inferred == []
