"""How a recognised period is named back to the user ("năm 2025", "quý IV/2025").

The interpretation line repeats what was understood; the query's own words may be typed
without marks ("nam 2025"), so the label is rebuilt from the interval, in standard
Vietnamese, and falls back to the typed words only for intervals without a common name.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

__all__ = ["period_label"]

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_RELATIVE = {"due_soon": "sắp đến hạn", "overdue": "hạn đã qua"}


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _fmt(d: date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


def _interval_name(s: date, e: date) -> str:
    """"năm 2025", "giai đoạn 2026 - 2030", "quý IV/2025", "tháng 6/2025", else the dates."""
    whole_years = (s.month, s.day, e.month, e.day) == (1, 1, 12, 31)
    if whole_years:
        return f"năm {s.year}" if s.year == e.year else f"giai đoạn {s.year} - {e.year}"
    month_end = e.day == calendar.monthrange(e.year, e.month)[1]
    if s.year == e.year and s.day == 1 and month_end:
        if s.month == e.month:
            return f"tháng {s.month}/{s.year}"
        if s.month % 3 == 1 and e.month == s.month + 2:
            return f"quý {_ROMAN[(s.month + 2) // 3]}/{s.year}"
        if (s.month, e.month) == (1, 6):
            return f"6 tháng đầu năm {s.year}"
        if (s.month, e.month) == (7, 12):
            return f"6 tháng cuối năm {s.year}"
    return f"{_fmt(s)} - {_fmt(e)}" if s != e else _fmt(s)


def period_label(period: dict[str, Any]) -> str:
    """The period in words, from ``start``/``end``/``mode`` (not from the typed text)."""
    mode = period.get("mode", "in")
    if period.get("relative") in _RELATIVE:
        return _RELATIVE[period["relative"]]
    s, e = _d(period.get("start")), _d(period.get("end"))
    if mode == "before" and e:
        return f"trước {_fmt(e)}"
    if mode == "by" and e:
        return f"đến hết {_fmt(e)}" if (e.month, e.day) != (12, 31) else f"đến năm {e.year}"
    if mode in ("from", "after") and s:
        return f"từ {_fmt(s)}"
    if s and e:
        return _interval_name(s, e)
    return str(period.get("text", ""))
