"""The corpus-wide tables the alignment draws its candidates from, kept between runs and
patched from the merged view's changes.

Why: the alignment's candidates of a document are the documents it cites (``eli:cites``)
and those of a higher locality, widened by the amending documents (``eli:amends``). Reading
those tables from the store on every change read every citation of the corpus (21,000 at
3,000 documents: 0.13-0.19 s warm, 0.8 s cold, growing with the corpus) and every
document. Here each table is kept (in ``build/derived.json``, beside the rest of the
derived graphs' state) and, after a change, re-read only for the subjects whose triples
the change added to or removed from the merged view: a document's citations and amendments
are triples about that document, so a subject with no such change keeps its row. A
document's registry locality (a join of its locality node's label and level with the
registry's names) is read again when its renditions or locality links changed, or the label
or level of the node it links to did; all of them when a locality's alternative name did.

The tables equal a whole read after any sequence of changes (``tests/test_incremental_derived.py``
compares them after each step); when the change is unknown (a crash, a rebuilt merged
view, a rewritten registry) the caller reads them whole (:meth:`AlignmentTables.read`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from plankg.ingest.build.alignment_evidence import level_rank
from plankg.store import iris
from plankg.store.base import GraphStore

PK = "https://w3id.org/plankg/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
HAS_RENDITION = f"{PK}hasRendition"
CITES = f"{ELI}cites"
AMENDS = f"{ELI}amends"
LOCALITY = f"{PK}locality"
PREF_LABEL = f"{SKOS}prefLabel"
ALT_LABEL = f"{SKOS}altLabel"
ADMIN_LEVEL = f"{PK}adminLevel"
LOCALITY_CLASS = f"{PK}Locality"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_PREFIXES = f"PREFIX pk: <{PK}>\nPREFIX skos: <{SKOS}>\n"

__all__ = ["AlignmentTables", "all_documents", "amends_table", "cites_table", "document_localities", "pick_locality"]


def pick_locality(rows: Iterable[tuple[str, str]]) -> tuple[str, int]:
    """(registry locality, level rank) of a document from its matches ``(locality, level IRI)``:
    the last by IRI, so a whole read and a per-document read agree."""
    locality, level = max(rows)
    return locality, level_rank(level)


def all_documents(store: GraphStore, base: str) -> set[str]:
    """Every document of the merged view (one ``pk:hasRendition`` each)."""
    q = f"SELECT DISTINCT ?d WHERE {{ ?d <{HAS_RENDITION}> ?r }}"
    return {str(r["d"]) for r in store.query(q, default_graphs=[iris.merged_graph_iri(base)]).records()}


def cites_table(store: GraphStore, base: str, graphs: Iterable[str] | None = None) -> dict[str, set[str]]:
    """document → the documents it cites, from the merged view (or ``graphs``; an index
    scan: every citation there), no document citing itself."""
    out: dict[str, set[str]] = {}
    for d, h in store.pairs_of(CITES, [iris.merged_graph_iri(base)] if graphs is None else graphs):
        if d != h:
            out.setdefault(d, set()).add(h)
    return out


def amends_table(store: GraphStore, base: str) -> dict[str, set[str]]:
    """amending document → the documents it amends (merged view), none amending itself."""
    out: dict[str, set[str]] = {}
    for b, a in store.pairs_of(AMENDS, [iris.merged_graph_iri(base)]):
        if a != b:
            out.setdefault(b, set()).add(a)
    return out


def document_localities(store: GraphStore, base: str) -> tuple[dict[str, str], dict[str, int]]:
    """(document → its registry locality, document → its level rank).

    A document's locality node (built from the printed name) is the registry's locality of
    the same name and level: the registry knows what it lies within and what succeeded it.
    A document matching several (two communes of one name) takes the last by IRI, whatever
    order the store returns them in (:func:`pick_locality`)."""
    rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in store.query(_PREFIXES + """SELECT ?d ?l ?lv WHERE { ?d pk:hasRendition ?r ; pk:locality ?dl .
            ?dl skos:prefLabel ?n ; pk:adminLevel ?lv .
            ?l a pk:Locality ; skos:altLabel ?n2 ; pk:adminLevel ?lv . FILTER(STR(?n) = STR(?n2)) }""",
                         default_graphs=[iris.merged_graph_iri(base), iris.registry_graph_iri(base)]).records():
        rows[str(r["d"])].append((str(r["l"]), str(r["lv"])))
    level: dict[str, int] = {}
    located: dict[str, str] = {}
    for d, found in rows.items():
        located[d], level[d] = pick_locality(found)
    return located, level


def locality_links(store: GraphStore, base: str) -> dict[str, set[str]]:
    """subject → its ``pk:locality`` nodes (merged view and registry: documents and agencies)."""
    out: dict[str, set[str]] = {}
    for s, o in store.pairs_of(LOCALITY, [iris.merged_graph_iri(base), iris.registry_graph_iri(base)]):
        out.setdefault(s, set()).add(o)
    return out


def _registry_names(store: GraphStore, base: str) -> dict[tuple[str, str], set[str]]:
    """(name, level IRI) → the localities of that alternative name and level (the registry's:
    its size, not the corpus's)."""
    q = f"""SELECT ?l ?n ?lv WHERE {{ ?l a <{LOCALITY_CLASS}> ; <{ALT_LABEL}> ?n ; <{ADMIN_LEVEL}> ?lv }}"""
    out: dict[tuple[str, str], set[str]] = {}
    graphs = [iris.merged_graph_iri(base), iris.registry_graph_iri(base)]
    for r in store.query(q, default_graphs=graphs).rows:
        out.setdefault((str(r["n"]), str(r["lv"])), set()).add(str(r["l"]))
    return out


def _locality_rows(store: GraphStore, base: str, doc: str,
                   names: dict[tuple[str, str], set[str]]) -> list[tuple[str, str]]:
    """The ``(locality, level IRI)`` matches of one document, as the join of
    :func:`alignment.document_localities` finds them, by index lookups on the document and its
    locality nodes."""
    graphs = [iris.merged_graph_iri(base), iris.registry_graph_iri(base)]

    def values(subject: str, predicate: str) -> list[Node]:
        return [o for g in graphs for _p, o, _g in store.statements(subject, predicate, None, g)]

    if not values(doc, HAS_RENDITION):
        return []
    rows: list[tuple[str, str]] = []
    for node in values(doc, LOCALITY):
        if not isinstance(node, URIRef):
            continue
        levels = [str(lv) for lv in values(str(node), ADMIN_LEVEL)]
        for label in values(str(node), PREF_LABEL):
            rows += [(loc, lv) for lv in levels for loc in names.get((str(label), lv), ())]
    return rows


def _objects(store: GraphStore, subject: str, predicate: str, graph: str) -> set[str]:
    """What ``subject`` links to by ``predicate`` in ``graph``, but itself (an index lookup)."""
    return {str(o) for _p, o, _g in store.statements(subject, predicate, None, graph) if str(o) != subject}


@dataclass
class AlignmentTables:
    """What the alignment's candidates are drawn from, corpus-wide."""

    documents: set[str]
    cites: dict[str, set[str]]  # document → documents it cites (merged view; the registry's: read each time)
    amends: dict[str, set[str]]  # amending document → documents it amends
    located: dict[str, str] = field(default_factory=dict)  # document → its registry locality
    levels: dict[str, int] = field(default_factory=dict)  # document → its level rank
    localities: dict[str, set[str]] = field(default_factory=dict)  # subject → its pk:locality nodes

    @classmethod
    def read(cls, store: GraphStore, base: str) -> AlignmentTables:
        """The tables read whole from the store."""
        located, levels = document_localities(store, base)
        return cls(all_documents(store, base), cites_table(store, base), amends_table(store, base),
                   located, levels, locality_links(store, base))

    @property
    def amended(self) -> dict[str, set[str]]:
        """amended document → the documents amending it (as :func:`alignment_versions.amended_by`)."""
        out: dict[str, set[str]] = {}
        for b, targets in self.amends.items():
            for a in targets:
                out.setdefault(a, set()).add(b)
        return out

    def patch(self, store: GraphStore, base: str, changes: Iterable[tuple[Node, Node, Node]]) -> None:
        """Bring the tables in step with a merged view whose triples ``changes`` were added or
        removed: the rows of the subjects those triples are about are read again (index
        lookups on subject and property), the others kept."""
        merged = iris.merged_graph_iri(base)
        about: dict[str, set[str]] = {p: set() for p in (HAS_RENDITION, CITES, AMENDS, LOCALITY, PREF_LABEL, ADMIN_LEVEL)}
        names_changed = False
        for s, p, o in changes:
            if isinstance(s, URIRef) and str(p) in about:
                about[str(p)].add(str(s))
            # a locality's alternative name, or a named node becoming or ceasing to be a locality
            names_changed = names_changed or str(p) == ALT_LABEL or (
                str(p) == RDF_TYPE and str(o) == LOCALITY_CLASS and isinstance(s, URIRef)
                and any(True for _ in store.statements(str(s), ALT_LABEL)))
        for d in about[HAS_RENDITION]:
            if next(store.statements(d, HAS_RENDITION, None, merged), None) is None:
                self.documents.discard(d)
            else:
                self.documents.add(d)
        for table, predicate in ((self.cites, CITES), (self.amends, AMENDS)):
            for d in about[predicate]:
                table.pop(d, None)
                targets = _objects(store, d, predicate, merged)
                if targets:
                    table[d] = targets
        self._patch_localities(store, base, about, names_changed)

    def _patch_localities(self, store: GraphStore, base: str, about: dict[str, set[str]],
                          names_changed: bool) -> None:
        """The documents' localities: read again for the documents whose renditions or
        locality links changed and those at a locality node whose label or level changed;
        all of them when a locality's alternative name changed (the names every match uses)."""
        if names_changed:
            self.located, self.levels = document_localities(store, base)
            self.localities = locality_links(store, base)
            return
        graphs = [iris.merged_graph_iri(base), iris.registry_graph_iri(base)]
        for s in about[LOCALITY]:
            self.localities.pop(s, None)
            nodes = {str(o) for g in graphs for _p, o, _g in store.statements(s, LOCALITY, None, g)}
            if nodes:
                self.localities[s] = nodes
        nodes = about[PREF_LABEL] | about[ADMIN_LEVEL]
        again = about[HAS_RENDITION] | about[LOCALITY] | {s for s, ns in self.localities.items() if ns & nodes}
        if not again:
            return
        names = _registry_names(store, base)
        for d in again:
            self.located.pop(d, None)
            self.levels.pop(d, None)
            rows = _locality_rows(store, base, d, names)
            if rows:
                self.located[d], self.levels[d] = pick_locality(rows)

    def to_json(self) -> dict[str, Any]:
        return {"documents": sorted(self.documents),
                "cites": {d: sorted(hs) for d, hs in sorted(self.cites.items())},
                "amends": {d: sorted(hs) for d, hs in sorted(self.amends.items())},
                "located": dict(sorted(self.located.items())), "levels": dict(sorted(self.levels.items())),
                "localities": {d: sorted(hs) for d, hs in sorted(self.localities.items())}}

    @classmethod
    def from_json(cls, data: Any) -> AlignmentTables | None:
        """The kept tables, or None when ``data`` is not what :meth:`to_json` wrote."""
        try:
            return cls(set(data["documents"]), {d: set(hs) for d, hs in data["cites"].items()},
                       {d: set(hs) for d, hs in data["amends"].items()},
                       dict(data["located"]), {d: int(r) for d, r in data["levels"].items()},
                       {d: set(hs) for d, hs in data["localities"].items()})
        except (KeyError, TypeError, AttributeError, ValueError):
            return None
