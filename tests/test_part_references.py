"""References to numbered parts of a document (ingest/extract/part_references.py) and the rows
of a plan that point to parts of their own plan (ingest/build/plan_parts.py, the section
alignment's ``plan-part-reference`` links)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.extract.part_references import part_references

REPO = Path(__file__).resolve().parents[1]
BAC_NINH = REPO / "tests" / "data" / "corpus" / "ad5aff6c13929815.md"  # 144/KH-UBND (Bắc Ninh)
PLAN = ("ke hoach",)


def _paths(text: str, kinds: tuple[str, ...] = PLAN) -> list[tuple[str, ...]]:
    return [r.paths for r in part_references(text) if r.names_own(kinds)]


def test_bracketed_parts_top_down() -> None:
    # 144/KH-UBND (Bắc Ninh), duties of the departments
    assert _paths("Chủ trì triển khai các nhiệm vụ tại mục (IV) (1) của Kế hoạch.") == [("IV.1",)]
    assert _paths("Chủ trì triển khai các nhiệm vụ tại mục (IV) (4.1) (4.2) và Phụ lục của Kế hoạch.") \
        == [("IV.4.1", "IV.4.2")]
    assert _paths("a) Chủ trì triển khai các nhiệm vụ tại mục (IV)(3.4)(a);") == [("IV.3.4.a",)]
    assert _paths("từng địa phương (*trọng tâm các nhiệm vụ tại mục III *). Phối hợp chặt chẽ") == [("III",)]


def test_legal_order_bottom_up_and_dotted_numbers() -> None:
    assert _paths("Thực hiện các nhiệm vụ nêu tại điểm a khoản 2 Mục III.") == [("III.2.a",)]
    assert _paths("Nhiệm vụ tại mục II.1 Kế hoạch") == [("II.1",)]
    # 179/KH-UBND (Đồng Nai, tests/data/corpus/f004d93b21e7fc5f.md), a cell of its appendix
    assert _paths("Các cơ quan quản lý các lĩnh vực trọng điểm tại điểm d, khoản 1, mục III") == [("III.1.d",)]
    # "điểm đ" is its own letter, not "d"
    assert _paths("theo mục tiêu đề ra, tại điểm đ khoản 3 mục II") == [("II.3.đ",)]


def test_lists_share_the_parts_printed_once_at_the_end() -> None:
    # 2597/QĐ-TTg (corpus ec00bd6f58be7864.md): parts of its own Article 1
    refs = part_references("b) Phối hợp với Bộ Xây dựng thực hiện các nhiệm vụ quy định tại các điểm c, g mục 1, "
                           "điểm d mục 3, điểm b mục 6 Phần III Điều 1 Quyết định này.")
    assert [r.paths for r in refs] == [("III.1.c", "III.1.g", "III.3.d", "III.6.b")]
    refs = part_references("thực hiện các nhiệm vụ quy định tại các mục 1, 2, 3, 4, 5, 6; điểm a, b mục 7 Phần III "
                           "Điều 1 Quyết định này;")
    assert refs[0].paths == ("III.1", "III.2", "III.3", "III.4", "III.5", "III.6", "III.7.a", "III.7.b")
    assert refs[0].external  # "Điều 1 …": an article, not a part of a plan's section tree


def test_whose_parts() -> None:
    # 179/KH-UBND is a plan; "mục IV, V của Chương trình" are parts of another document
    refs = part_references("thực hiện các nhiệm vụ phát triển nền móng cho kinh tế số và xã hội số tại mục IV, V "
                           "của Chương trình.")
    assert refs[0].paths == ("IV", "V") and not refs[0].names_own(PLAN) and refs[0].names_own(("chuong trinh",))
    assert _paths("nội dung quy định tại khoản 1 Điều 15 Nghị định 76/2025/NĐ-CP") == []
    assert _paths("căn cứ các nội dung tại mục III. Phát triển nền móng kinh tế số xã hội số") == [("III",)]
    # a list marker after the reference is no part of it (144/KH-UBND, Chi cục Hải quan)
    assert _paths("a) Chủ trì triển khai các nhiệm vụ tại mục (IV)(3.4)(a); b) Chủ động phối hợp") == [("IV.3.4.a",)]
    # a dotted number closed by a bracket (corpus b3a4b2605f9a281f.md, a form of a decision)
    assert _paths("(Dự kiến kế hoạch cai nghiện theo điểm 3.3)* b) Tự nguyện") == [("3.3",)]
    # "ở mức 107" (a level; corpus 31fb08f34535fce3.md) and OCR "tai khoan s" (seed 001: "tài
    # khoản số") fold like a keyword and a value; neither is a reference
    assert part_references("Tỷ số giới tính khi sinh ở mức 107 trẻ sơ sinh trai") == []
    assert part_references("co danh tinh s0, phuong tien s6, ky nang sO va tai khoan s hinh thanh") == []
    # words that begin like a keyword and a value are not parts
    assert part_references("tổ chức tại điểm du lịch, theo mục tiêu đề ra, theo phần mềm dùng chung") == []


# -- in the store ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bac_ninh(tmp_path_factory: pytest.TempPathFactory):
    """57-NQ/TW and 144/KH-UBND (Bắc Ninh) in a fresh home."""
    from tests.test_section_alignment import _home_with_57

    settings, store = _home_with_57(tmp_path_factory, "part-references", BAC_NINH)
    yield settings, store
    store.close()


@pytest.mark.slow
def test_rows_resolve_to_the_parts_of_their_own_plan(bac_ninh) -> None:
    from plankg.ingest.build.plan_parts import plan_parts

    settings, store = bac_ninh
    parts = {task.rsplit("/", 1)[1]: ps for task, ps in plan_parts(store, settings.base_iri).items()}
    # "Sở Nông nghiệp và Môi trường: Chủ trì triển khai các nhiệm vụ tại mục (IV) (1) của Kế hoạch."
    (agriculture,) = parts["vi-3-i1"]
    assert agriculture.path == "IV.1" and agriculture.heading == "Nông nghiệp và Môi trường"
    assert any("nền tảng dữ liệu số nông nghiệp" in text for _, text in agriculture.units)
    assert {h for h, _ in agriculture.units} == {"Nông nghiệp", "Tài nguyên và môi trường"}
    assert [p.path for p in parts["vi-6-i1"]] == ["IV.4.1", "IV.4.2"]


@pytest.mark.slow
def test_a_row_pointing_to_a_part_takes_the_item_of_its_units(bac_ninh) -> None:
    """"Sở Công Thương: Chủ trì triển khai các nhiệm vụ tại mục (IV) (3) của Kế hoạch" (trade,
    industry, logistics: enterprises' digital transformation, III.6 by the hand-read gold)."""
    from plankg.ingest.build import section_alignment as sa
    from plankg.ingest.build.alignment import read_tasks
    from plankg.ingest.build.section_model import load_models

    settings, store = bac_ninh
    every = sa.compute_section_links(store, settings.base_iri, settings)
    links = [link for link in every if link.method == sa.METHOD_PART]
    # the learned scorer (2026-12-07) links the row to III.6 by its own score (0.35, its
    # fourth dash), so the part adds nothing there; the part's vote is checked directly
    trade = [link for link in every if link.task.endswith("/144/task/vi-5-i1")]
    assert trade and all(link.section.rsplit("/", 1)[1].startswith("iii-6") for link in trade)
    bac_ninh_doc = trade[0].task.rsplit("/task/", 1)[0]
    tasks = read_tasks(store, settings.base_iri)[bac_ninh_doc]
    items = sa.read_items(store, settings.base_iri, settings.base_iri + "eli/vn/tw/nq/2024/57")
    heads = sa.task_headings(store, settings.base_iri)
    parts = sa._part_tasks([t for t in tasks if t.iri == trade[0].task], heads.parts)
    _, ranked, _ = sa.rank_items(tasks, items, headings=heads, similarity=sa.embedder_similarity(settings),
                                 extra=[(t, h) for t, _, h in parts])
    model = load_models()["embedding"]
    (vote,) = sa._part_links(sa.Scorer(items), parts, ranked[len(tasks):], model.threshold, model.margin)[trade[0].task]
    # its score is the share of the part's units that rank the item first (more than half)
    assert vote.section.rsplit("/", 1)[1] == "iii-6"
    assert vote.evidence.startswith("IV.3 (") and 0.5 < vote.score <= 1.0
    assert links and all(0.5 < link.score <= 1.0 and " (" in link.evidence for link in links)
    # "mục III" (the whole of the plan's tasks) is split between items: no link from it
    assert not [link for link in links if link.evidence.startswith("III (")]
