"""The SPARQL 1.1 Protocol query operation at ``/sparql`` (GET, form POST, direct POST).

The handler only reads the request, checks it against the protocol and the service's
safety rules (``sparql_inspect``), negotiates the answer format, and hands the query to a
worker process (``query_worker``), which enforces the time limit and the row cap. Errors
are plain UTF-8 text, Vietnamese with an English gloss, with the parser's position for
syntax errors. Updates are never run: this is a read-only service.

``router`` is module-level; ``endpoint`` gets the service through ``Depends(get_service)``
(``plankg.api.http.deps``) and the worker pool through ``Depends(get_pool)``, defined here
(``app.state.pool``) because ``deps`` importing ``QueryPool`` would make an import circle.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qsl

import rdflib
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from plankg.api.http import html_pages
from plankg.api.http.deps import Service, get_service
from plankg.api.http.negotiation import NotAcceptable, choose, content_type
from plankg.api.http.rdf_out import serialize_graph
from plankg.api.http.sparql.engine import QueryRequest
from plankg.api.http.sparql.user_query import checked, client_of
from plankg.api.http.sparql.worker import QueryPool
from plankg.config import Settings
from plankg.ontology import QUERIES_DIR
from plankg.store.read.inspect import QueryRefused
from plankg.store.read.queries import default_graphs

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
_UPDATE_REFUSED = ("SPARQL Update không được phép: đây là điểm truy vấn chỉ đọc "
                   "(SPARQL Update is refused: this is a read-only query endpoint)")


def text_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message + "\n", status, media_type="text/plain; charset=utf-8", headers=headers)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or QueryRefused(413) once it passes ``limit`` bytes (streamed, never buffered past it)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise QueryRefused(_too_large(limit), 413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise QueryRefused(_too_large(limit), 413)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> str:
    return f"Yêu cầu quá lớn: tối đa {limit} byte (request too large: at most {limit} bytes)"


def _media_type(request: Request) -> tuple[str, str | None]:
    raw = request.headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p.split("=", 1)[1].strip().strip('"').lower()
    return parts[0].lower(), charset


def _utf8(data: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise QueryRefused(f"Chỉ chấp nhận UTF-8, không phải {charset} (only UTF-8 is accepted, not {charset})", 415)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryRefused(f"Nội dung không phải UTF-8 hợp lệ (the body is not valid UTF-8): {exc}", 400) from exc


async def protocol_params(request: Request, limit: int) -> list[tuple[str, str]]:
    """All protocol parameters as (name, value) pairs, from the URL and, for POST, the body."""
    if len(request.url.query.encode()) > limit:
        raise QueryRefused(_too_large(limit), 413)
    try:
        params = parse_qsl(request.url.query, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise QueryRefused(f"Tham số không phải UTF-8 (parameters are not valid UTF-8): {exc}", 400) from exc
    if request.method != "POST":
        return params
    media, charset = _media_type(request)
    body = await read_body(request, limit)
    if media == FORM:
        text = _utf8(body, charset)
        try:
            return params + parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise QueryRefused(f"Nội dung không phải UTF-8 hợp lệ (the body is not valid UTF-8): {exc}", 400) from exc
    if media == DIRECT:
        return params + [("query", _utf8(body, charset))]
    if media == UPDATE:
        raise QueryRefused(_UPDATE_REFUSED, 400)
    if not media:
        raise QueryRefused(
            f"Thiếu Content-Type: dùng {FORM} hoặc {DIRECT} (missing Content-Type: use {FORM} or {DIRECT})", 415)
    raise QueryRefused(
        f"Content-Type {media} không được hỗ trợ: dùng {FORM} hoặc {DIRECT} "
        f"(unsupported media type {media}: use {FORM} or {DIRECT})", 415)


async def get_pool(request: Request) -> QueryPool:
    """The application's SPARQL worker pool (``app.state.pool``, set by ``create_app``)."""
    pool: QueryPool = request.app.state.pool
    return pool


