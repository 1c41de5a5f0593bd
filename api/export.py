"""CSV and JSON renderings of the export objects.

CSV is meant to open correctly in Excel: UTF-8 with a BOM, lists inside a cell joined
with "; " (agency names contain commas), nested objects flattened to dotted columns.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any


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
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns or ["iri"], extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
