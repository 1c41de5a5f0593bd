"""Content negotiation: ``Accept`` headers and ``format`` parameters → one short format name.

Why one module: the SPARQL endpoint, the linked-data pages, the ontology and VoID all
answer in several RDF syntaxes; they must agree on media types, on aliases that clients
actually send (SPARQLWrapper sends ``format=json``, ``format=rdf+xml`` and the media type
itself), and on when to answer 406.
"""

from __future__ import annotations

from dataclasses import dataclass

from plankg.store.base import GRAPH_FORMATS, RESULT_FORMATS

#: short name → media type, for every format any endpoint can produce.
MEDIA_TYPES: dict[str, str] = {**RESULT_FORMATS, **GRAPH_FORMATS, "html": "text/html"}

#: media type (lowercase) → short name, per answer kind; the first entry per kind is the default.
SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
ASK_TYPES = {k: v for k, v in SELECT_TYPES.items()}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
    "text/n3": "turtle", "text/rdf+n3": "turtle", "application/n3": "turtle",
    "application/ld+json": "jsonld", "application/x-json+ld": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
}
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", **GRAPH_TYPES}

#: ``format=`` aliases → short name, per answer kind.
_SELECT_ALIASES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"}
_GRAPH_ALIASES = {
    "turtle": "turtle", "ttl": "turtle", "n3": "turtle", "json": "jsonld", "jsonld": "jsonld",
    "json-ld": "jsonld", "xml": "rdfxml", "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "rdf": "rdfxml",
    "ntriples": "ntriples", "nt": "ntriples", "n-triples": "ntriples",
}
_PAGE_ALIASES = {"html": "html", **_GRAPH_ALIASES}

KIND_TABLES = {
    "select": (SELECT_TYPES, _SELECT_ALIASES, "json"),
    "ask": (ASK_TYPES, _SELECT_ALIASES, "json"),
    "graph": (GRAPH_TYPES, _GRAPH_ALIASES, "turtle"),
    "page": (PAGE_TYPES, _PAGE_ALIASES, "turtle"),
}


class NotAcceptable(Exception):
    """No format both the client and the server accept (HTTP 406)."""

    def __init__(self, offered: list[str]) -> None:
        super().__init__(
            "Không có định dạng phù hợp; các định dạng hỗ trợ: "
            f"{', '.join(offered)} (no acceptable format; supported: {', '.join(offered)})"
        )
        self.offered = offered


@dataclass(frozen=True)
class _Range:
    type: str
    q: float
    order: int


def parse_accept(header: str | None) -> list[_Range]:
    """Media ranges by descending quality (ties keep the client's order)."""
    out = []
    for n, part in enumerate((header or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        out.append(_Range(bits[0].lower(), q, n))
    return sorted(out, key=lambda r: (-r.q, r.order))


def choose(kind: str, accept: str | None, formats: list[str] | None = None) -> str:
    """The short format name for an answer of ``kind`` (select, ask, graph or page).

    ``formats`` are ``format=`` parameter values in request order; the first that means
    something for this kind wins (a value may also be a media type). Otherwise the Accept
    header decides; no header or ``*/*`` gives the kind's default. Raises :class:`NotAcceptable`.
    """
    types, aliases, default = KIND_TABLES[kind]
    offered = sorted(set(types.values()))
    if formats:
        for f in formats:
            key = f.strip().lower()
            if key in aliases and aliases[key] in offered:
                return aliases[key]
            if key.split(";")[0].strip() in types:
                return types[key.split(";")[0].strip()]
        raise NotAcceptable(offered)
    ranges = parse_accept(accept)
    if not ranges:
        return default
    for r in ranges:
        if r.q <= 0:
            continue
        if r.type in types:
            return types[r.type]
        if r.type == "*/*":
            return default
        if r.type.endswith("/*"):
            major = r.type[:-1]
            if MEDIA_TYPES[default].startswith(major):
                return default
            for mt, name in types.items():
                if mt.startswith(major):
                    return name
    raise NotAcceptable(offered)


def content_type(fmt: str) -> str:
    """The Content-Type header value for a short format name (UTF-8 where textual)."""
    mt = MEDIA_TYPES[fmt]
    return f"{mt}; charset=utf-8"
