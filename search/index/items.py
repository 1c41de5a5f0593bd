"""The indexable items, read from the knowledge graph (never from the source files).

Why from the graph: search must show exactly what the graph says (the merged view after
renditions were reconciled and corrections applied) and filter on graph facts. So every
item carries, besides its text, the facts the ranking filters or boosts on: type, lead and
cooperating agencies, deadline/horizon interval and years, document, localities.

What is indexed (seeds: ~200 tasks, ~110 task mentions, ~140 targets, ~50 documents, ~90 section passages):

* every ``pk:Task`` (its text; the expected output is searched too) and every ``pk:Target`` (indicator,
  value, unit, horizon); every ``pk:TaskMention`` (its text, collapsed into its task);
* every ``pk:Document``: kind, symbol, title, issuer, date; a document only *cited* by the
  corpus gets its longest accented citation text ("Nghị quyết số 57-NQ/TW ngày … về …");
* every ``pk:Section`` that is not itself a task or a target (those are already items)
  and not an appendix: its heading plus the start of its text (``pk:quote`` of the span in
  the preferred rendition, at most 500 characters) — the "section passages".

A narrative item that restates an appendix row is a ``pk:TaskMention`` of that row's task
(``pk:correspondsTo``; #14: not a second ``pk:Task``). It is still indexed, as an item of
type ``TaskMention`` (the narrative often says more than the row), and collapsed at ranking
time into the appendix row, which carries the lead agency and the deadline: ``partners``
lists its tasks, and a mention is never a result itself. Its section (same path) is no
section passage either, as for a task (else the passage restating the row would rank beside
it: nDCG@10 0.919 instead of 0.969 on the evaluation set). Narrative targets that restate an
appendix row (``pk:mentionOf``) collapse the same way.

Result shapes (``document``, agencies, ``deadline``, ``source``) are those of
:class:`plankg.store.read.records.Records`, so search results and ``plankg export`` agree.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from plankg.config import Settings
from plankg.folding import fold
from plankg.ingest.readers.normalize import join_lines
from plankg.search.text import is_poorly_accented, normalize_query
from plankg.store.base import GraphStore
from plankg.store.read.labels import document_label, shorten
from plankg.store.read.queries import PREFIXES, run_query
from plankg.store.read.records import Records

__all__ = ["ITEM_TYPES", "MENTION", "Item", "item_document", "item_fingerprint", "read_items", "scoped_store"]

ITEM_TYPES = ("Task", "Target", "Document", "Section")
#: Type of a narrative restatement of an appendix row (pk:TaskMention): indexed for its words,
#: never a result of its own (not in ITEM_TYPES, so no type filter names it).
MENTION = "TaskMention"
#: Years spanned by a deadline are listed one by one up to this many (a 2021-2030 horizon).
MAX_SPAN_YEARS = 12
LABEL_CHARS = 120
#: A section passage is embedded up to this many characters (its heading and first lines:
#: what the section is about); BM25 sees all of it. Embedding is the slow part of indexing.
SECTION_EMBED_CHARS = 300


@dataclass
class Item:
    """One search result candidate. ``text`` is shown and highlighted; ``index_text`` (text
    plus agency names, deadline and document symbol) feeds BM25; ``embed_text`` the dense
    model (the text alone, so a changed agency does not force a re-embedding)."""

    iri: str
    type: str
    label: str
    text: str
    index_text: str
    embed_text: str
    document: dict[str, Any] | None
    lead: list[dict[str, Any]] = field(default_factory=list)
    cooperating: list[dict[str, Any]] = field(default_factory=list)
    deadline: dict[str, Any] | None = None
    source: dict[str, Any] | None = None
    #: Deadline / horizon years (a 2025-2026 deadline: [2025, 2026]); for a document its year.
    years: list[int] = field(default_factory=list)
    doc_year: int | None = None
    #: Locality IRIs: the document's and the lead agencies'.
    localities: list[str] = field(default_factory=list)
    origin: str | None = None
    #: Appendix rows this narrative item corresponds to (collapse targets); empty otherwise.
    partners: list[str] = field(default_factory=list)
    kind: str | None = None  # document kind ("Kế hoạch") for documents
    #: For a document: the documents it implements (pk:implements), then the others it cites.
    implements: list[str] = field(default_factory=list)

    @property
    def agency_iris(self) -> set[str]:
        return {a["iri"] for a in self.lead} | {a["iri"] for a in self.cooperating}

    @property
    def interval(self) -> tuple[date | None, date | None]:
        """The deadline/horizon as dates (None: open or unknown)."""
        d = self.deadline or {}
        return _date(d.get("start")), _date(d.get("end"))

    def effective_years(self) -> list[int]:
        """Years for the year filter and facet: deadline years, else the document's year."""
        return self.years or ([self.doc_year] if self.doc_year else [])

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        return cls(**data)

    def result(self) -> dict[str, Any]:
        """The contract fields of a search result (without ``snippet`` and ``score``)."""
        return {"iri": self.iri, "type": self.type, "label": self.label, "text": self.text,
                "document": self.document, "lead": self.lead, "cooperating": self.cooperating,
                "deadline": self.deadline, "source": _source(self.source)}


