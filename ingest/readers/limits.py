"""Input limits of the readers: what a file may cost before it is refused (issue 12, docs/security.md).

Every limit is checked before the expensive step: the file size before reading it, a
DOCX/XLSX zip's directory (entry count, total uncompressed size, compression ratio, the
largest XML part) before any XML is parsed, the longest line of a text file before it is
decoded, a PDF's page count before any page is read. A file over a limit is refused with an
:class:`~plankg.ingest.errors.IngestError` naming the limit and its setting; the other files
of the run go on. The values come from :class:`plankg.config.Settings` (``PLANKG_MAX_*``,
:meth:`ReaderLimits.from_settings`); the defaults are generous for plan documents.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from plankg.ingest.errors import IngestError

if TYPE_CHECKING:
    from plankg.config import Settings

MIB = 1 << 20


@dataclass(frozen=True)
class ReaderLimits:
    max_file_bytes: int = 50 * MIB  # PLANKG_MAX_FILE_BYTES
    max_unzipped_bytes: int = 100 * MIB  # PLANKG_MAX_UNZIPPED_BYTES: all entries of a DOCX/XLSX together
    max_xml_part_bytes: int = 25 * MIB  # PLANKG_MAX_XML_PART_BYTES: one XML part of a DOCX/XLSX
    max_zip_ratio: float = 100.0  # PLANKG_MAX_ZIP_RATIO: uncompressed / file size (over 1 MiB uncompressed)
    max_zip_entries: int = 2000  # PLANKG_MAX_ZIP_ENTRIES
    max_line_bytes: int = 200_000  # PLANKG_MAX_LINE_BYTES: longest line of a .txt/.md file
    max_pdf_pages: int = 2000  # PLANKG_MAX_PDF_PAGES

    @classmethod
    def from_settings(cls, settings: Settings) -> ReaderLimits:
        return cls(max_file_bytes=settings.max_file_bytes, max_unzipped_bytes=settings.max_unzipped_bytes,
                   max_xml_part_bytes=settings.max_xml_part_bytes, max_zip_ratio=settings.max_zip_ratio,
                   max_zip_entries=settings.max_zip_entries, max_line_bytes=settings.max_line_bytes,
                   max_pdf_pages=settings.max_pdf_pages)


#: Below this total, a zip's ratio does not matter (small files cannot exhaust anything).
RATIO_FLOOR = MIB


def _too_big(path: str | Path, vi: str, en: str, detail: str) -> IngestError:
    return IngestError(path, vi, en, detail)


def check_file_size(size: int, path: str | Path, limits: ReaderLimits) -> None:
    if size > limits.max_file_bytes:
        raise _too_big(path, f"Tệp quá lớn ({size:,} byte, tối đa {limits.max_file_bytes:,})",
                       "file too large", f"limit PLANKG_MAX_FILE_BYTES={limits.max_file_bytes}")


def check_zip(raw: bytes, path: str | Path, limits: ReaderLimits, kind: str) -> None:
    """Refuse a DOCX/XLSX whose zip directory promises too much, before anything is inflated.

    The sizes are the ones the directory declares; :func:`zipfile` refuses to inflate an
    entry past its declared size, so a lying directory cannot get around them.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as e:
        raise IngestError(path, f"Tệp {kind} bị hỏng hoặc bị cắt cụt", f"corrupt or truncated {kind}", str(e)) from e
    if len(infos) > limits.max_zip_entries:
        raise _too_big(path, f"Tệp {kind} có quá nhiều thành phần ({len(infos):,}, tối đa {limits.max_zip_entries:,})",
                       f"too many {kind} zip entries", f"limit PLANKG_MAX_ZIP_ENTRIES={limits.max_zip_entries}")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise _too_big(path, f"Tệp {kind} giải nén ra quá lớn ({total:,} byte, tối đa {limits.max_unzipped_bytes:,})",
                       f"{kind} too large when unzipped (zip bomb?)",
                       f"limit PLANKG_MAX_UNZIPPED_BYTES={limits.max_unzipped_bytes}")
    ratio = total / max(len(raw), 1)
    if total > RATIO_FLOOR and ratio > limits.max_zip_ratio:
        raise _too_big(path, f"Tệp {kind} nén bất thường (tỉ lệ {ratio:,.0f}:1, tối đa {limits.max_zip_ratio:,.0f}:1)",
                       f"{kind} compression ratio too high (zip bomb?)",
                       f"limit PLANKG_MAX_ZIP_RATIO={limits.max_zip_ratio:g}")
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")) and info.file_size > limits.max_xml_part_bytes:
            raise _too_big(path, f"Phần XML {info.filename} của tệp {kind} quá lớn ({info.file_size:,} byte, "
                                 f"tối đa {limits.max_xml_part_bytes:,})", f"{kind} XML part too large",
                           f"limit PLANKG_MAX_XML_PART_BYTES={limits.max_xml_part_bytes}")


def check_lines(raw: bytes, path: str | Path, limits: ReaderLimits) -> None:
    """Refuse a text file with a line longer than ``max_line_bytes`` (before decoding it)."""
    if len(raw) <= limits.max_line_bytes:
        return
    longest = max(map(len, raw.replace(b"\r", b"\n").split(b"\n")))
    if longest > limits.max_line_bytes:
        raise _too_big(path, f"Tệp có dòng quá dài ({longest:,} byte, tối đa {limits.max_line_bytes:,})",
                       "line too long", f"limit PLANKG_MAX_LINE_BYTES={limits.max_line_bytes}")


def check_pdf_pages(count: int, path: str | Path, limits: ReaderLimits) -> None:
    if count > limits.max_pdf_pages:
        raise _too_big(path, f"Tệp PDF có quá nhiều trang ({count:,}, tối đa {limits.max_pdf_pages:,})",
                       "too many PDF pages", f"limit PLANKG_MAX_PDF_PAGES={limits.max_pdf_pages}")
