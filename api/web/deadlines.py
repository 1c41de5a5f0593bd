"""Due dates for staff (``/han-hoan-thanh``): tasks by deadline, relative to a given day.

Why the wording is careful: the documents set deadlines but never record completion, so
the page says "Sắp đến hạn" (due within 30 or 90 days) and "Hạn đã qua" (the deadline has
passed) — never that a task is unfinished or late. A task's deadline is the *end* of its
deadline interval (``dueDate``: "2025" is due 31/12/2025, "quý IV/2025" 31/12/2025,
"6/2025" 30/06/2025). Recurring tasks without dates ("thường xuyên", "hằng năm") have no
due day and are counted, not listed.

"Today" is injectable (``?ngay=2025-06-01``, or ``PLANKG_TODAY``) because the seeds'
deadlines are 2025–2027: tests and demonstrations pick the day they need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException

from plankg.api.http.json_api import filters

#: The reference days a request may ask for (outside, date arithmetic would overflow).
DAY_RANGE = (dt.date(1900, 1, 1), dt.date(2999, 12, 31))
VIEWS = {"30": "30 ngày tới", "90": "90 ngày tới", "da-qua": "Hạn đã qua"}
ROLES = {"tat-ca": "any", "chu-tri": "lead", "phoi-hop": "cooperating"}


def today(value: str | None = None, configured: str | None = None) -> dt.date:
    """The reference day: ``value`` (ISO), else ``configured`` (``Settings.today``), else the system date."""
    for candidate in (value, configured):
        if candidate:
            try:
                return dt.date.fromisoformat(candidate.strip())
            except ValueError:
                continue
    return dt.date.today()


@dataclass(frozen=True)
class DeadlineQuery:
    day: dt.date
    view: str = "30"  # 30 | 90 | da-qua
    agency: str = ""  # this server's path, an IRI or a name
    role: str = "tat-ca"  # tat-ca | chu-tri | phoi-hop

    @classmethod
    def from_params(cls, params: Any, configured_today: str | None = None) -> DeadlineQuery:
        """The query of a request; ``ngay`` outside :data:`DAY_RANGE` is a 400 (its windows would overflow)."""
        view = params.get("xem", "30")
        role = params.get("vai_tro", "tat-ca")
        day = today(params.get("ngay"), configured_today)
        if not DAY_RANGE[0] <= day <= DAY_RANGE[1]:
            raise HTTPException(400, f"Ngày phải trong khoảng {DAY_RANGE[0].year}–{DAY_RANGE[1].year} "
                                     f"(ngay must lie between {DAY_RANGE[0].isoformat()} and {DAY_RANGE[1].isoformat()})")
        return cls(day=day, view=view if view in VIEWS else "30",
                   agency=(params.get("co_quan") or "").strip(), role=role if role in ROLES else "tat-ca")

    def window(self, view: str | None = None) -> tuple[str | None, str | None]:
        """``(due_after, due_before)`` as ISO dates, both inclusive, for ``view``."""
        v = view or self.view
        if v == "da-qua":
            return None, (self.day - dt.timedelta(days=1)).isoformat()
        return self.day.isoformat(), (self.day + dt.timedelta(days=int(v))).isoformat()

    def params(self, **changes: Any) -> dict[str, Any]:
        data = {"xem": self.view, "ngay": self.day.isoformat(), "co_quan": self.agency,
                "vai_tro": self.role if self.role != "tat-ca" else None}
        data.update(changes)
        return data


@dataclass
class DueTask:
    task: dict[str, Any]
    due: dt.date
    days: int  # days from the reference day to the deadline (negative: passed)


def select(tasks: list[dict[str, Any]], base: str, q: DeadlineQuery, view: str | None = None) -> list[DueTask]:
    """Tasks of ``view`` for the agency filter, soonest first (passed deadlines: latest first)."""
    after, before = q.window(view)
    chosen = filters.tasks(tasks, base, agency=q.agency or None, role=ROLES[q.role], due_after=after, due_before=before)
    out = []
    for t in chosen:
        end = (t.get("deadline") or {}).get("end")
        if not end:
            continue
        due = dt.date.fromisoformat(end[:10])
        out.append(DueTask(t, due, (due - q.day).days))
    passed = (view or q.view) == "da-qua"
    out.sort(key=lambda d: (-d.due.toordinal() if passed else d.due.toordinal(), d.task["iri"]))
    return out


def undated(tasks: list[dict[str, Any]], base: str, q: DeadlineQuery) -> int:
    """How many of the agency's tasks have no due day (recurring, or no deadline printed)."""
    chosen = filters.tasks(tasks, base, agency=q.agency or None, role=ROLES[q.role])
    return sum(1 for t in chosen if not (t.get("deadline") or {}).get("end"))


def agencies_with_deadlines(tasks: list[dict[str, Any]], names: dict[str, str]) -> list[tuple[str, str]]:
    """(IRI, name) of every agency with at least one dated task, by name — the filter's choices."""
    seen: dict[str, str] = {}
    for t in tasks:
        if (t.get("deadline") or {}).get("end"):
            for a in t["lead"] + t["cooperating"]:
                seen.setdefault(a["iri"], names.get(a["iri"]) or a.get("name") or a.get("raw") or a["iri"])
    return sorted(seen.items(), key=lambda kv: (kv[1].lower(), kv[0]))


def csv_rows(due: list[DueTask], view: str) -> list[dict[str, Any]]:
    from plankg.api.web.csv_downloads import task_row

    rows = []
    for d in due:
        row = task_row(d.task)
        row["Số ngày đến hạn" if view != "da-qua" else "Số ngày kể từ hạn"] = abs(d.days)
        rows.append(row)
    return rows
