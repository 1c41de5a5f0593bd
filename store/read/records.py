"""The JSON objects of ``plankg export`` and the JSON API, read from the merged view.

One function per entity type, each a handful of SPARQL queries assembled in Python, so
the CLI, the HTTP API and the search results describe an entity the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from plankg.config import Settings
from plankg.store.base import GraphStore
from plankg.store.read.queries import PREFIXES, run_query

ROLE_FIELD = {"https://w3id.org/plankg/ontology#LeadRole": "lead", "https://w3id.org/plankg/ontology#CooperatingRole": "cooperating"}
RECURRENCE = {"NoRecurrence": "none", "Continuous": "continuous", "Annual": "annual"}
COMPARATOR = {"ComparatorGE": "ge", "ComparatorGT": "gt", "ComparatorLE": "le", "ComparatorLT": "lt",
              "ComparatorEQ": "eq", "ComparatorRange": "range", "ComparatorText": "text"}


class Records:
    def __init__(self, store: GraphStore, settings: Settings, documents: Collection[str] | None = None) -> None:
        """``documents``: only these documents and their parts (an incremental index update
        re-reads the documents a change touched); None: all."""
        self.store = store
        self.settings = settings
        self.documents_scope = None if documents is None else sorted(documents)
        self._brief: dict[str, dict[str, Any]] | None = None  # read once per Records (tasks, targets, items)
        self._names: dict[str, str] | None = None

    def scope(self, var: str) -> str:
        """A ``VALUES`` clause restricting ``?var`` to the scoped documents ("" when unscoped)."""
        if self.documents_scope is None:
            return ""
        return f"VALUES ?{var} {{ {' '.join(f'<{d}>' for d in self.documents_scope)} }}"

    # Scoped reads put the scoped parts in a sub-select: Oxigraph's planner does not start a
    # join from a VALUES clause, so ``VALUES ?d {…} ?x pk:inDocument ?d . ?x …`` still joined
    # corpus-wide patterns (an update's reading grew with the corpus); a sub-select is
    # evaluated first and its few rows drive the rest of the query.
    def parts(self, part: str, doc: str) -> str:
        """``?part pk:inDocument ?doc`` — scoped: only the parts of the scoped documents."""
        if self.documents_scope is None:
            return f"?{part} pk:inDocument ?{doc} ."
        return f"{{ SELECT ?{part} ?{doc} WHERE {{ {self.scope(doc)} ?{part} pk:inDocument ?{doc} }} }}"

    def within(self, part: str) -> str:
        """``?part`` is a part of a scoped document ("" when unscoped: every subject)."""
        if self.documents_scope is None:
            return ""
        return f"{{ SELECT ?{part} WHERE {{ {self.scope('scoped')} ?{part} pk:inDocument ?scoped }} }}"

    def named(self, var: str) -> str:
        """``?var`` is linked from a part of a scoped document or is a scoped document's
        issuer (the agencies it names), "" when unscoped."""
        if self.documents_scope is None:
            return ""
        return (f"{{ SELECT DISTINCT ?{var} WHERE {{ {self.scope('scoped')} {{ ?x pk:inDocument ?scoped ; ?link ?{var} }} "
                f"UNION {{ ?scoped eli:passed_by ?{var} }} }} }}")

    def _rows(self, body: str) -> list[dict[str, Any]]:
        return run_query(self.store, self.settings, PREFIXES + body).records()

    # -- shared pieces ---------------------------------------------------------------
    def documents_brief(self) -> dict[str, dict[str, Any]]:
        if self._brief is None:
            self._brief = self._documents_brief()
        return self._brief

    def _documents_brief(self) -> dict[str, dict[str, Any]]:
        out = {}
        for r in _unique(self._rows(f"""SELECT ?d ?id ?date ?title WHERE {{ {self.scope("d")} ?d a pk:Document .
            OPTIONAL {{ ?d eli:id_local ?id }} OPTIONAL {{ ?d eli:date_document ?date }} OPTIONAL {{ ?d eli:title ?title }} }}"""), "d"):
            out[r["d"]] = {"iri": r["d"], "identifier": r.get("id"), "date": _iso(r.get("date")), "title": r.get("title")}
        return out

    def agency_names(self) -> dict[str, str]:
        if self._names is None:
            self._names = self._agency_names()
        return self._names

    def _agency_names(self) -> dict[str, str]:
        # of several labels the least, not SAMPLE's pick (which follows the query plan)
        return {r["a"]: r["name"] for r in self._rows(
            f"SELECT ?a (MIN(STR(?n)) AS ?name) WHERE {{ {self.named('a')} ?a skos:prefLabel ?n }} GROUP BY ?a")}

    def sources_of(self, cls: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        within = self.scope("x") if cls == "pk:Document" else self.within("x")
        rows = self._rows(f"""SELECT ?x ?file ?s ?e ?rank WHERE {{ {within} ?x a {cls} ; pk:extractedFrom ?span .
            ?span pk:sourceFile ?file ; pk:startOffset ?s ; pk:endOffset ?e .
            OPTIONAL {{ ?r pk:sourceFile ?file ; a pk:Rendition ; pk:precedence ?rank }} }}""")
        for r in sorted(rows, key=lambda r: (r.get("rank", 0), r["file"], r["s"])):
            item = {"file": r["file"], "start": r["s"], "end": r["e"]}
            if item not in out[r["x"]]:
                out[r["x"]].append(item)
        return out

    def _agents(self, prop: str, names: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        """Agency links of one shortcut property, with the raw name from the qualified association."""
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        rows = self._rows(f"""SELECT ?x ?a ?raw ?group WHERE {{ {self.within("x")} ?x {prop} ?a .
            OPTIONAL {{ ?x prov:qualifiedAssociation ?q . ?q prov:agent ?a ; pk:rawName ?raw }}
            BIND(EXISTS {{ ?a a pk:AgentGroup }} AS ?group) }}""")
        seen = set()
        # in a stable order (the query's own order depends on the plan, which differs between a
        # scoped and a full read): agencies by IRI, and of several raw names of one link the first
        for r in sorted(rows, key=lambda r: (r["x"], r["a"], str(r.get("raw") or ""))):
            if (r["x"], r["a"]) in seen:
                continue
            seen.add((r["x"], r["a"]))
            out[r["x"]].append({"iri": r["a"], "name": names.get(r["a"], r.get("raw")), "raw": r.get("raw"), "collective": bool(r["group"])})
        return out

    def alignments(self) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
        """Links across levels of government (``graph/alignment``): task → the higher tasks it
        carries out, and higher task → the lower tasks that carry it out, each with its score."""
        up: dict[str, list[dict[str, Any]]] = defaultdict(list)
        down: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # scoped: links with either end in a scoped document (not every link of the corpus)
        within = "" if self.documents_scope is None else (
            f"{{ {self.within('t')} ?a pk:alignedTask ?t }} UNION {{ {self.within('h')} ?a pk:alignedTo ?h }}")
        for r in self._rows("""SELECT DISTINCT ?t ?h ?s ?m WHERE { """ + within + """
                ?a a pk:TaskAlignment ; pk:alignedTask ?t ; pk:alignedTo ?h ;
                pk:alignmentScore ?s . OPTIONAL { ?a pk:alignmentMethod ?m } } ORDER BY DESC(?s) ?t ?h"""):
            score, method = float(r["s"]), r.get("m")
            up[r["t"]].append({"iri": r["h"], "score": score, "method": method})
            down[r["h"]].append({"iri": r["t"], "score": score, "method": method})
        return up, down

    def section_alignments(self) -> dict[str, list[dict[str, Any]]]:
        """Items of a policy resolution each task serves (``graph/section-alignment``,
        "Phục vụ nội dung của Nghị quyết"), best score first: the item's IRI, path and
        heading, its document's identifier, the score and the method."""
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        within = self.within("t")
        for r in self._rows("""SELECT ?t ?s ?path ?heading ?doc ?id ?score ?m WHERE { """ + within + """
                ?a a pk:SectionAlignment ; pk:servingTask ?t ; pk:servedSection ?s ; pk:alignmentScore ?score .
                OPTIONAL { ?a pk:alignmentMethod ?m } ?s pk:path ?path ; pk:inDocument ?doc .
                OPTIONAL { ?s pk:heading ?heading } OPTIONAL { ?doc eli:id_local ?id } } ORDER BY DESC(?score) ?t ?s"""):
            out[r["t"]].append({"iri": r["s"], "path": r["path"], "heading": r.get("heading"), "document": r["doc"],
                                "identifier": r.get("id"), "score": float(r["score"]), "method": r.get("m")})
        return out

    # -- entity lists ------------------------------------------------------------------
    def tasks(self, links: bool = True) -> list[dict[str, Any]]:
        """Every task (scoped: of the scoped documents); ``links=False`` leaves out the links
        across levels and to policy items (``carries_out`` … empty), which the search items
        do not use: an index update does not read the alignment graphs."""
        docs, names = self.documents_brief(), self.agency_names()
        lead, coop = self._agents("pk:leadAgency", names), self._agents("pk:cooperatingAgency", names)
        sources = self.sources_of("pk:Task")
        up, down = self.alignments() if links else ({}, {})
        serves = self.section_alignments() if links else {}
        rows = self._rows("""SELECT ?t ?doc ?number ?path ?text ?output ?section ?dtext ?start ?end ?rec WHERE {
            """ + self.parts("t", "doc") + """ ?t a pk:Task ; pk:path ?path ; pk:text ?text .
            OPTIONAL { ?t pk:number ?number } OPTIONAL { ?t pk:expectedOutput ?output }
            OPTIONAL { ?t pk:inSection/pk:path ?section } OPTIONAL { ?t pk:deadlineText ?dtext }
            OPTIONAL { ?t pk:startDate ?start } OPTIONAL { ?t pk:dueDate ?end } OPTIONAL { ?t pk:recurrence ?rec } }""")
        out = []
        for r in _unique(rows, "t"):
            t = r["t"]
            out.append({
                **_part_head(r, docs),
                "text": r["text"], "lead": lead.get(t, []), "cooperating": coop.get(t, []), "output": r.get("output"),
                "deadline": None if r.get("dtext") is None else {
                    "text": r["dtext"], "start": _iso(r.get("start")), "end": _iso(r.get("end")),
                    "recurrence": RECURRENCE.get(str(r.get("rec", "")).rsplit("#", 1)[-1], "none")},
                "section": r.get("section"), **_part_sources(t, sources),
                "carries_out": up.get(t, []), "carried_out_by": down.get(t, []),
                "serves_sections": serves.get(t, []),
            })
        return _in_document_order(out)

    def targets(self) -> list[dict[str, Any]]:
        docs, names = self.documents_brief(), self.agency_names()
        monitoring = self._agents("pk:monitoringAgency", names)
        sources = self.sources_of("pk:Target")
        rows = self._rows("""SELECT ?t ?doc ?number ?path ?ind ?cmp ?min ?max ?vtext ?unit ?htext ?hstart ?hend WHERE {
            """ + self.parts("t", "doc") + """ ?t a pk:Target ; pk:path ?path ; pk:indicatorText ?ind .
            OPTIONAL { ?t pk:number ?number } OPTIONAL { ?t pk:comparator ?cmp } OPTIONAL { ?t pk:minValue ?min }
            OPTIONAL { ?t pk:maxValue ?max } OPTIONAL { ?t pk:valueText ?vtext } OPTIONAL { ?t pk:unit ?unit }
            OPTIONAL { ?t pk:horizonText ?htext } OPTIONAL { ?t pk:horizon/time:hasBeginning/time:inXSDDate ?hstart }
            OPTIONAL { ?t pk:horizon/time:hasEnd/time:inXSDDate ?hend } }""")
        out = []
        for r in _unique(rows, "t"):
            t = r["t"]
            out.append({
                **_part_head(r, docs),
                "indicator": r["ind"], "comparator": COMPARATOR.get(str(r.get("cmp", "")).rsplit("#", 1)[-1], "text"),
                "value": {"min": _num(r.get("min")), "max": _num(r.get("max")), "text": r.get("vtext")},
                "unit": r.get("unit"),
                "horizon": None if r.get("htext") is None else {"text": r["htext"], "start": _iso(r.get("hstart")), "end": _iso(r.get("hend"))},
                "monitoring": monitoring.get(t, []), **_part_sources(t, sources),
            })
        return _in_document_order(out)

    def documents(self) -> list[dict[str, Any]]:
        rows = self._rows("""SELECT ?d ?kind ?id ?date ?issuer ?loc ?title WHERE { ?d pk:hasRendition ?r .
            OPTIONAL { ?d eli:type_document/skos:prefLabel ?kind FILTER(lang(?kind) = "vi") }
            OPTIONAL { ?d eli:id_local ?id } OPTIONAL { ?d eli:date_document ?date }
            OPTIONAL { ?d pk:issuerName ?issuer } OPTIONAL { ?d pk:locality/skos:prefLabel ?loc }
            OPTIONAL { ?d eli:title ?title } }""")
        rend = defaultdict(list)
        for r in self._rows("SELECT ?d ?file ?rank WHERE { ?d pk:hasRendition ?r . ?r pk:sourceFile ?file . OPTIONAL { ?r pk:precedence ?rank } }"):
            rend[r["d"]].append((r.get("rank", 0), r["file"]))
        links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for r in self._rows("SELECT ?d ?p ?c WHERE { ?d pk:hasRendition ?r . VALUES ?p { eli:cites pk:implements } ?d ?p ?c }"):
            links[r["d"]]["implements" if r["p"].endswith("#implements") else "cites"].append(r["c"])
        inferred = defaultdict(list)
        for r in self._rows("SELECT ?d ?f WHERE { ?d pk:inferredField ?f }"):
            inferred[r["d"]].append(r["f"])
        out = []
        for r in _unique(rows, "d"):
            d = r["d"]
            out.append({
                "iri": d, "kind": r.get("kind"), "identifier": r.get("id"), "date": _iso(r.get("date")),
                "issuer": r.get("issuer"), "locality": r.get("loc"), "title": r.get("title"),
                "renditions": [f for _, f in sorted(rend[d])], "cites": sorted(set(links[d]["cites"])),
                "implements": sorted(set(links[d]["implements"])), "inferred": sorted(inferred[d]),
            })
        return sorted(out, key=lambda x: x["iri"])

    def agencies(self) -> list[dict[str, Any]]:
        rows = self._rows("""SELECT ?a ?name ?group ?loc ?level (COUNT(DISTINCT ?lt) AS ?lead) (COUNT(DISTINCT ?ct) AS ?coop) WHERE {
            { ?lt pk:leadAgency ?a } UNION { ?ct pk:cooperatingAgency ?a } UNION { ?x pk:monitoringAgency ?a }
            OPTIONAL { ?a skos:prefLabel ?name } OPTIONAL { ?a pk:locality/skos:prefLabel ?loc }
            OPTIONAL { ?a pk:adminLevel ?level }
            BIND(EXISTS { ?a a pk:AgentGroup } AS ?group) }
            GROUP BY ?a ?name ?group ?loc ?level""")
        succ = defaultdict(list)
        pred = defaultdict(list)
        for r in self._rows("SELECT ?a ?s WHERE { ?a pk:successor ?s }"):
            succ[r["a"]].append(r["s"])
            pred[r["s"]].append(r["a"])
        out = []
        for r in _unique(rows, "a"):
            a = r["a"]
            out.append({
                "iri": a, "name": r.get("name"), "collective": bool(r["group"]), "locality": r.get("loc"),
                "level": str(r["level"]).rsplit("#Level", 1)[-1].lower() if r.get("level") else None,
                "lead_tasks": int(r["lead"]), "cooperating_tasks": int(r["coop"]),
                "successors": sorted(succ[a]), "predecessors": sorted(pred[a]),
            })
        return sorted(out, key=lambda x: x["iri"])


def _part_head(row: dict[str, Any], docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What a task and a target object open with: IRI, document, printed number, path."""
    return {"iri": row["t"], "document": docs.get(row["doc"], {"iri": row["doc"]}), "number": row.get("number"), "path": row["path"]}


def _part_sources(iri: str, sources: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    srcs = sources.get(iri, [])
    return {"source": srcs[0] if srcs else None, "sources": srcs}


def _in_document_order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda x: (x["document"]["iri"], _path_key(x["path"])))


def _unique(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """One row per ``key``: of several (a multi-valued OPTIONAL), the first in value order,
    not in the query plan's (which differs between a scoped and a full read)."""
    seen: dict[str, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: tuple(sorted((k, str(v)) for k, v in r.items()))):
        seen.setdefault(r[key], r)
    return list(seen.values())


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value is not None else None)


def _num(value: Any) -> float | None:
    return float(value) if value is not None else None


def _path_key(path: str) -> list[tuple[int, int, str]]:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in path.replace("~", ".").split(".")]
