"""Task recall and precision classes of round 3 (issue #10; branch h10t).

Each rule was written while reading one document of round 3 (retired to development data) and
is tested here on documents or renditions it was not written on; each document is extracted
once per module.
"""

from __future__ import annotations

import json
from pathlib import Path

from plankg.ingest.model import Extraction, TaskRecord
from tests.conftest import extract_corpus as extracted

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
GOLD = ROOT / "tests" / "gold" / "corpus"




def required_starts(stem: str) -> list[str]:
    gold = json.loads((GOLD / f"{stem}.json").read_text("utf-8"))
    return [t["text_start"][:40] for t in gold["tasks"] if not t.get("optional")]


def test_catalogue_table_heads_no_task_table() -> None:
    """A catalogue of administrative procedures ("Số TT | Tên TTHC | … | Căn cứ pháp lý"): its
    header names no task table, and the first entry under it ("01 | Thủ tục … | Trong thời hạn
    … | Cơ quan thực hiện: …") is not taken for one. Written on 71153021e3559f5e; tested on
    f411a708bcdcfda7 and 27cbc6425a10478c (same family, other provinces' catalogues)."""
    for stem in ("f411a708bcdcfda7", "27cbc6425a10478c"):
        ex = extracted(stem)
        assert all(t.path.startswith("Điều") for t in ex.tasks), [t.path for t in ex.tasks]
        texts = [t.text for t in ex.tasks]
        for start in required_starts(stem):
            assert any(x.startswith(start) for x in texts), start


def _by_path(ex: Extraction, prefix: str) -> dict[str, TaskRecord]:
    return {t.path: t for t in ex.tasks if t.path.startswith(prefix)}


def test_agency_labelled_items_are_tasks_of_their_labels() -> None:
    """Lettered items labelled with their agency ("a) Công an tỉnh: Tổng hợp …") under a clause
    that has its own subject: the clause's sentence is one task, each item another, led by its
    label. Written on the Markdown of 45fb7c4784bcce3a; tested on its DOCX rendition."""
    tasks = _by_path(extracted("45fb7c4784bcce3a", "docx"), "Điều10.2")
    assert tasks["Điều10.2"].lead == ["Các cơ quan, đơn vị, địa phương"]
    assert tasks["Điều10.2"].text.startswith("Các cơ quan, đơn vị, địa phương có trách nhiệm theo dõi")
    assert tasks["Điều10.2.a"].lead == ["Công an tỉnh"]
    assert tasks["Điều10.2.d"].lead == ["Thuế tỉnh", "Bảo hiểm xã hội tỉnh"]
    assert len(tasks) == 7


def test_label_on_a_line_of_its_own_heads_its_paragraphs() -> None:
    """"a) Sở Tài chính:" alone, then two paragraphs: two tasks of Sở Tài chính whose texts are
    the paragraphs; a clause that only leads in ("1. Phân công nhiệm vụ …:") is none. Written
    on the Markdown of 8b9a38d6a8f8c20f; tested on its PDF rendition."""
    tasks = _by_path(extracted("8b9a38d6a8f8c20f", "pdf"), "Điều8.1")
    first = [t for p, t in tasks.items() if p.startswith("Điều8.1.a")]
    assert [t.lead for t in first] == [["Sở Tài chính"], ["Sở Tài chính"]]
    assert all(t.text.startswith("Chủ trì tổng hợp") for t in first)
    assert "Điều8.1" not in tasks
    assert tasks["Điều8.1.i"].lead == ["Ủy ban nhân dân các xã, phường"]


def test_labelled_clauses_and_what_is_no_label() -> None:
    """Numbered clauses labelled with their agencies ("1. Sở Dân tộc và Tôn giáo, UBND cấp xã:
    Tiếp nhận …"), in the DOCX of 1a3950726cd8511f (written on its Markdown); a topic or a
    condition before a colon is no label."""
    from plankg.ingest.extract.articles import _label

    tasks = _by_path(extracted("1a3950726cd8511f", "docx"), "Điều7")
    assert tasks["Điều7.1"].lead == ["Sở Dân tộc và Tôn giáo", "UBND cấp xã"]
    assert tasks["Điều7.2"].lead == ["Các cơ quan, đơn vị liên quan"]
    assert _label("Tần suất thực hiện báo cáo: Thực hiện theo quy định tại điểm a khoản 2") == []
    assert _label("Đối với khen thưởng tổng kết năm: Các cơ quan, đơn vị gửi hồ sơ") == []


