"""Who leads the items of a plan, read from the item's context (grid.py, narrative.py, assignments.py).

Rules of this round and where each was written and where it is checked here:

- merged sub-rows of an agency-first table (written on 646f0a00d4174382's Phụ lục I in
  Markdown): checked on the same table's DOCX and PDF renderings against values read from
  the document, and on a procedure table (82483d7fa7f7a186, a corpus decision) whose merged
  cells are elsewhere and must not be read that way. No other dev document or seed prints
  this layout (every dev/seed table was scanned).
- items under an item whose own sentence assigns the work ("m) Ủy ban nhân dân các tỉnh …
  chịu trách nhiệm …, cụ thể:" then "- …"; written on 646f…/85ff…): checked on
  556b2fb4a0149576 and seed 003, against their hand-written gold.
- a body section none of whose items names an agency, in a plan that assigns its work by
  agency elsewhere (written on bffd9da6f0d38031): checked on 8718801c503045f9 and seeds 000,
  003 and 004 (seed 004's section II items stay tasks: the plan assigns only in its
  arrangements; seed 003's "III. NHIỆM VỤ" is the issuer's own task list, not solutions).
- passive relative clauses in a subject ("Các cơ quan, đơn vị được giao chủ trì có trách
  nhiệm …") and request headings naming a collective by what it does ("Đề nghị các tổ chức
  cung cấp dịch vụ chi trả"): written on 2f6f…/3a2d…, checked on sentences of 24c7124ec6b2bf61
  and 556b2fb4a0149576.

Expected values come from reading the documents or their gold, not from the extractor.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plankg.folding import fold
from plankg.ingest.extract import extract
from plankg.ingest.extract.assignments import agency_heading, subject
from plankg.ingest.extract.grid import read_grids, read_header
from plankg.ingest.extract.mentions import link_narrative_to_appendix
from plankg.ingest.model import Extraction
from plankg.ingest.readers import read_source
from tests.conftest import REFERENCE_DIR, seed_path
from tests.conftest import extract_corpus as _extract

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
GOLD = ROOT / "tests" / "gold" / "corpus"




def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _find(ex: Extraction, start: str):  # type: ignore[no-untyped-def]
    key = _key(start)
    hits = [t for t in ex.tasks if _key(t.text).startswith(key)]
    assert hits, f"no task starts with {start!r}"
    return hits[0]


def _gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))


# -- merged sub-rows of an agency-first table -------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_merged_subrows_take_the_agencies_of_their_row(fmt: str) -> None:
    ex = _extract("646f0a00d4174382", fmt)
    # Phụ lục I, row A.1: five tasks share "Bộ Nông nghiệp và Môi trường" and its partners;
    # each prints its own result and deadline
    second = _find(ex, "- Rà soát, cập nhật các hướng dẫn kỹ thuật về hệ số phát thải")
    assert second.origin == "appendix"
    assert second.lead == ["Bộ Nông nghiệp và Môi trường"]
    assert {"Bộ Khoa học và Công nghệ", "Bộ Xây dựng", "Bộ Công Thương"} <= set(second.cooperating)
    assert second.deadline is not None and second.deadline.text.startswith("Giai đoạn 2026 - 2027")
    assert second.output is not None and second.output.startswith("- Bộ công cụ kiểm kê khí thải")
    third = _find(ex, "- Xây dựng quy chế phối hợp, biện pháp quản lý chất lượng môi trường không khí")
    assert third.deadline is not None and third.deadline.text.startswith("Ban hành trong năm 2026")
    first = _find(ex, "- Hoàn thiện Nghị định về xử lý vi phạm hành chính")
    assert second.path.startswith(first.path + ".") and second.path != third.path


@pytest.mark.slow
def test_rows_without_a_number_cell_and_lettered_sections() -> None:
    ex = _extract("646f0a00d4174382", "md")
    # section "L." (Ngân hàng Nhà nước Việt Nam) prints no STT: the reader drops that cell
    credit = _find(ex, "Hướng dẫn các tổ chức tín dụng ưu tiên rà soát")
    assert credit.lead == ["Ngân hàng Nhà nước Việt Nam"]
    # "I." after "H." is a section letter, not Roman one
    police = _find(ex, "Chủ trì, chỉ đạo lực lượng công an các cấp")
    assert police.lead == ["Bộ Công an"] and police.section == "PL1.I"
    assert not [w for w in ex.warnings if "không phải số" in w and "Bảng 3" in w]


def test_merged_cells_elsewhere_are_not_read_as_subrows(tmp_path: Path) -> None:
    # 82483d7fa7f7a186 (QĐ 1594/QĐ-TTPVHCC, a procedure; the portal's cell-per-line layout):
    # "Bước 2" and the form column span two sub-rows that print person | work | time; there
    # is no lead column before the work, so the short row is not spread over the last columns
    rows = [
        ["**Tên bước**", "**Đơn vị/người thực hiện**", "**Nội dung công việc**",
         "**Thời hạn giải quyết (ĐVT: Ngày làm việc)**", "**Biểu mẫu/ kết quả**"],
        ["Bước 2", "Trưởng Bộ phận TN&TKQ", "- Chuyển hồ sơ tới Lãnh đạo Sở.", "1/2 ngày",
         "Mẫu Phiếu kiểm soát quá trình giải quyết hồ sơ"],
        ["Lãnh đạo Sở", "- Phân công thụ lý hồ sơ cho phòng Nghiệp vụ.", "1 ngày"],
    ]
    lines = ["QUY TRÌNH NỘI BỘ", ""]
    for r in rows:
        for c in r:
            lines += ["|", c]
        lines.append("|")
    path = tmp_path / "procedure.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = read_source(path, on_warning=lambda _m: None)
    assert source.tables and read_header(source.tables[0]) is not None
    res = read_grids(source)
    assert not any(t.text == "Lãnh đạo Sở" or (t.deadline and "Phân công" in t.deadline.text) for t in res.tasks)


# -- items scoped by an assigning item above them --------------------------------------

def test_bullets_under_an_assigning_item_take_its_subject() -> None:
    ex = _extract("556b2fb4a0149576")
    gold = {t["text_start"][:40]: t for t in _gold("556b2fb4a0149576")["tasks"] if t["path"].startswith("IV.1.")}
    assert len(gold) == 4
    for start, g in gold.items():
        assert _find(ex, start).lead == g["lead"], start


def test_seed003_leads_of_agency_items() -> None:
    ex = extract(read_source(seed_path("003")))
    gold = json.loads((ROOT / "tests" / "gold" / "seed003.json").read_text(encoding="utf-8"))
    for g in gold["tasks"]:
        assert _find(ex, g["text_start"]).lead, g["text_start"][:60]


# -- sections whose items name no agency ------------------------------------------------

def test_unassigned_section_left_out_where_the_plan_assigns_elsewhere() -> None:
    ex = _extract("8718801c503045f9")
    # gold: "Section III NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM bullets name no agency. Those mirrored by
    # a Phụ lục row are not tasks … The other 8 … are optional": those restating a row stay,
    # as mentions of it; the others are left out, with a warning naming the section
    mentions = {n for n, _row in link_narrative_to_appendix(ex.tasks)}
    assert not [t for t in ex.tasks if t.path.startswith("III.") and t.path not in mentions]
    assert any(w.startswith("Mục III:") and "not taken as tasks" in w for w in ex.warnings)
    required = [t for t in _gold("8718801c503045f9")["tasks"] if not t.get("optional")]
    found = {_key(t.text)[:40] for t in ex.tasks}
    assert sum(_key(t["text_start"])[:40] in found for t in required) >= len(required) - 2


def test_issuers_own_task_list_is_kept() -> None:
    # seed 003 "III. NHIỆM VỤ": the steering committee's own tasks, no agency named, while "IV.
    # PHÂN CÔNG NHIỆM VỤ" assigns by agency — a task list, not themed solutions: kept
    ex = extract(read_source(seed_path("003")))
    assert len([t for t in ex.tasks if t.path.startswith("III.")]) == 6


@pytest.mark.slow
def test_plan_assigning_only_in_its_arrangements_keeps_its_items() -> None:
    ex = extract(read_source(seed_path("004")))
    gold = json.loads((ROOT / "tests" / "gold" / "seed004.json").read_text(encoding="utf-8"))
    assert len([t for t in ex.tasks if t.path.startswith("II.")]) == len(
        [t for t in gold["tasks"] if str(t.get("path", "")).startswith("II.")])
    seed000 = extract(read_source(seed_path("000")))
    restated = {n for n, _row in link_narrative_to_appendix(seed000.tasks)}
    assert len(restated) >= 60  # every "III. NHIỆM VỤ, GIẢI PHÁP" bullet stays, as a mention


# -- subjects ------------------------------------------------------------------------------

def test_passive_relative_clause_is_part_of_the_subject() -> None:
    # 001c610b2efdcf0c: "- Các cơ quan, đơn vị được phân công nhiệm vụ có trách nhiệm …"
    got = subject("Các cơ quan, đơn vị được phân công nhiệm vụ có trách nhiệm chủ động triển khai")
    assert got is not None and got[0] == "Các cơ quan, đơn vị được phân công nhiệm vụ"
    # without a duty cue after it, "được giao" still ends the subject
    got = subject("Các cơ quan, đơn vị được giao nhiệm vụ triển khai thực hiện")
    assert got is not None and got[0] == "Các cơ quan, đơn vị"


def test_request_heading_naming_a_collective_by_its_work() -> None:
    assert agency_heading("Đề nghị các doanh nghiệp kinh doanh dịch vụ viễn thông") == (
        "các doanh nghiệp kinh doanh dịch vụ viễn thông")
    # 556b2fb4a0149576 IV.2: a request heading with no relative clause stays as it was
    assert agency_heading("Đề nghị các cấp ủy Đảng, Mặt trận Tổ quốc Việt Nam tỉnh") == (
        "các cấp ủy Đảng, Mặt trận Tổ quốc Việt Nam tỉnh")
    assert agency_heading("Các cơ quan, đơn vị xây dựng kế hoạch") is None


def test_modal_before_the_verb_is_not_part_of_the_name() -> None:
    got = subject("Ủy ban nhân dân thành phố Hà Nội và Ủy ban nhân dân Thành phố Hồ Chí Minh cần tập trung một số "
                  "nhiệm vụ quan trọng như sau:")
    assert got is not None and got[0].endswith("Thành phố Hồ Chí Minh")


# -- PDF tables over page breaks -----------------------------------------------------------

@pytest.mark.slow
def test_pdf_table_goes_on_after_a_page_holding_only_the_rest_of_a_row() -> None:
    # 646f0a00d4174382.pdf: Phụ lục I runs over 24 pages; one page holds only the end of a
    # row's cells. The table must go on after it: both appendices are single tables read by
    # header, with the rows the DOCX copy has
    pdf, docx = _extract("646f0a00d4174382", "pdf"), _extract("646f0a00d4174382", "docx")
    source = read_source(DATA / "corpus_pdf" / "646f0a00d4174382.pdf", on_warning=lambda _m: None)
    headed = [t for t in source.tables if read_header(t) is not None]
    assert len(headed) == 2
    for base in ("PL2.",):
        assert len([t for t in pdf.tasks if t.path.startswith(base)]) == len(
            [t for t in docx.tasks if t.path.startswith(base)])
    assert len([t for t in pdf.tasks if t.path.startswith("PL1.")]) >= len(
        [t for t in docx.tasks if t.path.startswith("PL1.")]) - 4


# -- a proper name running on into the predicate -------------------------------------------

REFERENCE = REFERENCE_DIR


def test_name_ends_before_a_verb_no_cue_lists() -> None:
    path = REFERENCE / "57-NQ-TW.md"
    if not path.exists():
        pytest.skip("57-NQ-TW.md not in ../shared/reference")
    ex = extract(read_source(path, on_warning=lambda _m: None))
    # IV.3: "… phối hợp với Đảng đoàn Quốc hội thể chế hóa đầy đủ các chủ trương …"
    gov = _find(ex, "Ban cán sự đảng Chính phủ lãnh đạo")
    assert gov.lead == ["Ban cán sự đảng Chính phủ"] and gov.cooperating == ["Đảng đoàn Quốc hội"]
    # III.1: "Các cấp ủy, tổ chức đảng, cán bộ, đảng viên cần nhận thức …": a modal ends it
    assert not any(" cần " in name for t in ex.tasks for name in t.lead)


def test_name_keeps_its_lower_case_nouns_in_another_plan() -> None:
    # bffd9da6f0d38031 VI.3 (gold): "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các Đoàn
    # thể tỉnh bằng nhiều hình thức …" → two leads, the name ends before "bằng"
    ex = _extract("bffd9da6f0d38031")
    g = next(t for t in _gold("bffd9da6f0d38031")["tasks"] if t["path"] == "VI.3")
    assert sorted(_find(ex, g["text_start"]).lead) == sorted(g["lead"])
    # a49ef8a0da1f62dd (gold): "Trung tâm Kiểm soát bệnh tật tỉnh" keeps its lower-case nouns
    a49 = _extract("a49ef8a0da1f62dd")
    assert any("Trung tâm Kiểm soát bệnh tật tỉnh" in t.lead for t in a49.tasks)
