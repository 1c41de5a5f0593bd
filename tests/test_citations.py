"""Citations: symbols by shape, relation per occurrence, dates inherited, amendments."""

from __future__ import annotations

import json
from datetime import date

import pytest

from plankg.folding import fold
from plankg.ingest.extract.citations import extract_citations
from plankg.ingest.extract.document_meta import extract_document
from plankg.ingest.model import CitationRecord
from plankg.ingest.readers import read_bytes, read_source
from tests.conftest import GOLD, seed_path

_RANK = {"implements": 3, "amends": 2, "basis": 1, "mention": 0}


def _cites(prefix: str) -> list[CitationRecord]:
    src = read_source(seed_path(prefix))
    return extract_citations(src, extract_document(src))


def _text_cites(s: str) -> list[CitationRecord]:
    src = read_bytes(s.encode("utf-8"), "plan.txt")
    return extract_citations(src, extract_document(src))


def _strongest(cites: list[CitationRecord]) -> dict[str, str]:
    """Per symbol, the strongest relation of its occurrences (the gold's convention)."""
    out: dict[str, str] = {}
    for c in cites:
        if c.symbol not in out or _RANK[c.relation] > _RANK[out[c.symbol]]:
            out[c.symbol] = c.relation
    return out


def test_seed000_title_and_preamble() -> None:
    cites = _cites("000")
    first = cites[0]
    assert (first.symbol, first.date, first.issuer, first.relation) == ("57-NQ/TW", date(2024, 12, 22), "Bộ Chính trị", "implements")
    assert first.kind == "Nghị quyết" and first.span.line_start == 8
    c03 = next(c for c in cites if c.symbol == "03/NQ-CP")
    assert (c03.date, c03.issuer, c03.relation) == (date(2025, 1, 9), "Chính phủ", "implements")
    rel = _strongest(cites)
    assert rel["346/TTr-SKHCN"] == rel["163/STTTT-BCVTCNTT"] == rel["439/VPUBND-KGVX"] == "mention"
    # "Tờ trình số 346/TTr-⏎⏎SKHCN" (broken over lines) is the same symbol, date inherited
    broken = [c for c in cites if c.symbol == "346/TTr-SKHCN"]
    assert len(broken) >= 2 and all(c.date == date(2025, 2, 19) for c in broken)
    assert next(c for c in cites if c.symbol == "708/BTTTT-CATTT").kind == "Văn bản"  # "văn bản số 1552/… và 708/…"
    assert not any(c.symbol.startswith("/") for c in cites)  # the appendix's blank "số /KH-UBND"


def test_seed000_abbreviation_inherits_date() -> None:
    later = [c for c in _cites("000") if c.symbol == "57-NQ/TW" and c.text == "Nghị quyết số 57-NQ/TW"]
    assert later and all(c.date == date(2024, 12, 22) for c in later)


def test_seed001_ocr_reads_the_same_symbols() -> None:
    ocr = {c.symbol for c in _cites("001")}
    assert {"57-NQ/TW", "03/NQ-CP", "346/TTr-SKHCN", "163/STTTT-BCVTCNTT", "03/NĐ-CP", "107/2021/NĐ-CP"} <= ocr
    assert "57/KH-UBND" not in ocr  # its own symbol, printed in the appendix headers


def test_seed002_amendment_and_basis() -> None:
    cites = _cites("002")
    rel = _strongest(cites)
    assert rel["03/NQ-CP"] == "basis" and rel["57-NQ/TW"] == "implements"
    assert rel["02-KH/BCĐTW"] == rel["469-KH/TU"] == rel["211/KH-UBND"] == "basis"
    c71 = [c for c in cites if c.symbol == "71/NQ-CP" and c.relation == "amends"]
    assert c71 and all(c.amends_symbol == "03/NQ-CP" for c in c71)


