"""The web pages staff use: search, entity pages, source passages, SPARQL, due dates.

Server-rendered Vietnamese HTML (Jinja2 templates in ``api/templates``, one stylesheet and a
few lines of optional JavaScript in ``api/static``), built only on what the service already
offers — the search contract (``plankg.search.service.search``), the export objects
(``Records``, cached per store version and shared with the JSON API), the SPARQL worker pool
and the saved extractions. Every page works without JavaScript and on a phone.

Routes (Vietnamese paths, so they never collide with entity IRIs, which live under
``/eli/``, ``/agency/``, ``/group/``, ``/source/`` …):

=====================  ===============================================================
``/``                  search box, example questions, counts, the ingested documents
``/tim-kiem``          results: removable interpretation, facets, cards, paging
``/tim-kiem.csv``      the same list as CSV (same parameters)
``/han-hoan-thanh``    tasks due in 30 / 90 days, or whose deadline has passed
``/han-hoan-thanh.csv``
``/nhiem-vu``          tasks of an agency / document / section / year / quarter / pillar (+ ``.csv``)
``/chi-tieu``          targets, likewise (+ ``.csv``)
``/tong-quan/{path}``  charts of a document or an agency (``api/web/charts/``)
``/nguon/{file}``      the decoded source file with ``?start=&end=`` highlighted
``/truy-van``          SPARQL editor, competency questions, results table, downloads
``/truy-van.csv``      a SELECT's answer as Excel CSV
``/static/{name}``     stylesheet and script
=====================  ===============================================================

Entity IRIs get their rich pages through ``entities.EntityPages`` (a middleware, so RDF
content negotiation at the same paths is untouched). See docs/web.md.

``router`` is module-level; the handlers get the service objects through FastAPI
dependencies — ``get_service`` / ``get_settings`` (``plankg.api.http.deps``), ``get_pool``
(the SPARQL workers) and ``get_pages`` (renderer, entity data, source texts:
``plankg.api.web.deps``) — which ``create_app`` provides on ``app.state``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from plankg.api.http.deps import Service, get_service, get_settings
from plankg.api.http.sparql.endpoint import get_pool
from plankg.api.http.sparql.user_query import client_of
from plankg.api.http.sparql.worker import QueryPool
from plankg.api.web.charts.routes import home_charts
from plankg.api.web.charts.routes import router as overview_router
from plankg.api.web.charts.sparql_views import VIEWS as CHART_VIEWS
from plankg.api.web.charts.sparql_views import chart_examples
from plankg.api.web.charts.sparql_views import draw as draw_view
from plankg.api.web.csv_downloads import csv_response, task_row
from plankg.api.web.deadlines import VIEWS, DeadlineQuery, agencies_with_deadlines, select, undated
from plankg.api.web.deadlines import csv_rows as deadline_rows
from plankg.api.web.deps import Pages, get_pages
from plankg.api.web.render import STATIC, query_string
from plankg.api.web.search import SearchParams, chips, facets, page_of, to_iri
from plankg.api.web.search import csv_rows as search_rows
from plankg.api.web.search import run as run_search
from plankg.api.web.source import cut, spans_in
from plankg.api.web.sparql import Example, download_formats, examples
from plankg.api.web.sparql import run as run_sparql
from plankg.config import Settings
from plankg.search.service import SearchError
from plankg.store.base import GraphStore
from plankg.store.read.queries import PREFIXES, run_query

EXAMPLE_QUESTIONS = (
    "nhiem vu cua so y te nam 2025",
    "Sở Khoa học và Công nghệ chủ trì nhiệm vụ gì năm 2026",
    "chỉ tiêu phủ sóng 5G đến năm 2030",
    "Kế hoạch 57/KH-UBND dịch vụ công trực tuyến",
    "nhiệm vụ quý IV/2025",
    "nhiệm vụ của UBND phường Bình Phước",
)
STATIC_FILES = {"plankg.css": "text/css; charset=utf-8", "plankg.js": "text/javascript; charset=utf-8",
                "raw.css": "text/css; charset=utf-8"}


def counts(store: GraphStore, settings: Settings) -> dict[str, int]:
    rows = run_query(store, settings, PREFIXES + """SELECT
        (COUNT(DISTINCT ?d) AS ?documents) (COUNT(DISTINCT ?read) AS ?read_documents) WHERE {
        ?d a pk:Document . OPTIONAL { ?d pk:hasRendition ?r BIND(?d AS ?read) } }""").to_python()
    return {k: int(v) for k, v in rows[0].items()} if rows else {}  # type: ignore[index, union-attr]


router = APIRouter(include_in_schema=False)


def name_map(pages: Pages) -> dict[str, str]:
    return dict(pages.data.names())


def error_page(pages: Pages, status: int, title: str, message: str) -> HTMLResponse:
    return pages.renderer.response("error.html", status, title=title, message=message, alternates=[])


# -- home --------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def home(svc: Service = Depends(get_service), pages: Pages = Depends(get_pages)) -> HTMLResponse:
    data = pages.data
    docs = data.records("documents")
    n = dict(svc.cache.get("web:counts", lambda store: counts(store, svc.settings)))
    n.update(tasks=len(data.records("tasks")), targets=len(data.records("targets")),
             agencies=len(data.records("agencies")))
    return pages.renderer.response("home.html", title="Tra cứu kế hoạch", documents=docs, counts=n,
                                   examples=EXAMPLE_QUESTIONS, q="", charts=home_charts(svc, pages),
                                   alternates=[("text/turtle", "/.well-known/void"), ("application/json", "/api/stats")])


# -- search --------------------------------------------------------------------------------------
def searched(request: Request, svc: Service) -> tuple[SearchParams, Any]:
    """The search for the request's parameters; HTTPException 400 (bad parameter) or 503 (no index)."""
    p = SearchParams.from_query(request.query_params)
    try:
        return p, run_search(svc.settings, svc.snapshot.get(), p)
    except SearchError as exc:
        raise HTTPException(400, str(exc)) from exc
    except (OSError, RuntimeError, ValueError) as exc:  # no index yet, another embedder configured …
        raise HTTPException(503, f"Chỉ mục tìm kiếm chưa sẵn sàng (the search index is not ready): {exc}") from exc


