"""Linked data: every IRI under ``PLANKG_BASE_IRI`` dereferences on this server.

The server maps a request path to an IRI by dropping its own origin and putting the base
in front, so ``http://127.0.0.1:8000/eli/binh-phuoc/ubnd/kh/2025/57`` answers for
``https://plankg.example.org/eli/binh-phuoc/ubnd/kh/2025/57``. Browsers get HTML, RDF
clients the syntax they ask for (``Accept`` or ``?format=``), always with ``Vary: Accept``.
Named-graph IRIs (``/graph/merged``, ``/graph/source/…``) answer with the graph itself.
Identifier IRIs (``/id/…``, see ``identifiers``) redirect with 303. A retired IRI (the
record ingest keeps, ``retired``) answers 301 to its successor or 410 Gone, never 404. The ontology is served
at ``/ontology`` (its namespace ``https://w3id.org/plankg/ontology#`` redirects here).

``router`` is module-level; the handlers get the service through ``Depends(get_service)``
(``plankg.api.http.deps``) and the dump cache through ``Depends(get_dumps)``. Its last route
is the catch-all ``/{path:path}``, so ``create_app`` includes this router after every other.
"""

from __future__ import annotations

from html import escape
from typing import Any

import rdflib
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from plankg.api.http import html_pages
from plankg.api.http.deps import Service, get_cache, get_service
from plankg.api.http.linked_data.describe import describe, labels, safe_iri
from plankg.api.http.linked_data.dumps import DumpCache, get_dumps
from plankg.api.http.linked_data.identifiers import IndexedDocument, build_index, resolve
from plankg.api.http.linked_data.retired import lookup as lookup_retired
from plankg.api.http.linked_data.retired import retired_response
from plankg.api.http.negotiation import MEDIA_TYPES, NotAcceptable, choose, content_type
from plankg.api.http.rdf_out import serialize_graph
from plankg.api.http.snapshot import VersionedCache
from plankg.ontology import ONTOLOGY_TTL, load_ontology

RDF_FORMATS = ("turtle", "jsonld", "rdfxml", "ntriples")
EXT = {"turtle": "ttl", "jsonld": "jsonld", "rdfxml": "rdf", "ntriples": "nt"}
_EXT_FORMAT = {"ttl": "turtle", "jsonld": "jsonld", "rdf": "rdfxml", "nt": "ntriples", "html": "html"}


def negotiate_page(request: Request, fmt: list[str] | None) -> str:
    try:
        return choose("page", request.headers.get("accept"), fmt or None)
    except NotAcceptable as exc:
        raise HTTPException(406, str(exc)) from exc


def alternates(path: str) -> list[tuple[str, str]]:
    return [(MEDIA_TYPES[f], f"{path}?format={f}") for f in ("html", *RDF_FORMATS)]


def rdf_response(data: bytes, fmt: str, path: str) -> Response:
    links = ", ".join(f'<{h}>; rel="alternate"; type="{t}"' for t, h in alternates(path))
    return Response(data, media_type=content_type(fmt), headers={"Vary": "Accept", "Link": links})


def not_found(iri: str, fmt: str) -> Response:
    msg = (f"Không tìm thấy tài nguyên {iri} trong đồ thị tri thức "
           f"(no resource with this IRI in the knowledge graph)")
    if fmt == "html":
        return HTMLResponse(html_pages.notice("Không tìm thấy (not found)", msg), 404, headers={"Vary": "Accept"})
    return Response(msg, 404, media_type="text/plain; charset=utf-8", headers={"Vary": "Accept"})


router = APIRouter(tags=["linked data"])


# -- the ontology -----------------------------------------------------------------------------
def ontology_response(request: Request, fmt: str, cache: VersionedCache) -> Response:
    path = request.url.path
    if fmt == "turtle":
        return Response(ONTOLOGY_TTL.read_bytes(), media_type=content_type("turtle"), headers={"Vary": "Accept"})
    g = cache.get("ontology-graph", lambda _s: load_ontology())
    if fmt == "html":
        return HTMLResponse(_ontology_html(g), headers={"Vary": "Accept"})
    return rdf_response(serialize_graph(g, fmt), fmt, path)


