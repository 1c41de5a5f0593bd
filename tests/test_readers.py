"""Readers: every format into ``SourceText``, format sniffing, bad input, noise lines."""

from __future__ import annotations

import codecs
import hashlib
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from plankg.ingest.errors import IngestError, IngestWarning
from plankg.ingest.readers import read_bytes, read_source
from plankg.ingest.readers.noise import noise_lines, noise_report
from plankg.ingest.readers.normalize import TONE_MARKS, normalize

try:  # works both with and without a tests/__init__.py
    from tests.conftest import seed_path
except ModuleNotFoundError:
    from conftest import seed_path  # type: ignore[no-redef]

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ["000", "001", "002", "003", "004"]


def check_contract(s) -> None:
    """The SourceText invariants every reader must keep."""
    assert len(s.offsets) == len(s.text) + 1
    assert s.offsets[-1] == len(s.original)
    assert all(a <= b for a, b in zip(s.offsets, s.offsets[1:]))
    assert s.text.count("\n") == s.original.count("\n"), "same line structure"
    assert s.text == unicodedata.normalize("NFC", s.text)
    assert "\r" not in s.text and "\f" not in s.text


def collect_warnings() -> tuple[list[str], Callable[[str], None]]:
    got: list[str] = []
    return got, got.append


# --- seeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEEDS)
def test_every_seed_reads(prefix: str):
    path = seed_path(prefix)
    s = read_source(path)
    assert s.fmt == "txt" and s.name == path.name and s.path == str(path)
    assert s.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert s.original == path.read_text(encoding="utf-8")
    check_contract(s)
    assert len(s.text.split("\n")) == len(s.original.split("\n"))


@pytest.mark.parametrize("prefix", SEEDS)
def test_seed_spans_map_back(prefix: str):
    s = read_source(seed_path(prefix))
    rnd = random.Random(11)
    lines = s.text.split("\n")
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln) + 1)
    for _ in range(100):  # a whole line of text ↔ the same line of the original
        i = rnd.randrange(len(lines))
        a, b = starts[i], starts[i] + len(lines[i])
        span = s.span(a, b) if b > a else None
        if span is None:
            continue
        assert span.line_start == span.line_end == i + 1
        assert normalize(s.original[span.start:span.end])[0] == s.text[a:b]


def test_seed004_legacy_letters_fixed():
    s = read_source(seed_path("004"))
    assert "PHƢỚC" in s.original and "Ƣ" not in s.text and "ƣ" not in s.text
    i = s.text.index("PHƯỚC")
    span = s.span(i, i + 5)
    assert s.original[span.start:span.end] == "PHƢỚC"
    assert "tư duy" in s.text and "CHƯƠNG TRÌNH" in s.text


def test_seed000_noise_lines():
    s = read_source(seed_path("000"))
    noise = noise_lines(s)
    report = noise_report(s)
    lines = s.text.split("\n")
    # the digital-signature stamps at the tail
    stamp = [i + 1 for i, ln in enumerate(lines) if "đã ký lên văn bản này" in ln or "CHỨNG THỰC SỐ" in ln
             or ln.strip().startswith("2025-02-2")]
    assert len(stamp) > 30
    assert set(stamp) <= noise
    assert all(report[n] == "signature-stamp" for n in stamp)
    assert all(n in noise for n in range(3168, 3254) if lines[n - 1].strip())
    assert not any(v == "signature-stamp" for k, v in report.items() if k < 3166)
    # page numbers "9" and "11"
    assert lines[1565].strip() == "9" and report[1566] == "page-number"
    assert lines[1844].strip() == "11" and report[1845] == "page-number"
    # table headers repeated after page breaks are noise, their first occurrence is not
    assert lines[806].startswith("Stt Chỉ tiêu") and 807 not in noise
    assert lines[1081].startswith("Stt Tên nhiệm vụ") and 1082 not in noise
    for n in (881, 967, 1029, 1198, 1572, 1851, 3045):
        assert lines[n - 1].strip().startswith("Stt") and report[n] == "repeated-table-header"
    assert report[1200] == "repeated-table-header" and lines[1199].strip() == "chủ trì"
    # content is not noise
    assert not {n for n, ln in enumerate(lines, 1) if "Nghị quyết số 57-NQ/TW" in ln} & noise
    assert 4 not in noise and lines[3].startswith("KẾ HOẠCH")