async def endpoint(request: Request, svc: Service = Depends(get_service), pool: QueryPool = Depends(get_pool)) -> Response:
    settings, config = svc.settings, svc.config
    try:
        params = await protocol_params(request, config.max_request_bytes)
    except QueryRefused as exc:
        return text_error(exc.status, str(exc))
    names = [k for k, _ in params]
    if "update" in names or "using-graph-uri" in names or "using-named-graph-uri" in names:
        return text_error(400, _UPDATE_REFUSED)
    queries = [v for k, v in params if k == "query"]
    if len(queries) > 1:
        return text_error(400, "Chỉ được gửi một tham số query (exactly one query parameter is allowed)")
    formats = [v for k, v in params if k == "format"]
    if not queries:
        if request.method == "POST":
            return text_error(400, "Thiếu tham số query (missing query parameter)")
        return service_description(request, formats, settings)
    default = [v for k, v in params if k == "default-graph-uri"]
    named = [v for k, v in params if k == "named-graph-uri"]
    protocol_dataset = bool(default or named)
    try:
        info = checked(queries[0], settings, svc.cache, protocol_dataset=protocol_dataset)
        fmt = choose(info.kind, request.headers.get("accept"), formats or None)
    except QueryRefused as exc:
        return text_error(exc.status, str(exc))
    except NotAcceptable as exc:
        return text_error(406, str(exc))
    infer = _infer_param([v for k, v in params if k == "infer"])
    if infer is None:
        return text_error(400, "Tham số infer chỉ nhận true hoặc false (infer must be true or false)")
    req = QueryRequest(
        query=info.text, kind=info.kind, fmt=fmt,
        default_graphs=default if protocol_dataset else None, named_graphs=named if protocol_dataset else None,
        query_has_dataset=info.has_dataset, max_rows=config.pool.max_rows, infer=infer)
    resp = await run_in_threadpool(pool.execute, req, client_of(request, config))
    headers = {"Vary": "Accept"}
    if resp.status >= 400:
        if resp.status in (429, 503):
            headers["Retry-After"] = str(resp.retry_after or 5)
        return text_error(resp.status, resp.body.decode("utf-8").rstrip(), headers)
    return Response(resp.body, resp.status, media_type=resp.content_type, headers=headers)


def _infer_param(values: list[str]) -> bool | None:
    """``infer=false`` leaves the inferred graph out of the default dataset; absent → true;
    anything else (or two different values) → None, a 400."""
    chosen = {v.strip().lower() for v in values}
    if not chosen:
        return True
    if len(chosen) == 1 and chosen <= {"true", "false"}:
        return chosen == {"true"}
    return None


def service_description(request: Request, formats: list[str], settings: Settings) -> Response:
    try:
        fmt = choose("page", request.headers.get("accept"), formats or None)
    except NotAcceptable as exc:
        return text_error(406, str(exc))
    if fmt == "html":
        return HTMLResponse(_form_page(), headers={"Vary": "Accept"})
    return Response(serialize_graph(_description(settings), fmt), media_type=content_type(fmt), headers={"Vary": "Accept"})


router = APIRouter(tags=["sparql"])
for _path in ("/sparql", "/sparql/"):
    for _method in ("GET", "POST"):
        router.add_api_route(_path, endpoint, methods=[_method], include_in_schema=_path == "/sparql",
                             operation_id=f"sparql_{_method.lower()}{'_slash' if _path.endswith('/') else ''}",
                             summary=f"SPARQL 1.1 query ({_method}: "
                                     + ("?query=…" if _method == "GET" else "form or application/sparql-query body") + ")",
                             response_class=Response)


def _description(settings: Settings) -> rdflib.Graph:
    """A SPARQL 1.1 Service Description of this endpoint."""
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    fmt = rdflib.Namespace("http://www.w3.org/ns/formats/")
    g = rdflib.Graph()
    svc = rdflib.URIRef(settings.base_iri + "sparql")
    g.add((svc, rdflib.RDF.type, sd.Service))
    g.add((svc, sd.endpoint, svc))
    g.add((svc, sd.supportedLanguage, sd.SPARQL11Query))
    for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "JSON-LD", "RDF_XML", "N-Triples"):
        g.add((svc, sd.resultFormat, fmt[f]))
    ds = rdflib.URIRef(settings.base_iri + "sparql#dataset")
    dg = rdflib.URIRef(settings.base_iri + "sparql#default-graph")
    g.add((svc, sd.defaultDataset, ds))
    g.add((ds, rdflib.RDF.type, sd.Dataset))
    g.add((ds, sd.defaultGraph, dg))
    g.add((dg, rdflib.RDF.type, sd.Graph))
    for name in default_graphs(settings):
        g.add((dg, rdflib.RDFS.seeAlso, rdflib.URIRef(name)))
    g.add((dg, rdflib.RDFS.comment, rdflib.Literal(
        "Đồ thị mặc định là hợp của khung nhìn hợp nhất, danh mục cơ quan, ontology và các suy diễn từ tiên đề "
        "của ontology; infer=false bỏ đồ thị suy diễn (the default graph is the union of the merged view, the agency "
        "registry, the ontology and the entailments of its axioms; infer=false leaves the inferred graph out)",
        lang="vi")))
    return g


def _form_page() -> str:
    examples = sorted(QUERIES_DIR.glob("*.rq"))
    first = examples[0].read_text("utf-8") if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    opts = "".join(f'<option value="{escape(p.read_text("utf-8"))}">{escape(p.stem)}</option>' for p in examples)
    body = f"""<h1>Truy vấn SPARQL (SPARQL query)</h1>
<form method="post" action="/sparql" accept-charset="utf-8">
<p><label>Ví dụ (examples): <select id="sparql-examples">{opts}</select></label></p>
<p><textarea name="query" rows="18" cols="100">{escape(first)}</textarea></p>
<p><label>Định dạng (format): <select name="format">
<option>json</option><option>xml</option><option>csv</option><option>tsv</option>
<option>turtle</option><option>jsonld</option><option>rdfxml</option><option>ntriples</option></select></label>
<button type="submit">Chạy (run)</button></p></form>"""
    return html_pages.page("SPARQL — plankg", body)