@router.get("/ontology", summary="Ontology plankg (Turtle, HTML, JSON-LD, RDF/XML, N-Triples)")
def ontology(request: Request, format: list[str] | None = Query(None),  # noqa: A002
             cache: VersionedCache = Depends(get_cache)) -> Response:
    return ontology_response(request, negotiate_page(request, format), cache)


@router.get("/ontology.{ext}", include_in_schema=False)
def ontology_ext(ext: str, request: Request, cache: VersionedCache = Depends(get_cache)) -> Response:
    if ext not in _EXT_FORMAT:
        raise HTTPException(404, "Không có định dạng này (unknown extension)")
    return ontology_response(request, _EXT_FORMAT[ext], cache)


# -- identifier IRIs ---------------------------------------------------------------------------
def index(svc: Service) -> list[IndexedDocument]:
    return svc.cache.get("identifier-index", lambda store: build_index(store, svc.settings))


def redirect(found: list[IndexedDocument], label: str, base: str) -> Response:
    if not found:
        return HTMLResponse(html_pages.notice(
            "Không tìm thấy (not found)",
            f"Không có văn bản nào mang ký hiệu {label} (no document with this identifier)"), 404)
    if len(found) == 1:
        return RedirectResponse(html_pages.local_href(found[0].iri, base), status_code=303)
    items = [(html_pages.local_href(d.iri, base), f"{d.symbol} — {d.date or d.year or '?'} — {d.iri}") for d in found]
    return HTMLResponse(html_pages.notice(
        "Nhiều văn bản (multiple choices)",
        f"Ký hiệu {label} ứng với nhiều văn bản; thêm năm hoặc ngày (several documents match; add a year or date)",
        items), 300)


@router.get("/id/symbol/{slug}", summary="Văn bản theo ký hiệu (document by symbol slug) → 303")
def by_slug(slug: str, year: int | None = None, date: str | None = None, svc: Service = Depends(get_service)) -> Response:
    return redirect(resolve(index(svc), slug, year=year, date=date), slug, svc.settings.base_iri)


@router.get("/id/symbol/{slug}/{year}", summary="Văn bản theo ký hiệu và năm (document by symbol slug and year) → 303")
def by_slug_year(slug: str, year: int, svc: Service = Depends(get_service)) -> Response:
    return redirect(resolve(index(svc), slug, year=year), f"{slug} ({year})", svc.settings.base_iri)


@router.get("/id/{symbol:path}", summary="Văn bản theo ký hiệu như in (document by printed symbol, ?date= or ?year=) → 303")
def by_symbol(symbol: str, year: int | None = None, date: str | None = None, svc: Service = Depends(get_service)) -> Response:
    return redirect(resolve(index(svc), symbol, year=year, date=date), symbol, svc.settings.base_iri)


# -- every other IRI under the base (registered last, and the app includes this router last) ----
def entity(path: str, request: Request, format: list[str] | None = Query(None),  # noqa: A002
           svc: Service = Depends(get_service), dumps: DumpCache = Depends(get_dumps)) -> Response:
    settings, base = svc.settings, svc.settings.base_iri
    iri = base + path
    fmt = negotiate_page(request, format)
    if not safe_iri(iri):
        return not_found(iri, fmt)
    store = svc.snapshot.get()
    if iri in svc.cache.get("graph-names", lambda s: set(s.graph_names())):
        return graph_response(iri, fmt, request.url.path, svc, dumps)
    g = describe(store, settings, iri)
    if len(g) == 0:
        gone = lookup_retired(settings, iri)  # a published IRI answers 301 or 410, never 404
        if gone is not None:
            return retired_response(gone, fmt, base, {"format": fmt} if format else None)
        return not_found(iri, fmt)
    if fmt == "html":
        names = {str(t) for triple in g for t in triple if isinstance(t, rdflib.URIRef)}
        page = html_pages.entity_page(iri, g, labels(store, settings, sorted(names)), base, alternates(request.url.path))
        return HTMLResponse(page, headers={"Vary": "Accept"})
    return rdf_response(serialize_graph(g, fmt), fmt, request.url.path)