def test_duty_heading_without_cua() -> None:
    """"Điều 6. Trách nhiệm Văn phòng UBND tỉnh", "Điều 14. Trách nhiệm các phòng, ban, đơn vị
    thuộc UBND cấp xã" (no "của"): the article's clauses are that body's duties, as under
    "Trách nhiệm của …". Written on the Markdown of be5392d4f50c27a6; tested on its DOCX; a
    heading that names no body ("Trách nhiệm thi hành", "Trách nhiệm tổ chức thực hiện") has
    no owner."""
    from plankg.ingest.extract.articles import _duty_owner

    ex = extracted("be5392d4f50c27a6", "docx")
    six = _by_path(ex, "Điều6.")
    assert len(six) >= 5 and all(t.lead == ["Văn phòng UBND tỉnh"] for t in six.values())
    fourteen = _by_path(ex, "Điều14.")
    assert len(fourteen) >= 6
    assert all(t.lead == ["các phòng, ban, đơn vị thuộc UBND cấp xã"] for t in fourteen.values())
    assert _duty_owner("Trách nhiệm thi hành") is None
    assert _duty_owner("Trách nhiệm tổ chức thực hiện") is None


def test_licensing_articles_and_compositions_are_no_tasks() -> None:
    """Articles that grant a licensing or approval competence ("Điều 4. Cấp phép xây dựng" /
    "2. UBND cấp xã cấp giấy phép xây dựng …", "Điều 12. Chấp thuận phương án …") and a clause
    listing a council's members ("2. Thành phần Hội đồng … gồm:" / "a) Chủ tịch Hội đồng là …")
    give no task; the duty articles beside them still do. Written on the Markdown of
    8d9779edcdd6c422 and 45fb7c4784bcce3a; tested on their DOCX renditions."""
    permits = extracted("8d9779edcdd6c422", "docx")
    paths = {t.path.split(".")[0] for t in permits.tasks}
    assert not paths & {"Điều4", "Điều11", "Điều12", "Điều14"}, sorted(paths)
    assert {"Điều6", "Điều9", "Điều15", "Điều16"} <= paths, sorted(paths)
    council = extracted("45fb7c4784bcce3a", "docx")
    assert not [t.path for t in council.tasks if t.path.startswith(("Điều8.2", "Điều9.2"))]
    assert any(t.path.startswith("Điều10.3") for t in council.tasks)


def test_lead_in_over_objects_is_one_task() -> None:
    """A lead-in that ends by introducing objects ("Sở Tài chính chịu trách nhiệm cập nhật …
    vào Cơ sở dữ liệu về giá … đối với:" / "a) Báo cáo giá thị trường …"): the clause with its
    list is one task of its subject, its items none. Written on the Markdown of
    8b9a38d6a8f8c20f and 38acb0a43418a36c; tested on their PDF/DOCX renditions."""
    prices = _by_path(extracted("8b9a38d6a8f8c20f", "pdf"), "Điều10.")
    assert sorted(prices) == ["Điều10.1", "Điều10.2"]
    assert prices["Điều10.1"].lead == ["Sở Tài chính"]
    assert prices["Điều10.1"].text.startswith("Sở Tài chính chịu trách nhiệm cập nhật")
    funds = _by_path(extracted("38acb0a43418a36c", "docx"), "Điều4.")
    assert "Điều4.2" in funds and not [p for p in funds if p.startswith("Điều4.2.")]


