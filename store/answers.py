"""SPARQL answers: the backend-neutral :class:`QueryAnswer`, its formats and their serialisation.

Why one module: the store interface (``store.base``) hands these answers out and the CLI
and endpoint serialise them; keeping the type and its writers together breaks the old
``base`` ↔ ``results`` import circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import rdflib
from rdflib.query import Result

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


class StoreError(Exception):
    """A problem the user can act on (bad query, locked store, wrong version)."""


class QuerySyntaxError(StoreError):
    """The SPARQL text does not parse; the message carries the parser's position."""


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


_RDFLIB_GRAPH_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig", "nquads": "nquads"}


def serialize_answer(answer: QueryAnswer, fmt: str) -> bytes:
    if answer.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise StoreError(f"format {fmt!r} is for SELECT/ASK; CONSTRUCT/DESCRIBE take {', '.join(GRAPH_FORMATS)}")
        assert answer.graph is not None
        return answer.graph.serialize(format=_RDFLIB_GRAPH_FORMAT[fmt], encoding="utf-8")
    if fmt not in RESULT_FORMATS:
        raise StoreError(f"format {fmt!r} is for CONSTRUCT/DESCRIBE; SELECT/ASK take {', '.join(RESULT_FORMATS)}")
    if answer.kind == "ask":
        res = Result("ASK")
        res.askAnswer = bool(answer.boolean)
    else:
        res = Result("SELECT")
        res.vars = [rdflib.Variable(v) for v in answer.variables]
        res.bindings = [{rdflib.Variable(k): v for k, v in row.items()} for row in answer.rows]
    if answer.kind == "ask" and fmt in ("csv", "tsv"):
        raise StoreError(f"ASK results have no {fmt.upper()} form; use json or xml")
    if fmt == "tsv":
        return _tsv(answer)
    out = res.serialize(format=fmt, encoding="utf-8")
    assert out is not None  # no destination given: rdflib returns the serialisation
    return out if isinstance(out, bytes) else out.encode("utf-8")


def _tsv_term(term: rdflib.term.Node) -> str:
    """One term in Turtle syntax on one line (escapes, never triple quotes)."""
    if isinstance(term, rdflib.Literal):
        body = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        if term.language:
            return f'"{body}"@{term.language}'
        if term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f'"{body}"^^<{term.datatype}>'
        return f'"{body}"'
    return term.n3()


def _tsv(answer: QueryAnswer) -> bytes:
    """SPARQL 1.1 TSV: ``?var`` header, one row per line (rdflib has no TSV writer)."""
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    for row in answer.rows:
        lines.append("\t".join(_tsv_term(row[v]) if v in row else "" for v in answer.variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


def graph_format_name(fmt: str) -> str:
    """rdflib's parser/serializer name for one of our short format names."""
    return _RDFLIB_GRAPH_FORMAT[fmt]
