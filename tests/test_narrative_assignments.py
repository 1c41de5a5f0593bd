"""Narrative assignments (ingest/extract/assignments.py + narrative.py) on real documents.

Each rule is checked on a document other than the one it was written on: labelled fields
(written on the dev plans 09daab…/8e9a…) on 2f6f80b9918e52de; agency subjects and the
"Tổ chức thực hiện" rule (written on 09daab…/8e9a…) on seeds 002 and 004, whose section
III is hand-checked gold; agency headings (written on 8718…/2edf…) on 69db23c781b2e9aa
and seed 003; cooperating lists (written on 62f2…/001c…) on seed 000 and 69db….
Expected values are read from the documents (or the seeds' hand-written gold), not from
the extractor.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plankg.ingest.extract.assignments import agency_heading, agency_label, cooperating, read_field, subject
from plankg.ingest.extract.narrative import extract_narrative_tasks
from plankg.ingest.extract.structure import extract_sections, text_offset
from plankg.ingest.model import TaskRecord
from plankg.ingest.readers import read_source
from tests.conftest import seed_path

REPO = Path(__file__).resolve().parents[1]
CORPUS = {"md": REPO / "tests" / "data" / "corpus", "docx": REPO / "tests" / "data" / "corpus_docx"}


def _tasks(path: Path) -> list[TaskRecord]:
    src = read_source(path, on_warning=lambda _m: None)
    return extract_narrative_tasks(src, extract_sections(src))


def _corpus(stem: str, fmt: str) -> list[TaskRecord]:
    return _tasks(CORPUS[fmt] / f"{stem}.{fmt}")


# -- labelled fields -------------------------------------------------------------------

def test_read_field_labels_and_non_labels() -> None:
    # 2f6f80b9918e52de, "2. Tổ chức tập huấn …"
    f = read_field("- Cơ quan chủ trì: Sở Nội vụ, Sở Giáo dục và Đào tạo, Sở Tài chính.")
    assert f is not None and f.kind == "lead" and f.value == "Sở Nội vụ, Sở Giáo dục và Đào tạo, Sở Tài chính"
    f = read_field("- Thời gian thực hiện: Năm 2025 và các năm tiếp theo.")
    assert f is not None and f.kind == "deadline" and f.value == "Năm 2025 và các năm tiếp theo"
    f = read_field("- Nội dung thực hiện: Tổ chức tập huấn, bồi dưỡng")
    assert f is not None and f.kind == "task" and f.value.startswith("Tổ chức tập huấn")
    # seed 003 IV.6: a sentence that begins with "Phối hợp với" is a task, not a field
    assert read_field("Phối hợp với Sở Thông tin và Truyền thông nghiên cứu sử dụng kết quả đánh giá") is None
    # seed 004: a colon later in a sentence is no label
    assert read_field("Đảng ủy Ủy ban nhân dân tỉnh lãnh đạo, chỉ đạo Ủy ban nhân dân tỉnh: Xây dựng kế hoạch") is None


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_field_lines_fill_the_task_above_and_are_no_tasks(fmt: str) -> None:
    tasks = _corpus("2f6f80b9918e52de", fmt)
    assert not any(t.text.startswith(("Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Nội dung thực hiện"))
                   for t in tasks)
    training = next(t for t in tasks if t.text.startswith("Tổ chức tập huấn, bồi dưỡng, hướng dẫn chuyên môn"))
    assert training.lead == ["Sở Nội vụ", "Sở Giáo dục và Đào tạo", "Sở Tài chính"]
    assert "Bảo hiểm xã hội Thành phố" in training.cooperating
    assert training.deadline is not None and training.deadline.text == "Năm 2025 và các năm tiếp theo"
    # "- Cơ quan thực hiện: Sở Nội vụ chủ trì tham mưu …": the lead is the agency, not the sentence
    law = next(t for t in tasks if t.text.startswith("Tổ chức phổ biến, giáo dục Luật Việc làm"))
    assert law.lead == ["Sở Nội vụ"]
    # provenance: the span covers the task's own words, not its field lines
    src = read_source(CORPUS[fmt] / f"2f6f80b9918e52de.{fmt}", on_warning=lambda _m: None)
    quoted = src.text[text_offset(src, training.span.start):text_offset(src, training.span.end)]
    assert "Tổ chức tập" in quoted and "Cơ quan chủ trì" not in quoted


# -- agencies that are the subject of the sentence --------------------------------------

def test_subject_of_assigning_sentences() -> None:
    # seed 002 IV, seed 004 III, 2f6f… IV
    assert subject("Phòng Văn hóa - Xã hội chủ trì, phối hợp với các cơ quan, đơn vị theo dõi")[0] == "Phòng Văn hóa - Xã hội"  # type: ignore[index]
    assert subject("Ủy ban Kiểm tra Tỉnh ủy theo dõi, kiểm tra, giám sát việc triển khai")[0] == "Ủy ban Kiểm tra Tỉnh ủy"  # type: ignore[index]
    got = subject("Thủ trưởng các sở, ban, ngành và Ủy ban nhân dân phường, xã, đặc khu chịu trách nhiệm triển khai")
    assert got is not None and got[0] == "Thủ trưởng các sở, ban, ngành và Ủy ban nhân dân phường, xã, đặc khu"
    # an action, not an agency ("Tổ chức …", seed 004 II.1.4); a verb inside a name ("Sở Xây dựng")
    assert subject("Tổ chức triển khai sâu rộng, đạt hiệu quả cao phong trào") is None
    assert subject("Giao Sở Xây dựng chủ trì, phối hợp với các địa phương")[0] == "Sở Xây dựng"  # type: ignore[index]


def test_seed004_arrangements_have_their_printed_leads() -> None:
    """Seed 004 III "TỔ CHỨC THỰC HIỆN": each numbered sentence names who does it (gold: optional_tasks)."""
    gold = json.loads((REPO / "tests" / "gold" / "seed004.json").read_text("utf-8"))["optional_tasks"]
    mine = {t.path: t for t in _tasks(seed_path("004"))}
    for g in gold:
        t = mine[g["path"]]
        assert t.text.startswith(g["text_start"][:40]), g["path"]
        assert t.lead == g["lead"] and t.cooperating == g["cooperating"], g["path"]
    # its 28 tasks of section II assign nobody and stay without lead
    assert sum(1 for p, t in mine.items() if p.startswith("II.") and not t.lead) == 28


def test_seed002_arrangements_are_assignments_only() -> None:
    mine = {t.path: t for t in _tasks(seed_path("002"))}
    assert mine["IV.2"].lead == ["Phòng Văn hóa - Xã hội"] and mine["IV.2"].cooperating == ["các cơ quan, đơn vị"]
    assert mine["IV.1"].lead == ["Thủ trưởng các cơ quan, đơn vị"]
    assert mine["IV.3"].cooperating == ["Phòng Văn hóa - Xã hội", "các cơ quan, đơn vị liên quan"]
    assert all(t.lead for p, t in mine.items() if p.startswith("IV."))


# -- agency headings and labels ---------------------------------------------------------

def test_agency_headings() -> None:
    assert agency_heading("Các thành viên Ban Chỉ đạo") == "Các thành viên Ban Chỉ đạo"  # seed 003 V.2
    assert agency_heading("Sở Thông tin và Truyền thông (Cơ quan Thường trực Ban Chỉ đạo)") == "Sở Thông tin và Truyền thông"
    assert agency_heading("Sở Giáo dục và Đào tạo") == "Sở Giáo dục và Đào tạo"  # 69db… V.1
    assert agency_heading("Tổ chức triển khai") is None
    assert agency_heading("Công tác tham mưu, chỉ đạo triển khai") is None
    # f1e0981425ec38be "V. CHẾ ĐỘ BÁO CÁO" 1.: the agencies, then what they do
    label = agency_label("Các Sở, ngành, UBND các xã, phường và các cơ quan, đơn vị có liên quan: Căn cứ chức năng, "
                         "nhiệm vụ được giao theo Kế hoạch, tổ chức triển khai thực hiện")
    assert label is not None and label[0].startswith("Các Sở, ngành") and label[1].startswith("Căn cứ chức năng")


def test_items_under_an_agency_heading_in_another_plan() -> None:
    """69db23c781b2e9aa "V. TỔ CHỨC THỰC HIỆN" / "1. Sở Giáo dục và Đào tạo" / "a) Chủ trì, phối hợp với các sở,
    ngành, địa phương xây dựng kế hoạch …"."""
    for fmt in ("md", "docx"):
        t = next(x for x in _corpus("69db23c781b2e9aa", fmt) if x.text.startswith("Chủ trì, phối hợp với các sở"))
        assert t.lead == ["Sở Giáo dục và Đào tạo"], fmt
        assert t.cooperating == ["các sở, ngành, địa phương"], fmt


