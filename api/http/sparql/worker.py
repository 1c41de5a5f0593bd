"""A small pool of pre-started worker processes that run endpoint queries and can be killed.

Why processes: pyoxigraph has no way to cancel a running query, and a thread cannot be
stopped, so the only time limit that really stops the work is killing the process that
does it. Workers are started ahead of time (from a ``forkserver`` that has already
imported pyoxigraph, so a replacement after a kill is ready in tens of milliseconds), each
opens the store read-only (taking no lock, see ``snapshot``) and keeps the handle until
ingest records a change. A request costs one pipe round trip: the query text goes in, the
serialised answer comes back (measured overhead: see docs/api.md).

Each worker also cuts itself off the network where the OS allows it (a new, empty network
namespace, :func:`isolate_network` — the one place that decides what a worker may reach):
pyoxigraph would otherwise evaluate ``SERVICE`` by making HTTP requests. ``SERVICE`` is
refused on the parsed query before it is sent (``store/read/inspect.py``), so this is a
second line of defence.

Every user query of the service — ``/sparql``, the web SPARQL page, the ``sparql=``
restriction of ``/api/search`` — comes through :meth:`QueryPool.execute`, which first asks
the :class:`~plankg.api.http.sparql.fairness.FairGate` (slots per client, query-time budget,
bounded queue).
"""

from __future__ import annotations

import atexit
import ctypes
import logging
import multiprocessing as mp
import os
import queue
import resource
import signal
import threading
import time
from typing import Any

from plankg.api.http.service_config import PoolConfig
from plankg.api.http.sparql.engine import Engine, QueryRequest, QueryResponse, error
from plankg.api.http.sparql.fairness import FairGate
from plankg.config import Settings
from plankg.store import extensions

log = logging.getLogger(__name__)

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000




def isolate_network() -> bool:
    """Move this (single-threaded, just-forked) process into an empty network namespace.

    The worker's whole network policy: it may reach nothing. A remote store backend that
    needs its endpoint must extend this function (and only this one)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(CLONE_NEWNET) == 0:
            return True
        return libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0  # unprivileged, where user namespaces are on
    except (OSError, AttributeError):
        return False


def _isolate(settings: Settings) -> bool:
    """No network at all; with a remote store (#17), its endpoints only (store/backends/outbound.py)."""
    if settings.store_backend == "remote-sparql":
        from plankg.store.backends.outbound import restrict_outbound
        from plankg.store.backends.remote_sparql import store_endpoints

        return restrict_outbound(store_endpoints(settings))
    return isolate_network()


def worker_main(conn: Any, settings: Settings, registrations: dict, isolate: bool) -> None:
    """The worker loop: one request in, one response out, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    isolated = _isolate(settings) if isolate else False
    extensions.restore(registrations)
    extensions.load_entry_modules(settings.extension_modules)
    engine = Engine(settings)
    engine.warm()
    limit_memory(settings.worker_memory_mb)
    conn.send({"ready": True, "isolated": isolated, "pid": os.getpid()})
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        if req is None:
            return
        t0 = time.perf_counter()
        resp = engine.run(QueryRequest(**req))
        resp.timings["worker_s"] = time.perf_counter() - t0
        conn.send(resp.to_dict())


def _data_bytes() -> int:
    """This process's data segment (heap and anonymous mappings), the size RLIMIT_DATA bounds."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(megabytes: int) -> bool:
    """Let a query grow this worker by at most ``megabytes`` beyond its warmed-up size.

    Why RLIMIT_DATA and not RLIMIT_AS: the store maps files and the libraries reserve
    address space they never touch, so an address-space limit would refuse ordinary work;
    the data segment is what a query's intermediate results fill. A query past the limit
    gets an allocation failure (Python's MemoryError or an abort in the engine): the worker
    dies or answers an error, the pool replaces it, and the server process never grows."""
    if megabytes <= 0:
        return False
    try:
        cap = _data_bytes() + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
        return True
    except (OSError, ValueError):
        return False


class _Worker:
    def __init__(self, proc: Any, conn: Any, isolated: bool) -> None:
        self.proc, self.conn, self.isolated = proc, conn, isolated

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(5)
        except Exception:
            pass
        try:
            self.conn.close()
        except Exception:
            pass


def _context() -> Any:
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["plankg.api.http.sparql.worker", *extensions.ENTRY_MODULES])  # missing ones are skipped
        return ctx
    return mp.get_context("spawn")


