"""The body's section tree: printed numbers as paths, OCR-tolerant markers, appendices excluded."""

from __future__ import annotations

from plankg.ingest.extract.structure import extract_sections, fold
from plankg.ingest.model import SectionRecord
from plankg.ingest.readers import read_bytes, read_source
from tests.conftest import seed_path


def _sections(prefix: str) -> dict[str, SectionRecord]:
    return {s.path: s for s in extract_sections(read_source(seed_path(prefix)))}


def _text_sections(s: str) -> dict[str, SectionRecord]:
    return {x.path: x for x in extract_sections(read_bytes(s.encode("utf-8"), "plan.txt"))}


def test_seed000_tree() -> None:
    s = _sections("000")
    assert [p for p in s if "." not in p] == ["I", "II", "III", "IV"]
    assert s["III"].heading == "NHIỆM VỤ CỤ THỂ" and s["III"].number == "III"
    assert s["III.5"].parent == "III" and s["III.5"].heading.startswith("Đẩy mạnh chuyển đổi số")
    assert s["III.5"].heading.endswith("bảo đảm quốc phòng và an ninh")  # a heading wrapped over 4 lines
    o = s["III.5.o"]
    assert (o.number, o.parent, o.span.line_start, o.span.line_end) == ("o)", "III.5", 568, 570)
    assert s["II.1.đ"].heading == "Quy mô kinh tế số đạt tối thiểu 30% GRDP."
    assert "II.1.j" not in s and "II.1.w" in s  # the list skips j and runs to w
    assert s["III.2.a.i2"].number == "-" and s["III.2.a.i2"].parent == "III.2.a"
    assert "III.2.a.i4" not in s
    assert s["II.2"].heading == "Đến năm 2045"  # the paragraph below is body, not heading
    # "- 05%/năm." continues item k), it is not a dash item
    assert not any(p.startswith("II.1.k.") for p in s)
    assert not any(x.appendix for x in s.values())
    assert max(x.span.line_end for x in s.values()) < 708  # stops before "Trên đây là" and Phụ lục


def test_seed001_ocr_has_the_same_tree_as_000() -> None:
    clean, ocr = _sections("000"), _sections("001")
    assert set(ocr) == set(clean)  # "Il.", "I11.", "¢)", "0)", "1)", "K)" and a lost "c" read back
    assert fold(ocr["III"].heading) == "NHIEM VU CU THE"


def test_seed003_dash_items_and_agency_headings() -> None:
    s = _sections("003")
    assert [p for p in s if "." not in p] == ["I", "II", "III", "IV", "V"]
    assert s["IV.15"].heading == "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Bình Phước"
    assert [p for p in s if p.startswith("IV.6.")] == [f"IV.6.i{k}" for k in range(1, 7)]
    assert s["IV.7"].heading == "Sở Tài chính"  # its unbulleted paragraph is body
    assert s["II.2.i4"].span.line_start == 56  # a dash item after a page-break space


def test_seed004_two_level_numbers() -> None:
    s = _sections("004")
    tasks = [p for p in s if p.startswith("II.") and p.count(".") == 2]
    assert len(tasks) == 28 and tasks[0] == "II.1.1" and tasks[-1] == "II.7.2"
    assert s["II.3.3"].number == "3.3" and s["II.3.3"].parent == "II.3"
    assert s["I.2.1"].heading == "Đến năm 2030" and s["I.2.2"].heading == "Tầm nhìn đến năm 2045"
    assert "ƣ" not in s["II.2"].heading


def test_synthetic_letters_notes_and_appendix() -> None:
    s = _text_sections(
        "KẾ HOẠCH\nI. NHIỆM VỤ\n1. Nhóm một\na) Việc a.\nb) Việc b\ntiếp dòng.\nc) Việc c:\n- Ý một;\n- Ý hai.\n"
        "d) Việc d.\nd) Việc đ (OCR mất dấu).\n(Chi tiết tại Phụ lục\nkèm theo).\n2. Nhóm hai\n+ không phải mục đầu\n"
        "II. TỔ CHỨC THỰC HIỆN\n1. Sở X chủ trì.\nPhụ lục I\nI. NỘI DUNG PHỤ LỤC\n")
    assert list(s) == ["I", "I.1", "I.1.a", "I.1.b", "I.1.c", "I.1.c.i1", "I.1.c.i2", "I.1.d", "I.1.đ",
                       "I.2", "I.2.i1", "II", "II.1"]
    assert s["I.1.b"].heading == "Việc b tiếp dòng."
    assert s["I.1.đ"].span.line_end == 11  # the note closes the item


def test_wrapped_appendix_pointer_does_not_end_the_body() -> None:
    s = _text_sections("I. NHIỆM VỤ\n1. Nhóm\na) Việc a, chi tiết tại\nPhụ lục II kèm theo).\nb) Việc b.\n"
                       "II. TỔ CHỨC THỰC HIỆN\n1. Giao Sở X.\nPHỤ LỤC II. DANH MỤC NHIỆM VỤ\n1. Hàng bảng\n")
    assert list(s) == ["I", "I.1", "I.1.a", "I.1.b", "II", "II.1"]


def test_other_marker_styles() -> None:
    s = _text_sections("I- MỤC TIÊU\n1. Chung\na. Việc a.\nb. Việc b.\nII– NHIỆM VỤ\n1. Nhóm\n")
    assert list(s) == ["I", "I.1", "I.1.a", "I.1.b", "II", "II.1"]
    assert s["I.1.b"].number == "b."


def test_body_starts_at_ii_when_no_section_i_is_printed() -> None:
    """a49ef8a0da1f62dd prints "II. MỤC ĐÍCH, YÊU CẦU" as its first heading (no "I."): the
    body starts there; checked on a plan of another shape written for this test (a roman
    "II." in the preamble text is not a heading: it is not upper case)."""
    from pathlib import Path

    from plankg.ingest.extract.structure import body_bounds, text_lines

    corpus = Path(__file__).resolve().parent / "data" / "corpus"
    src = read_source(corpus / "a49ef8a0da1f62dd.md", on_warning=lambda _m: None)
    paths = [s.path for s in extract_sections(src) if not s.appendix]
    assert paths[0] == "II" and "V" in paths and "V.1" in paths
    txt = ("KẾ HOẠCH\nPhòng chống dịch\nTheo mục II. của Kế hoạch năm trước.\nII. NHIỆM VỤ\n"
           "1. Sở Y tế:\n- Giám sát dịch bệnh.\nIII. TỔ CHỨC THỰC HIỆN\nNơi nhận:\n")
    lines = text_lines(read_bytes(txt.encode("utf-8"), "kh.txt", on_warning=lambda _m: None))
    first, last = body_bounds(lines)
    assert lines[first].text == "II. NHIỆM VỤ" and lines[last].text == "Nơi nhận:"
