"""Turn a file on disk into a :class:`SourceText` — the one entry point of the input layer.

Flow: bytes → format (content first, extension second; :mod:`.formats`) → rendered
``original`` text (decoded .txt; .md / .docx / .pdf / .xlsx rendered to plain text, a
table row per line with its cells TAB-separated) and ``tables`` (rows of cells, with the
line each row is written on) → normalised ``text`` + ``offsets`` (:mod:`.normalize`).

Everything that can go wrong for a user's file becomes an :class:`IngestError` with a
Vietnamese + English message; recoverable surprises (extension disagrees with content,
legacy encoding, pages without text) go to ``on_warning`` — by default a Python
:class:`IngestWarning` so the CLI can collect them with ``warnings.catch_warnings``.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from pathlib import Path

from plankg.ingest.errors import IngestError, IngestWarning
from plankg.ingest.model import SourceText
from plankg.ingest.readers.decode import decode_text
from plankg.ingest.readers.docx import render_docx
from plankg.ingest.readers.formats import Fmt, extension_format, looks_like_markdown, mismatch_warning, sniff_binary
from plankg.ingest.readers.limits import ReaderLimits, check_file_size, check_lines, check_zip
from plankg.ingest.readers.markdown import render_markdown
from plankg.ingest.readers.normalize import normalize, normalize_string, unwrap_text_layer
from plankg.ingest.readers.pdf import render_pdf
from plankg.ingest.readers.tsv import find_tab_tables
from plankg.ingest.readers.xlsx import render_xlsx

__all__ = ["read_source", "read_bytes", "IngestError", "IngestWarning", "ReaderLimits"]


def _default_warn(message: str) -> None:
    warnings.warn(message, IngestWarning, stacklevel=3)


def read_source(path: str | Path, on_warning: Callable[[str], None] | None = None,
                limits: ReaderLimits | None = None) -> SourceText:
    """Read ``path`` (.txt, .md, .docx, .pdf, .xlsx) into a :class:`SourceText`.

    Raises :class:`IngestError` when the file is missing, empty, binary, undecodable,
    corrupt, a PDF without a text layer, or over one of ``limits`` (default
    :class:`ReaderLimits`' safe defaults; ``ReaderLimits.from_settings`` for ``PLANKG_MAX_*``).
    """
    p = Path(path)
    limits = limits or ReaderLimits()
    try:
        check_file_size(p.stat().st_size, path, limits)
        raw = p.read_bytes()
    except FileNotFoundError as e:
        raise IngestError(path, "Không tìm thấy tệp", "file not found") from e
    except IsADirectoryError as e:
        raise IngestError(path, "Đây là thư mục, không phải tệp", "is a directory") from e
    except OSError as e:
        raise IngestError(path, "Không đọc được tệp", "cannot read file", str(e)) from e
    return read_bytes(raw, path, on_warning, limits)


def read_bytes(raw: bytes, path: str | Path, on_warning: Callable[[str], None] | None = None,
               limits: ReaderLimits | None = None) -> SourceText:
    """Same as :func:`read_source` for bytes already in memory (uploads in the API);
    ``path`` is only the name used for messages, the format hint and ``SourceText.name``."""
    warn = on_warning or _default_warn
    limits = limits or ReaderLimits()
    name = Path(path).name
    if not raw:
        raise IngestError(path, "Tệp rỗng", "empty file")
    check_file_size(len(raw), path, limits)
    fmt, original, tables, row_lines = _render(raw, path, warn, limits)
    message = mismatch_warning(path, fmt)
    if message:
        warn(message)
    text, offsets = normalize(original)
    return SourceText(
        path=str(path),
        name=name,
        fmt=fmt,
        original=original,
        text=text,
        offsets=offsets,
        checksum=hashlib.sha256(raw).hexdigest(),
        tables=[[[normalize_string(c) for c in row] for row in table] for table in tables],
        table_lines=row_lines,
    )


Tables = list[list[list[str]]]


def _render(raw: bytes, path: str | Path, warn: Callable[[str], None],
            limits: ReaderLimits) -> tuple[Fmt, str, Tables, list[list[int]]]:
    """``(format, rendered text, tables, line of each table row)`` for any readable file."""
    name = Path(path).name
    fmt: Fmt | None = sniff_binary(raw, path)
    if fmt == "pdf":
        pdf = render_pdf(raw, path, warn, max_pages=limits.max_pdf_pages)
        return fmt, unwrap_text_layer(pdf.text, pdf.row_lines), pdf.tables, pdf.row_lines
    if fmt == "docx":
        check_zip(raw, path, limits, "DOCX")
        original, tables, row_lines = render_docx(raw, path)
        if not original.strip():
            raise IngestError(path, "Tài liệu Word không có nội dung", "empty DOCX document")
        return fmt, unwrap_text_layer(original, row_lines), tables, row_lines
    if fmt == "xlsx":
        check_zip(raw, path, limits, "XLSX")
        original, tables, row_lines = render_xlsx(raw, path)
        if not original.strip():
            raise IngestError(path, "Bảng tính Excel không có nội dung", "empty XLSX workbook")
        return fmt, original, tables, row_lines
    check_lines(raw, path, limits)
    decoded, encoding = decode_text(raw, path)
    if encoding in ("cp1258", "cp1252"):
        warn(f"{name}: không phải UTF-8, đã đọc theo bảng mã {encoding} (not UTF-8; decoded as {encoding})")
    if extension_format(path) == "md" or looks_like_markdown(decoded):
        md = render_markdown(decoded, lambda m: warn(f"{name}: {m}"))
        return "md", md.text, md.tables, md.row_lines  # a text layer is rejoined by the reader
    tsv = find_tab_tables(decoded)
    return "txt", unwrap_text_layer(decoded, tsv.row_lines), tsv.tables, tsv.row_lines
