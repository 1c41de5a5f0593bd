"""SPARQL answers: the backend-neutral :class:`QueryAnswer`, its formats and their serialisation.

Why one module: the store interface (``store.base``) hands these answers out and the CLI
and endpoint serialise them; keeping the type and its writers together breaks the old
``base`` ↔ ``results`` import circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pyoxigraph as ox
import rdflib

from plankg.store.errors import StoreError
from plankg.store.result_writers import write_boolean, write_solutions, write_triples
from plankg.store.terms import to_oxigraph

AnswerKind = Literal["select", "ask", "graph"]

#: result formats by short name → media type, for SELECT/ASK and CONSTRUCT/DESCRIBE.
RESULT_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
DATASET_FORMATS: dict[str, str] = {
    "trig": "application/trig",
    "nquads": "application/n-quads",
}




@dataclass
class QueryAnswer:
    """A backend-neutral SPARQL answer; terms are rdflib terms."""

    kind: AnswerKind
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, rdflib.term.Identifier]] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None

    def serialize(self, fmt: str) -> bytes:
        """Serialise in a short-named format; the caller has checked it fits the kind."""
        return serialize_answer(self, fmt)

    def to_python(self) -> list[dict[str, Any]] | bool | list[tuple[str, str, str]]:
        """Plain values, for tests and JSON APIs that do not need RDF typing."""
        if self.kind == "ask":
            return bool(self.boolean)
        if self.kind == "graph":
            assert self.graph is not None
            return [(str(s), str(p), str(o)) for s, p, o in self.graph]
        return self.records()

    def records(self) -> list[dict[str, Any]]:
        """A SELECT answer's rows as plain values: what :meth:`to_python` gives for a SELECT, typed as such."""
        return [{k: (v.toPython() if isinstance(v, rdflib.Literal) else str(v)) for k, v in row.items()} for row in self.rows]


def serialize_answer(answer: QueryAnswer, fmt: str) -> bytes:
    """The one way answers are written (CLI and endpoint alike): :mod:`.result_writers`."""
    if answer.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise StoreError(f"format {fmt!r} is for SELECT/ASK; CONSTRUCT/DESCRIBE take {', '.join(GRAPH_FORMATS)}")
        assert answer.graph is not None
        triples = []
        for s, p, o in answer.graph:
            subject, predicate = to_oxigraph(s), to_oxigraph(p)
            assert not isinstance(subject, ox.Literal) and isinstance(predicate, ox.NamedNode)
            triples.append(ox.Triple(subject, predicate, to_oxigraph(o)))
        return write_triples(triples, fmt)
    if fmt not in RESULT_FORMATS:
        raise StoreError(f"format {fmt!r} is for CONSTRUCT/DESCRIBE; SELECT/ASK take {', '.join(RESULT_FORMATS)}")
    if answer.kind == "ask":
        return write_boolean(bool(answer.boolean), fmt)
    rows = [{v: to_oxigraph(t) for v, t in row.items()} for row in answer.rows]
    return write_solutions(answer.variables, ({v: r.get(v) for v in answer.variables} for r in rows), fmt, len(rows) + 1)


def graph_format_name(fmt: str) -> str:
    """rdflib's parser/serializer name for one of our short format names."""
    return _RDFLIB_GRAPH_FORMAT[fmt]


_RDFLIB_GRAPH_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig", "nquads": "nquads"}