@router.get("/tim-kiem", response_class=HTMLResponse)
def results(request: Request, svc: Service = Depends(get_service), pages: Pages = Depends(get_pages)) -> HTMLResponse:
    renderer, base = pages.renderer, svc.settings.base_iri
    p = SearchParams.from_query(request.query_params)
    if not p.q and not p.explicit:
        return renderer.response("search.html", title="Tìm kiếm", q="", p=p, outcome=None, examples=EXAMPLE_QUESTIONS,
                                 alternates=[])
    try:
        p, outcome = searched(request, svc)
    except HTTPException as exc:
        return error_page(pages, exc.status_code, "Không tìm được", str(exc.detail))
    lab = dict(outcome.response.get("labels") or {})
    lab.update(name_map(pages))  # ours say which "Sở Y tế", which "57/KH-UBND"
    shown, n_pages = page_of(outcome, p)
    return renderer.response(
        "search.html", title=f"Tìm kiếm: {p.q}" if p.q else "Tìm kiếm", q=p.q, p=p, outcome=outcome,
        results=shown, pages=n_pages, page=min(p.page, n_pages), chips=chips(p, outcome, lab, base),
        facets=facets(p, outcome, lab, base), examples=EXAMPLE_QUESTIONS, csv_url=p.url("/tim-kiem.csv", page=1),
        alternates=[("text/csv", p.url("/tim-kiem.csv", page=1)), ("application/json", _api_search(p, base))])


@router.get("/tim-kiem.csv")
def results_csv(request: Request, svc: Service = Depends(get_service)) -> Response:
    _, outcome = searched(request, svc)
    return csv_response(search_rows(outcome.results), "tim-kiem.csv", list(search_rows([_EMPTY_RESULT])[0]))


# -- due dates -----------------------------------------------------------------------------------
# The reference day is ``?ngay=``, else ``Settings.today``: a test overrides ``get_settings`` to move it.
@router.get("/han-hoan-thanh", response_class=HTMLResponse)
def deadlines(request: Request, settings: Settings = Depends(get_settings), pages: Pages = Depends(get_pages)) -> HTMLResponse:
    renderer, base = pages.renderer, settings.base_iri
    q = DeadlineQuery.from_params(request.query_params, settings.today)
    tasks = pages.data.records("tasks")
    lab = name_map(pages)
    qs = query_string
    tabs = [(view, label, len(select(tasks, base, q, view)), "/han-hoan-thanh" + qs(q.params(xem=view)))
            for view, label in VIEWS.items()]
    agency_name = lab.get(to_iri(q.agency, base), q.agency) if q.agency else ""
    return renderer.response(
        "deadlines.html", title="Hạn hoàn thành nhiệm vụ", q=q, views=VIEWS, tabs=tabs, due=select(tasks, base, q),
        undated=undated(tasks, base, q), agencies=agencies_with_deadlines(tasks, lab), agency_name=agency_name,
        csv_url="/han-hoan-thanh.csv" + qs(q.params()),
        alternates=[("text/csv", "/han-hoan-thanh.csv" + qs(q.params())), ("application/json", _api_tasks(q, base))])


@router.get("/han-hoan-thanh.csv")
def deadlines_csv(request: Request, settings: Settings = Depends(get_settings), pages: Pages = Depends(get_pages)) -> Response:
    q = DeadlineQuery.from_params(request.query_params, settings.today)
    rows = deadline_rows(select(pages.data.records("tasks"), settings.base_iri, q), q.view)
    return csv_response(rows, f"han-hoan-thanh-{q.view}-{q.day.isoformat()}.csv", list(task_row(_EMPTY_TASK)))


# -- task and target lists (entity pages and chart bars link here): api/web/charts/routes.py --------
router.include_router(overview_router)


