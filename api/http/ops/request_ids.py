"""Request ids and per-request accounting, as one pure ASGI middleware (streaming-safe).

Each request gets an id: the client's ``X-Request-ID`` when it is a short token (a load
balancer's id keeps one id across the hops), else a new random one. It is echoed in the
response header, set for the logs (``logs.request_id``) and written in the access line; the
request's route template, status and duration go to the metrics.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import TYPE_CHECKING, Any

from plankg.api.http.ops.logs import request_id

if TYPE_CHECKING:
    from plankg.api.http.ops.metrics import Metrics

HEADER = b"x-request-id"
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
access_log = logging.getLogger("plankg.access")


def incoming_id(headers: list[tuple[bytes, bytes]]) -> str:
    for key, value in headers:
        if key.lower() == HEADER:
            text = value.decode("latin-1")
            if _VALID.fullmatch(text):
                return text
    return uuid.uuid4().hex


def route_of(scope: dict[str, Any]) -> str:
    """The route template (``/api/tasks/{id}``), never the raw path: metrics stay bounded."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class RequestContext:
    def __init__(self, app: Any, metrics: "Metrics") -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = incoming_id(scope.get("headers", []))
        token = request_id.set(rid)
        status = 500
        t0 = time.perf_counter()

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (HEADER, rid.encode("latin-1"))]
            await send(message)

        self.metrics.started(scope)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - t0
            route = route_of(scope)
            self.metrics.finished(scope, route, status, elapsed)
            access_log.info("%s %s %s", scope.get("method"), scope.get("path"), status, extra={
                "request_id": rid, "method": scope.get("method"), "path": scope.get("path"), "route": route,
                "status": status, "duration_ms": round(elapsed * 1000, 2)})
            request_id.reset(token)
