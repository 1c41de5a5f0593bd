"""Excel workbooks (.xlsx) → text + tables: appendices are often issued as spreadsheets.

Each sheet with content is one table: its rows (empty rows dropped, trailing empty
cells trimmed) as cell strings, header rows first as printed. The text gives the sheet
name on a line, then one line per row with cells joined by TAB — the rendering of the
DOCX reader — and a blank line between sheets. Numbers print as in the sheet ("1", not
"1.0"); dates as dd/mm/yyyy; a line break inside a cell becomes a space. Merged cells
keep their value in the top-left cell only (the others are empty), like a DOCX table.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from plankg.ingest.errors import IngestError


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def render_xlsx(raw: bytes, path: str | Path) -> tuple[str, list[list[list[str]]], list[list[int]]]:
    """Return ``(text, tables, row_lines)``. Raises :class:`IngestError` for broken files."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), data_only=True, read_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError, XML and value errors
        raise IngestError(path, "Tệp Excel bị hỏng, không đọc được", "corrupt XLSX", f"{type(e).__name__}: {e}") from e
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    row_lines: list[list[int]] = []
    try:
        for ws in wb.worksheets:
            rows = []
            for values in ws.iter_rows(values_only=True):
                cells = [_cell(v) for v in values]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    rows.append(cells)
            if not rows:
                continue
            if lines:
                lines.append("")
            lines.append(ws.title)
            row_lines.append(list(range(len(lines), len(lines) + len(rows))))
            lines.extend("\t".join(r) for r in rows)
            tables.append(rows)
    finally:
        wb.close()
    return "\n".join(lines), tables, row_lines
