"""``plankg serve``: one read-only HTTP service over the store — SPARQL, linked data, JSON API.

``create_app`` wires the parts, each in its own module: the SPARQL endpoint
(``sparql_endpoint`` + ``query_worker``), linked data (``linked_data``, ``identifiers``,
``dumps``, ``void``, ``feed``), the JSON API (``json_api``) and the web pages (``web``,
docs/web.md). Everything reads the store through read-only snapshots (``snapshot``), so
``plankg ingest`` can run while the server is up and the server sees the new facts as soon
as the ingest commits (docs/api.md).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse

from plankg import __version__
from plankg.api.http import api_docs, ops
from plankg.api.http.deps import Service, get_service
from plankg.api.http.hardening import RequestLimits, SecurityHeaders, Utf8Guard
from plankg.api.http.json_api import routes as json_api
from plankg.api.http.linked_data import dumps, feed, void
from plankg.api.http.linked_data import routes as linked_data
from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.snapshot import StoreUnavailable, ensure_store
from plankg.api.http.sparql import endpoint as sparql_endpoint
from plankg.api.http.sparql.endpoint import get_pool
from plankg.api.http.sparql.worker import QueryPool
from plankg.api.http.warmup import warm_search
from plankg.api.web import routes as web
from plankg.api.web.deps import Pages
from plankg.api.web.entities import EntityPages
from plankg.config import Settings, load_settings

DESCRIPTION = """Dịch vụ chỉ đọc trên đồ thị tri thức plankg (a read-only service over the plankg knowledge graph).

* `/sparql` — SPARQL 1.1 Protocol (query only)
* `/api/...` — JSON: tasks, targets, documents, agencies with filters and paging; entities; stats
* every IRI under the base dereferences (HTML, Turtle, JSON-LD, RDF/XML, N-Triples); `/id/...` identifier redirects
* `/dumps/...`, `/.well-known/void`, `/feed.atom`, `/ontology`
"""


def create_app(settings: Settings | None = None, config: ServiceConfig | None = None) -> FastAPI:
    """The application; ``settings`` and ``config`` default to the environment.

    The service objects go on ``app.state`` — ``service`` (:class:`Service`: settings, limits,
    snapshot, cache), ``pool``, ``dumps`` and ``pages`` (the web pages) — where the route
    handlers get them through FastAPI dependencies (``plankg.api.http.deps``), so a test can
    replace one with ``app.dependency_overrides``.
    """
    settings = settings or load_settings()
    config = config or ServiceConfig.from_settings(settings)
    ensure_store(settings)
    svc = Service.create(settings, config)
    pool = QueryPool(settings, config.pool)
    pages = Pages.create(svc)
    search_warm = threading.Event()  # set when the search stack is imported and loaded (api/http/warmup.py)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=pool.start, daemon=True).start()  # workers warm up while we serve
        threading.Thread(target=warm_search, args=(settings, svc.snapshot, search_warm), daemon=True).start()
        yield
        pool.close()

    app = FastAPI(title="plankg", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # api_docs: Swagger UI from the package, no CDN
    app.state.service, app.state.pool, app.state.pages = svc, pool, pages
    app.state.search_warm = search_warm
    app.state.dumps = dumps.DumpCache(settings, svc.snapshot)
    app.state.settings, app.state.config, app.state.snapshot = settings, config, svc.snapshot  # shortcuts for scripts
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"],
                       expose_headers=["Content-Type", "Vary", "Link", "Retry-After"], max_age=86400)
    app.add_exception_handler(StoreUnavailable, unavailable)  # type: ignore[arg-type]
    app.add_api_route("/health", health, methods=["GET"], include_in_schema=False)
    ops.install_routes(app, settings)  # /healthz /readyz /metrics, before the linked-data catch-all
    app.include_router(api_docs.router)
    app.include_router(sparql_endpoint.router)
    app.include_router(json_api.router)
    app.include_router(void.router)
    app.include_router(feed.router)
    app.include_router(dumps.router)
    app.include_router(web.router)  # the web pages (docs/web.md), before the linked-data catch-all route
    app.add_middleware(EntityPages, data=pages.data, renderer=pages.renderer)  # rich entity pages for browsers
    app.include_router(linked_data.router)  # last: its catch-all route
    app.add_middleware(Utf8Guard)  # a URL that is not UTF-8: 400 before any route reads it
    app.add_middleware(RequestLimits, max_query_string_bytes=config.max_query_string_bytes,  # 414 / 413 first
                       max_body_bytes=config.max_request_bytes)
    app.add_middleware(SecurityHeaders)  # CSP, nosniff, Referrer-Policy (docs/security.md)
    ops.install_middleware(app)  # outermost: request ids, access log, metrics (docs/deployment.md)
    return app


async def unavailable(_request: Request, exc: StoreUnavailable) -> PlainTextResponse:
    return PlainTextResponse(str(exc), 503, headers={"Retry-After": "10"})


def health(request: Request, svc: Service = Depends(get_service), pool: QueryPool = Depends(get_pool)) -> JSONResponse:
    data: dict[str, Any] = {"status": "ok", "workers": pool.size, "store_snapshot": svc.snapshot.version,
                            "search_warm": request.app.state.search_warm.is_set()}
    return JSONResponse(data)