@pytest.mark.parametrize(("prefix", "pages"), [("001", [53, 629, 968]), ("002", [94]), ("003", [203, 443])])
def test_seed_page_numbers(prefix: str, pages: list[int]):
    report = noise_report(read_source(seed_path(prefix)))
    assert sorted(k for k, v in report.items() if v == "page-number") == pages


def test_table_cell_numbers_are_not_page_numbers():
    s = read_source(seed_path("002"))
    assert s.text.split("\n")[166] == "6"  # STT of a table row, not a page number
    assert 167 not in noise_lines(s)
    assert not {n for n, ln in enumerate(s.text.split("\n"), 1) if ln.startswith("\t")} & noise_lines(s)


# --- DOCX ------------------------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Thực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số;")
    d.add_paragraph("Mục đích", style="List Number")
    d.add_paragraph("Yêu cầu", style="List Number")
    t = d.add_table(rows=3, cols=4)
    for j, h in enumerate(["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]):
        t.cell(0, j).text = h
    for j, v in enumerate(["1", "Tuyên truyền về Nghị quyết", "Sở Văn hoá", "Hằng năm"]):
        t.cell(1, j).text = v
    merged = t.cell(2, 1).merge(t.cell(2, 2))
    merged.text = "Nhiệm vụ chung"
    t.cell(2, 0).text = "2"
    t.cell(2, 3).add_paragraph("Quý IV/2025")  # a second paragraph in the cell
    d.add_paragraph("Nơi nhận:\n- Như trên;")
    d.save(path)
    return path


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path):
    s = read_source(make_docx(tmp_path / "kehoach.docx"))
    check_contract(s)
    assert s.fmt == "docx"
    lines = s.text.split("\n")
    assert lines[:4] == ["KẾ HOẠCH", "Thực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số;", "1. Mục đích", "2. Yêu cầu"]
    assert lines[4] == "STT\tTên nhiệm vụ\tCơ quan chủ trì\tThời gian"
    assert lines[5] == "1\tTuyên truyền về Nghị quyết\tSở Văn hóa\tHằng năm"  # normalised tone style
    assert lines[6] == "2\tNhiệm vụ chung\tQuý IV/2025"  # merged cell once; cell paragraphs joined
    assert lines[7:] == ["Nơi nhận:", "- Như trên;"]
    assert s.tables == [[
        ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
        ["1", "Tuyên truyền về Nghị quyết", "Sở Văn hóa", "Hằng năm"],
        ["2", "Nhiệm vụ chung", "Quý IV/2025"],
    ]]
    assert "Văn hoá" in s.original  # original keeps what the file says


def test_docx_vertically_merged_cells_are_empty_below(tmp_path: Path):
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    top = t.cell(0, 0).merge(t.cell(2, 0))
    top.text = "Sở Khoa học và Công nghệ"
    for i in range(3):
        t.cell(i, 1).text = f"việc {i + 1}"
    d.save(tmp_path / "v.docx")
    s = read_source(tmp_path / "v.docx")
    assert s.tables == [[["Sở Khoa học và Công nghệ", "việc 1"], ["", "việc 2"], ["", "việc 3"]]]


def test_docx_tracked_changes_text_boxes_and_breaks(tmp_path: Path):
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d.element.body.insert(0, parse_xml(
        f'<w:p {w}><w:r><w:t xml:space="preserve">Giữ </w:t></w:r>'
        '<w:ins w:id="1" w:author="a"><w:r><w:t>phần chèn</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>phần xóa</w:delText></w:r></w:del>'
        '<w:r><w:br/><w:t>dòng hai</w:t><w:tab/><w:t>sau tab</w:t></w:r></w:p>'))
    d.save(tmp_path / "t.docx")
    s = read_source(tmp_path / "t.docx")
    assert s.text.split("\n")[:2] == ["Giữ phần chèn", "dòng hai\tsau tab"]
    assert "xóa" not in s.text


def test_docx_number_formats():
    from plankg.ingest.readers.docx import _format

    assert [_format(n, "upperRoman") for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    assert [_format(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert _format(3, "decimal") == "3" and _format(3, "decimalZero") == "03"


def test_docx_with_wrong_extension_is_detected(tmp_path: Path):
    path = make_docx(tmp_path / "a.docx").rename(tmp_path / "kehoach.txt")
    got, warn = collect_warnings()
    s = read_source(path, on_warning=warn)
    assert s.fmt == "docx" and s.tables
    assert len(got) == 1 and ".txt" in got[0] and "docx" in got[0]


def test_truncated_docx_raises(tmp_path: Path):
    raw = make_docx(tmp_path / "full.docx").read_bytes()
    bad = tmp_path / "cut.docx"
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(IngestError) as exc:
        read_source(bad)
    msg = str(exc.value)
    assert "cut.docx" in msg and "DOCX" in msg and "bị hỏng" in msg and "truncated" in msg


def test_zip_that_is_not_docx_raises(tmp_path: Path):
    import zipfile

    path = tmp_path / "data.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("ppt/presentation.xml", "<presentation/>")
    with pytest.raises(IngestError, match="word/document.xml"):
        read_source(path)


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_pipe_table_and_headings():
    path = FIXTURES / "sample.md"
    s = read_source(path)
    check_contract(s)
    assert s.fmt == "md"
    lines = s.text.split("\n")
    assert len(lines) == len(path.read_text(encoding="utf-8").split("\n")), "line n of text is line n of the file"
    assert lines[0] == "KẾ HOẠCH" and lines[6] == "I. MỤC TIÊU"
    assert "Căn cứ Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ;" in lines
    assert "- Văn hóa số, sức khỏe số được phổ cập." in lines
    assert s.tables == [[
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả"],
        ["1", "Quy mô kinh tế số", "% GRDP", "≥ 30"],
        ["2", "Tỷ lệ doanh nghiệp | hợp tác xã số", "%", "≥ 50"],
    ]]
    assert lines[11] == "STT\tChỉ tiêu\tĐơn vị tính\tKết quả" and lines[12] == ""
    assert lines[13] == "1\tQuy mô kinh tế số\t% GRDP\t≥ 30"


def test_markdown_content_in_txt_file_warns(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("# Kế hoạch\n\n| A | B |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    with pytest.warns(IngestWarning, match="disagrees"):
        s = read_source(path)
    assert s.fmt == "md" and s.tables == [[["A", "B"], ["1", "2"]]]


def test_plain_text_in_md_file_is_fine(tmp_path: Path):
    path = tmp_path / "plain.md"
    path.write_text("Kế hoạch số 57/KH-UBND\nnội dung\n", encoding="utf-8")
    got, warn = collect_warnings()
    s = read_source(path, on_warning=warn)
    assert s.fmt == "md" and not got and s.text == "Kế hoạch số 57/KH-UBND\nnội dung\n"


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_with_text_layer():
    s = read_source(FIXTURES / "text_layer.pdf")
    check_contract(s)
    assert s.fmt == "pdf"
    lines = s.text.split("\n")
    assert "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC" in lines and "Số: 57/KH-UBND" in lines
    assert "a) Cụ thể hóa các quan điểm, mục tiêu, nhiệm vụ và giải pháp;" in lines
    assert s.original.count("\f") == 2  # three pages
    report = noise_report(s)
    pages = [n for n, why in report.items() if why == "page-number"]
    assert [lines[n - 1] for n in sorted(pages)] == ["- 1 -", "- 2 -", "- 3 -"]
    headers = sorted(n for n, why in report.items() if why == "running-header")
    assert len(headers) == 3 and all(lines[n - 1].startswith("Kế hoạch số 57/KH-UBND của UBND") for n in headers)
    assert not any(lines[n - 1].startswith(("I.", "II.", "III.", "1.", "a)")) for n in report)


def test_pdf_without_text_layer_raises():
    with pytest.raises(IngestError, match=r"no text layer \(scanned PDF\?\)") as exc:
        read_source(FIXTURES / "scanned.pdf")
    assert "scanned.pdf" in str(exc.value) and "OCR" in str(exc.value)


def test_pdf_sniffed_without_extension(tmp_path: Path):
    path = tmp_path / "kehoach"
    path.write_bytes((FIXTURES / "text_layer.pdf").read_bytes())
    got, warn = collect_warnings()
    assert read_source(path, on_warning=warn).fmt == "pdf"
    assert got and "pdf" in got[0]


def test_corrupt_pdf_raises(tmp_path: Path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(random.Random(1).randrange(256) for _ in range(500)))
    with pytest.raises(IngestError, match="broken.pdf"):
        read_source(path)


# --- decoding and bad input ------------------------------------------------------------------

VN = "Kế hoạch số 57/KH-UBND ngày 23 tháng 02 năm 2025 của Ủy ban nhân dân tỉnh Bình Phước\n" \
     "về chuyển đổi số, khoa học và công nghệ.\n"


def test_utf8_bom_and_crlf(tmp_path: Path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + VN.replace("\n", "\r\n").encode("utf-8"))
    s = read_source(path)
    check_contract(s)
    assert s.original.startswith("Kế hoạch") and s.text == VN


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_with_bom(tmp_path: Path, encoding: str):
    path = tmp_path / "u16.txt"
    bom = {"utf-16": b"", "utf-16-be": codecs.BOM_UTF16_BE, "utf-16-le": codecs.BOM_UTF16_LE}[encoding]
    path.write_bytes(bom + VN.encode(encoding))
    assert read_source(path).text == VN


def test_lone_cr_line_breaks(tmp_path: Path):
    path = tmp_path / "mac.txt"
    path.write_bytes(VN.replace("\n", "\r").encode("utf-8"))
    s = read_source(path)
    check_contract(s)
    assert s.text == VN and s.original.count("\n") == 2


def _cp1258(s: str) -> bytes:
    """Vietnamese in Windows-1258: precomposed where the code page has it, else base + tone."""
    out = []
    for ch in s:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONE_MARKS))
            out.append((base + "".join(c for c in d if c in TONE_MARKS)).encode("cp1258"))
    return b"".join(out)


def test_cp1258_vietnamese_is_accepted_with_warning(tmp_path: Path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(_cp1258(VN))
    got, warn = collect_warnings()
    s = read_source(path, on_warning=warn)
    assert s.text == VN
    assert got and "cp1258" in got[0]
    check_contract(s)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "Tệp rỗng (empty file)"),
        (b"  \r\n\n\t ", "Tệp rỗng (empty file)"),
        (codecs.BOM_UTF8, "Tệp rỗng (empty file)"),
        (bytes(range(256)) * 8, "(binary file)"),
        (b"ELF\x02\x01\x01\x00\x00\x00" + bytes(random.Random(3).randrange(256) for _ in range(400)), "(binary file)"),
        ("Größe über Straße für Café und Crème brûlée.\n".encode("latin-1") * 5, "(not UTF-8 text)"),
        (bytes(random.Random(5).randrange(128, 256) for _ in range(300)), "(not UTF-8 text)"),
    ],
    ids=["empty", "whitespace", "only-bom", "all-bytes", "elf-binary", "latin1-german", "high-bytes"],
)
def test_bad_input_raises_clear_error(tmp_path: Path, content: bytes, problem: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError) as exc:
        read_source(path)
    assert str(exc.value).startswith("bad.txt: ")
    assert problem in str(exc.value)


def test_missing_file_and_directory(tmp_path: Path):
    with pytest.raises(IngestError, match="file not found"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(IngestError, match="is a directory"):
        read_source(tmp_path)


def test_legacy_doc_is_refused(tmp_path: Path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(IngestError, match=r"save it as \.docx and ingest again"):
        read_source(path)


def test_read_bytes_matches_read_source():
    path = seed_path("003")
    a, b = read_source(path), read_bytes(path.read_bytes(), path)
    assert (a.text, a.offsets, a.checksum, a.fmt) == (b.text, b.offsets, b.checksum, b.fmt)


def test_error_message_is_vietnamese_and_english(tmp_path: Path):
    path = tmp_path / "rong.txt"
    path.write_bytes(b"")
    with pytest.raises(IngestError) as exc:
        read_source(path)
    e = exc.value
    assert (e.problem_vi, e.problem_en, e.path) == ("Tệp rỗng", "empty file", str(path))
    assert str(e) == "rong.txt: Tệp rỗng (empty file)"


def test_ingest_error_plain_message_form():
    e = IngestError("kehoach.txt: không nhận ra văn bản (no recognisable plan)")
    assert str(e) == "kehoach.txt: không nhận ra văn bản (no recognisable plan)" and e.path is None
