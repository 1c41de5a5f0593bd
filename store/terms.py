"""rdflib terms → pyoxigraph terms: the one conversion, used by the Oxigraph backend and the
result writers (which write every answer through pyoxigraph's term syntax)."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from plankg.store.errors import StoreError

__all__ = ["to_oxigraph"]


def to_oxigraph(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"unsupported term {term!r}")
