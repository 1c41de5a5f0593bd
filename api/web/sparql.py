"""The SPARQL page (``/truy-van``): an editor, the competency questions as examples, a table.

Why a light editor and not YASGUI: see docs/web.md ("SPARQL editor"). The query runs
through the endpoint's own machinery (``api/http/sparql/user_query.py``) — the same safety
checks (parsed: no update, no ``SERVICE``, local ``FROM`` only) and the same killable worker
pool with its time limit, row cap and fair gate — and comes back as SPARQL JSON (SELECT, ASK) or N-Triples
(CONSTRUCT, DESCRIBE), which this module turns into table rows. Downloads link to
``/sparql?query=…&format=…``, so the files are exactly what the endpoint serves.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import rdflib

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.snapshot import VersionedCache
from plankg.api.http.sparql.engine import QueryRequest
from plankg.api.http.sparql.user_query import checked
from plankg.api.http.sparql.worker import QueryPool
from plankg.config import Settings
from plankg.ontology import QUERIES_DIR
from plankg.store.read.inspect import QueryRefused

SHOWN_ROWS = 500  # rows drawn in the page; the downloads have them all


@dataclass(frozen=True)
class Example:
    slug: str  # file stem, e.g. 02-tasks-by-agency-and-year
    title: str  # the "# vi:" line
    english: str  # the "# en:" line
    query: str


def examples() -> list[Example]:
    """The competency questions of ``ontology/queries``, titled by their ``# vi:`` comment."""
    out = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text("utf-8")
        vi = re.search(r"^#\s*vi:\s*(.+)$", text, re.MULTILINE)
        en = re.search(r"^#\s*en:\s*(.+)$", text, re.MULTILINE)
        out.append(Example(path.stem, vi.group(1).strip() if vi else path.stem, en.group(1).strip() if en else "", text))
    return out


@dataclass
class Table:
    """A query's answer as rows of cells; ``error`` instead when it failed."""

    kind: str = ""  # select | ask | graph
    columns: list[str] = field(default_factory=list)
    rows: list[list[dict[str, Any]]] = field(default_factory=list)  # cells: {type, value, lang, datatype}
    boolean: bool | None = None
    total: int = 0
    error: str | None = None
    status: int = 200

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def run(query: str, settings: Settings, config: ServiceConfig, pool: QueryPool, cache: VersionedCache,
        limit: int | None = SHOWN_ROWS, client: str = "local") -> Table:
    """Run ``query`` as the endpoint would (``user_query``: one path for user SPARQL); keep the
    first ``limit`` rows (None: all, for the CSV)."""
    try:
        info = checked(query, settings, cache)
    except QueryRefused as exc:
        return Table(error=str(exc), status=exc.status)
    fmt = "ntriples" if info.kind == "graph" else "json"
    resp = pool.execute(QueryRequest(query=info.text, kind=info.kind, fmt=fmt, query_has_dataset=info.has_dataset,
                                     max_rows=config.pool.max_rows), client)
    if resp.status >= 400:
        return Table(kind=info.kind, error=resp.body.decode("utf-8", "replace").strip(), status=resp.status)
    if info.kind == "graph":
        return _graph_table(resp.body, limit)
    data = json.loads(resp.body)
    if info.kind == "ask":
        return Table(kind="ask", boolean=bool(data.get("boolean")))
    columns = list(data.get("head", {}).get("vars", []))
    bindings = data.get("results", {}).get("bindings", [])
    rows = [[_cell(b.get(c)) for c in columns] for b in bindings[:limit]]
    return Table(kind="select", columns=columns, rows=rows, total=len(bindings))


def _cell(term: dict[str, Any] | None) -> dict[str, Any]:
    if term is None:
        return {"type": "none", "value": ""}
    kind = {"uri": "uri", "bnode": "bnode"}.get(term.get("type", ""), "literal")
    return {"type": kind, "value": term.get("value", ""), "lang": term.get("xml:lang"), "datatype": term.get("datatype")}


def _graph_table(body: bytes, limit: int | None) -> Table:
    g = rdflib.Graph().parse(data=body, format="nt")
    triples = sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))

    def cell(node: rdflib.term.Node) -> dict[str, Any]:
        if isinstance(node, rdflib.Literal):
            return {"type": "literal", "value": str(node), "lang": node.language,
                    "datatype": str(node.datatype) if node.datatype else None}
        return {"type": "bnode" if isinstance(node, rdflib.BNode) else "uri", "value": str(node)}

    rows = [[cell(s), cell(p), cell(o)] for s, p, o in triples[:limit]]
    return Table(kind="graph", columns=["subject", "predicate", "object"], rows=rows, total=len(triples))


def download_formats(kind: str) -> list[tuple[str, str]]:
    """(format parameter, label) for the download links of an answer of ``kind``."""
    if kind == "graph":
        return [("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("ntriples", "N-Triples"), ("rdfxml", "RDF/XML")]
    return [("csv", "CSV"), ("tsv", "TSV"), ("json", "JSON"), ("xml", "XML")]