def test_powers_are_no_tasks() -> None:
    """A lead-in granting powers ("2. Ủy ban nhân dân Thành phố có thẩm quyền sau đây:" / "a)
    Tổ chức lập, thẩm định, quyết định đầu tư …") and a sentence granting one ("Ủy ban nhân dân
    Thành phố được quyết định lựa chọn …") give no task. Written on the Markdown of
    38acb0a43418a36c; tested on its PDF rendition."""
    ex = extracted("38acb0a43418a36c", "pdf")
    assert not [t.path for t in ex.tasks if t.path.startswith(("Điều5.2", "Điều7.1"))]
    assert any(t.text.startswith("Hội đồng nhân dân Thành phố có trách nhiệm cân đối") for t in ex.tasks)


def test_powers_and_duties_lead_in_lists_work() -> None:
    """"1. Ủy ban nhân dân Thành phố có quyền hạn và trách nhiệm:" names duties too: its items
    stay tasks (06c6f91f5c3b4c21 16.1, a document the powers rule was not written on; DOCX)."""
    tasks = _by_path(extracted("06c6f91f5c3b4c21", "docx"), "Điều16.1.")
    assert len(tasks) >= 4


def test_subjects_across_a_semicolon_and_a_sentence_item() -> None:
    """"3. Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;" / "Ủy ban nhân dân các tỉnh, …
    khẩn trương …": one item, one subject list (it was cut at the ";" into a heading and a
    task); "4. Giao Bộ Tài chính - Cơ quan Thường trực … đôn đốc … Công điện này./." is a
    sentence, no agency heading (it was dropped). Written on the Markdown of fa0dcc139cec05de;
    tested on its DOCX rendition."""
    from plankg.ingest.extract.paragraphs import subjects_run_on

    tasks = {t.path: t for t in extracted("fa0dcc139cec05de", "docx").tasks}
    assert "3" in tasks and "3.i1" not in tasks
    assert tasks["3"].text.startswith("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;")
    assert "4" in tasks and tasks["4"].text.startswith("Giao Bộ Tài chính")
    assert not subjects_run_on("a) Sở Y tế;", "Tổ chức triển khai …")


def test_duty_title_listing_bodies_after_a_colon() -> None:
    """"2. Trách nhiệm của các Sở:" / "Xây dựng, Tài chính, Nội vụ." over "a) …": the items are
    the three Sở's, an item naming its own subject keeps it. Written on the Markdown of
    8d9779edcdd6c422; tested on its DOCX rendition."""
    tasks = _by_path(extracted("8d9779edcdd6c422", "docx"), "Điều15.2.")
    assert len(tasks) == 4
    assert tasks["Điều15.2.a"].lead == ["Sở Xây dựng", "Sở Tài chính", "Sở Nội vụ"]
    assert tasks["Điều15.2.d"].lead == ["Sở Nội vụ"]


def test_time_limit_opener_and_report_contents() -> None:
    """"1. Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp …, các sở, ban, ngành có Báo cáo
    …. Báo cáo bao gồm các nội dung sau:" / "a) Số lượng kiến nghị …": a time limit before
    the subject, a report as the act, and a list of the report's contents: one task of the
    subject. Written on the Markdown of be5392d4f50c27a6; tested on its DOCX rendition."""
    tasks = _by_path(extracted("be5392d4f50c27a6", "docx"), "Điều15")
    assert sorted(tasks) == ["Điều15.1", "Điều15.2", "Điều15.3"]
    assert tasks["Điều15.1"].lead == ["các sở, ban, ngành"]
    assert tasks["Điều15.3"].lead == ["Văn phòng UBND tỉnh"]


def test_head_of_a_body_is_no_private_party() -> None:
    """A lead "Người đứng đầu cơ quan, tổ chức" (the head of every body, a collective role in
    the round-4 gold) is not dropped as a person's duty: folded, "người đứng" reads like the
    private "người dùng" (``private_duty``). Checked on a task of the DOCX of 056a116c77fe4047
    (a regulation, not a plan) with its lead replaced; "Người dùng" is still dropped."""
    from dataclasses import replace

    from plankg.ingest.extract.task_checks import drop_non_tasks

    ex = extracted("056a116c77fe4047", "docx")
    task = ex.tasks[0]
    head = replace(task, lead=["Người đứng đầu cơ quan, tổ chức"])
    user = replace(task, lead=["Người dùng"])
    kept = drop_non_tasks([head, user], ex.source, ex.document, ex.sections, [])
    assert kept == [head]


