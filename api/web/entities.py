"""Rich HTML for entity IRIs: documents, tasks, targets, agencies, sections, renditions.

Why a middleware: every IRI under the base dereferences at its own path
(``api/linked_data.py``: HTML, Turtle, JSON-LD …). Browsers should get *these* pages there —
``/eli/binh-phuoc/ubnd/kh/2025/57`` in a browser shows the plan — while RDF clients keep
content negotiation exactly as it is. ``EntityPages`` is a small ASGI middleware in front
of the app: for a GET under ``/eli/``, ``/agency/``, ``/group/`` or ``/source/`` whose
negotiated format is HTML and whose IRI has one of the known types, it answers with the
rich page; everything else (other formats, other types, unknown IRIs, every other path)
goes to the app untouched. Each page ends with the raw property tables of the plain page
(``html_pages.entity_tables``), so ``{entity}#deadline`` anchors keep working, and links
to its RDF (``<link rel="alternate">`` and visible links).

The lists come from the same cached export objects as the JSON API (``Records``), so a
task looks the same on its page, in a list, in the CSV and in ``/api/tasks``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import rdflib
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from plankg.api.http.html_pages import entity_tables
from plankg.api.http.linked_data.describe import describe, labels, safe_iri
from plankg.api.http.linked_data.routes import alternates
from plankg.api.http.negotiation import NotAcceptable, choose
from plankg.api.http.snapshot import StoreSnapshot, StoreUnavailable, VersionedCache
from plankg.api.web.render import LOCALITY_KEY, Renderer, distinct
from plankg.api.web.retired import retired_page
from plankg.api.web.source import renditions
from plankg.config import Settings
from plankg.store.base import GraphStore
from plankg.store.read.queries import PREFIXES, run_query
from plankg.store.read.records import Records

PK = "https://w3id.org/plankg/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = rdflib.RDF.type
PREFIXES_HANDLED = ("/eli/", "/agency/", "/group/", "/source/")
KINDS = (("Document", "document"), ("Task", "task"), ("TaskMention", "task"), ("Target", "target"), ("Agency", "agency"),
         ("AgentGroup", "agency"), ("Section", "section"), ("Rendition", "rendition"))
NO_YEAR = "Không ghi năm"
INFERRED_VI = {"year": "năm", "kind": "loại văn bản", "issuer": "cơ quan ban hành", "locality": "địa phương",
               "date": "ngày", "number": "số"}


def path_key(path: str | None) -> list[tuple[int, int, str]]:
    """Natural order of section/task paths ("PL2.56" after "PL2.9")."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.~]", path or "")]


