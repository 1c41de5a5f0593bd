"""Routes of the overview pages and the filtered lists their charts open.

=========================  ==========================================================
``/tong-quan/{path}``      charts of a document (``/tong-quan/eli/…``) or an agency
                           (``/tong-quan/agency/…``, ``/tong-quan/group/…``)
``/tong-quan.csv``         one chart's table: ``bieu_do`` (chart id), ``doi_tuong``
                           (the document's or agency's path; none: the home page's)
``/nhiem-vu``              tasks filtered by ``co_quan``, ``vai_tro``, ``van_ban``, ``muc``,
                           ``nam``, ``quy``, ``tru_cot``, ``cung`` (``/nhiem-vu.csv``: same)
``/chi-tieu``              targets filtered by ``co_quan``, ``van_ban``, ``nam`` (horizon year)
=========================  ==========================================================

Included by ``api/web/routes.py`` into the pages' router; charts are cached per store
version (``VersionedCache``), so a page costs the SVG rendering once per ingest.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from plankg.api.http.deps import Service, get_service
from plankg.api.web.charts.model import Chart
from plankg.api.web.charts.overview import OverviewCharts
from plankg.api.web.csv_downloads import csv_response, target_row, task_row
from plankg.api.web.deps import Pages, get_pages
from plankg.api.web.lists import PER_PAGE, ListQuery, describe, search_url, select_targets, select_tasks
from plankg.api.web.render import query_string
from plankg.api.web.retired import retired_page
from plankg.store.read.overview import Overview

router = APIRouter(include_in_schema=False)
KIND_VI = {"document": "văn bản", "agency": "cơ quan"}


def _builder(svc: Service, pages: Pages) -> OverviewCharts:
    store = svc.snapshot.get()
    return OverviewCharts(Overview(store, svc.settings), pages.data.names(), pages.renderer.local)


def home_charts(svc: Service, pages: Pages) -> list[Chart]:
    """The home page's charts (deadlines by quarter, busiest lead agencies), with their CSV links."""
    charts = svc.cache.get("charts:home", lambda _s: _builder(svc, pages).home())
    for c in charts:
        c.csv_url = "/tong-quan.csv" + query_string({"bieu_do": c.id})
    return charts


def _kind(svc: Service, iri: str) -> str | None:
    """``document``/``agency`` for an IRI the overview draws (asked each time: paths are the user's, so not cached)."""
    try:
        return Overview(svc.snapshot.get(), svc.settings).kind_of(iri)
    except ValueError:  # not an IRI at all
        return None


def _charts(svc: Service, pages: Pages, iri: str, kind: str) -> list[Chart]:
    charts: list[Chart] = svc.cache.get(f"charts:{kind}:{iri}", lambda _s: getattr(_builder(svc, pages), kind)(iri))
    for c in charts:
        c.csv_url = "/tong-quan.csv" + query_string({"doi_tuong": pages.renderer.local(iri), "bieu_do": c.id})
    return charts


def _not_found(pages: Pages, what: str) -> HTMLResponse:
    return pages.renderer.response("error.html", 404, title="Không có tổng quan", alternates=[],
                                   message=f"Không có văn bản hay cơ quan nào ở {what} (no document or agency at this path).")


@router.get("/tong-quan/{path:path}", response_class=HTMLResponse)
def overview(path: str, svc: Service = Depends(get_service), pages: Pages = Depends(get_pages)) -> Response:
    iri = svc.settings.base_iri + path.lstrip("/")
    kind = _kind(svc, iri)
    if kind is None:
        moved_or_gone = retired_page(pages.renderer, svc.settings, iri, lambda new: "/tong-quan" + pages.renderer.local(new))
        return moved_or_gone or _not_found(pages, "/" + path)
    local = pages.renderer.local(iri)
    name = pages.data.names().get(iri, local)
    return pages.renderer.response(
        "overview.html", title=f"Tổng quan: {name}", name=name, kind=kind, kind_vi=KIND_VI[kind], entity=local,
        charts=_charts(svc, pages, iri, kind), list_url="/nhiem-vu" + query_string(
            {"van_ban" if kind == "document" else "co_quan": local}),
        alternates=[("text/turtle", f"{local}?format=turtle")])


