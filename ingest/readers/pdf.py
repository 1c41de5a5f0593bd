"""PDF (with a text layer) → plain text, page by page.

Pages are joined with ``"\\n\\f"``: every page after the first starts its first line
with a form feed, as ``pdftotext`` does. The normaliser drops the ``\\f`` (so extractors
never see it and lines stay the same), while :mod:`plankg.ingest.readers.noise` uses it to find
page tops and bottoms — where running headers, footers and page numbers live.

A PDF without any text is a scan: we refuse it with a clear message instead of
returning an empty document (OCR it first, then ingest the .txt).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from plankg.ingest.errors import IngestError

PAGE_SEPARATOR = "\n\f"


def render_pdf(raw: bytes, path: str | Path, warn: Callable[[str], None]) -> str:
    """Return the text of all pages; raises :class:`IngestError` for scans and broken files."""
    import pdfplumber

    name = Path(path).name
    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except Exception as e:  # pdfminer raises many unrelated types
        if "password" in (type(e).__name__ + str(e)).lower() or "encrypt" in str(e).lower():
            raise IngestError(path, "Tệp PDF có mật khẩu", "encrypted PDF", str(e) or type(e).__name__) from e
        raise IngestError(path, "Tệp PDF bị hỏng, không đọc được", "corrupt PDF", f"{type(e).__name__}: {e}") from e
    pages: list[str] = []
    with pdf:
        try:
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
        except Exception as e:
            raise IngestError(path, "Tệp PDF bị hỏng, không đọc được", "corrupt PDF",
                              f"page {len(pages) + 1}: {type(e).__name__}: {e}") from e
    if not pages:
        raise IngestError(path, "Tệp PDF không có trang nào", "PDF has no pages")
    if not any(p.strip() for p in pages):
        raise IngestError(path, "Tệp PDF không có lớp văn bản (bản scan?) — cần nhận dạng chữ (OCR) trước",
                          "no text layer (scanned PDF?)")
    empty = [str(i + 1) for i, p in enumerate(pages) if not p.strip()]
    if empty:
        warn(f"{name}: các trang {', '.join(empty)} không có chữ (pages without a text layer: {', '.join(empty)})")
    text = PAGE_SEPARATOR.join(p.replace("\f", "") for p in pages)
    cids = len(re.findall(r"\(cid:\d+\)", text))
    if cids > 20:
        warn(f"{name}: phông chữ PDF thiếu bảng mã Unicode, văn bản có thể bị lỗi "
             f"(PDF font without Unicode map: {cids} '(cid:N)' glyphs)")
    return text