def graph_response(iri: str, fmt: str, path: str, svc: Service, dumps: DumpCache) -> Response:
    if fmt == "html":
        store = svc.snapshot.get()
        n = svc.cache.get(f"count:{iri}", lambda s: s.triple_count(iri))
        body = (f"<h1>Đồ thị có tên (named graph)</h1><p><code>{escape(iri)}</code></p><p>{n} bộ ba (triples).</p>"
                "<p>Tải về (download): " + " · ".join(
                    f'<a href="{escape(path)}?format={f}">{f}</a>' for f in RDF_FORMATS) + "</p>")
        del store
        return HTMLResponse(html_pages.page(iri, body), headers={"Vary": "Accept"})
    slug = iri[len(svc.settings.base_iri):].replace("/", "_")

    def produce(store: Any) -> bytes:
        if fmt == "jsonld":
            return serialize_graph(store.get_graph(iri), "jsonld")
        return store.dump(fmt, iri)

    file = dumps.file(f"{slug}.{EXT[fmt]}", produce)
    return FileResponse(file, media_type=content_type(fmt), headers={"Vary": "Accept"})


router.add_api_route("/{path:path}", entity, methods=["GET", "HEAD"], include_in_schema=False)


def _ontology_html(g: rdflib.Graph) -> str:
    from rdflib.namespace import OWL, RDF, RDFS

    from plankg.ontology import ONTOLOGY_IRI, ONTOLOGY_VERSION

    def label(term: rdflib.term.Node) -> str:
        vi = [str(o) for o in g.objects(term, RDFS.label) if getattr(o, "language", None) == "vi"]
        en = [str(o) for o in g.objects(term, RDFS.label) if getattr(o, "language", None) == "en"]
        return " / ".join(vi[:1] + en[:1]) or str(term).rsplit("#", 1)[-1]

    def comment(term: rdflib.term.Node) -> str:
        texts = [str(o) for o in g.objects(term, RDFS.comment) if getattr(o, "language", None) in ("vi", None)]
        return texts[0] if texts else ""

    sections = []
    for title, kinds in (("Lớp (classes)", [OWL.Class]),
                         ("Thuộc tính (properties)", [OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty])):
        terms = sorted({s for k in kinds for s in g.subjects(RDF.type, k)
                        if isinstance(s, rdflib.URIRef) and str(s).startswith(ONTOLOGY_IRI + "#")})
        rows = "".join(
            f'<tr id="{escape(str(t).rsplit("#", 1)[-1])}"><td><code>pk:{escape(str(t).rsplit("#", 1)[-1])}</code></td>'
            f"<td>{escape(label(t))}</td><td>{escape(comment(t))}</td></tr>" for t in terms)
        sections.append(f"<h2>{title}</h2><table><thead><tr><th>Thuật ngữ (term)</th><th>Nhãn (label)</th>"
                        f"<th>Mô tả (comment)</th></tr></thead><tbody>{rows}</tbody></table>")
    body = (f"<h1>Ontology plankg {escape(ONTOLOGY_VERSION)}</h1><p><code>{escape(ONTOLOGY_IRI)}#</code></p>"
            '<p>Tải về (download): <a href="/ontology.ttl">Turtle</a> · <a href="/ontology?format=jsonld">JSON-LD</a> · '
            '<a href="/ontology?format=rdfxml">RDF/XML</a></p>' + "".join(sections))
    return html_pages.page(f"Ontology plankg {ONTOLOGY_VERSION}", body,
                           alternates=[("text/turtle", "/ontology.ttl"), ("application/ld+json", "/ontology?format=jsonld")])
