"""Excel-ready CSV for every list on the web pages (search results, deadlines, tasks, targets).

Why: staff take lists into Excel. The bytes come from ``api/export.to_csv`` (UTF-8 with a
BOM, lists joined with "; " because agency names contain commas); this module only chooses
Vietnamese column names and flattens the export objects the way a spreadsheet reads them
(one column per fact, ISO dates, the source as ``file:start-end``). Cells that would start
a spreadsheet formula get a leading ``'`` there (``api/export.safe_cell``).
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from plankg.api.export import csv_bytes, to_csv
from plankg.api.web.render import RECURRENCE_VI


def _source(src: dict[str, Any] | None) -> str | None:
    return f"{src['file']}:{src['start']}-{src['end']}" if src else None


def task_row(t: dict[str, Any]) -> dict[str, Any]:
    dl = t.get("deadline") or {}
    doc = t.get("document") or {}
    return {
        "Văn bản": doc.get("identifier") or doc.get("title"), "Ngày văn bản": doc.get("date"), "Mục": t.get("path"),
        "Nhiệm vụ": t.get("text"), "Cơ quan chủ trì": t.get("lead") or [], "Cơ quan phối hợp": t.get("cooperating") or [],
        "Sản phẩm": t.get("output"), "Thời hạn (như trong văn bản)": dl.get("text"), "Bắt đầu": dl.get("start"),
        "Hạn cuối": dl.get("end"), "Lặp lại": RECURRENCE_VI.get(dl.get("recurrence") or "none", ""),
        "Nguồn": _source(t.get("source")), "IRI": t["iri"],
    }


def target_row(t: dict[str, Any]) -> dict[str, Any]:
    hz = t.get("horizon") or {}
    doc = t.get("document") or {}
    value = t.get("value") or {}
    return {
        "Văn bản": doc.get("identifier") or doc.get("title"), "Mục": t.get("path"), "Chỉ tiêu": t.get("indicator"),
        "Giá trị": value.get("text"), "Tối thiểu": value.get("min"), "Tối đa": value.get("max"), "Đơn vị": t.get("unit"),
        "Mốc thời gian": hz.get("text"), "Hạn cuối": hz.get("end"), "Cơ quan theo dõi": t.get("monitoring") or [],
        "Nguồn": _source(t.get("source")), "IRI": t["iri"],
    }


def csv_response(rows: list[dict[str, Any]], filename: str, columns: list[str] | None = None) -> Response:
    """The CSV as a download; an empty list still gets its header row (``columns``)."""
    body = to_csv("web", rows) if rows else csv_bytes(columns or ["IRI"], [])
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
