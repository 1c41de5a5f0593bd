"""Rules of the section alignment that need no store: rows that are the plan's own
administration serve no item, and an agency's name is not a pillar (ingest/build/pillars.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.build.pillars import assign_pillars, topic_words
from plankg.ingest.build.section_alignment import serves_no_item
from plankg.ingest.extract import extract
from plankg.ingest.readers import read_source
from tests.conftest import seed_path

REPO = Path(__file__).resolve().parents[1]
NGHE_AN = REPO / "tests" / "data" / "corpus" / "ceb89a53c7b93f00.md"  # 987/KH-UBND (5G/IoT in industrial zones)


def test_the_plans_own_administration_serves_no_item() -> None:
    # seed 000 (57/KH-UBND, outside the section gold), Tổ chức thực hiện 5.
    assert serves_no_item("Sở Tài chính chủ trì, phối hợp với các cơ quan, đơn vị liên quan tham mưu cấp có thẩm "
                          "quyền bố trí kinh phí thực hiện Kế hoạch tiết kiệm, hiệu quả, không thấp hơn số kinh phí "
                          "Trung ương giao cho địa phương.")
    # 144/KH-UBND: a pointer to the appendix, whose rows are tasks of their own
    assert serves_no_item("Triển khai nhiệm vụ được giao chủ trì tại Phụ lục của Kế hoạch; Phối hợp với các đơn vị")
    assert serves_no_item("Định kỳ tổng hợp báo cáo kết quả, đề xuất giải pháp điều chỉnh, bổ sung")
    # the plan itself as the object (phrases read on 310/KH-UBND and 617/KH-UBND; here 179/KH-UBND
    # of Đồng Nai and 987/KH-UBND of Nghệ An, which they were not read on)
    assert serves_no_item("Hàng năm thực hiện điều tra, khảo sát, thu thập, công bố kết quả thống kê, đo lường các "
                          "chỉ tiêu kinh tế số và các mục tiêu cơ bản về kinh tế số và xã hội số đặt ra tại Kế hoạch này")
    assert serves_no_item("Phối hợp Sở Khoa học và Công nghệ và các đơn vị liên quan tiếp nhận và giải quyết các "
                          "khó khăn, vướng mắc trong quá trình triển khai Kế hoạch này.")
    # … but not work on the plan's subject that names the plan
    assert not serves_no_item("Định hướng các cơ quan truyền thông trên địa bàn tỉnh đẩy mạnh công tác tuyên truyền "
                              "về nội dung Kế hoạch này.")
    assert not serves_no_item("Triển khai các cơ chế, chính sách ưu đãi về thuế, phí (nếu có) để thu hút các nguồn "
                              "vốn đầu tư để triển khai thực hiện Kế hoạch này.")
    # work that serves an item, even when a later clause reports on it
    assert not serves_no_item("Đẩy mạnh số hóa hoạt động quản lý, cung cấp dịch vụ công trực tuyến, thanh toán "
                              "không dùng tiền mặt và tiếp nhận phản ánh kiến nghị trên môi trường mạng")
    assert not serves_no_item("Phát triển hạ tầng viễn thông 5G tại các khu công nghiệp; định kỳ báo cáo kết quả "
                              "về Sở Khoa học và Công nghệ.")


@pytest.mark.slow
def test_an_agency_name_is_not_a_pillar() -> None:
    assert topic_words("Sở Khoa học và Công nghệ").strip() == ""
    assert topic_words("Ban Quản lý Khu kinh tế Đông Nam") == ""
    assert topic_words("Doanh nghiệp số") == "Doanh nghiệp số"  # a topic that begins with an agency word
    ex = extract(read_source(str(NGHE_AN)))
    pillars = assign_pillars(ex.sections)
    heading = {s.path: s.heading for s in ex.sections}
    agencies = [p for p, h in heading.items() if h in ("Sở Khoa học và Công nghệ", "Ban Quản lý Khu kinh tế Đông Nam")]
    assert len(agencies) == 2 and not any(p in pillars for p in agencies)


@pytest.mark.slow
def test_task_groups_keep_their_pillars() -> None:
    """Seed 000 prints its task groups under 57-NQ/TW's titles: each still names its pillar."""
    ex = extract(read_source(str(seed_path("000"))))
    pillars = assign_pillars(ex.sections)
    named = {pillars[s.path].rsplit("-", 1)[1] for s in ex.sections if s.path in pillars and "nq57" in pillars[s.path]}
    assert len(named) >= 6


def test_the_embedders_cosine_is_normalised_per_document() -> None:
    """``embed_doc`` divides a document's centred cosines by their spread over its own tasks:
    the same whatever else is aligned with it (so the incremental upkeep, which re-links whole
    documents, stays exact), and a document whose cosines lie close together (a sector scheme)
    gets the same spread as one whose cosines lie apart."""
    import numpy as np

    from plankg.ingest.build.alignment import TaskText
    from plankg.ingest.build.section_alignment import _per_document

    rng = np.random.default_rng(0)
    rows = [TaskText(f"t{i}", "a" if i < 4 else "b", "", None, None) for i in range(7)]
    a = rng.normal(size=(7, 5))
    a[4:] *= 0.1  # document b: cosines close together
    own = 6  # the last row stands in for a task of b (a part it points to): scaled, not counted
    out = _per_document(a, rows, own)
    assert np.isclose(out[:4].std(), 1.0) and np.isclose(out[4:6].std(), 1.0)
    assert np.allclose(out[6], a[6] / a[4:6].std())
    alone = _per_document(a[4:], rows[4:], 2)  # document b aligned on its own
    assert np.allclose(alone, out[4:])