# -- source passages -----------------------------------------------------------------------------
@router.get("/nguon/{file:path}", response_class=HTMLResponse)  # a source key may hold folders: "tinh-a/ke-hoach.docx"
def source(file: str, start: int | None = None, end: int | None = None,
           svc: Service = Depends(get_service), pages: Pages = Depends(get_pages)) -> HTMLResponse:
    data = pages.data
    rend = data.renditions().get(file)
    text = pages.texts.original(file) if rend else None
    if rend is None or text is None:
        return error_page(pages, 404, "Không tìm thấy tệp nguồn", f"Không có tệp nguồn {file} trong kho (no such source file).")
    passage = cut(text, start, end)
    if passage is None:
        return error_page(pages, 400, "Vị trí không hợp lệ",
                          f"Đoạn {start}–{end} nằm ngoài tệp {file} ({len(text)} ký tự) (offsets outside the file).")
    facts = spans_in(svc.snapshot.get(), svc.settings, file, start, end) if passage.marked and start is not None and end is not None else []
    doc = rend.get("document")
    lab = name_map(pages)
    lab.update({t["iri"]: f"Nhiệm vụ {t['path']}" for t in data.records("tasks")})
    lab.update({t["iri"]: f"Chỉ tiêu {t['path']}" for t in data.records("targets")})
    others = sorted((x for x in data.renditions().values() if x["document"] == doc and x["file"] != file),
                    key=lambda x: x["file"])
    rend_path = pages.renderer.local(rend["iri"])
    return pages.renderer.response("source.html", title=f"Nguồn: {file}" + (f" ({start}–{end})" if passage.marked else ""),
                                   file=file, rendition=rend, passage=passage, start=start, end=end, facts=facts,
                                   doc=doc, labels=lab, others=others, length=len(text),
                                   alternates=[("text/turtle", f"{rend_path}?format=turtle"),
                                               ("application/ld+json", f"{rend_path}?format=jsonld")])


# -- SPARQL --------------------------------------------------------------------------------------
@router.get("/truy-van", response_class=HTMLResponse)
def sparql_page(request: Request, query: str | None = None, vi_du: str | None = None, hien_thi: str | None = None,
                svc: Service = Depends(get_service), pool: QueryPool = Depends(get_pool),
                pages: Pages = Depends(get_pages)) -> HTMLResponse:
    ex = examples()
    chart_ex = chart_examples()
    chosen: Example | None = next((e for e in [*ex, *chart_ex] if e.slug == vi_du), None)
    text = query if query is not None and query.strip() else (chosen.query if chosen else None)
    table = run_sparql(text, svc.settings, svc.config, pool, svc.cache, client=client_of(request, svc.config)) if text else None
    status = table.status if table is not None and table.error else 200
    view = hien_thi if hien_thi in CHART_VIEWS else getattr(chosen, "view", "bang")
    drawn = draw_view(table, view, pages.renderer.local) if table is not None and not table.error else None
    return pages.renderer.response(
        "sparql.html", status, title="Truy vấn SPARQL", examples=ex, chart_examples=chart_ex, chosen=chosen,
        query=text or (ex[0].query if ex else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"), ran=bool(text), table=table,
        views=CHART_VIEWS, view=view, drawn=drawn,
        formats=download_formats(table.kind) if table is not None and not table.error else [],
        alternates=[("text/turtle", "/sparql?format=turtle")])


@router.get("/truy-van.csv")
def sparql_csv(request: Request, query: str, svc: Service = Depends(get_service), pool: QueryPool = Depends(get_pool)) -> Response:
    table = run_sparql(query, svc.settings, svc.config, pool, svc.cache, limit=None, client=client_of(request, svc.config))
    if table.error:
        return Response(table.error + "\n", table.status, media_type="text/plain; charset=utf-8")
    if table.kind == "ask":
        rows: list[dict[str, Any]] = [{"_askResult": "true" if table.boolean else "false"}]
    else:
        rows = [{c: cell["value"] for c, cell in zip(table.columns, row, strict=True)} for row in table.rows]
    return csv_response(rows, "truy-van.csv", table.columns)


# -- static files --------------------------------------------------------------------------------
@router.get("/static/{name}")
def static(name: str) -> FileResponse:
    if name not in STATIC_FILES:
        raise HTTPException(404, "Không tìm thấy (not found)")
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name], headers={"Cache-Control": "public, max-age=3600"})


def _api_search(p: SearchParams, base: str) -> str:
    """The JSON contract behind the page (``/api/search``) for the same question and filters."""
    from plankg.api.web.search import search_kwargs

    kw = search_kwargs(p, base)
    return "/api/search" + query_string([("q", p.q), ("type", kw["type"]), ("agency", kw["agency"]),
                                         ("year", kw["year"]), ("document", kw["document"]),
                                         ("locality", kw["locality"])])


def _api_tasks(q: DeadlineQuery, base: str) -> str:

    after, before = q.window()
    role = {"chu-tri": "lead", "phoi-hop": "cooperating"}.get(q.role, "any")
    return "/api/tasks" + query_string({"agency": q.agency, "role": role, "due_after": after, "due_before": before,
                                        "limit": 1000})


_EMPTY_RESULT: dict[str, Any] = {"iri": "", "type": "Task"}
_EMPTY_TASK: dict[str, Any] = {"iri": ""}