class EntityData:
    """Builds the template context of one entity page from the store and the cached lists."""

    def __init__(self, settings: Settings, snapshot: StoreSnapshot, cache: VersionedCache) -> None:
        self.settings = settings
        self.base = settings.base_iri
        self.snapshot = snapshot
        self.cache = cache

    # -- cached lists ---------------------------------------------------------------------
    def records(self, what: str) -> list[dict[str, Any]]:
        return self.cache.get(f"records:{what}", lambda store: getattr(Records(store, self.settings), what)())

    def by_iri(self, what: str) -> dict[str, dict[str, Any]]:
        return self.cache.get(f"web:{what}-by-iri", lambda _s: {x["iri"]: x for x in self.records(what)})

    def names(self) -> dict[str, str]:
        """Display names of agencies (with the locality where two share a name) and documents."""
        return self.cache.get("web:names", lambda store: display_names(store, self.settings))

    def renditions(self) -> dict[str, dict[str, Any]]:
        return self.cache.get("web:renditions", lambda store: renditions(store, self.settings))

    def local(self, iri: str) -> str:
        return "/" + iri[len(self.base):] if iri.startswith(self.base) else iri

    def rows(self, store: GraphStore, body: str) -> list[dict[str, Any]]:
        return run_query(store, self.settings, PREFIXES + body).records()

    # -- the page ----------------------------------------------------------------------------
    def context(self, iri: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """(template, context) for ``iri``, or None when it is not a kind with a rich page."""
        if not safe_iri(iri):
            return None
        store = self.snapshot.get()
        g = describe(store, self.settings, iri)
        if len(g) == 0:
            return None
        node = rdflib.URIRef(iri)
        types = {str(t) for t in g.objects(node, RDF_TYPE)}
        kind = next((k for local, k in KINDS if PK + local in types), None)
        if kind is None:
            return None
        names = sorted({str(t) for triple in g for t in triple if isinstance(t, rdflib.URIRef)})
        lab = labels(store, self.settings, names)
        ctx: dict[str, Any] = {
            "iri": iri, "path": path, "labels": lab, "kind": kind,
            "alternates": alternates(path)[1:],  # the RDF ones (the first is this HTML)
            "rdf_tables": Markup(entity_tables(iri, g, lab, self.base)),
            "spans": self._spans(g, node),
        }
        builder: Callable[[GraphStore, rdflib.Graph, rdflib.URIRef, dict[str, Any]], None] = getattr(self, f"_{kind}")
        builder(store, g, node, ctx)
        return kind + ".html", ctx

    def _values(self, g: rdflib.Graph, node: rdflib.URIRef, prop: str) -> list[str]:
        return sorted(str(o) for o in g.objects(node, rdflib.URIRef(prop)))

    def _one(self, g: rdflib.Graph, node: rdflib.URIRef, prop: str) -> str | None:
        vals = self._values(g, node, prop)
        return vals[0] if vals else None

    def _spans(self, g: rdflib.Graph, node: rdflib.URIRef) -> list[dict[str, Any]]:
        """The entity's provenance spans (dependent resources, so already in ``g``)."""
        out = []
        def val(span: rdflib.term.Node, p: str) -> Any:
            v = g.value(span, rdflib.URIRef(PK + p))
            return v.toPython() if isinstance(v, rdflib.Literal) else v

        for span in g.objects(node, rdflib.URIRef(PK + "extractedFrom")):
            file, start, end = val(span, "sourceFile"), val(span, "startOffset"), val(span, "endOffset")
            if file is None or start is None or end is None:
                continue
            out.append({"iri": str(span), "file": str(file), "start": int(start), "end": int(end),
                        "method": val(span, "extractionMethod"), "start_line": val(span, "startLine"),
                        "end_line": val(span, "endLine"), "quote": val(span, "quote")})
        rank = {f: (r.get("precedence") or 0) for f, r in self.renditions().items()}
        return sorted(out, key=lambda s: (rank.get(s["file"], 9), s["file"], s["start"]))

    # -- kinds ------------------------------------------------------------------------------------
    def _document(self, store: GraphStore, g: rdflib.Graph, node: rdflib.URIRef, ctx: dict[str, Any]) -> None:
        iri = str(node)
        lab = ctx["labels"]
        ident = self._one(g, node, ELI + "id_local")
        kind_iri = self._one(g, node, ELI + "type_document")
        ctx["doc"] = {
            "identifier": ident, "title": self._one(g, node, ELI + "title"), "date": self._one(g, node, ELI + "date_document"),
            "kind": lab.get(kind_iri or "", None), "issuer": self._one(g, node, ELI + "passed_by"),
            "issuer_name": self._one(g, node, PK + "issuerName"), "locality": self._one(g, node, PK + "locality"),
            "signer": self._one(g, node, PK + "signer"), "year": self._one(g, node, PK + "year"),
            "inferred": [INFERRED_VI.get(f, f) for f in self._values(g, node, PK + "inferredField")],
        }
        ctx["title"] = " ".join(x for x in (ctx["doc"]["kind"], ident) if x) or lab.get(iri) or iri
        ctx["links_out"] = [(label, self._values(g, node, p)) for label, p in (
            ("Triển khai thực hiện", PK + "implements"), ("Căn cứ", ELI + "based_on"), ("Sửa đổi", ELI + "amends"))]
        ctx["citations_out"] = self._citations(store, iri, outgoing=True)
        ctx["citations_in"] = self._citations(store, iri, outgoing=False)
        ctx["implemented_by"] = sorted({r["d"] for r in self.rows(store, f"SELECT ?d WHERE {{ ?d pk:implements <{iri}> }}")})
        extra = {c["other"] for c in ctx["citations_out"] + ctx["citations_in"]} | set(ctx["implemented_by"])
        lab.update(labels(store, self.settings, sorted(extra - set(lab))))
        ctx["sections"] = self._section_tree(store, iri)
        ctx["tasks"] = [t for t in self.records("tasks") if t["document"]["iri"] == iri]
        ctx["targets"] = [t for t in self.records("targets") if t["document"]["iri"] == iri]
        ctx["renditions"] = sorted((r for r in self.renditions().values() if r["document"] == iri),
                                   key=lambda r: (r.get("precedence") or 0, r["file"]))
        ctx["csv_filter"] = {"van_ban": ctx["path"]}

    def _citations(self, store: GraphStore, iri: str, outgoing: bool) -> list[dict[str, Any]]:
        """One entry per cited (or citing) document: how often, and the wording of the preferred
        rendition (an OCR copy cites the same document with garbled text)."""
        this, other = ("citingDocument", "citedDocument") if outgoing else ("citedDocument", "citingDocument")
        rows = self.rows(store, f"""SELECT ?c ?other ?as ?file ?s ?e WHERE {{ ?c a pk:Citation ; pk:{this} <{iri}> ;
            pk:{other} ?other . OPTIONAL {{ ?c pk:citedAs ?as }}
            OPTIONAL {{ ?c pk:extractedFrom ?span . ?span pk:sourceFile ?file ; pk:startOffset ?s ; pk:endOffset ?e }} }}""")
        rank = {f: (r.get("precedence") or 0) for f, r in self.renditions().items()}
        grouped: dict[str, dict[str, Any]] = {}
        for r in rows:
            item = grouped.setdefault(r["other"], {"other": r["other"], "citations": set(), "mentions": []})
            item["citations"].add(r["c"])
            if r.get("file"):
                item["mentions"].append((rank.get(r["file"], 9), -len(r.get("as") or ""), r.get("as"),
                                         {"file": r["file"], "start": r["s"], "end": r["e"]}))
        out = []
        for item in grouped.values():
            best = min(item["mentions"], key=lambda m: m[:2]) if item["mentions"] else (0, 0, None, None)
            out.append({"other": item["other"], "count": len(item["citations"]), "as": best[2], "source": best[3]})
        return sorted(out, key=lambda c: (-c["count"], c["other"]))

    def _section_tree(self, store: GraphStore, iri: str) -> list[dict[str, Any]]:
        rows = self.rows(store, f"""SELECT ?s ?path ?num ?heading ?parent WHERE {{ ?s a pk:Section ; pk:inDocument <{iri}> ;
            pk:path ?path . OPTIONAL {{ ?s pk:number ?num }} OPTIONAL {{ ?s pk:heading ?heading }}
            OPTIONAL {{ ?s eli:is_part_of ?parent }} }}""")
        nodes = {r["s"]: {"iri": r["s"], "path": r["path"], "number": r.get("num"), "heading": r.get("heading"),
                          "parent": r.get("parent"), "children": []} for r in rows}
        tasks: defaultdict[str, int] = defaultdict(int)
        for t in self.records("tasks"):
            if t["document"]["iri"] == iri and t.get("section"):
                tasks[t["section"]] += 1
        roots: list[dict[str, Any]] = []
        for n in sorted(nodes.values(), key=lambda n: path_key(n["path"])):
            n["tasks"] = tasks.get(n["path"], 0)
            parent = nodes.get(n["parent"] or "")
            (parent["children"] if parent else roots).append(n)
        return roots

    def _task(self, store: GraphStore, g: rdflib.Graph, node: rdflib.URIRef, ctx: dict[str, Any]) -> None:
        iri = str(node)
        t = self.by_iri("tasks").get(iri) or {"iri": iri, "text": self._one(g, node, PK + "text"), "lead": [],
                                              "cooperating": [], "document": {"iri": self._one(g, node, PK + "inDocument")}}
        ctx["task"] = t
        ctx["title"] = f"Nhiệm vụ {t.get('path') or ''}".strip()
        ctx["section"] = self._one(g, node, PK + "inSection")
        tasks = self.by_iri("tasks")
        ctx["corresponds"] = [(c, (tasks.get(c) or {}).get("path") or c.rsplit("/", 1)[-1])
                              for c in self._values(g, node, PK + "correspondsTo")]
        ctx["pillars"] = self._values(g, node, PK + "pillar")
        ctx["origin"] = self._one(g, node, PK + "origin")
        # links across levels of government: "Thực hiện nhiệm vụ cấp trên" / "Được cụ thể hóa bởi"
        ctx["carries_out"] = [(x["iri"], _task_label(tasks.get(x["iri"]), x["iri"]), x["score"]) for x in t.get("carries_out", [])]
        ctx["carried_out_by"] = [(x["iri"], _task_label(tasks.get(x["iri"]), x["iri"]), x["score"])
                                 for x in t.get("carried_out_by", [])]
        # items of a policy resolution: "Phục vụ nội dung của Nghị quyết 57-NQ/TW"
        ctx["serves_sections"] = [(x["iri"], x.get("identifier") or "", x["path"], x.get("heading") or "", x["score"])
                                  for x in t.get("serves_sections", [])]
        self._label_more(store, ctx, [t["document"]["iri"], *(c for c, _ in ctx["corresponds"]), *ctx["pillars"]])

    def _target(self, store: GraphStore, g: rdflib.Graph, node: rdflib.URIRef, ctx: dict[str, Any]) -> None:
        iri = str(node)
        t = self.by_iri("targets").get(iri) or {"iri": iri, "indicator": self._one(g, node, PK + "indicatorText"),
                                                "monitoring": [], "document": {"iri": self._one(g, node, PK + "inDocument")},
                                                "value": {}}
        ctx["target"] = t
        ctx["title"] = f"Chỉ tiêu {t.get('path') or ''}".strip()
        ctx["section"] = self._one(g, node, PK + "inSection")
        ctx["mentions"] = self._values(g, node, PK + "mentionOf")
        ctx["discrepancies"] = self._values(g, node, PK + "discrepancy")
        self._label_more(store, ctx, [t["document"]["iri"]] + ctx["mentions"])

    def _agency(self, store: GraphStore, g: rdflib.Graph, node: rdflib.URIRef, ctx: dict[str, Any]) -> None:
        iri = str(node)
        lab = ctx["labels"]
        name = self._one(g, node, SKOS + "prefLabel") or lab.get(iri) or iri
        ctx["title"] = name
        ctx["agency"] = {
            "name": name, "full": self._one(g, node, str(rdflib.RDFS.label)),
            "alt": self._values(g, node, SKOS + "altLabel"), "locality": self._one(g, node, PK + "locality"),
            "level": lab.get(self._one(g, node, PK + "adminLevel") or ""),
            "parent": self._one(g, node, "http://www.w3.org/ns/org#subOrganizationOf"),
            "collective": PK + "AgentGroup" in {str(t) for t in g.objects(node, RDF_TYPE)},
            "successors": self._values(g, node, PK + "successor"), "predecessors": self._values(g, node, PK + "predecessor"),
        }
        lead = [t for t in self.records("tasks") if any(a["iri"] == iri for a in t["lead"])]
        coop = [t for t in self.records("tasks") if any(a["iri"] == iri for a in t["cooperating"])]
        ctx["by_year"] = {"lead": _by_year(lead), "cooperating": _by_year(coop)}
        years = sorted({y for groups in ctx["by_year"].values() for y in groups}, key=_year_order)
        ctx["year_summary"] = [(y, len(ctx["by_year"]["lead"].get(y, [])), len(ctx["by_year"]["cooperating"].get(y, [])))
                               for y in years]
        ctx["lead_count"], ctx["coop_count"] = len(lead), len(coop)
        ctx["targets"] = [t for t in self.records("targets") if any(a["iri"] == iri for a in t["monitoring"])]
        ctx["issued"] = [d for d in self.records("documents") if self._issuer(store, d["iri"]) == iri]
        ctx["csv_filter"] = {"co_quan": ctx["path"]}
        a = ctx["agency"]
        self._label_more(store, ctx, a["successors"] + a["predecessors"] + [a["parent"] or "", a["locality"] or ""])
        ctx["labels"].update(distinct([iri, *a["successors"], *a["predecessors"]], self.names()))
        ctx["labels"][iri] = name

    def _issuer(self, store: GraphStore, doc: str) -> str | None:
        issuers = self.cache.get("web:issuers", lambda s: {r["d"]: r["a"] for r in self.rows(
            s, "SELECT ?d ?a WHERE { ?d eli:passed_by ?a }")})
        return issuers.get(doc)

    def _section(self, store: GraphStore, g: rdflib.Graph, node: rdflib.URIRef, ctx: dict[str, Any]) -> None:
        iri = str(node)
        doc = self._one(g, node, PK + "inDocument") or ""
        path = self._one(g, node, PK + "path")
        ctx["section"] = {"path": path, "number": self._one(g, node, PK + "number"),
                          "heading": self._one(g, node, PK + "heading"), "document": doc,
                          "parent": self._one(g, node, ELI + "is_part_of"),
                          "children": sorted(self._values(g, node, ELI + "has_part"),
                                             key=lambda c: path_key(c.rsplit("/", 1)[-1]))}
        ctx["title"] = f"Mục {path}: {ctx['section']['heading'] or ''}".strip().rstrip(":")
        inside = {r["x"] for r in self.rows(store, f"SELECT ?x WHERE {{ ?x pk:inSection <{iri}> }}")}
        ctx["tasks"] = [t for i, t in self.by_iri("tasks").items() if i in inside]
        ctx["targets"] = [t for i, t in self.by_iri("targets").items() if i in inside]
        ctx["csv_filter"] = {"van_ban": self.local(doc), "muc": path}
        self._label_more(store, ctx, [doc, iri])

    def _rendition(self, store: GraphStore, g: rdflib.Graph, node: rdflib.URIRef, ctx: dict[str, Any]) -> None:
        iri = str(node)
        r = next((x for x in self.renditions().values() if x["iri"] == iri), None) or {
            "file": self._one(g, node, PK + "sourceFile"), "document": self._one(g, node, PK + "renditionOf")}
        ctx["rendition"] = r
        ctx["title"] = f"Tệp nguồn {r['file']}"
        self._label_more(store, ctx, [r.get("document") or ""])

    def _label_more(self, store: GraphStore, ctx: dict[str, Any], iris: list[str]) -> None:
        """Labels for more IRIs; agencies and documents get their display names ("Sở Y tế (tỉnh
        Đồng Nai)", "57/KH-UBND (2025)")."""
        lab = ctx["labels"]
        missing = sorted({i for i in iris if i and i not in lab})
        if missing:
            lab.update(labels(store, self.settings, missing))
        names = self.names()
        lab.update({i: names[i] for i in iris if i in names})


def display_names(store: GraphStore, settings: Settings) -> dict[str, str]:
    """Display names for agencies and documents ("57/KH-UBND (2025)"; a document without a
    symbol: "Kế hoạch (2025) — UBND phường Bình Phước"), plus each agency's locality."""
    rows = run_query(store, settings, PREFIXES + """SELECT ?a ?name ?loc WHERE { ?a skos:prefLabel ?name .
        FILTER(lang(?name) = "vi" || lang(?name) = "") { ?a a pk:Agency } UNION { ?a a pk:AgentGroup }
        OPTIONAL { ?a pk:locality/skos:prefLabel ?loc } }""").records()
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(r["a"], str(r["name"]))
        if r.get("loc"):
            out.setdefault(LOCALITY_KEY + r["a"], str(r["loc"]))
    docs = run_query(store, settings, PREFIXES + """SELECT ?d ?id ?date ?year ?kind ?issuer ?title WHERE { ?d a pk:Document .
        OPTIONAL { ?d eli:id_local ?id } OPTIONAL { ?d eli:date_document ?date } OPTIONAL { ?d pk:year ?year }
        OPTIONAL { ?d eli:type_document/skos:prefLabel ?kind FILTER(lang(?kind) = "vi") }
        OPTIONAL { ?d pk:issuerName ?issuer } OPTIONAL { ?d eli:title ?title } }""").records()
    for r in docs:
        year = str(r["date"])[:4] if r.get("date") else (str(r["year"]) if r.get("year") else None)
        if r.get("id"):
            label = f"{r['id']} ({year})" if year else str(r["id"])
        else:  # no symbol printed: kind, year and issuer say which document it is
            label = " ".join(x for x in (r.get("kind") or "Văn bản", f"({year})" if year else None,
                                         f"— {r['issuer']}" if r.get("issuer") else None) if x)
        out.setdefault(r["d"], label)
    return out


def _year_order(year: str) -> tuple[int, str]:
    return (1, year) if year == NO_YEAR else (0, year)


def _by_year(tasks: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Tasks grouped by the year they are due (deadline end); undated ones last."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in tasks:
        end = (t.get("deadline") or {}).get("end")
        groups[end[:4] if end else NO_YEAR].append(t)
    for items in groups.values():
        items.sort(key=lambda t: ((t.get("deadline") or {}).get("end") or "9999", t["document"]["iri"], path_key(t["path"])))
    return dict(sorted(groups.items(), key=lambda kv: _year_order(kv[0])))


class EntityPages:
    """ASGI middleware: the rich page for browsers at an entity's own path (see the module docstring)."""

    def __init__(self, app: ASGIApp, data: EntityData, renderer: Renderer) -> None:
        self.app = app
        self.data = data
        self.renderer = renderer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"].startswith(PREFIXES_HANDLED):
            response = await run_in_threadpool(self.page, Request(scope))
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def page(self, request: Request) -> Response | None:
        try:
            fmt = choose("page", request.headers.get("accept"), request.query_params.getlist("format") or None)
        except NotAcceptable:
            return None
        if fmt != "html":
            return None
        path = request.url.path
        iri = self.data.base + path.lstrip("/")
        try:
            found = self.data.context(iri, path)
        except StoreUnavailable:
            return None  # the app answers 503
        if found is None:  # a retired IRI: 301 to its successor's page, or the 410 page
            return retired_page(self.renderer, self.data.settings, iri, self.renderer.local)
        template, ctx = found
        from plankg.api.http.linked_data.routes import alternates

        links = ", ".join(f'<{h}>; rel="alternate"; type="{t}"' for t, h in alternates(path))
        return HTMLResponse(self.renderer.html(template, **ctx), headers={"Vary": "Accept", "Link": links})


def _task_label(task: dict[str, Any] | None, iri: str) -> str:
    """"57/KH-UBND PL2.1" for a linked task: the document's symbol and the task's path."""
    if not task:
        return iri.rsplit("/", 1)[-1]
    doc = (task.get("document") or {}).get("identifier") or ""
    return f"{doc} {task.get('path') or ''}".strip()
