"""Query understanding against the seed graph: agencies, periods, types, documents, localities."""

from __future__ import annotations

import pytest

from plankg.search.index.lexicon import read_lexicon
from plankg.search.query.understanding import Understander

BASE = "https://plankg.example.org/"
SO_Y_TE = BASE + "agency/binh-phuoc/so-y-te"
SO_TTTT = BASE + "agency/binh-phuoc/so-thong-tin-va-truyen-thong"
SO_KHCN = BASE + "agency/binh-phuoc/so-khoa-hoc-va-cong-nghe"


@pytest.fixture(scope="module")
def understander(seeded) -> Understander:
    settings, store, _, _ = seeded
    from plankg.search.index.items import read_items

    used = {a["iri"] for it in read_items(settings, store) for a in it.lead + it.cooperating}
    return Understander(read_lexicon(settings, store), used)


def direct(it) -> list[str]:
    return [a["iri"] for a in it.agencies if a["relation"] is None]


@pytest.mark.parametrize("query", ["nhiệm vụ của Sở Y tế năm 2025", "nhiem vu cua so y te nam 2025",
                                   "NHIỆM VỤ CỦA SỞ Y TẾ NĂM 2025"])
def test_agency_year_and_type_with_or_without_marks(understander, query) -> None:
    it = understander.understand(query)
    assert it.types == ["Task"]
    assert direct(it) == [SO_Y_TE]
    assert it.period == {"text": it.period["text"], "start": "2025-01-01", "end": "2025-12-31", "mode": "in",
                         "label": "năm 2025"}  # the label is normalised whatever was typed
    assert it.remaining == ""


def test_successor_offered_as_removable_part(understander) -> None:
    it = understander.understand("Sở Thông tin và Truyền thông")
    assert direct(it) == [SO_TTTT]
    offered = {a["iri"]: a for a in it.agencies if a["relation"]}
    assert SO_KHCN in offered and offered[SO_KHCN]["relation"] == "successor"
    assert offered[SO_KHCN]["name"] == "Sở Khoa học và Công nghệ"
    back = understander.understand("Sở Khoa học và Công nghệ")
    assert any(a["iri"] == SO_TTTT and a["relation"] == "predecessor" for a in back.agencies)


@pytest.mark.parametrize("query", ["nhiệm vụ của Sở TT&TT", "nhiem vu cua so tttt", "STTTT chủ trì"])
def test_agency_abbreviations(understander, query) -> None:
    assert direct(understander.understand(query)) == [SO_TTTT]


def test_role_word(understander) -> None:
    it = understander.understand("Công an tỉnh chủ trì nhiệm vụ gì trong năm 2025")
    assert direct(it) == [BASE + "agency/binh-phuoc/cong-an-tinh"] and it.role == "lead"
    assert it.types == ["Task"] and it.remaining == ""


@pytest.mark.parametrize("query, start, end, mode", [
    ("năm 2025", "2025-01-01", "2025-12-31", "in"),
    ("quý IV/2025", "2025-10-01", "2025-12-31", "in"),
    ("quy 4 nam 2025", "2025-10-01", "2025-12-31", "in"),
    ("tháng 6/2025", "2025-06-01", "2025-06-30", "in"),
    ("trước 20/3/2025", None, "2025-03-20", "before"),
    ("truoc 20/3/2025", None, "2025-03-20", "before"),
    ("đến 2030", None, "2030-12-31", "by"),
    ("đến năm 2030", None, "2030-12-31", "by"),
    ("giai đoạn 2026-2030", "2026-01-01", "2030-12-31", "in"),
])
def test_periods(understander, query, start, end, mode) -> None:
    p = understander.understand(f"chỉ tiêu {query}").period
    assert p is not None and (p["start"], p["end"], p["mode"]) == (start, end, mode)


@pytest.mark.parametrize("query, kinds", [
    ("nhiệm vụ chuyển đổi số", ["Task"]), ("chỉ tiêu phủ sóng 5G", ["Target"]),
    ("chi tieu phu song 5G", ["Target"]), ("mục tiêu đến năm 2045", ["Target"]),
    ("các kế hoạch của phường Bình Phước", ["Document"]), ("chương trình của Tỉnh ủy", ["Document"]),
    ("xây dựng kế hoạch phát triển hạ tầng số", []),  # "kế hoạch" inside the topic stays text
])
def test_result_types(understander, query, kinds) -> None:
    assert understander.understand(query).types == kinds


def test_topic_words_remain(understander) -> None:
    it = understander.understand("chỉ tiêu phủ sóng 5G")
    assert it.remaining == "phủ sóng 5G"
    assert understander.understand("ứng dụng trí tuệ nhân tạo").remaining == "ứng dụng trí tuệ nhân tạo"


@pytest.mark.parametrize("query", ["Kế hoạch 57/KH-UBND", "ke hoach 57/kh-ubnd", "57/KH-UBND"])
def test_document_reference_by_symbol(understander, query) -> None:
    docs = [d["iri"] for d in understander.understand(query).documents]
    assert docs[0] == BASE + "eli/binh-phuoc/ubnd/kh/2025/57"  # the ingested plan before the 2023 namesake
    assert BASE + "eli/binh-phuoc/ubnd/kh/2023/57" in docs


def test_document_reference_by_kind_and_number(understander) -> None:
    it = understander.understand("Nghị quyết 57")
    assert [d["iri"] for d in it.documents] == [BASE + "eli/vn/tw/nq/2024/57"]
    assert it.period is None and it.remaining == ""
    dated = understander.understand("Kế hoạch 57/KH-UBND ngày 24/02/2023")
    assert [d["iri"] for d in dated.documents] == [BASE + "eli/binh-phuoc/ubnd/kh/2023/57"]
    assert dated.period is None


def test_localities(understander) -> None:
    ward = {x["iri"] for x in understander.understand("kế hoạch của phường Bình Phước").localities}
    assert BASE + "locality/phuong-binh-phuoc" in ward and BASE + "locality/binh-phuoc" not in ward
    prov = {x["iri"] for x in understander.understand("Sở Y tế tỉnh Bình Phước").localities}
    assert BASE + "locality/binh-phuoc" in prov and BASE + "locality/phuong-binh-phuoc" not in prov


def test_contract_shape(understander) -> None:
    d = understander.understand("nhiệm vụ của Sở Y tế năm 2025").to_dict()
    assert set(d) >= {"types", "agencies", "period", "documents", "localities", "remaining"}
    assert all(set(a) >= {"iri", "name", "matched", "relation"} for a in d["agencies"])
    assert d["agencies"][0]["matched"] == "Sở Y tế"
