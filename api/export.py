"""CSV and JSON renderings of the export objects.

CSV is meant to open correctly in Excel: UTF-8 with a BOM, lists inside a cell joined
with "; " (agency names contain commas), nested objects flattened to dotted columns.

Every CSV made for spreadsheets (``plankg export --format csv`` and the web pages' CSVs)
passes each cell through :func:`safe_cell` (OWASP's advice against CSV/formula
injection): a text cell that would start a formula gets a leading ``'``. The SPARQL
endpoint's ``text/csv`` is the W3C format and is written elsewhere, untouched
(``store/result_writers.py``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

#: What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: str) -> str:
    """``value`` for a spreadsheet cell: prefixed with ``'`` when it would start a formula.

    A plain number (``-5``, ``+84``, ``-1.5e3``) is left alone, so it stays a number.
    """
    if value and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: dict[str, Any]) -> dict[str, str]:
    """Every cell of a CSV row through :func:`safe_cell` (``None`` is an empty cell)."""
    return {k: safe_cell("" if v is None else str(v)) for k, v in row.items()}


def csv_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    """Excel CSV (UTF-8 with a BOM, CRLF) of ``rows`` under ``columns``, every cell made safe."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        safe = safe_row(row)
        writer.writerow([safe.get(c, "") for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json(items: list[dict[str, Any]]) -> bytes:
    return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        if "file" in value:  # a source span
            return f"{value['file']}:{value['start']}-{value['end']}"
        return str(value.get("name") or value.get("iri") or json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten(item: dict[str, Any], prefix: str = "") -> dict[str, str]:
    row: dict[str, str] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flatten(value, name + "."))
        else:
            row[name] = _cell(value)
    return row


def to_csv(what: str, items: list[dict[str, Any]]) -> bytes:
    rows = [flatten(i) for i in items]
    columns: list[str] = []
    for r in rows:
        for k in r:
            if k not in columns:
                columns.append(k)
    return csv_bytes(columns or ["iri"], rows)
