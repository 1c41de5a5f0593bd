"""The merged view: one description per entity, derived from the per-source graphs.

Precedence rule (docs/ingest.md): for each subject and property, the values come from the
best-ranked rendition that states the property at all (rank 0 = the clean text; higher
ranks = OCR copies, which only fill gaps). Types, provenance spans, renditions, citations
and agency links are unioned, so the merged view lists every place a fact was read.

Qualified citations (``pk:Citation``) follow the same rule per (citing document, cited
document, citation type): the best-ranked rendition that prints that citation at all
gives every ``pk:Citation`` node of it, in its own words; a copy's node of a citation the
better rendition also prints is the same printed citation read again — often as OCR garble
("Nghi quyét s6 57-NQ/TW") — so in the merged view it is no ``pk:Citation``: its IRI (once
published) stays, with only its source span and ``prov:alternateOf`` the citation it reads
again. A citation only a copy prints is kept whole: copies fill gaps. The copy's own named
graph keeps all of its citations as read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import RDF, Graph, Namespace
from rdflib.namespace import PROV
from rdflib.term import Node

from plankg.store.base import GraphStore

PK = Namespace("https://w3id.org/plankg/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")

UNION_PREDICATES = {
    RDF.type, PK.extractedFrom, PK.hasRendition, PK.correspondsTo, PK.correctedBy,
    ELI.cites, ELI.based_on, ELI.ensures_implementation_of, PK.implements, ELI.amends,
    ELI.has_part, PROV.wasDerivedFrom,
}


def rendition_rank(graph: Graph) -> int:
    ranks = [int(str(o)) for o in graph.objects(None, PK.precedence)]  # literals: int() of the lexical form
    return min(ranks) if ranks else 0


def _citation_key(g: Graph, cit: Node) -> tuple:
    return (g.value(cit, PK.citingDocument), g.value(cit, PK.citedDocument), g.value(cit, PK.citationType))


def _offset(g: Graph, cit: Node) -> int:
    starts = [int(str(o)) for span in g.objects(cit, PK.extractedFrom) for o in g.objects(span, PK.startOffset)]
    return min(starts) if starts else 0


#: One citation node of a graph as :func:`repeated_readings` compares it: (its key —
#: citing document, cited document, citation type —, its first offset, the node).
Reading = tuple[tuple, int, Node]


def citation_readings(g: Graph) -> list[Reading]:
    """The citation nodes of one rendition's graph."""
    return [(_citation_key(g, cit), _offset(g, cit), cit) for cit in g.subjects(RDF.type, PK.Citation)]


_READINGS_QUERY = f"""SELECT ?c ?citing ?cited ?type ?start WHERE {{ ?c a <{PK.Citation}> .
    OPTIONAL {{ ?c <{PK.citingDocument}> ?citing }} OPTIONAL {{ ?c <{PK.citedDocument}> ?cited }}
    OPTIONAL {{ ?c <{PK.citationType}> ?type }}
    OPTIONAL {{ ?c <{PK.extractedFrom}> ?span . ?span <{PK.startOffset}> ?start }} }}"""


def stored_citation_readings(store: GraphStore, graph_iri: str) -> list[Reading]:
    """:func:`citation_readings` of a stored graph, read by one query on that graph (an index
    lookup on the citation type), not by reading the graph whole. Why: a document read from
    many renditions had every rendition's graph read on each change of one of them (1 s per
    change at 3,000 documents when 16 sources share a document); its citations are a few rows."""
    keys: dict[Node, tuple] = {}
    starts: dict[Node, list[int]] = {}
    for r in store.query(_READINGS_QUERY, default_graphs=[graph_iri]).rows:
        cit = r["c"]
        keys.setdefault(cit, (r.get("citing"), r.get("cited"), r.get("type")))
        found = starts.setdefault(cit, [])
        if r.get("start") is not None:
            found.append(int(str(r["start"])))
    return [(key, min(starts[cit], default=0), cit) for cit, key in keys.items()]


def repeated_readings(ranked: Iterable[tuple[int, list[Reading]]]) -> dict[Node, Node]:
    """Citation nodes a better-ranked rendition prints too → the better rendition's node they
    read again (the i-th reading of a citation in a copy ↔ the i-th in the better rendition,
    in text order; extra readings ↔ the last); ``ranked``: each rendition's rank and readings."""
    by_key: dict[tuple, dict[int, list[tuple[int, Node]]]] = {}
    for rank, readings in ranked:
        for key, offset, cit in readings:
            by_key.setdefault(key, {}).setdefault(rank, []).append((offset, cit))
    again: dict[Node, Node] = {}
    for readings_of_key in by_key.values():
        best_rank = min(readings_of_key)
        kept = [c for _, c in sorted(readings_of_key[best_rank], key=lambda x: (x[0], str(x[1])))]
        for rank, nodes in readings_of_key.items():
            if rank == best_rank:
                continue
            for i, (_, cit) in enumerate(sorted(nodes, key=lambda x: (x[0], str(x[1])))):
                if cit not in kept:
                    again[cit] = kept[min(i, len(kept) - 1)]
    return again


def repeated_citations(ranked: list[tuple[int, str, Graph]]) -> dict[Node, Node]:
    """:func:`repeated_readings` of renditions' graphs held in memory."""
    return repeated_readings((rank, citation_readings(g)) for rank, _, g in ranked)


Triple = tuple[Node, Node, Node]


def merged_statements(stated: Mapping[tuple[Node, Node], Iterable[tuple[Node, int]]],
                      again: Mapping[Node, Node]) -> set[Triple]:
    """The merged view's triples for the (subject, property) pairs in ``stated`` (each with
    the values the source graphs give and their graphs' ranks): the precedence rule, and a
    repeated citation reading (``again``, :func:`repeated_citations`) kept as its source
    spans and ``prov:alternateOf`` only. One rule for :func:`merged_view` and the incremental
    build's subject-by-subject patching (:mod:`plankg.ingest.build.incremental`)."""
    out: set[Triple] = set()
    for (s, p), given in stated.items():
        values = list(given)
        if not values:
            continue
        if s in again:  # a repeated reading: its IRI stays, as an alternate of the citation it repeats
            if p == PK.extractedFrom:
                out.update((s, p, o) for o, _ in values)
            out.add((s, PROV.alternateOf, again[s]))
            continue
        best = min(r for _, r in values)
        out.update((s, p, o) for o, r in values if p in UNION_PREDICATES or r == best)
    return out


def merged_view(graphs: dict[str, Graph]) -> Graph:
    ranked = sorted(((rendition_rank(g), name, g) for name, g in graphs.items()), key=lambda x: (x[0], x[1]))
    stated: dict[tuple[Node, Node], list[tuple[Node, int]]] = {}
    for rank, _, g in ranked:
        for s, p, o in g:
            stated.setdefault((s, p), []).append((o, rank))
    out = Graph()
    for t in merged_statements(stated, repeated_citations(ranked)):
        out.add(t)
    for prefix, ns in ranked[0][2].namespaces() if ranked else []:
        out.bind(prefix, ns)
    return out
