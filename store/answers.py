"""Serialising SPARQL answers in the formats the CLI and the endpoint negotiate."""

from __future__ import annotations

import rdflib
from rdflib.query import Result

from plankg.store.base import GRAPH_FORMATS, RESULT_FORMATS, QueryAnswer, StoreError

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
