"""The one path of every user-supplied SPARQL query in the service (issue 12).

``/sparql`` (``endpoint``), the web SPARQL page (``api/web/sparql.py``) and the ``sparql=``
restriction of ``/api/search`` all call :func:`checked` (the parsed refusal check of
``store/read/inspect.py`` with the size and nesting limits from settings, plus "FROM names a
local graph") and then hand :attr:`QueryInfo.text` to :meth:`QueryPool.execute` with the
request's client (:func:`client_of`): the killable, network-isolated worker with the time
limit, the row cap and the fair gate. Nothing user-supplied runs in the server process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from starlette.requests import Request

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.snapshot import VersionedCache
from plankg.api.http.sparql.engine import QueryRequest
from plankg.api.http.sparql.fairness import client_key, parse_networks
from plankg.api.http.sparql.worker import QueryPool
from plankg.config import Settings
from plankg.search.service import SearchError
from plankg.store.read.inspect import QueryInfo, QueryLimits, QueryRefused, inspect_query


def checked(query: str, settings: Settings, cache: VersionedCache, *, protocol_dataset: bool = False) -> QueryInfo:
    """The parsed refusal check; raise :class:`QueryRefused`. ``FROM`` must name local graphs
    unless the protocol's ``default-graph-uri``/``named-graph-uri`` replace them."""
    info = inspect_query(query, settings.base_iri, QueryLimits.from_settings(settings))
    if info.has_dataset and not protocol_dataset:
        local = cache.get("graph-names", lambda s: set(s.graph_names()))
        missing = [g for g in info.from_graphs + info.from_named if g not in local]
        if missing:
            raise QueryRefused(
                f"Đồ thị không có trong kho: {', '.join(missing)}; dịch vụ không tải dữ liệu từ bên ngoài "
                f"(FROM / FROM NAMED must name local graphs; remote data is never fetched)", 400)
    return info


@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple[Any, ...]:
    return parse_networks(spec)


def client_of(request: Request, config: ServiceConfig) -> str:
    """Who a request's query time counts against (``fairness.client_key``)."""
    peer = request.client.host if request.client else None
    return client_key(peer, request.headers.get("x-forwarded-for"), _networks(config.trusted_proxies))


class RestrictionFailed(Exception):
    """The restriction could not be answered now (429 budget, 503 time limit or busy)."""

    def __init__(self, status: int, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


def restriction_runner(pool: QueryPool, settings: Settings, config: ServiceConfig, cache: VersionedCache,
                       client: str) -> Callable[[str], set[str]]:
    """A runner for ``search(…, sparql_runner=)``: the restriction query through the worker pool.

    Raises :class:`SearchError` for the caller's mistakes (400) and :class:`RestrictionFailed`
    when the pool cannot answer now."""

    def run(text: str) -> set[str]:
        try:
            info = checked(text, settings, cache)
        except QueryRefused as exc:
            raise SearchError(str(exc)) from exc
        if info.kind != "select":
            raise SearchError("Ràng buộc SPARQL phải là SELECT trả về ?item (the SPARQL restriction must be a SELECT binding ?item)")
        resp = pool.execute(QueryRequest(query=info.text, kind="select", fmt="json", query_has_dataset=info.has_dataset,
                                         max_rows=config.pool.max_rows), client)
        message = resp.body.decode("utf-8", "replace").strip()
        if resp.status in (429, 503):
            raise RestrictionFailed(resp.status, message, resp.retry_after or 5)
        if resp.status >= 400:
            raise SearchError(f"Ràng buộc SPARQL không hợp lệ (invalid SPARQL restriction): {message}")
        data = json.loads(resp.body)
        if "item" not in data.get("head", {}).get("vars", []):
            raise SearchError("Ràng buộc SPARQL phải trả về biến ?item (the SPARQL restriction must bind ?item)")
        return {b["item"]["value"] for b in data.get("results", {}).get("bindings", []) if "item" in b}

    return run
