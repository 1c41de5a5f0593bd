"""Counts behind the overview charts (issue 16): tasks by agency, pillar, section, quarter …

Why SPARQL and why here: a chart is a summary of the graph, so its numbers must be what a
SPARQL ``COUNT`` over the same view gives — each function is one aggregate query over the
default dataset (the merged view, the registry, the ontology), run through ``run_query``
like every other named read query. The web layer (``api/web/charts``) only draws them and
links every bar to the list it summarises; the tests count the lists those links open.

Quarters are those of a task's due day (``pk:dueDate``, the end of its deadline interval,
the same day the due-date page uses): ``2025-Q4`` is 1 October – 31 December 2025.
Recurring or undated tasks have no quarter and are counted apart (``undated``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Any

from plankg.config import Settings
from plankg.store.base import GraphStore
from plankg.store.read.queries import PREFIXES, run_query

LEAD = "lead"
COOPERATING = "cooperating"
_ROLE_PROPERTY = {LEAD: "pk:leadAgency", COOPERATING: "pk:cooperatingAgency"}
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Count:
    """One bar: ``key`` is what the filtered list is asked for (an IRI, a quarter, a path, a year)."""

    key: str
    count: int
    label: str | None = None  # a name the graph holds for ``key`` (pillars), else None
    group: str | None = None  # a second dimension (the role of an agency's tasks)


@dataclass(frozen=True)
class Edge:
    """Two agencies named on the same tasks (as lead or cooperating, either way round)."""

    source: str
    target: str
    count: int


def quarter_key(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def quarter_bounds(key: str) -> tuple[str, str]:
    """``2025-Q4`` → ``("2025-10-01", "2025-12-31")``, both inclusive; ValueError for anything else."""
    m = _QUARTER.match(key.strip())
    if not m:
        raise ValueError(f"Quý không hợp lệ: {key!r}; dạng đúng: 2025-Q4 (quarter must look like 2025-Q4)")
    year, q = int(m.group(1)), int(m.group(2))
    first, last = 3 * q - 2, 3 * q
    return f"{year}-{first:02d}-01", f"{year}-{last:02d}-{calendar.monthrange(year, last)[1]:02d}"


def _iri(value: str) -> str:
    """An IRI safe to put between ``<>`` in a query (the web layer passes IRIs it resolved)."""
    if not value or any(c in value for c in '<>"{}|^`\\ \n\t'):
        raise ValueError(f"IRI không hợp lệ: {value!r} (bad IRI)")
    return f"<{value}>"


class Overview:
    """The aggregate queries of the overview pages, over one store snapshot."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def _rows(self, body: str) -> list[dict[str, Any]]:
        return run_query(self.store, self.settings, PREFIXES + body).records()

    # -- everything ----------------------------------------------------------------------
    def totals(self) -> dict[str, int]:
        """Tasks, tasks with a due day, targets, agencies given work, documents read."""
        row = self._rows("""SELECT (COUNT(DISTINCT ?t) AS ?tasks) (COUNT(DISTINCT ?dated) AS ?dated) WHERE {
            ?t a pk:Task . OPTIONAL { ?t pk:dueDate ?due BIND(?t AS ?dated) } }""")[0]
        out = {"tasks": int(row["tasks"]), "dated_tasks": int(row["dated"])}
        out["targets"] = int(self._rows("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pk:Target }")[0]["n"])
        out["agencies"] = int(self._rows("""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
            { ?t pk:leadAgency ?a } UNION { ?t pk:cooperatingAgency ?a } UNION { ?t pk:monitoringAgency ?a } }""")[0]["n"])
        out["documents_read"] = int(self._rows(
            "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a pk:Document ; pk:hasRendition ?r }")[0]["n"])
        return out

    def deadlines_by_quarter(self, document: str | None = None, agency: str | None = None,
                             role: str | None = None) -> list[Count]:
        """Tasks by the quarter of their due day, oldest first; with ``agency``, one group per role
        (``role`` None: both, as two groups; a task where the agency is lead *and* cooperating counts in both)."""
        roles = [role] if role else [LEAD, COOPERATING]
        if agency is None:
            return self._quarters(self._scope(document, None, None), None)
        out: list[Count] = []
        for r in roles:
            out += self._quarters(self._scope(document, agency, r), r)
        return sorted(out, key=lambda c: (c.key, c.group or ""))

    def _scope(self, document: str | None, agency: str | None, role: str | None) -> str:
        """The graph pattern binding ``?t`` to the tasks of a document and/or an agency (in ``role``, or either)."""
        parts = ["?t a pk:Task ."]
        if document:
            parts.append(f"?t pk:inDocument {_iri(document)} .")
        if agency and role:
            parts.append(f"?t {_ROLE_PROPERTY[role]} {_iri(agency)} .")
        elif agency:
            parts.append(f"{{ ?t pk:leadAgency {_iri(agency)} }} UNION {{ ?t pk:cooperatingAgency {_iri(agency)} }}")
        return " ".join(parts)

    def _quarters(self, scope: str, group: str | None) -> list[Count]:
        rows = self._rows(f"""SELECT ?y ?q (COUNT(DISTINCT ?t) AS ?n) WHERE {{ {scope} ?t pk:dueDate ?due .
            BIND(YEAR(?due) AS ?y) BIND(xsd:integer(CEIL(MONTH(?due) / 3)) AS ?q) }} GROUP BY ?y ?q""")
        return sorted((Count(quarter_key(int(r["y"]), int(r["q"])), int(r["n"]), group=group) for r in rows),
                      key=lambda c: c.key)

    def count_tasks(self, document: str | None = None, agency: str | None = None, role: str | None = None) -> int:
        """Tasks of the scope (a document, an agency in a role or either)."""
        return int(self._rows(f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ {self._scope(document, agency, role)} }}")[0]["n"])

    def undated(self, document: str | None = None, agency: str | None = None, role: str | None = None) -> int:
        """Tasks of the scope without a due day (recurring, or no deadline printed)."""
        return int(self._rows(f"""SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ {self._scope(document, agency, role)}
            FILTER NOT EXISTS {{ ?t pk:dueDate ?due }} }}""")[0]["n"])

    def tasks_by_lead(self, document: str | None = None) -> list[Count]:
        """Tasks per lead agency, most first (a task with two leads counts for each)."""
        where = f"?t a pk:Task ; pk:leadAgency ?a . {'?t pk:inDocument ' + _iri(document) + ' .' if document else ''}"
        rows = self._rows(f"SELECT ?a (COUNT(DISTINCT ?t) AS ?n) WHERE {{ {where} }} GROUP BY ?a")
        return _most_first(Count(str(r["a"]), int(r["n"])) for r in rows)

    def without_lead(self, document: str) -> int:
        return int(self._rows(f"""SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?t a pk:Task ; pk:inDocument {_iri(document)} .
            FILTER NOT EXISTS {{ ?t pk:leadAgency ?a }} }}""")[0]["n"])

    # -- one document --------------------------------------------------------------------
    def tasks_by_pillar(self, document: str) -> list[Count]:
        """Tasks per pillar (``pk:pillar``), with the pillar's Vietnamese name; most first."""
        rows = self._rows(f"""SELECT ?p (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?t) AS ?n) WHERE {{
            ?t a pk:Task ; pk:inDocument {_iri(document)} ; pk:pillar ?p .
            OPTIONAL {{ ?p skos:prefLabel ?name FILTER(lang(?name) = "vi") }} }} GROUP BY ?p""")
        return _most_first(Count(str(r["p"]), int(r["n"]), label=r.get("label")) for r in rows)

    def tasks_by_section(self, document: str) -> list[Count]:
        """Tasks per section they stand in (the section's path, e.g. ``PL2.V``), in document order."""
        rows = self._rows(f"""SELECT ?path (SAMPLE(?heading) AS ?label) (COUNT(DISTINCT ?t) AS ?n) WHERE {{
            ?t a pk:Task ; pk:inDocument {_iri(document)} ; pk:inSection ?s . ?s pk:path ?path .
            OPTIONAL {{ ?s pk:heading ?heading }} }} GROUP BY ?path""")
        return sorted((Count(str(r["path"]), int(r["n"]), label=r.get("label")) for r in rows),
                      key=lambda c: _path_key(c.key))

    def targets_by_horizon(self, document: str | None = None) -> list[Count]:
        """Targets per year their horizon ends (2025, 2030 …), earliest first."""
        where = f"?x a pk:Target . {'?x pk:inDocument ' + _iri(document) + ' .' if document else ''}"
        rows = self._rows(f"""SELECT ?y (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where}
            ?x pk:horizon/time:hasEnd/time:inXSDDate ?end BIND(YEAR(?end) AS ?y) }} GROUP BY ?y""")
        return sorted((Count(str(int(r["y"])), int(r["n"])) for r in rows), key=lambda c: c.key)

    # -- one agency ----------------------------------------------------------------------
    def partners(self, agency: str, limit: int = 12) -> tuple[list[Count], list[Edge]]:
        """The agencies named on the most tasks together with ``agency`` (either role), and the
        links among them (how many of the agency's tasks name both) — the network of the agency page."""
        a = _iri(agency)
        rows = self._rows(f"""SELECT ?b (COUNT(DISTINCT ?t) AS ?n) WHERE {{
            {{ ?t pk:leadAgency {a} }} UNION {{ ?t pk:cooperatingAgency {a} }}
            {{ ?t pk:leadAgency ?b }} UNION {{ ?t pk:cooperatingAgency ?b }}
            FILTER(?b != {a}) }} GROUP BY ?b""")
        top = _most_first(Count(str(r["b"]), int(r["n"])) for r in rows)[:limit]
        if len(top) < 2:
            return top, []
        values = " ".join(_iri(c.key) for c in top)
        pairs = self._rows(f"""SELECT ?x ?y (COUNT(DISTINCT ?t) AS ?n) WHERE {{
            VALUES ?x {{ {values} }} VALUES ?y {{ {values} }} FILTER(STR(?x) < STR(?y))
            {{ ?t pk:leadAgency {a} }} UNION {{ ?t pk:cooperatingAgency {a} }}
            {{ ?t pk:leadAgency ?x }} UNION {{ ?t pk:cooperatingAgency ?x }}
            {{ ?t pk:leadAgency ?y }} UNION {{ ?t pk:cooperatingAgency ?y }} }} GROUP BY ?x ?y""")
        edges = [Edge(str(p["x"]), str(p["y"]), int(p["n"])) for p in pairs]
        return top, sorted(edges, key=lambda e: (-e.count, e.source, e.target))

    def pillar_tasks(self) -> dict[str, set[str]]:
        """The tasks of each pillar (what a pillar's bar opens), all pillars in one query."""
        out: dict[str, set[str]] = {}
        for r in self._rows("SELECT ?p ?t WHERE { ?t a pk:Task ; pk:pillar ?p }"):
            out.setdefault(str(r["p"]), set()).add(str(r["t"]))
        return out

    def pillar_names(self) -> dict[str, str]:
        """Vietnamese names of the pillars tasks are sorted into."""
        rows = self._rows("""SELECT DISTINCT ?p ?name WHERE { ?t pk:pillar ?p . ?p skos:prefLabel ?name
            FILTER(lang(?name) = "vi") }""")
        return {str(r["p"]): str(r["name"]) for r in rows}

    def kind_of(self, iri: str) -> str | None:
        """``document`` or ``agency`` for an IRI the overview pages can draw; None otherwise."""
        rows = self._rows(f"""SELECT ?k WHERE {{ VALUES (?c ?k) {{ (pk:Document "document") (pk:Agency "agency")
            (pk:AgentGroup "agency") }} {_iri(iri)} a ?c }}""")
        return str(rows[0]["k"]) if rows else None


def _most_first(counts: Any) -> list[Count]:
    return sorted(counts, key=lambda c: (-c.count, c.key))


def _path_key(path: str) -> list[tuple[int, int, str]]:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.~]", path)]
