"""Which reader a file needs, decided from its content first and its extension second.

Why content first: users rename files ("kehoach.txt" that is really a .docx, a PDF
saved without extension) and we would rather read them than fail; the disagreement is
reported as a warning so the user can fix the name.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Literal

from plankg.ingest.errors import IngestError

Fmt = Literal["txt", "docx", "pdf", "md", "xlsx"]

EXTENSIONS: dict[str, Fmt] = {
    ".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".md": "md", ".markdown": "md",
    ".xlsx": "xlsx",
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Stream names in an OLE2 directory (UTF-16LE) that tell Word from Excel.
_OLE2_KINDS: list[tuple[bytes, str, str]] = [
    ("WordDocument".encode("utf-16-le"),
     "Tệp .doc (Word 97-2003): hãy lưu lại thành .docx rồi nạp lại",
     "legacy .doc: save it as .docx and ingest again"),
    ("Workbook".encode("utf-16-le"),
     "Tệp .xls (Excel 97-2003): hãy lưu lại thành .xlsx rồi nạp lại",
     "legacy .xls: save it as .xlsx and ingest again"),
]

#: Binary formats we recognise only to refuse them with a useful message.
_REFUSED_MAGIC: list[tuple[bytes, str, str]] = [
    (b"{\\rtf", "Tệp RTF không được hỗ trợ, hãy lưu lại dưới dạng .docx", "RTF not supported; save as .docx"),
    (b"\x89PNG", "Tệp ảnh, cần nhận dạng chữ (OCR) trước", "image file (PNG); run OCR first"),
    (b"\xff\xd8\xff", "Tệp ảnh, cần nhận dạng chữ (OCR) trước", "image file (JPEG); run OCR first"),
    (b"II*\x00", "Tệp ảnh, cần nhận dạng chữ (OCR) trước", "image file (TIFF); run OCR first"),
    (b"MM\x00*", "Tệp ảnh, cần nhận dạng chữ (OCR) trước", "image file (TIFF); run OCR first"),
]

_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.M)
_PIPE_DELIM = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


def sniff_binary(raw: bytes, path: str | Path) -> Fmt | None:
    """``"pdf"``, ``"docx"`` or ``"xlsx"`` from magic bytes, ``None`` for (possibly) text.

    Raises :class:`IngestError` for zips that are neither Word nor Excel documents,
    truncated zips and formats we recognise but do not read (.doc/.xls, RTF, images),
    saying what to do with them.
    """
    if b"%PDF-" in raw[:1024]:
        return "pdf"
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, EOFError, ValueError) as e:
            raise IngestError(path, "Tệp DOCX/ZIP bị hỏng hoặc bị cắt cụt", "corrupt or truncated DOCX/zip file",
                              str(e)) from e
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise IngestError(path, "Định dạng không được hỗ trợ: tệp ZIP không phải tài liệu Word hay Excel",
                          "unsupported format: zip archive without word/document.xml or xl/workbook.xml")
    if raw.startswith(_OLE2):
        raise _legacy_office(raw, path)
    for magic, vi, en in _REFUSED_MAGIC:
        if raw.startswith(magic):
            raise IngestError(path, vi, en)
    return None


def _legacy_office(raw: bytes, path: str | Path) -> IngestError:
    """The message for an OLE2 file (Word/Excel 97-2003): which program to save it from."""
    kinds = [(raw.find(tag), vi, en) for tag, vi, en in _OLE2_KINDS if tag in raw]
    if kinds:
        _, vi, en = min(kinds)
        return IngestError(path, vi, en)
    if Path(path).suffix.lower() == ".xls":
        return IngestError(path, _OLE2_KINDS[1][1], _OLE2_KINDS[1][2])
    return IngestError(path, _OLE2_KINDS[0][1], _OLE2_KINDS[0][2])


def looks_like_markdown(text: str) -> bool:
    """A pipe table (header + ``|---|`` row), two ``#`` headings, or a ``#`` first line."""
    lines = text.split("\n")
    for prev, line in zip(lines, lines[1:]):
        if "|" in prev and "|" in line and "-" in line and _PIPE_DELIM.match(line):
            return True
    headings = _ATX.findall(text)
    if len(headings) >= 2:
        return True
    first = next((ln for ln in lines if ln.strip()), "")
    return bool(_ATX.match(first))


def extension_format(path: str | Path) -> Fmt | None:
    return EXTENSIONS.get(Path(path).suffix.lower())


def mismatch_warning(path: str | Path, detected: Fmt) -> str | None:
    """The warning to show when the extension names another format than the content.

    Plain text in a ``.md`` file is fine (all text is Markdown), so that pair is silent.
    """
    ext = extension_format(path)
    if ext == detected or (ext == "md" and detected == "txt"):
        return None
    suffix = Path(path).suffix or "(không có)"
    return (f"{Path(path).name}: phần mở rộng {suffix} không khớp nội dung, đọc như {detected} "
            f"(extension {suffix} disagrees with content; read as {detected})")
