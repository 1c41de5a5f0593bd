"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: store, index, workers).

Why two: a load balancer sends traffic only to a ready process (``/readyz``), while a
supervisor restarts only a dead one (``/healthz``); a process whose store is down is alive
and must not be restarted in a loop, only taken out of rotation.

Readiness checks the store (the read snapshot opens and answers a query), the search index
(``check_index``, the same check as ``plankg check``: present and built from this store
state), the search warm-up (``api/http/warmup.py``: index opened, tokenizer and model
loaded; until then the first query would pay seconds for them) and the query workers
(started, when the pool has any). The index check reads the store fingerprint (metadata and
triple count); its answer is kept per store version and index build, so a probe every few
seconds costs one small store query.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from plankg.search.index.builder import index_info
from plankg.search.index.upkeep import check_index

router = APIRouter(include_in_schema=False)

#: A probe that arrives while the search warm-up runs waits this long for it before answering
#: "not ready": a poller right after start-up gets its 200 when the warm-up ends.
WARM_WAIT_S = 2.0


async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


class _IndexCheckCache:
    def __init__(self) -> None:
        self.key: tuple[str, str] | None = None
        self.findings: list[dict[str, str]] = []
        self.lock = threading.Lock()


def _store_and_index(app_state: Any) -> dict[str, Any]:
    svc = app_state.service
    settings = svc.settings
    try:
        store = svc.snapshot.get()
        store.query("ASK { ?s ?p ?o }")  # reachable and answering
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", with its reason
        return {"store": {"ok": False, "error": f"{type(exc).__name__}: {exc}"}}
    cache: _IndexCheckCache = app_state.__dict__.setdefault("_readyz_cache", _IndexCheckCache())
    key = (svc.snapshot.version, str(index_info(settings).get("built_at")))
    with cache.lock:
        if cache.key != key:
            try:
                cache.findings = [{"code": f.code, "message": f.message} for f in check_index(settings, store)]
            except Exception as exc:  # noqa: BLE001
                return {"store": {"ok": False, "error": f"{type(exc).__name__}: {exc}"}}
            cache.key = key
        findings = list(cache.findings)
    return {"store": {"ok": True, "version": key[0]}, "index": {"ok": not findings, "findings": findings}}


def _search_warm(app_state: Any) -> dict[str, Any]:
    warm: threading.Event | None = getattr(app_state, "search_warm", None)
    if warm is None:  # an app without the warm-up (none to wait for)
        return {"ok": True}
    ok = warm.is_set() or warm.wait(WARM_WAIT_S)
    return {"ok": ok} if ok else {"ok": False, "reason": "đang khởi động tìm kiếm (search warming up)"}


async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    checks = await run_in_threadpool(_store_and_index, state)
    checks["search"] = await run_in_threadpool(_search_warm, state)
    pool = getattr(state, "pool", None)
    configured = getattr(getattr(pool, "config", None), "workers", 0)
    alive = getattr(pool, "size", 0)
    checks["workers"] = {"ok": configured <= 0 or alive > 0, "alive": alive, "configured": configured}
    ready = all(c.get("ok") for c in checks.values())
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503)


router.add_api_route("/healthz", healthz, methods=["GET"])
router.add_api_route("/readyz", readyz, methods=["GET"])