def _worker_died(exc: BaseException) -> QueryResponse:
    """A worker that dies under a query was almost always stopped by its memory limit
    (``limit_memory``): the query is the cause, so this is the caller's answer, not a 500."""
    resp = error(503, "Truy vấn cần quá nhiều bộ nhớ hoặc làm tiến trình truy vấn dừng; tiến trình đã được khởi động lại "
                      f"(the query needed too much memory or stopped its worker, which was restarted; PLANKG_WORKER_MEMORY_MB): {exc}")
    resp.retry_after = 5
    return resp


class QueryPool:
    """Pre-started workers; ``execute`` blocks the calling thread until an answer or the time limit."""

    def __init__(self, settings: Settings, config: PoolConfig | None = None) -> None:
        self.settings = settings
        self.config = config or PoolConfig.from_settings(settings)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self.isolated: bool | None = None
        self._inline = Engine(settings) if self.config.workers <= 0 else None
        self._inline_lock = threading.Lock()
        self.gate = FairGate(self.config.workers, self.config.client_slots, self.config.client_budget_s, self.config.queue)

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            if self._started or self._inline is not None:
                return
            self._started = True
        threads = [threading.Thread(target=self._spawn_one, daemon=True) for _ in range(self.config.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        atexit.register(self.close)

    def _spawn_one(self) -> None:
        if self._closed:
            return
        ctx = _context()
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=worker_main, name="plankg-query-worker", daemon=True,
                           args=(child, self.settings, extensions.registered(), self.config.isolate_network))
        proc.start()
        child.close()
        try:
            if not parent.poll(60):
                raise TimeoutError("worker did not start")
            hello = parent.recv()
        except Exception as exc:
            if not self._closed:
                log.error("query worker failed to start: %s", exc)
            proc.kill()
            return
        w = _Worker(proc, parent, bool(hello.get("isolated")))
        self.isolated = w.isolated if self.isolated is None else (self.isolated and w.isolated)
        with self._lock:
            if self._closed:
                w.kill()
                return
            self._all.add(w)
        self._idle.put(w)

    def _replace(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)
        threading.Thread(target=self._spawn_one, daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            try:
                w.conn.send(None)
            except Exception:
                pass
        for w in workers:
            w.proc.join(1)
            if w.proc.is_alive():
                w.kill()

    @property
    def size(self) -> int:
        return len(self._all)

    # -- one query -----------------------------------------------------------------------------
    def execute(self, req: QueryRequest, client: str = "local") -> QueryResponse:
        """Run ``req`` for ``client`` (see ``fairness.client_key``) once the fair gate admits it."""
        if self._inline is not None:
            with self._inline_lock:  # one pyoxigraph handle, queries one at a time
                return self._inline.run(req)
        self.start()
        refusal = self.gate.enter(client, self.config.timeout_s)
        if refusal is not None:
            resp = error(refusal.status, refusal.message)
            resp.retry_after = refusal.retry_after
            return resp
        spent = [0.0]
        try:
            return self._execute(req, spent)
        finally:
            self.gate.leave(client, spent[0])

    def _execute(self, req: QueryRequest, spent: list[float]) -> QueryResponse:
        timeout = self.config.timeout_s
        # a worker is being (re)started: allow for its start-up, not only the query time limit
        wait = timeout if self.size >= self.config.workers else max(timeout, 60.0)
        try:
            w = self._idle.get(timeout=wait)
        except queue.Empty:
            resp = error(503, "Máy chủ đang bận, vui lòng thử lại sau (all query workers are busy; try again later)")
            resp.retry_after = 5
            return resp
        t0 = time.monotonic()
        try:
            w.conn.send(req.__dict__)
            ready = w.conn.poll(timeout)
            spent[0] = time.monotonic() - t0  # the client's budget is charged with worker time only
            if not ready:
                self._replace(w)
                resp = error(503, f"Truy vấn vượt quá thời gian cho phép ({timeout:g} giây) và đã bị dừng "
                                  f"(query exceeded the time limit of {timeout:g} s and was stopped)")
                resp.retry_after = 5
                return resp
            resp = QueryResponse(**w.conn.recv())
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(w)
            return _worker_died(exc)
        self._idle.put(w)
        return resp
