"""rdflib graphs → bytes in a negotiated RDF syntax, through pyoxigraph's writers.

Why: the linked-data pages, VoID, the service description and the dumps build small rdflib
graphs; writing them with the same serialisers as the SPARQL endpoint keeps the syntax
identical everywhere (prefixes, JSON-LD shape) and JSON-LD never fetches a remote context.
"""

from __future__ import annotations

import rdflib

from plankg.store.result_writers import write_triples
from plankg.store.terms import to_oxigraph


def to_ox_triples(graph: rdflib.Graph) -> list:
    import pyoxigraph as ox

    out = []
    for s, p, o in graph:
        subject, predicate = to_oxigraph(s), to_oxigraph(p)
        # an rdflib graph cannot hold a literal subject or a non-IRI predicate
        assert not isinstance(subject, ox.Literal) and isinstance(predicate, ox.NamedNode)
        out.append(ox.Triple(subject, predicate, to_oxigraph(o)))
    return out


def serialize_graph(graph: rdflib.Graph, fmt: str) -> bytes:
    """``fmt``: turtle, ntriples, rdfxml or jsonld."""
    return write_triples(to_ox_triples(graph), fmt)
