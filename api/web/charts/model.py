"""A chart as the page shows it: the SVG, and the same numbers as a table and a CSV.

Why the table: a picture alone is neither accessible nor copyable, so every chart comes
with its data (``<table>`` under the figure, each row linking where its bar links) and a
CSV made by the same writer as every other list (``csv_downloads.csv_response``, cells
through ``api/export.safe_cell``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class Row:
    cells: tuple[Any, ...]  # one per column of the chart's table
    href: str | None = None  # the filtered list this row (and its bar) summarises


@dataclass
class Chart:
    id: str  # stable slug: the figure's anchor and the CSV's ``bieu_do`` parameter
    title: str
    svg: Markup
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = ""  # what the chart leaves out (undated tasks …)
    csv_url: str = ""

    @property
    def total(self) -> int:
        """Sum of the table's last numeric column (shown under the table)."""
        return sum(int(r.cells[-1]) for r in self.rows if isinstance(r.cells[-1], (int, float)))

    def csv_rows(self) -> list[dict[str, Any]]:
        """The table as CSV rows, plus the list each row links to (a path on this server)."""
        return [dict(zip(self.columns, r.cells, strict=True)) | {"Danh sách": r.href or ""} for r in self.rows]