def test_seed003_old_plan_with_same_number() -> None:
    cites = _cites("003")
    c57 = [c for c in cites if c.symbol == "57/KH-UBND"]
    assert c57 and {c.date for c in c57} == {date(2023, 2, 24)}
    assert c57[0].relation == "implements"
    assert next(c for c in cites if c.symbol == "17/TTr-STTTT").relation == "mention"  # "Theo đề nghị"


def test_seed004_spaced_and_wrapped_symbols() -> None:
    cites = _cites("004")
    assert {c.symbol for c in cites} == {"57-NQ/TW", "63-CTr/TU", "45-NQ/TW"}
    c45 = next(c for c in cites if c.symbol == "45-NQ/TW")
    assert c45.date == date(2023, 11, 24) and c45.issuer == "Ban Chấp hành Trung ương Đảng khóa XIII"
    assert "74-CTr/TU" not in {c.symbol for c in cites}


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_against_gold(prefix: str) -> None:
    gold = json.loads((GOLD / f"seed{prefix}.json").read_text("utf-8"))["citations"]
    cites = _cites(prefix)
    rel = _strongest(cites)
    for g in gold:
        mine = [c for c in cites if c.symbol == g["symbol"]]
        if not mine:
            assert g.get("optional"), g["symbol"]
            continue
        assert rel[g["symbol"]] in (g["relation"], g.get("relation_alt")), g["symbol"]
        assert g.get("date") in {c.date.isoformat() if c.date else None for c in mine}, g["symbol"]
        if g.get("issuer"):
            printed = {fold(c.issuer) for c in mine if c.issuer}
            assert any(p.startswith(fold(g["issuer"])) or fold(g["issuer"]).startswith(p) for p in printed), g["symbol"]
        if g.get("amends"):
            assert g["amends"] in {c.amends_symbol for c in mine}
    assert {c.symbol for c in cites} <= {g["symbol"] for g in gold}


def test_synthetic_basis_nested_and_direct_amendment() -> None:
    cites = _text_cites(
        "KẾ HOẠCH\nVề chuyển đổi số\n"
        "Căn cứ Nghị quyết số 12/NQ-CP ngày 05/3/2024 của Chính phủ về sửa đổi, bổ sung Nghị quyết số 03/NQ-CP "
        "ngày 09/01/2023 của Chính phủ; Quyết định 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ "
        "triển khai thực hiện Nghị định 45/2025/NĐ-CP;\n"
        "I. MỤC ĐÍCH\n1. Mục đích\n- Thực hiện Nghị quyết số 12/NQ-CP (sau đây viết tắt là Nghị quyết số 12/NQ-CP).\n")
    by = {(c.symbol, c.span.start): c for c in cites}
    first = sorted(by.values(), key=lambda c: c.span.start)
    assert [c.symbol for c in first] == ["12/NQ-CP", "03/NQ-CP", "06/QĐ-TTg", "45/2025/NĐ-CP", "12/NQ-CP", "12/NQ-CP"]
    assert first[0].relation == "amends" and first[0].amends_symbol == "03/NQ-CP"
    assert first[1].relation == "mention"  # nested in 12/NQ-CP's subject
    assert first[2].relation == "basis" and first[2].kind == "Quyết định"  # "Quyết định 06/QĐ-TTg", no "số"
    assert first[3].relation == "mention" and first[3].kind == "Nghị định"
    assert all(c.date == date(2024, 3, 5) for c in first[4:])


def test_synthetic_own_symbol_excluded_and_wrapped() -> None:
    cites = _text_cites(
        "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 57/KH-UBND\nBình Phước, ngày 23 tháng 02 năm 2025\nKẾ HOẠCH\nVề X\n"
        "Thực hiện Kế hoạch số 57/KH-UBND ngày 24/02/2023 của UBND tỉnh và Chương trình số 9-\n\nCTr/TU;\n"
        "I. MỤC ĐÍCH\n")
    assert [(c.symbol, c.date, c.relation) for c in cites] == [
        ("57/KH-UBND", date(2023, 2, 24), "implements"), ("9-CTr/TU", None, "implements")]
