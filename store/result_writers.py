"""Streaming writers for SPARQL answers straight from pyoxigraph terms, with a size cap.

Why not ``QueryAnswer.serialize``: that path first materialises every row as rdflib terms,
so a runaway ``SELECT *`` would fill memory before any cap could apply, and rdflib's
writers are slow. Here rows are written as they are read and the writer stops at
``max_rows``; graph answers are collected up to the cap and written by pyoxigraph's own
serialisers (which never fetch a remote JSON-LD ``@context``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import IO, Any, cast
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: prefixes used when writing Turtle / RDF-XML (shorter answers, same triples).
PREFIX_MAP = {
    "pk": "https://w3id.org/plankg/ontology#", "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#", "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "time": "http://www.w3.org/2006/time#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "owl": "http://www.w3.org/2002/07/owl#",
    "dcterms": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "qb": "http://purl.org/linked-data/cube#",
}

_OX_GRAPH = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
             "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}


class TooManyResults(Exception):
    """The answer has more rows (or triples) than the configured cap."""

    def __init__(self, cap: int) -> None:
        super().__init__(
            f"Kết quả vượt quá giới hạn {cap} dòng; hãy thêm LIMIT/OFFSET để lấy từng phần "
            f"(the answer exceeds the limit of {cap} rows or triples; add LIMIT/OFFSET to page through it)"
        )
        self.cap = cap


def _json_term(t: Any) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                            "object": _json_term(t.object)}}
    return {"type": "literal", "value": str(t)}


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
                f"<object>{_xml_term(t.object)}</object></triple>")
    return f"<literal>{escape(str(t))}</literal>"


def _csv_term(t: Any) -> str:
    if t is None:
        return ""
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return str(t)


def _tsv_term(t: Any) -> str:
    return "" if t is None else str(t)  # pyoxigraph prints terms in N-Triples syntax, as TSV requires


_OX_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
               "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


class _RowCap(io.RawIOBase):
    """A sink for pyoxigraph's TSV writer that stops it past ``cap`` rows: TSV writes one
    line per solution (newlines inside literals are escaped), so lines count rows."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.buf, self.lines, self.cap = bytearray(), 0, cap

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.buf += data
        self.lines += data.count(b"\n")
        if self.lines > self.cap + 1:  # the header line plus more than ``cap`` rows
            raise TooManyResults(self.cap)
        return len(data)


def write_query_solutions(solutions: ox.QuerySolutions, fmt: str, max_rows: int) -> bytes:
    """SELECT results straight from pyoxigraph, written by pyoxigraph's own serialisers.

    The cap is applied while streaming: the solutions go out as TSV into a sink that stops
    the evaluation past ``max_rows``; other formats are then written from that TSV by
    pyoxigraph (a parse and a write of at most ``max_rows`` rows)."""
    if fmt not in _OX_RESULTS:
        raise ValueError(f"unknown result format {fmt!r}")
    sink = _RowCap(max_rows)
    solutions.serialize(cast(IO[bytes], sink), ox.QueryResultsFormat.TSV)  # a RawIOBase: the stub wants IO[bytes]
    tsv = bytes(sink.buf)
    if fmt == "tsv":
        return tsv
    return _bytes(ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=_OX_RESULTS[fmt]))


def write_solutions(variables: list[str], solutions: Iterable[Any], fmt: str, max_rows: int) -> bytes:
    """SELECT results in json, xml, csv or tsv from rows already in memory (answers of the
    rdflib backend or converted :class:`QueryAnswer` rows, which are not pyoxigraph
    ``QuerySolutions``); raises :class:`TooManyResults` past ``max_rows``."""
    rows: list[list[Any]] = []
    for n, sol in enumerate(solutions):
        if n >= max_rows:
            raise TooManyResults(max_rows)
        rows.append([sol[v] for v in variables])
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow([_csv_term(t) for t in row])
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown result format {fmt!r}")


def write_boolean(value: bool, fmt: str) -> bytes:
    """ASK results; CSV/TSV use the ``_askResult`` column that Jena and others write."""
    text = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{text}</boolean></sparql>\n").encode()
    if fmt == "csv":
        return f"_askResult\r\n{text}\r\n".encode()
    if fmt == "tsv":
        return f"?_askResult\n{text}\n".encode()
    raise ValueError(f"unknown result format {fmt!r}")


def write_triples(triples: Iterable[Any], fmt: str, max_rows: int | None = None) -> bytes:
    """CONSTRUCT/DESCRIBE results (pyoxigraph triples) in turtle, ntriples, rdfxml or jsonld."""
    collected: dict[Any, None] = {}  # ordered set: DESCRIBE over several graphs repeats triples
    for t in triples:
        if t in collected:
            continue
        if max_rows is not None and len(collected) >= max_rows:
            raise TooManyResults(max_rows)
        collected[t] = None
    if fmt == "ntriples":
        return _bytes(ox.serialize(collected, format=ox.RdfFormat.N_TRIPLES))
    # grouped by subject, so Turtle and RDF/XML write each subject once
    ordered = sorted(collected, key=lambda t: (str(t.subject), str(t.predicate)))
    return _bytes(ox.serialize(ordered, format=_OX_GRAPH[fmt], prefixes=PREFIX_MAP))


def _bytes(out: bytes | None) -> bytes:
    """``ox.serialize`` without an output file returns the bytes (None only when writing to a file)."""
    assert out is not None
    return out
