"""Every input format, one reading: real corpus documents (tests/data/corpus*) through the readers.

Expected shapes were counted by reading the .md files (row by row: the header, the
Roman-numbered section rows, the numbered task rows, and rows without a number whose
number cell is merged with the row above), never taken from the readers' output. The
DOCX, PDF, XLSX and TAB-separated copies were made from the same Markdown by
tests/data/make_formats.py, so they must give the same tables.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plankg.ingest.errors import IngestError
from plankg.ingest.readers import read_bytes, read_source
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEV = json.loads((Path(__file__).resolve().parent / "gold" / "corpus" / "split.json").read_text("utf-8"))["dev"]

# stem -> (header row as printed, data rows counted in the .md: section rows + numbered rows + unnumbered rows)
TASK_TABLES = {
    "001c610b2efdcf0c": (
        ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian dự kiến hoàn thành",
         "Kết quả dự kiến", "Nguồn kinh phí"],
        6 + (4 + 3 + 6 + 4 + 3 + 5) + 3),  # sections I–VI; tasks; 3 rows under a merged TT cell
    "8718801c503045f9": (
        ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
        4 + 11),  # sections I–IV; tasks 1–11 numbered through
    "ec00bd6f58be7864": (
        ["STT", "Tên nhiệm vụ/dự án", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả dự kiến",
         "Thời gian triển khai"],
        7 + (5 + 4 + 6 + 3 + 1 + 3 + 3)),  # sections I–VII; tasks
}
FOLDERS = {"md": "corpus", "docx": "corpus_docx", "pdf": "corpus_pdf"}


def _task_table(tables: list[list[list[str]]], header: list[str]) -> list[list[str]]:
    found = [t for t in tables if t and t[0] == header]
    assert len(found) == 1, [t[0] for t in tables]
    return found[0]


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
@pytest.mark.parametrize("stem", sorted(TASK_TABLES))
def test_task_table_found_with_header_and_rows(stem: str, fmt: str) -> None:
    header, data_rows = TASK_TABLES[stem]
    s = read_source(DATA / FOLDERS[fmt] / f"{stem}.{fmt}", on_warning=lambda m: None)
    table = _task_table(s.tables, header)
    assert len(table) - 1 == data_rows
    # every row can be cited: its line holds its cells, TAB-joined (as the normaliser left them)
    k = s.tables.index(table)
    lines = s.text.split("\n")
    for r, row in enumerate(table):
        assert lines[s.table_lines[k][r]].lstrip("\f") == "\t".join(row)
        span = s.row_span(k, r)
        assert span is not None and span.line_start == s.table_lines[k][r] + 1


@pytest.mark.parametrize("stem", sorted(Path(s).stem for s in DEV))
def test_markdown_rendering_keeps_every_line(stem: str) -> None:
    path = DATA / "corpus" / f"{stem}.md"
    s = read_source(path, on_warning=lambda m: None)
    assert s.text.count("\n") == path.read_text("utf-8").count("\n")
    assert "\n|\n" not in s.text and "**" not in s.text


def test_markdown_header_block_is_a_table_and_rows_sit_on_their_first_line() -> None:
    path = DATA / "corpus" / "001c610b2efdcf0c.md"
    md = path.read_text("utf-8").split("\n")
    s = read_source(path)
    # lines 1–18: | issuer | motto | then | "Số: …" | place, date |; the rules under them are decoration
    assert s.tables[0] == [
        ["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"],
        ["Số: 2820/QĐ-UBND", "Thành phố Hồ Chí Minh, ngày 19 tháng 11 năm 2025"],
    ]
    assert s.table_lines[0] == [0, 11]  # the opening "|" of each row
    assert md[0] == md[11] == "|"
    lines = s.text.split("\n")
    assert lines[0] == "\t".join(s.tables[0][0]) and lines[1:11] == [""] * 10
    # italic wrapped over two lines loses both markers; the paragraph is unwrapped onto its
    # first line (a newline inside a Markdown paragraph is a space), the next line is empty
    assert md[28].startswith("*Căn cứ Luật Tổ chức") and md[29].startswith("quyền địa phương")
    assert lines[28] == "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;"
    assert lines[29] == ""


def test_markdown_bold_heading_wrapped_over_lines() -> None:
    path = DATA / "corpus" / "8718801c503045f9.md"
    md = path.read_text("utf-8").split("\n")
    lines = read_source(path).text.split("\n")
    assert md[35:37] == ["**I. MỤC", "ĐÍCH, YÊU CẦU**"]
    assert lines[35:37] == ["I. MỤC ĐÍCH, YÊU CẦU", ""]


def test_markdown_numeral_alone_on_its_line_joins_its_heading() -> None:
    # "**IV.\nPHÂN CÔNG NHIỆM VỤ**" and "**1.\nSở Công Thương:**": the scrape's wrap leaves
    # the marker alone; the heading and the agency sub-heading read as DOCX gives them
    path = DATA / "corpus" / "62f25a030c183151.md"
    md = path.read_text("utf-8").split("\n")
    lines = read_source(path).text.split("\n")
    k = md.index("PHÂN CÔNG NHIỆM VỤ**")
    assert md[k - 1] == "**IV."
    assert lines[k - 1] == "IV. PHÂN CÔNG NHIỆM VỤ" and lines[k] == ""
    assert md[k + 2 : k + 4] == ["**1.", "Sở Công Thương:**"]
    assert lines[k + 2 : k + 4] == ["1. Sở Công Thương:", ""]


def test_markdown_list_items_are_not_unwrapped_into_each_other() -> None:
    from plankg.ingest.readers.markdown import render_markdown

    text = render_markdown("Mở đầu\nđoạn văn.\n- Mục một\ntiếp theo\n- Mục hai\n\nĐoạn khác\n").text
    assert text.split("\n") == ["Mở đầu đoạn văn.", "", "- Mục một tiếp theo", "", "- Mục hai", "", "Đoạn khác", ""]


def test_markdown_without_blank_lines_keeps_its_lines() -> None:
    from plankg.ingest.readers.markdown import render_markdown

    # a file without any blank line cannot tell a wrap from a paragraph break: lines stay
    text = render_markdown("Dòng một\nDòng hai\n| a | b |\n|---|---|\n| 1 | 2 |").text
    assert text.split("\n")[:2] == ["Dòng một", "Dòng hai"]


def test_cell_per_line_empty_cells_and_boundaries(tmp_path: Path) -> None:
    # a | b | c | d; then 1 | (empty) | x | y — a lone empty segment reads as a row boundary,
    # mended because 1 + 1 + 2 cells make the table's width; then 2 and two empty cells that
    # end the table (at the end every empty segment is a cell)
    md = "\n".join(["Văn bản", "", "|", "a", "|", "b", "|", "c", "|", "d", "|", "|", "1", "|", "|", "x", "|",
                    "y", "|", "|", "2", "|", "|", "|", "", "Hết."])
    s = read_bytes(md.encode(), tmp_path / "t.md")
    assert s.tables == [[["a", "b", "c", "d"], ["1", "", "x", "y"], ["2", "", ""]]]
    assert s.table_lines == [[2, 11, 19]]
    assert s.text.count("\n") == md.count("\n")
    assert s.text.split("\n")[25] == "Hết."


def test_broken_pipe_table_without_delimiter(tmp_path: Path) -> None:
    # no |---| row, a line of pipes only, a wrapped row, trailing empty cells
    md = "\n".join(["| TT | Nội dung | Chủ trì | |", "|", "| I. Nhóm một |", "| |||||",
                    "| 1 | Việc thứ nhất, viết", "tiếp dòng sau | Sở A |", "", "Đoạn sau."])
    s = read_bytes(md.encode(), tmp_path / "t.md")
    assert s.tables == [[["TT", "Nội dung", "Chủ trì"], ["I. Nhóm một"],
                         ["1", "Việc thứ nhất, viết tiếp dòng sau", "Sở A"]]]
    assert s.text.split("\n")[7] == "Đoạn sau." and s.text.count("\n") == md.count("\n")


def test_pipe_table_continuation_fills_the_open_cell(tmp_path: Path) -> None:
    md = "\n".join(["| TT | Nội dung |", "| 1 | Việc thứ nhất,", "viết tiếp |", ""])
    s = read_bytes(md.encode(), tmp_path / "t.md")
    assert s.tables == [[["TT", "Nội dung"], ["1", "Việc thứ nhất, viết tiếp"]]]


def test_xlsx_sheet_is_a_table() -> None:
    header, data_rows = TASK_TABLES["001c610b2efdcf0c"]
    s = read_source(DATA / "corpus_xlsx" / "001c610b2efdcf0c.xlsx")
    assert s.fmt == "xlsx" and len(s.tables) == 1
    assert s.tables[0][0] == header and len(s.tables[0]) - 1 == data_rows
    lines = s.text.split("\n")
    assert lines[0] == "Nhiệm vụ" and lines[s.table_lines[0][0]] == "\t".join(header)
    # same cells as the Markdown it was made from
    md = _task_table(read_source(DATA / "corpus" / "001c610b2efdcf0c.md").tables, header)
    assert [r[:2] for r in s.tables[0]] == [r[:2] for r in md]


def test_tab_separated_text_table() -> None:
    header, data_rows = TASK_TABLES["8718801c503045f9"]
    s = read_source(DATA / "corpus_tsv" / "8718801c503045f9.txt")
    assert s.fmt == "txt"
    table = _task_table(s.tables, header)
    assert len(table) - 1 == data_rows
    assert table[1] == ["I. NÂNG CAO NHẬN THỨC VÀ ĐỔI MỚI TƯ DUY"]  # a section row, one merged cell


def test_seed_docx_text_with_one_cell_per_line_gives_no_tab_table() -> None:
    seeds = SEEDS
    for path in sorted(seeds.glob("*.txt")):
        assert read_source(path).tables == [], path.name


def test_tab_rows_need_the_same_width_and_two_rows(tmp_path: Path) -> None:
    text = "Tiêu đề\n\ta\tb\tc\nx\ty\tz\nchữ\n1\t2\t3\t4\n"
    assert read_bytes(text.encode(), tmp_path / "t.txt").tables == []


def test_pdf_table_over_a_page_break_is_one_table() -> None:
    # the 001c task table runs over several pages; its rows are not repeated in the text
    s = read_source(DATA / "corpus_pdf" / "001c610b2efdcf0c.pdf")
    header = TASK_TABLES["001c610b2efdcf0c"][0]
    table = _task_table(s.tables, header)
    pages = {s.original[: s.original.find("\t".join(r))].count("\f") for r in table[1:]}
    assert len(pages) > 1
    first_task = next(r for r in table if r[0] == "1")
    assert s.text.count(first_task[1][:60]) == 1


def test_legacy_doc_says_what_to_do(tmp_path: Path) -> None:
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 120 + "WordDocument".encode("utf-16-le") + b"\x00" * 400
    path = tmp_path / "ke-hoach.doc"
    path.write_bytes(head)
    with pytest.raises(IngestError) as exc:
        read_source(path)
    assert "hãy lưu lại thành .docx rồi nạp lại" in str(exc.value)
    assert "legacy .doc: save it as .docx and ingest again" in str(exc.value)
    xls = tmp_path / "phu-luc.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 120 + "Workbook".encode("utf-16-le"))
    with pytest.raises(IngestError, match=r"save it as \.xlsx"):
        read_source(xls)


def test_scanned_pdf_says_ocr_first() -> None:
    with pytest.raises(IngestError) as exc:
        read_source(FIXTURES / "scanned.pdf")
    assert "hãy nhận dạng chữ (OCR) trước" in str(exc.value)


def test_markdown_emphasised_marker_alone_loses_its_marks() -> None:
    """"*6.1. *Hàng năm …" (f069c23c942c1ec6): the scrape emphasises the item number with the
    closing mark after a space; the marker must read as a marker."""
    path = DATA / "corpus" / "f069c23c942c1ec6.md"
    md = path.read_text("utf-8").split("\n")
    lines = read_source(path).text.split("\n")
    k = next(i for i, ln in enumerate(md) if ln.startswith("*6.1. *"))
    assert lines[k].startswith("6.1. Hàng năm")
