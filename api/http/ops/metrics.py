"""Prometheus metrics (``prometheus-client``) at ``/metrics``, not public by default.

What is measured: HTTP requests and latency by route template and status; SPARQL queries
at ``/sparql`` by outcome (answered, refused: a 4xx such as a syntax error, an update, the
row cap or a too-large request; ``unavailable``: 503, a time-out or all workers busy;
``error``: other 5xx) with their time; the query worker pool (workers alive, configured,
queries in flight); ingest counts and failures as recorded under ``PLANKG_HOME`` (the change
log and the remembered failures: ingest usually runs in another process, ``plankg ingest``).

Who may read it: with ``PLANKG_METRICS_TOKEN`` set, a request with ``Authorization: Bearer
<token>``; without it, only a client connecting from loopback with no forwarding header
(a reverse proxy on the same host adds ``X-Forwarded-For``/``Forwarded``, so a public request
through it is refused). Each app has its own registry, so several apps in one process
(tests) do not clash.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, Histogram, generate_latest
from prometheus_client import Counter as PromCounter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from plankg.config import Settings

_SPARQL_ROUTES = ("/sparql", "/sparql/")
_FORWARD_HEADERS = (b"x-forwarded-for", b"forwarded", b"x-real-ip")


def sparql_outcome(status: int) -> str:
    if status < 400:
        return "answered"
    if status == 503:
        return "unavailable"
    return "refused" if status < 500 else "error"


class Metrics:
    def __init__(self, app: Any, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = PromCounter("plankg_http_requests", "HTTP requests by route template, method and status",
                                    ["route", "method", "status"], registry=r)
        self.latency = Histogram("plankg_http_request_seconds", "HTTP request duration by route template",
                                 ["route", "method"], registry=r)
        self.sparql = Histogram("plankg_sparql_query_seconds", "SPARQL endpoint queries by outcome "
                                "(answered, refused, unavailable, error)", ["outcome"], registry=r)
        self.in_flight = Gauge("plankg_sparql_in_flight", "SPARQL queries being served now", registry=r)
        workers = Gauge("plankg_query_workers", "Query worker processes (state: alive, configured)", ["state"], registry=r)
        workers.labels("alive").set_function(lambda: float(getattr(getattr(app.state, "pool", None), "size", 0)))
        workers.labels("configured").set_function(self._configured_workers)
        r.register(_IngestCollector(settings))

    def _configured_workers(self) -> float:
        pool = getattr(self.app.state, "pool", None)
        return float(getattr(getattr(pool, "config", None), "workers", 0))

    def started(self, scope: dict[str, Any]) -> None:
        if scope.get("path") in _SPARQL_ROUTES:
            self.in_flight.inc()

    def finished(self, scope: dict[str, Any], route: str, status: int, seconds: float) -> None:
        method = str(scope.get("method", ""))
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)
        if scope.get("path") in _SPARQL_ROUTES:
            self.in_flight.dec()
            if route != "unmatched" and (method == "POST" or b"query=" in scope.get("query_string", b"")):
                self.sparql.labels(sparql_outcome(status)).observe(seconds)


class _IngestCollector(Collector):
    """Ingest events of the change log and the files whose last ingest failed (read at scrape)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        from plankg.ingest.changelog import read_events

        counts = Counter(str(e.get("event", "?")) for e in read_events(self.settings))
        events = CounterMetricFamily("plankg_ingest_events", "Change-log events (ingested, changed, removed, …)",
                                     labels=["event"])
        for event, n in sorted(counts.items()):
            events.add_metric([event], n)
        yield events
        failures = GaugeMetricFamily("plankg_ingest_failed_files", "Source files whose last ingest failed")
        failures.add_metric([], float(len(_failures(self.settings))))
        yield failures


def _failures(settings: Settings) -> dict[str, Any]:
    path = settings.home / "ingest-failures.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def allowed(request: Request, settings: Settings) -> bool:
    """Token when configured; otherwise a direct loopback client only."""
    if settings.metrics_token is not None:
        given = request.headers.get("authorization", "")
        expected = "Bearer " + settings.metrics_token.get_secret_value()
        return hmac.compare_digest(given.encode(), expected.encode())
    if any(k.lower() in _FORWARD_HEADERS for k, _ in request.scope.get("headers", [])):
        return False
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "testclient"  # Starlette's in-process test client


async def metrics_endpoint(request: Request) -> Response:
    metrics: Metrics = request.app.state.metrics
    if not allowed(request, metrics.settings):
        return PlainTextResponse("Không được phép xem số đo (metrics are not available to this client)\n", 403)
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


router = APIRouter(include_in_schema=False)
router.add_api_route("/metrics", metrics_endpoint, methods=["GET"])