def test_items_naming_their_subject_under_a_case() -> None:
    """"2. Đối với nhà chung cư … không xác định rõ chủ sở hữu:" / "a) Ủy ban nhân dân cấp xã
    hướng dẫn …": a lead-in that frames a case names nobody; items that name their subject are
    its tasks. Written on the Markdown of edc6fac0e3b32fd3; tested on its DOCX rendition (and
    the frame test on phrases)."""
    from plankg.ingest.extract.articles import _frames

    tasks = _by_path(extracted("edc6fac0e3b32fd3", "docx"), "Điều5.2.")
    assert [t.lead for t in tasks.values()] == [["Ủy ban nhân dân cấp xã"], ["Ủy ban nhân dân cấp xã"]]
    assert _frames("Kể từ ngày Quy định này có hiệu lực thi hành:")
    assert not _frames("Phân công nhiệm vụ tổng hợp, phân tích, dự báo giá thị trường:")


def test_items_of_the_first_clause_stay_in_their_clause() -> None:
    """"Điều 3. Bình ổn giá" / "1. Sở quản lý ngành, lĩnh vực có trách nhiệm chủ trì …, cụ thể
    như sau:" / "a) Sở Nông nghiệp và Môi trường chủ trì đối với …" / "2. Ủy ban nhân dân cấp
    xã …": clause 1 was read as a sentence of the title (its "1." a full stop), so the article's
    other clauses were lost; an item naming its own subject is led by it. Written on the
    Markdown of 8b9a38d6a8f8c20f; tested on its PDF rendition."""
    tasks = _by_path(extracted("8b9a38d6a8f8c20f", "pdf"), "Điều3.")
    assert tasks["Điều3.1.a"].lead == ["Sở Nông nghiệp và Môi trường"]
    assert tasks["Điều3.2"].lead == ["Ủy ban nhân dân cấp xã"]


def test_items_under_a_topic_title_that_assign() -> None:
    """"2. Về tài khoản người dùng" / "a) Tài khoản người dùng … sẽ được chuyển đổi …. Sở Khoa
    học và Công nghệ phối hợp với …" / "b) Thủ trưởng các cơ quan, đơn vị có trách nhiệm …":
    under a topic title, an item with an assigning sentence is its subject's task. Written on
    the Markdown of 639c24e1a9c3f20c; tested on the DOCX of 3928ef06a8929828, never read."""
    tasks = _by_path(extracted("3928ef06a8929828", "docx"), "Điều25.2.")
    assert [t.lead for t in tasks.values()] == [["Sở Khoa học và Công nghệ"], ["Thủ trưởng các cơ quan, đơn vị"]]


def test_procedure_articles_are_no_tasks() -> None:
    """"Điều 5. Quy trình xét khen thưởng" (written on the Markdown of 45fb7c4784bcce3a) and
    "Điều 11. Quy trình xử lý hệ thống thư điện tử công vụ tỉnh" (fd4c4d6ec377c4d2, not read
    while writing): a published procedure's steps are no tasks (CONVENTIONS §1); DOCX."""
    assert not _by_path(extracted("45fb7c4784bcce3a", "docx"), "Điều5.")
    assert not _by_path(extracted("fd4c4d6ec377c4d2", "docx"), "Điều11.")
    assert _by_path(extracted("fd4c4d6ec377c4d2", "docx"), "Điều12.")


def test_list_of_cases_is_no_task() -> None:
    """"3. Các trường hợp hộp thư điện tử công vụ bị tạm khóa:" / "a) Không phát sinh đăng nhập
    …": the items are cases, not tasks; the article's duty clause beside it stays. Written on
    the Markdown of fd4c4d6ec377c4d2; tested on its DOCX rendition."""
    tasks = _by_path(extracted("fd4c4d6ec377c4d2", "docx"), "Điều9.")
    assert not [p for p in tasks if p.startswith("Điều9.3")]
    assert "Điều9.2" in tasks