# -- cooperating lists ------------------------------------------------------------------

def test_cooperating_ends_before_the_verb() -> None:
    # seed 000 IV.4
    text = ("Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Thông tin và Truyền thông, các sở, ban, ngành, "
            "địa phương theo dõi, đôn đốc việc triển khai thực hiện")
    assert cooperating(text) == ["Sở Thông tin và Truyền thông", "các sở, ban, ngành, địa phương"]
    # seed 003 V.2: a list that goes on after ";"
    got = cooperating("Phối hợp các sở, ban, ngành tỉnh; UBND các huyện, thị xã, thành phố triển khai thực hiện")
    assert got == ["các sở, ban, ngành tỉnh", "UBND các huyện, thị xã, thành phố"]
    assert cooperating("Phối hợp trong công tác chỉ đạo, đôn đốc") == []


# -- deadlines a sentence gives ---------------------------------------------------------

def test_recurring_and_day_month_deadlines_in_another_plan() -> None:
    """bffd9da6f0d38031 "TỔ CHỨC THỰC HIỆN" 4.: "Các đơn vị, địa phương tăng cường kiểm tra, …, định kỳ hàng
    năm báo cáo kết quả …" (the rule was written on 2edf…/001c…)."""
    t = next(x for x in _corpus("bffd9da6f0d38031", "docx") if x.text.startswith("Các đơn vị, địa phương tăng cường"))
    assert t.lead == ["Các đơn vị, địa phương"]
    assert t.deadline is not None and t.deadline.text == "định kỳ hàng năm"


