"""Operations: health and readiness probes, Prometheus metrics, request ids and JSON logs.

``install(app, settings)`` wires them into the app (``api/server.py``); docs/deployment.md
says how operators use them.
"""

from __future__ import annotations

from fastapi import FastAPI

from plankg.api.http.ops import health, metrics
from plankg.api.http.ops.logs import configure_logging
from plankg.api.http.ops.request_ids import RequestContext
from plankg.config import Settings

__all__ = ["install_middleware", "install_routes"]


def install_routes(app: FastAPI, settings: Settings) -> None:
    """``/healthz``, ``/readyz``, ``/metrics`` (before any catch-all route) and the JSON logs."""
    configure_logging(settings.log_format)
    app.state.metrics = metrics.Metrics(app, settings)
    app.include_router(health.router)
    app.include_router(metrics.router)


def install_middleware(app: FastAPI) -> None:
    """The request-id and metrics middleware; call it last so it wraps every request."""
    app.add_middleware(RequestContext, metrics=app.state.metrics)