def _source(src: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if src is None else {"file": src.get("file"), "start": src.get("start"), "end": src.get("end")}


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return shorten(text, limit)


def _years(start: date | None, end: date | None) -> list[int]:
    if start and end and 0 <= end.year - start.year < MAX_SPAN_YEARS:
        return list(range(start.year, end.year + 1))
    return sorted({d.year for d in (start, end) if d})


def _rows(store: GraphStore, settings: Settings, body: str) -> list[dict[str, Any]]:
    return run_query(store, settings, PREFIXES + body).records()


# --------------------------------------------------------------------------- graph facts

def _documents_extra(store: GraphStore, settings: Settings, rec: Records) -> dict[str, dict[str, Any]]:
    """Per document: kind label, symbol, number, year, locality, issuer, title, date."""
    out: dict[str, dict[str, Any]] = {}
    for r in _rows(store, settings, """SELECT ?d ?kind ?id ?year ?loc ?issuer ?issuerName ?title ?date ?rend WHERE {
        """ + rec.scope("d") + """ ?d a pk:Document .
        OPTIONAL { ?d eli:type_document/skos:prefLabel ?kind FILTER(lang(?kind) = "vi") }
        OPTIONAL { ?d eli:id_local ?id } OPTIONAL { ?d pk:year ?year } OPTIONAL { ?d pk:locality ?loc }
        OPTIONAL { ?d eli:passed_by ?issuer } OPTIONAL { ?d pk:issuerName ?issuerName }
        OPTIONAL { ?d eli:title ?title } OPTIONAL { ?d eli:date_document ?date }
        BIND(EXISTS { ?d pk:hasRendition ?r } AS ?rend) }"""):
        d = out.setdefault(r["d"], {"iri": r["d"], "localities": set()})
        for k in ("kind", "id", "year", "issuer", "issuerName", "title", "date"):
            # of several values (renditions or citing documents that disagree), one chosen by
            # value, not by the row order of the query plan (a scoped read's plan differs)
            if r.get(k) is not None and (d.get(k) is None or _preferred(r[k], d[k])):
                d[k] = r[k]
        if r.get("loc"):
            d["localities"].add(r["loc"])
        d["rendered"] = bool(r.get("rend"))
    cited: dict[str, list[str]] = defaultdict(list)
    cites = "?c pk:citedDocument ?d ." if rec.documents_scope is None else (
        "{ SELECT ?c ?d WHERE { " + rec.scope("d") + " ?c pk:citedDocument ?d } }")
    for r in _rows(store, settings, "SELECT ?d ?as WHERE { " + cites + " ?c pk:citedAs ?as }"):
        cited[r["d"]].append(str(r["as"]))
    for iri, forms in cited.items():
        if iri in out:
            out[iri]["cited_as"] = forms
    return out


def _preferred(a: Any, b: Any) -> bool:
    """Is value ``a`` kept over ``b``: mixed case before ALL CAPS, then the smaller text."""
    return (str(a).isupper(), str(a)) < (str(b).isupper(), str(b))


def _citing_sources(store: GraphStore, settings: Settings, rec: Records) -> dict[str, list[dict[str, Any]]]:
    """Per cited document, the spans of the passages citing it (preferred rendition first);
    scoped: the scoped documents only (an update must not read every citation of the corpus)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    cites = "?c pk:citedDocument ?d ." if rec.documents_scope is None else (
        "{ SELECT ?c ?d WHERE { " + rec.scope("d") + " ?c pk:citedDocument ?d } }")  # driven by the scope
    rows = _rows(store, settings, """SELECT ?d ?file ?s ?e ?rank WHERE { """ + cites + """
        ?c pk:extractedFrom ?span .
        ?span pk:sourceFile ?file ; pk:startOffset ?s ; pk:endOffset ?e .
        OPTIONAL { ?r pk:sourceFile ?file ; a pk:Rendition ; pk:precedence ?rank } }""")
    for r in sorted(rows, key=lambda r: (r.get("rank", 0), r["file"], r["s"])):
        span = {"file": r["file"], "start": r["s"], "end": r["e"]}
        if span not in out[r["d"]]:
            out[r["d"]].append(span)
    return out


def _agency_localities(store: GraphStore, settings: Settings, rec: Records) -> dict[str, str]:
    """Agency → its locality (scoped: the agencies the scoped documents name)."""
    return {r["a"]: r["l"] for r in _rows(store, settings, "SELECT ?a ?l WHERE { " + rec.named("a") + " ?a pk:locality ?l }")}


def _partners(store: GraphStore, settings: Settings, rec: Records) -> dict[str, list[str]]:
    """Narrative task → its appendix rows; task mention → its tasks; narrative target → the
    appendix target it restates."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, settings, """SELECT ?a ?b WHERE { """ + rec.within("a") + """ ?a pk:correspondsTo ?b .
        { ?a pk:origin "narrative" . ?b pk:origin "appendix" } UNION { ?a a pk:TaskMention . ?b a pk:Task } }"""):
        out[r["a"]].add(r["b"])
    for r in _rows(store, settings, "SELECT ?a ?b WHERE { " + rec.within("a") + " ?a pk:mentionOf ?b FILTER(?a != ?b) }"):
        out[r["a"]].add(r["b"])
    return {k: sorted(v) for k, v in out.items()}


def _origins(store: GraphStore, settings: Settings, rec: Records) -> dict[str, str]:
    return {r["x"]: str(r["o"]) for r in _rows(store, settings, "SELECT ?x ?o WHERE { " + rec.within("x") + " ?x pk:origin ?o }")}


def _item_paths(store: GraphStore, settings: Settings, rec: Records) -> set[tuple[str, str]]:
    """(document, path) of every task, task mention and target: a section at such a path is
    that item's own section, not a passage."""
    return {(r["doc"], str(r["path"])) for r in _rows(store, settings, "SELECT ?doc ?path WHERE { " + rec.parts("t", "doc")
            + " ?t pk:path ?path ; a ?c FILTER(?c IN (pk:Task, pk:TaskMention, pk:Target)) }")}


def _section_spans(store: GraphStore, settings: Settings, rec: Records) -> dict[str, list[dict[str, Any]]]:
    """Section → its spans (file, start, end, quote, the rendition's precedence). A separate
    query: as a nested OPTIONAL of the sections' query it was evaluated over every span."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(store, settings, """SELECT ?s ?file ?start ?end ?quote ?rank WHERE { """ + rec.within("s") + """
            ?s a pk:Section ; pk:extractedFrom ?span . ?span pk:sourceFile ?file ; pk:startOffset ?start ; pk:endOffset ?end .
            OPTIONAL { ?span pk:quote ?quote } OPTIONAL { ?r a pk:Rendition ; pk:sourceFile ?file ; pk:precedence ?rank } }"""):
        out[r.pop("s")].append(r)
    return out


def _sections(store: GraphStore, settings: Settings, rec: Records) -> list[dict[str, Any]]:
    """Sections that are neither tasks (nor task mentions) nor targets nor appendices, with their best quote.
    (The "no item at the same path" test is done here, not by a FILTER NOT EXISTS: Oxigraph
    evaluated that one against every part of the corpus, 70 % of a full read.)"""
    rows = _rows(store, settings, """SELECT ?s ?doc ?path ?number ?heading ?file ?start ?end ?quote ?rank WHERE {
        """ + rec.parts("s", "doc") + """ ?s a pk:Section ; pk:path ?path .
        FILTER NOT EXISTS { ?s a pk:Appendix }
        FILTER NOT EXISTS { ?s a ?c FILTER(?c IN (pk:Task, pk:TaskMention, pk:Target)) }
        OPTIONAL { ?s pk:number ?number } OPTIONAL { ?s pk:heading ?heading } }""")
    taken = _item_paths(store, settings, rec)
    spans = _section_spans(store, settings, rec)  # the OPTIONAL span of each section, joined here
    rows = [{**r, **span} for r in rows if (r["doc"], str(r["path"])) not in taken for span in spans.get(r["s"], [{}])]
    best: dict[str, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (r.get("rank", 0) if r.get("rank") is not None else 99, str(r.get("file")),
                                         _row_key(r))):
        best.setdefault(r["s"], r)
    return list(best.values())


def _mentions(store: GraphStore, settings: Settings, rec: Records) -> list[dict[str, Any]]:
    """Task mentions (pk:TaskMention, #14): IRI, document, text, own agencies, deadline, source."""
    names = rec.agency_names()
    lead = rec._agents("pk:leadAgency", names)
    coop = rec._agents("pk:cooperatingAgency", names)
    sources = rec.sources_of("pk:TaskMention")
    rows = _rows(store, settings, """SELECT ?m ?doc ?text ?dtext ?start ?end WHERE {
        """ + rec.parts("m", "doc") + """ ?m a pk:TaskMention ; pk:text ?text .
        OPTIONAL { ?m pk:deadlineText ?dtext } OPTIONAL { ?m pk:startDate ?start } OPTIONAL { ?m pk:dueDate ?end } }""")
    out: dict[str, dict[str, Any]] = {}
    for r in sorted(rows, key=_row_key):  # the first row of a mention by value, not by the plan's order
        if r["m"] in out:
            continue
        dtext = r.get("dtext")
        out[r["m"]] = {
            "iri": r["m"], "document": r["doc"], "text": str(r["text"]),
            "lead": lead.get(r["m"], []), "cooperating": coop.get(r["m"], []),
            "deadline": None if dtext is None else {"text": str(dtext), "start": _iso(r.get("start")),
                                                    "end": _iso(r.get("end")), "recurrence": "none"},
            "source": next(iter(sources.get(r["m"], ())), None)}
    return [out[k] for k in sorted(out)]


def _mention_items(mentions: list[dict[str, Any]], partners: dict[str, list[str]], origins: dict[str, str],
                   doc_facts: Callable[[str], tuple[dict[str, Any], int | None, set[str]]],
                   localities: Callable[[set[str], list[dict[str, Any]]], list[str]]) -> list[Item]:
    """The items of task mentions; a mention whose task is not read (another rendition's row)
    has nothing to collapse into and is left out."""
    out = []
    for m in mentions:
        if not partners.get(m["iri"]):
            continue
        doc, year, locs = doc_facts(m["document"])
        dl = m["deadline"]
        start, end = (_date(dl.get("start")), _date(dl.get("end"))) if dl else (None, None)
        context = [a["name"] or a["raw"] or "" for a in m["lead"] + m["cooperating"]] + ([dl["text"]] if dl else [])
        out.append(Item(
            iri=m["iri"], type=MENTION, label=_short(m["text"]), text=m["text"],
            index_text=" . ".join([m["text"], *filter(None, context)]), embed_text=m["text"],
            document=doc, lead=m["lead"], cooperating=m["cooperating"], deadline=dl, source=m["source"],
            years=_years(start, end), doc_year=year, localities=localities(locs, m["lead"]),
            origin=origins.get(m["iri"]), partners=partners[m["iri"]]))
    return out


def _row_key(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A total order on query rows, so "the first row" does not depend on the query plan."""
    return tuple(sorted((k, str(v)) for k, v in row.items()))


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value is not None else None)


# --------------------------------------------------------------------------- scoped reads

_PK, _ELI, _PROV = "https://w3id.org/plankg/ontology#", "http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/prov#"
#: Links a scoped read follows backwards from a document: its parts, the citations of it.
SCOPE_INVERSE = (_PK + "inDocument", _PK + "citedDocument")
#: Links to other documents or their parts (and the inverses inference adds): a scoped read
#: takes the triple, not what it leads to (a policy task is carried out by thousands).
SCOPE_STOP = tuple(ns + n for ns, names in (
    (_PK, ("inDocument", "citedDocument", "citingDocument", "implements", "carriesOut", "carriedOutBy",
           "renditionOf", "servesSection", "servingTask", "servedSection")),
    (_ELI, ("cites", "is_part_of", "has_part", "based_on", "ensures_implementation_of", "amends", "amended_by")),
    (_PROV, ("wasInformedBy", "informed", "alternateOf"))) for n in names)
#: Steps out from a document, its parts and the citations of it: part → qualified association
#: → agency, part → horizon → its instants, citation → span → rendition (one to spare).
SCOPE_DEPTH = 3


def scoped_store(settings: Settings, store: GraphStore, documents: Collection[str]) -> GraphStore:
    """What :func:`read_items` reads about ``documents``, copied into a small store (or the
    store itself when the backend cannot): the documents, their parts, the citations of them
    and what those lead to, from the default dataset's graphs. Why: on the full store each
    scoped query still joined its patterns over the whole corpus (2.2 s per add at 3,000
    documents); on the copy the same queries cost the change."""
    from plankg.store.read.queries import default_graphs

    scoped = store.neighbourhood(sorted(documents), default_graphs(settings), inverse=SCOPE_INVERSE,
                                 stop=SCOPE_STOP, depth=SCOPE_DEPTH)
    return store if scoped is None else scoped


# --------------------------------------------------------------------------- items

def read_items(settings: Settings, store: GraphStore, documents: Collection[str] | None = None) -> list[Item]:
    """Every indexable item of the merged view, in a stable order (by IRI); with
    ``documents``, only the items of those documents (:func:`item_document`)."""
    rec = Records(store, settings, documents)
    docs = _documents_extra(store, settings, rec)
    ag_loc = _agency_localities(store, settings, rec)
    partners = _partners(store, settings, rec)
    origins = _origins(store, settings, rec)
    briefs = rec.documents_brief()

    def doc_facts(doc_iri: str) -> tuple[dict[str, Any], int | None, set[str]]:
        d = docs.get(doc_iri, {})
        year = d.get("year")
        return (briefs.get(doc_iri, {"iri": doc_iri, "identifier": None, "date": None, "title": None}),
                int(year) if year is not None else None, set(d.get("localities", ())))

    def localities(doc_locs: set[str], agencies: list[dict[str, Any]]) -> list[str]:
        return sorted(doc_locs | {ag_loc[a["iri"]] for a in agencies if a["iri"] in ag_loc})

    items: list[Item] = []
    for t in rec.tasks(links=False):
        doc, year, locs = doc_facts(t["document"]["iri"])
        dl = t["deadline"]
        # the expected output ("Sản phẩm: Đề án") is searched, not shown as the task's text
        searched = t["text"] + (f" Sản phẩm: {t['output']}" if t.get("output") else "")
        start, end = (_date(dl.get("start")), _date(dl.get("end"))) if dl else (None, None)
        context = [a["name"] or a["raw"] or "" for a in t["lead"] + t["cooperating"]]
        if dl:
            context.append(dl["text"])
        items.append(Item(
            iri=t["iri"], type="Task", label=_short(t["text"]), text=t["text"],
            index_text=" . ".join([searched, *filter(None, context)]), embed_text=searched,
            document=doc, lead=t["lead"], cooperating=t["cooperating"], deadline=dl, source=t["source"],
            years=_years(start, end), doc_year=year, localities=localities(locs, t["lead"]),
            origin=origins.get(t["iri"]), partners=partners.get(t["iri"], []) if origins.get(t["iri"]) == "narrative" else []))
    items += _mention_items(_mentions(store, settings, rec), partners, origins, doc_facts, localities)
    for g in rec.targets():
        doc, year, locs = doc_facts(g["document"]["iri"])
        hz = g["horizon"]
        text = _target_text(g["indicator"], g["value"].get("text"), g.get("unit"), hz["text"] if hz else None)
        start, end = (_date(hz.get("start")), _date(hz.get("end"))) if hz else (None, None)
        deadline = None if hz is None else {"text": hz["text"], "start": hz.get("start"), "end": hz.get("end"),
                                            "recurrence": "none"}
        items.append(Item(
            iri=g["iri"], type="Target", label=_short(g["indicator"]), text=text,
            index_text=" . ".join([text, *(a["name"] or "" for a in g["monitoring"])]), embed_text=text,
            document=doc, lead=g["monitoring"], cooperating=[], deadline=deadline, source=g["source"],
            years=_years(start, end), doc_year=year, localities=localities(locs, g["monitoring"]),
            origin=origins.get(g["iri"]), partners=partners.get(g["iri"], [])))
    sources = rec.sources_of("pk:Document")
    citing = _citing_sources(store, settings, rec)
    names = rec.agency_names()
    implements: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, settings, "SELECT ?d ?c WHERE { " + rec.scope("d") + " ?d pk:implements|eli:ensures_implementation_of ?c }"):
        implements[r["d"]].add(r["c"])
    for iri, d in sorted(docs.items()):
        # a document only cited by the corpus: its source is the first passage citing it
        doc_item = _document_item(iri, d, briefs.get(iri), sources.get(iri) or citing.get(iri, []), names)
        doc_item.implements = sorted(implements.get(iri, ()))
        items.append(doc_item)
    for s in _sections(store, settings, rec):
        doc, year, locs = doc_facts(s["doc"])
        if str(s["path"]).upper().startswith("PL"):
            continue  # group rows of an appendix table ("I Đến năm 2030"): their rows are the items
        heading = normalize_query(str(s.get("heading") or "")).strip()
        quote = normalize_query(str(s.get("quote") or "")).strip()
        if quote and fold(heading[:40]) in fold(quote):
            text = quote
        else:
            text = f"{heading}. {quote}".strip(". ") if quote else heading
        if not text:
            continue
        number = str(s.get("number") or s["path"])
        src = {"file": s["file"], "start": s["start"], "end": s["end"]} if s.get("file") else None
        items.append(Item(
            iri=s["s"], type="Section", label=_short(f"{number} {heading}".strip()), text=text,
            index_text=text, embed_text=_short(text, SECTION_EMBED_CHARS), document=doc, source=src, years=[], doc_year=year,
            localities=sorted(locs)))
    _first_passage_as_source(items)
    return sorted(items, key=lambda i: i.iri)


def _first_passage_as_source(items: list[Item]) -> None:
    """An ingested document whose metadata carries no span (no number, no header found)
    still has a source: the first passage of it that is indexed."""
    first: dict[str, dict[str, Any]] = {}
    for it in items:
        doc, src = (it.document or {}).get("iri"), it.source
        if it.type != "Document" and doc and src and src.get("file") is not None:
            best = first.get(doc)
            if best is None or (src["file"], src["start"]) < (best["file"], best["start"]):
                first[doc] = src
    for it in items:
        if it.type == "Document" and it.source is None and it.iri in first:
            it.source = dict(first[it.iri])


def item_document(item: Item) -> str:
    """The document an item belongs to (a document item: itself): the unit in which an
    incremental index update re-reads items."""
    if item.type == "Document" or not item.document:
        return item.iri
    return str(item.document.get("iri") or item.iri)


def _target_text(indicator: str, value: str | None, unit: str | None, horizon: str | None) -> str:
    """"Phủ sóng 5G cho người dân: 99 % dân số (2030)"; a value that repeats the indicator
    (narrative targets without a number) is not repeated."""
    indicator = indicator.strip().rstrip(" :.")
    value = (value or "").strip()
    if value and fold(value) in fold(indicator):
        value = ""
    if value and unit and fold(unit) not in fold(value):
        value = f"{value} {unit}"
    text = f"{indicator}: {value}" if value else indicator
    return f"{text} ({horizon})" if horizon else text


def _document_item(iri: str, d: dict[str, Any], brief: dict[str, Any] | None, sources: list[dict[str, Any]],
                   names: dict[str, str]) -> Item:
    kind = d.get("kind")
    ident = d.get("id")
    title = d.get("title")
    issuer = d.get("issuerName") or (names.get(d["issuer"]) if d.get("issuer") else None)
    year = int(d["year"]) if d.get("year") is not None else None
    when: Any = d.get("date")  # a datetime.date, or a plain string when the literal is not a valid date
    date_text = f"ngày {when.day}/{when.month}/{when.year}" if hasattr(when, "day") else None
    parts = [kind, f"số {ident}" if ident else None, date_text, f"của {issuer}" if issuer else None]
    head = " ".join(p for p in parts if p)
    cited = [c for c in d.get("cited_as", []) if _accented(c)]
    best_cited = max(cited, key=lambda c: (len(c), not c.isupper(), c)) if cited else None  # ties: by value
    if title:
        text = f"{head}: {title}" if head else title
    elif best_cited and len(best_cited) > len(head):
        text = join_lines(best_cited)
    else:
        text = head or document_label({"kind": kind, "year": year})  # never the IRI
    if issuer and issuer not in text:
        text += f" ({issuer})"
    label = " ".join(p for p in [kind, ident] if p) or (f"{kind or 'Văn bản'} — {issuer}" if issuer else text)
    if not ident and year:
        label += f" ({year})"
    if title:
        label = _short(f"{label}: {title}")
    lead = [{"iri": d["issuer"], "name": names.get(d["issuer"], issuer), "raw": d.get("issuerName"),
             "collective": False}] if d.get("issuer") else []
    doc = brief or {"iri": iri, "identifier": ident, "date": None, "title": title}
    return Item(iri=iri, type="Document", label=_short(label), text=text, index_text=text, embed_text=text,
                document=doc, lead=lead, source=sources[0] if sources else None,
                origin="ingested" if d.get("rendered") else "cited",
                years=[year] if year else [], doc_year=year, localities=sorted(d.get("localities", ())),
                kind=kind)


def _accented(text: str) -> bool:
    return not is_poorly_accented(text)


def item_fingerprint(items: list[Item]) -> str:
    """A hash of the item table: equal → nothing to re-index."""
    h = hashlib.sha256()
    for it in items:
        h.update(json.dumps(it.to_dict(), ensure_ascii=False, sort_keys=True, default=str).encode())
    return h.hexdigest()