@router.get("/tong-quan.csv")
def overview_csv(bieu_do: str, doi_tuong: str | None = None, svc: Service = Depends(get_service),
                 pages: Pages = Depends(get_pages)) -> Response:
    if doi_tuong:
        iri = svc.settings.base_iri + doi_tuong.lstrip("/")
        kind = _kind(svc, iri)
        charts = _charts(svc, pages, iri, kind) if kind else []
    else:
        charts = home_charts(svc, pages)
    chart = next((c for c in charts if c.id == bieu_do), None)
    if chart is None:
        return Response(f"Không có biểu đồ {bieu_do!r} (no such chart)\n", 404, media_type="text/plain; charset=utf-8")
    name = (doi_tuong or "").strip("/").replace("/", "-")
    return csv_response(chart.csv_rows(), f"tong-quan-{name + '-' if name else ''}{chart.id}.csv",
                        [*chart.columns, "Danh sách"])


def _labels(svc: Service, pages: Pages) -> dict[str, str]:
    names = dict(pages.data.names())
    names.update(svc.cache.get("charts:pillars", lambda store: Overview(store, svc.settings).pillar_names()))
    return names


def _pillar_members(svc: Service) -> Callable[[str], set[str]]:
    """Task IRIs of a pillar, from one cached map (a request's ``tru_cot`` never reaches a query)."""
    members = svc.cache.get("charts:pillar-tasks", lambda store: Overview(store, svc.settings).pillar_tasks())
    return lambda pillar: members.get(pillar, set())


@router.get("/nhiem-vu", response_class=HTMLResponse)
def task_list(request: Request, svc: Service = Depends(get_service), pages: Pages = Depends(get_pages)) -> HTMLResponse:
    try:
        q = ListQuery.from_params(request.query_params)
    except HTTPException as exc:
        return _bad_request(pages, exc)
    items = select_tasks(pages.data.records("tasks"), svc.settings.base_iri, q, _pillar_members(svc))
    return _list_page(pages, "tasks", q, items, _labels(svc, pages))


@router.get("/chi-tieu", response_class=HTMLResponse)
def target_list(request: Request, svc: Service = Depends(get_service), pages: Pages = Depends(get_pages)) -> HTMLResponse:
    try:
        q = ListQuery.from_params(request.query_params)
    except HTTPException as exc:
        return _bad_request(pages, exc)
    items = select_targets(pages.data.records("targets"), svc.settings.base_iri, q)
    return _list_page(pages, "targets", q, items, _labels(svc, pages))


def _bad_request(pages: Pages, exc: HTTPException) -> HTMLResponse:
    return pages.renderer.response("error.html", exc.status_code, title="Bộ lọc không hợp lệ", message=str(exc.detail),
                                   alternates=[])


def _list_page(pages: Pages, what: str, q: ListQuery, items: list[dict[str, object]], names: dict[str, str]) -> HTMLResponse:
    path = "/nhiem-vu" if what == "tasks" else "/chi-tieu"
    n_pages = max(1, -(-len(items) // PER_PAGE))
    page = min(q.page, n_pages)
    shown = items[(page - 1) * PER_PAGE: page * PER_PAGE]
    noun = "nhiệm vụ" if what == "tasks" else "chỉ tiêu"
    return pages.renderer.response(
        "list.html", title=f"Danh sách {noun}", what=what, noun=noun, q=q, items=shown, total=len(items), page=page,
        pages=n_pages, path=path, filters=describe(q, names, pages.renderer.base), search_url=search_url(q, what),
        csv_url=path + ".csv" + query_string(q.params()), alternates=[("text/csv", path + ".csv" + query_string(q.params()))])


@router.get("/nhiem-vu.csv")
def tasks_csv(request: Request, svc: Service = Depends(get_service), pages: Pages = Depends(get_pages)) -> Response:
    q = ListQuery.from_params(request.query_params)
    items = select_tasks(pages.data.records("tasks"), svc.settings.base_iri, q, _pillar_members(svc))
    return csv_response([task_row(t) for t in items], "nhiem-vu.csv", list(task_row({"iri": ""})))


@router.get("/chi-tieu.csv")
def targets_csv(request: Request, svc: Service = Depends(get_service), pages: Pages = Depends(get_pages)) -> Response:
    q = ListQuery.from_params(request.query_params)
    items = select_targets(pages.data.records("targets"), svc.settings.base_iri, q)
    return csv_response([target_row(t) for t in items], "chi-tieu.csv", list(target_row({"iri": ""})))
