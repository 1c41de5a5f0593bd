"""The merged view: one description per entity, derived from the per-source graphs.

Precedence rule (docs/ingest.md): for each subject and property, the values come from the
best-ranked rendition that states the property at all (rank 0 = the clean text; higher
ranks = OCR copies, which only fill gaps). Types, provenance spans, renditions, citations
and agency links are unioned, so the merged view lists every place a fact was read.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Namespace
from rdflib.namespace import PROV

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


def merged_view(graphs: dict[str, Graph]) -> Graph:
    best: dict[tuple, int] = {}
    ranked = sorted(((rendition_rank(g), name, g) for name, g in graphs.items()), key=lambda x: (x[0], x[1]))
    for rank, _, g in ranked:
        for s, p in set(g.subject_predicates()):
            key = (s, p)
            if key not in best or rank < best[key]:
                best[key] = rank
    out = Graph()
    for rank, _, g in ranked:
        for s, p, o in g:
            if p in UNION_PREDICATES or best[(s, p)] == rank:
                out.add((s, p, o))
    for prefix, ns in ranked[0][2].namespaces() if ranked else []:
        out.bind(prefix, ns)
    return out
