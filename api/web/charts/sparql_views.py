"""Charts of a SPARQL answer on the SPARQL page (``/truy-van?hien_thi=``): bars, a line, a graph.

Why: some answers are pictures (Wikidata's query service draws any result). The user picks
the view; this module reads the answer the page already has (``api/web/sparql.Table``):

* **cột** / **đường** (SELECT): the value is the last column whose every cell is a number;
  the label is the first other column that is text (else the first other column); where a
  column holds IRIs under this server, each bar or point links to that entity's page.
* **đồ thị** (CONSTRUCT/DESCRIBE): IRIs and blank nodes become nodes, triples between them
  edges (``rdfs:label``/``skos:prefLabel`` literals name the nodes), drawn by Vega's force
  layout (``draw.network``); nodes link to their pages.

Examples showing each view live in ``examples/*.rq`` (``# hien_thi:`` names the view).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from plankg.api.web.charts.draw import Mark, Node, bar_chart, line_chart, network
from plankg.api.web.sparql import Example, Table

VIEWS = {"bang": "Bảng", "cot": "Biểu đồ cột", "duong": "Biểu đồ đường", "do-thi": "Đồ thị (CONSTRUCT)"}
EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
MAX_MARKS = 100
MAX_NODES = 150
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")


@dataclass(frozen=True)
class ChartExample(Example):
    view: str = "bang"


@dataclass(frozen=True)
class View:
    """The drawn view, or why it cannot be drawn (``message``)."""

    svg: Markup | None = None
    message: str = ""
    shown: int = 0


def chart_examples() -> list[ChartExample]:
    """The chart examples, titled by ``# vi:`` and drawn as ``# hien_thi:`` says."""
    out = []
    for path in sorted(EXAMPLES_DIR.glob("*.rq")):
        text = path.read_text("utf-8")
        meta = dict(re.findall(r"^#\s*(vi|en|hien_thi):\s*(.+)$", text, re.MULTILINE))
        out.append(ChartExample(path.stem, meta.get("vi", path.stem).strip(), meta.get("en", "").strip(), text,
                                meta.get("hien_thi", "bang").strip()))
    return out


def _number(cell: dict[str, Any]) -> float | None:
    if cell.get("type") != "literal":
        return None
    try:
        return float(cell["value"])
    except (TypeError, ValueError):
        return None


def _columns(table: Table) -> tuple[int, int, int | None] | None:
    """(label, value, link) column indexes of a SELECT answer, or None without a number column."""
    n = len(table.columns)
    numeric = [i for i in range(n) if table.rows and all(_number(r[i]) is not None for r in table.rows)]
    if not numeric or n < 2:
        return None
    value = numeric[-1]
    others = [i for i in range(n) if i != value]
    texts = [i for i in others if i not in numeric and all(r[i]["type"] in ("literal", "none") for r in table.rows)]
    label = texts[0] if texts else others[0]
    uris = [i for i in others if any(r[i]["type"] == "uri" for r in table.rows)]
    return label, value, uris[0] if uris else None


def draw(table: Table, view: str, local: Callable[[str], str]) -> View | None:
    """The view of ``table`` as ``view`` (None for the plain table)."""
    if view in ("cot", "duong"):
        return _select_chart(table, view, local)
    if view == "do-thi":
        return _graph(table, local)
    return None


def _select_chart(table: Table, view: str, local: Callable[[str], str]) -> View:
    if table.kind != "select":
        return View(message="Biểu đồ cột và đường cần một truy vấn SELECT (bar and line charts need a SELECT).")
    cols = _columns(table)
    if cols is None:
        return View(message="Cần một cột nhãn và một cột số (a bar or line chart needs a label and a number column).")
    label, value, link = cols
    marks = []
    for row in table.rows[:MAX_MARKS]:
        href = local(row[link]["value"]) if link is not None and row[link]["type"] == "uri" else None
        text = row[label]["value"] or "(trống)"
        marks.append(Mark(text if row[label]["type"] != "uri" else local(text), _number(row[value]) or 0.0,
                          href if href and href.startswith("/") else None))
    unit, category = table.columns[value], table.columns[label]
    svg = (bar_chart(marks, category=category, unit=unit, value_title=unit) if view == "cot"
           else line_chart(marks, category=category, unit=unit))
    return View(svg=svg, shown=len(marks))


def _graph(table: Table, local: Callable[[str], str]) -> View:
    if table.kind != "graph":
        return View(message="Đồ thị cần một truy vấn CONSTRUCT hoặc DESCRIBE (the graph view needs a CONSTRUCT).")
    names: dict[str, str] = {}
    edges: Counter[tuple[str, str]] = Counter()
    degree: Counter[str] = Counter()
    for s, p, o in table.rows:
        if o["type"] == "literal":
            if p["value"] in LABELS:
                names.setdefault(s["value"], o["value"])
            continue
        edges[(s["value"], o["value"])] += 1
        degree.update([s["value"], o["value"]])
    if not edges:
        return View(message="Kết quả không có cạnh nào giữa hai IRI (no triple links two resources).")
    keep = [iri for iri, _ in degree.most_common(MAX_NODES)]
    kept = set(keep)
    nodes = [Node(iri, names.get(iri) or _tail(local(iri)), degree[iri], local(iri) if local(iri).startswith("/") else None)
             for iri in keep]
    links = [(a, b, w) for (a, b), w in edges.items() if a in kept and b in kept and a != b]
    return View(svg=network(nodes, links, unit="cạnh", size=560), shown=len(nodes))


def _tail(path: str) -> str:
    return path.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or path