def test_partner_headings_scope_their_items() -> None:
    """f1e0981425ec38be V.1: "a) Chủ trì, phối hợp với các sở, ban, ngành, UBND các xã, phường và cơ quan, đơn
    vị có liên quan" above "- …" names partners, not work: its dashes are the tasks and inherit the
    partners; an item that goes on to the work (69db… V.1.a, checked above) stays a task."""
    tasks = _corpus("f1e0981425ec38be", "docx")
    assert not any(t.text.rstrip(" .:") == "Chủ trì, phối hợp với các sở, ban, ngành, UBND các xã, phường và cơ quan, "
                   "đơn vị có liên quan" for t in tasks)
    t = next(x for x in tasks if x.text.startswith("Là cơ quan đầu mối chủ trì tổ chức thực hiện"))
    assert t.lead == ["Sở Công Thương"] and "các sở, ban, ngành" in t.cooperating


def test_action_headings_are_not_agencies() -> None:
    from plankg.ingest.extract.assignments import is_agency_start

    assert not is_agency_start("Bảo đảm an ninh mạng")  # 2edf… III.5, a theme
    assert is_agency_start("Báo và Phát thanh, Truyền hình Cần Thơ")  # 24c7… IV.10, an agency


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_partners_named_inside_an_item_under_an_agency_heading(fmt: str) -> None:
    """"3. Sở Y tế:" / "- Bố trí các đội y tế lưu động phối hợp UBND các xã, phường …": the
    heading leads, the partners named anywhere in the item cooperate (written on
    24c7124ec6b2bf61, checked on 62f25a030c183151 against its hand-written gold)."""
    gold = json.loads((REPO / "tests" / "gold" / "corpus" / "62f25a030c183151.json").read_text(encoding="utf-8"))
    tasks = _corpus("62f25a030c183151", fmt)
    checked = 0
    for g in gold["tasks"]:
        if not g["cooperating"] or g["text_start"].lower().startswith("phối hợp"):
            continue  # items that start with "Phối hợp" were read before this rule
        got = next((t for t in tasks if t.text.startswith(g["text_start"][:40])), None)
        if got is None:
            continue
        assert [c.lower() for c in got.cooperating] == [c.lower() for c in g["cooperating"]], g["path"]
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_programme_components_under_a_task_are_part_of_it(fmt: str) -> None:
    """"c) Tổ chức triển khai … các dự án, tiểu dự án do Bộ Công an chủ trì …:" followed by
    "- Dự án 1: …", "- Tiểu dự án 2 (Dự án 7): …": the projects are what the task covers, not
    tasks (written on 24c7124ec6b2bf61, checked on f069c23c942c1ec6 by reading it)."""
    tasks = _corpus("f069c23c942c1ec6", fmt)
    assert not [t for t in tasks if t.text.startswith(("Dự án", "Tiểu dự án"))]
    parent = next(t for t in tasks if t.text.startswith("Tổ chức triển khai thực hiện các nội dung, nhiệm vụ các dự án"))
    assert "Dự án 1:" in parent.text and "Dự án 9:" in parent.text
    assert parent.span is not None and parent.span.line_end > parent.span.line_start
    # "do Bộ Công an chủ trì" qualifies the projects: the item's lead is its heading's agency
    assert "Bộ Công an" not in " ".join(parent.lead) and parent.lead


def test_relative_clause_do_x_chu_tri_names_no_lead() -> None:
    """"Triển khai các đề án do Sở Tư pháp chủ trì": the clause says who runs the projects,
    not who leads the sentence; "Sở Tư pháp chủ trì, phối hợp …" still leads."""
    from plankg.ingest.extract.narrative import _agencies

    assert _agencies("Triển khai các đề án do Sở Tư pháp chủ trì theo kế hoạch")[0] == []
    assert _agencies("Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ rà soát văn bản") == (["Sở Tư pháp"], ["Sở Nội vụ"])


def test_labelled_field_without_a_task_is_warned() -> None:
    """Never silent: 556b2fb4a0149576 prints "Thời gian thực hiện: …" under a heading with no
    task above it; the extraction says so instead of dropping the line."""
    from plankg.ingest.extract import extract

    src = read_source(CORPUS["md"] / "556b2fb4a0149576.md", on_warning=lambda _m: None)
    warnings = [w for w in extract(src).warnings if "labelled deadline field without a task" in w]
    assert warnings and "Thời gian thực hiện" in warnings[0]
