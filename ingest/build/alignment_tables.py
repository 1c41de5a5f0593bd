"""The corpus-wide tables the alignment draws its candidates from, kept between runs and
patched from the merged view's changes.

Why: the alignment's candidates of a document are the documents it cites (``eli:cites``)
and those of a higher locality, widened by the amending documents (``eli:amends``). Reading
those tables from the store on every change read every citation of the corpus (21,000 at
3,000 documents: 0.13-0.19 s warm, 0.8 s cold, growing with the corpus) and every
document. Here each table is kept (in ``build/derived.json``, beside the rest of the
derived graphs' state) and, after a change, re-read only for the subjects whose triples
the change added to or removed from the merged view: a document's citations and amendments
are triples about that document, so a subject with no such change keeps its row. The
localities (a join of the documents' locality nodes with the registry, a few dozen rows)
are read whole each time.

The tables equal a whole read after any sequence of changes (``tests/test_incremental_derived.py``
compares them after each step); when the change is unknown (a crash, a rebuilt merged
view, a rewritten registry) the caller reads them whole (:meth:`AlignmentTables.read`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from plankg.store import iris
from plankg.store.base import GraphStore

PK = "https://w3id.org/plankg/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
HAS_RENDITION = f"{PK}hasRendition"
CITES = f"{ELI}cites"
AMENDS = f"{ELI}amends"

__all__ = ["AlignmentTables", "all_documents", "amends_table", "cites_table"]


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


def _objects(store: GraphStore, subject: str, predicate: str, graph: str) -> set[str]:
    """What ``subject`` links to by ``predicate`` in ``graph``, but itself (an index lookup)."""
    return {str(o) for _p, o, _g in store.statements(subject, predicate, None, graph) if str(o) != subject}


@dataclass
class AlignmentTables:
    """What the alignment's candidates are drawn from, corpus-wide."""

    documents: set[str]
    cites: dict[str, set[str]]  # document → documents it cites (merged view; the registry's: read each time)
    amends: dict[str, set[str]]  # amending document → documents it amends

    @classmethod
    def read(cls, store: GraphStore, base: str) -> AlignmentTables:
        """The tables read whole from the store."""
        return cls(all_documents(store, base), cites_table(store, base), amends_table(store, base))

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
        about: dict[str, set[str]] = {HAS_RENDITION: set(), CITES: set(), AMENDS: set()}
        for s, p, _o in changes:
            if isinstance(s, URIRef) and str(p) in about:
                about[str(p)].add(str(s))
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

    def to_json(self) -> dict[str, Any]:
        return {"documents": sorted(self.documents),
                "cites": {d: sorted(hs) for d, hs in sorted(self.cites.items())},
                "amends": {d: sorted(hs) for d, hs in sorted(self.amends.items())}}

    @classmethod
    def from_json(cls, data: Any) -> AlignmentTables | None:
        """The kept tables, or None when ``data`` is not what :meth:`to_json` wrote."""
        try:
            return cls(set(data["documents"]), {d: set(hs) for d, hs in data["cites"].items()},
                       {d: set(hs) for d, hs in data["amends"].items()})
        except (KeyError, TypeError, AttributeError):
            return None
