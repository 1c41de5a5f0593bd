"""Answers for retired IRIs: 301 to the IRI a thing moved to, 410 Gone for one that no
longer exists (the record: :mod:`plankg.store.retired`, filled by ingest).

Why: a published IRI never falls back to 404 (docs/vocabulary-contract.md, "Changed and
retired IRIs"). The 410 body says since when and why, in the format asked for like every
other answer: an HTML notice, or a few RDF statements (``prov:invalidatedAtTime``,
``skos:changeNote`` in Vietnamese and English, ``dcterms:isReplacedBy``) in Turtle,
JSON-LD, RDF/XML or N-Triples. The record is read again only when its file changed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlencode

import rdflib
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from plankg.api.http import html_pages
from plankg.api.http.negotiation import content_type
from plankg.api.http.rdf_out import serialize_graph
from plankg.config import Settings
from plankg.store.retired import RetiredRecord, Retirement, record_path

__all__ = ["gone_message", "lookup", "retired_response"]

_lock = threading.Lock()
_cached: dict[Path, tuple[tuple[int, int], RetiredRecord]] = {}


def _record(settings: Settings) -> RetiredRecord | None:
    path = record_path(settings.home)
    try:
        st = path.stat()
    except OSError:
        return None
    stamp = (st.st_mtime_ns, st.st_size)
    with _lock:
        hit = _cached.get(path)
        if hit is None or hit[0] != stamp:
            hit = (stamp, RetiredRecord.load(path))
            _cached[path] = hit
        return hit[1]


def lookup(settings: Settings, iri: str) -> Retirement | None:
    """The retirement of ``iri`` (its successor followed to the end of a chain), or None."""
    record = _record(settings)
    return record.resolve(iri) if record is not None else None


def gone_message(r: Retirement) -> str:
    vi, en = r.why()
    return (f"IRI này không còn tồn tại từ {r.since}: {vi} "
            f"(gone since {r.since}: {en})")


def retired_response(r: Retirement, fmt: str, base: str, query: dict[str, str] | None = None) -> Response:
    """301 with ``Location`` the successor's path on this server (``query`` kept, e.g.
    ``format``), or 410 with the notice in ``fmt``."""
    headers = {"Vary": "Accept"}
    if r.successor is not None:
        target = html_pages.local_href(r.successor, base)
        if query:
            target += "?" + urlencode(query)
        return RedirectResponse(target, status_code=301, headers=headers)
    msg = gone_message(r)
    if fmt == "html":
        return HTMLResponse(html_pages.notice("Không còn tồn tại (gone)", msg), 410, headers=headers)
    if fmt == "text":
        return Response(msg, 410, media_type="text/plain; charset=utf-8", headers=headers)
    return Response(serialize_graph(_graph(r), fmt), 410, media_type=content_type(fmt), headers=headers)


def _graph(r: Retirement) -> rdflib.Graph:
    g = rdflib.Graph()
    s = rdflib.URIRef(r.iri)
    vi, en = r.why()
    g.add((s, PROV.invalidatedAtTime, rdflib.Literal(r.since, datatype=XSD.dateTime)))
    g.add((s, SKOS.changeNote, rdflib.Literal(f"IRI này không còn tồn tại: {vi}", lang="vi")))
    g.add((s, SKOS.changeNote, rdflib.Literal(f"Gone: {en}", lang="en")))
    if r.successor:
        g.add((s, DCTERMS.isReplacedBy, rdflib.URIRef(r.successor)))
    return g
