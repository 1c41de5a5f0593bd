"""Filtered task and target lists (``/nhiem-vu``, ``/chi-tieu``): what a chart's bar opens.

Why a page of its own: a bar of an overview chart stands for "the tasks of this agency due
in 2025-Q4" or "the tasks of plan 57 in pillar 5" — lists the search cannot express
exactly (it ranks, and has no quarter or pillar filter). These lists apply the JSON API's
filters (``json_api.filters``) to the cached export objects, plus a few of their own:
``quy`` (quarter of the due day), ``tru_cot`` (pillar), ``muc`` (section path) and
``cung`` (a second agency named on the same task). The CSV downloads
(``/nhiem-vu.csv``, ``/chi-tieu.csv``) take the same parameters, so page, CSV and chart agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException

from plankg.api.http.json_api import filters
from plankg.store.read.overview import quarter_bounds

ROLES = {"tat-ca": "any", "chu-tri": "lead", "phoi-hop": "cooperating"}
ROLE_VI = {"chu-tri": "chủ trì", "phoi-hop": "phối hợp"}
PER_PAGE = 100
PK = "https://w3id.org/plankg/ontology#"


def _int(value: str | None, name: str) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise HTTPException(400, f"Tham số {name} phải là số (parameter {name} must be a number): {value!r}") from exc


@dataclass(frozen=True)
class ListQuery:
    """The filters of a list request; every one optional."""

    agency: str = ""  # co_quan: this server's path or an IRI
    role: str = "tat-ca"  # vai_tro
    document: str = ""  # van_ban
    section: str = ""  # muc
    year: int | None = None  # nam
    quarter: str = ""  # quy, e.g. 2025-Q4
    pillar: str = ""  # tru_cot: the pillar's local name, e.g. pillar-nq57-5
    partners: tuple[str, ...] = field(default_factory=tuple)  # cung: other agencies on the same task
    page: int = 1

    @classmethod
    def from_params(cls, params: Any) -> ListQuery:
        quarter = (params.get("quy") or "").strip()
        if quarter:
            try:
                quarter_bounds(quarter)
            except ValueError as exc:
                raise HTTPException(400, str(exc)) from exc
        role = params.get("vai_tro") or "tat-ca"
        return cls(agency=(params.get("co_quan") or "").strip(), role=role if role in ROLES else "tat-ca",
                   document=(params.get("van_ban") or "").strip(), section=(params.get("muc") or "").strip(),
                   year=_int(params.get("nam"), "nam"), quarter=quarter,
                   pillar=(params.get("tru_cot") or "").strip(),
                   partners=tuple(p.strip() for p in params.getlist("cung") if p.strip()),
                   page=max(1, _int(params.get("trang"), "trang") or 1))

    def params(self, **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"co_quan": self.agency, "vai_tro": self.role if self.role != "tat-ca" else None,
                                "van_ban": self.document, "muc": self.section, "nam": self.year, "quy": self.quarter,
                                "tru_cot": self.pillar, "cung": list(self.partners)}
        data.update(changes)
        return data

    def pillar_iri(self) -> str:
        return self.pillar if self.pillar.startswith(("http://", "https://")) else PK + self.pillar


def select_tasks(tasks: list[dict[str, Any]], base: str, q: ListQuery,
                 pillar_members: Callable[[str], set[str]]) -> list[dict[str, Any]]:
    """Tasks matching every filter of ``q`` (``pillar_members``: the task IRIs of a pillar)."""
    after, before = quarter_bounds(q.quarter) if q.quarter else (None, None)
    items = filters.tasks(tasks, base, agency=q.agency or None, role=ROLES[q.role], year=q.year,
                          document=q.document or None, due_after=after, due_before=before)
    if q.section:
        items = [t for t in items if t.get("section") == q.section]
    for partner in q.partners:
        items = [t for t in items if filters.agency_matches(partner, t["lead"] + t["cooperating"], base)]
    if q.pillar:
        members = pillar_members(q.pillar_iri())
        items = [t for t in items if t["iri"] in members]
    return items


def select_targets(targets: list[dict[str, Any]], base: str, q: ListQuery) -> list[dict[str, Any]]:
    return filters.targets(targets, base, agency=q.agency or None, year=q.year, document=q.document or None)


def search_url(q: ListQuery, what: str) -> str | None:
    """The search page (``/tim-kiem``) with the list's agency as its filter — to search within an
    agency's work. Only for an agency alone: the search folds a narrative task and its appendix
    counterpart into one result and reads years more widely, so other filters would not give
    the same list."""
    from plankg.api.web.render import query_string

    if not q.agency or q.document or q.quarter or q.pillar or q.section or q.partners or q.year or q.role == "phoi-hop":
        return None
    agency = "chu_tri" if q.role == "chu-tri" else "co_quan"
    return "/tim-kiem" + query_string({"loai": "Task" if what == "tasks" else "Target", agency: q.agency})


def describe(q: ListQuery, names: dict[str, str], base: str) -> list[tuple[str, str]]:
    """(kind, value) of each filter in force, for the heading of the list."""
    def name(value: str) -> str:
        iri = filters.as_iri(value, base)
        return names.get(iri or value, value)

    out = []
    if q.agency:
        out.append(("Cơ quan" + (f" ({ROLE_VI[q.role]})" if q.role in ROLE_VI else ""), name(q.agency)))
    out += [("Cùng với", name(p)) for p in q.partners]
    if q.document:
        out.append(("Văn bản", name(q.document)))
    if q.section:
        out.append(("Mục", q.section))
    if q.pillar:
        out.append(("Trụ cột", names.get(q.pillar_iri(), q.pillar)))
    if q.year:
        out.append(("Năm", str(q.year)))
    if q.quarter:
        year, quarter = q.quarter.split("-Q")
        out.append(("Hạn trong quý", f"quý {quarter}/{year}"))
    return out
