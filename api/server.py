"""``plankg serve``: one read-only HTTP service over the store — SPARQL, linked data, JSON API.

``create_app`` wires the parts, each in its own module: the SPARQL endpoint
(``sparql_endpoint`` + ``query_worker``), linked data (``linked_data``, ``identifiers``,
``dumps``, ``void``, ``feed``) and the JSON API (``json_api``). Everything reads the store
through read-only snapshots (``snapshot``), so ``plankg ingest`` can run while the server is
up and the server sees the new facts as soon as the ingest commits (docs/api.md).
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from html import escape
from typing import Any, AsyncIterator

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from plankg import __version__
from plankg.api import dumps, feed, html_pages, json_api, linked_data, sparql_endpoint, void
from plankg.api.query_worker import QueryPool
from plankg.api.records import Records
from plankg.api.service_config import ServiceConfig
from plankg.api.snapshot import StoreSnapshot, StoreUnavailable, VersionedCache, ensure_store
from plankg.config import Settings, load_settings

DESCRIPTION = """Dịch vụ chỉ đọc trên đồ thị tri thức plankg (a read-only service over the plankg knowledge graph).

* `/sparql` — SPARQL 1.1 Protocol (query only)
* `/api/...` — JSON: tasks, targets, documents, agencies with filters and paging; entities; stats
* every IRI under the base dereferences (HTML, Turtle, JSON-LD, RDF/XML, N-Triples); `/id/...` identifier redirects
* `/dumps/...`, `/.well-known/void`, `/feed.atom`, `/ontology`
"""


def create_app(settings: Settings | None = None, config: ServiceConfig | None = None) -> FastAPI:
    """The application; ``settings`` and ``config`` default to the environment."""
    settings = settings or load_settings()
    config = config or ServiceConfig.from_env()
    ensure_store(settings)
    snapshot = StoreSnapshot(settings)
    cache = VersionedCache(snapshot)
    pool = QueryPool(settings, config.pool)
    dump_cache = dumps.DumpCache(settings, snapshot)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=pool.start, daemon=True).start()  # workers warm up while we serve
        yield
        pool.close()

    app = FastAPI(title="plankg", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings, app.state.config, app.state.pool, app.state.snapshot = settings, config, pool, snapshot
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"],
                       expose_headers=["Content-Type", "Vary", "Link", "Retry-After"], max_age=86400)

    @app.exception_handler(StoreUnavailable)
    async def unavailable(_request: Request, exc: StoreUnavailable) -> PlainTextResponse:
        return PlainTextResponse(str(exc), 503, headers={"Retry-After": "10"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        docs = cache.get("records:documents", lambda store: Records(store, settings).documents())
        items = "".join(
            f'<li><a href="{escape(html_pages.local_href(d["iri"], settings.base_iri))}">'
            f'{escape(d.get("identifier") or d.get("kind") or d["iri"])}</a> — {escape(d.get("title") or d.get("issuer") or "")}</li>'
            for d in docs)
        body = (f"<h1>plankg</h1><p>Đồ thị tri thức về kế hoạch của cơ quan nhà nước "
                f"(knowledge graph of Vietnamese government plans).</p><h2>Văn bản (documents)</h2><ul>{items}</ul>"
                '<h2>Dịch vụ (services)</h2><ul><li><a href="/sparql">SPARQL</a></li><li><a href="/docs">JSON API (OpenAPI)</a></li>'
                '<li><a href="/dumps">Tải về (dumps)</a></li><li><a href="/.well-known/void">VoID / DCAT</a></li>'
                '<li><a href="/feed.atom">Atom</a></li><li><a href="/ontology">Ontology</a></li></ul>')
        return HTMLResponse(html_pages.page("plankg", body))

    @app.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        data: dict[str, Any] = {"status": "ok", "workers": pool.size, "store_snapshot": snapshot.version}
        return JSONResponse(data)

    app.include_router(sparql_endpoint.router(settings, config, pool, cache))
    app.include_router(json_api.router(settings, config, snapshot, cache, lambda: pool.isolated))
    app.include_router(void.router(settings, config, cache))
    app.include_router(feed.router(settings, config))
    app.include_router(dumps.router(dump_cache))
    app.include_router(linked_data.router(settings, snapshot, cache, dump_cache))  # last: its catch-all route
    return app
