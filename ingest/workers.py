"""Extraction in worker processes, each file bounded in time.

Why processes: extraction is pure Python (readers, regular expressions, rapidfuzz), so
threads would share one core; on the 2-core machines plankg runs on, two workers read two
files at once. Why pebble: ``concurrent.futures`` cannot stop one running task, and a
pathological file (odd tables, a huge line) must fail alone with a clear error while the
others go on; pebble's pool kills the worker past the limit and starts a new one.

Workers are forked (Linux) when this process has one thread: they start without
re-importing plankg, and a test's monkeypatch of the job's helpers reaches them; with other
threads alive they come from a fork server (see ``_context``). ``workers == 0`` runs the jobs in this
process, one after another, with no time limit (debugging).
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

T = TypeVar("T")

__all__ = ["run_jobs"]


def _context() -> Any:
    """How extraction workers start. ``fork`` is fast (nothing imported again) but safe only
    in a process with one thread: a lock that another thread holds at the fork (logging's,
    an HTTP client's, a warm-up thread's) stays held for ever in the child, which then hangs
    until the per-file time limit and the file is reported failed. That happened to an ingest
    run in a process that had served the web app (a TestClient's threads). With other
    threads alive, workers come from a fork server, a fresh single-threaded process."""
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    return multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")


#: Jobs scheduled ahead of the one being yielded, per worker: enough to keep the workers
#: busy while the caller handles a result, few enough that finished results waiting to be
#: taken stay a handful (#11: holding every future of a 2,840-file batch kept every result).
AHEAD_PER_WORKER = 4


def run_jobs(fn: Callable[..., T], jobs: list[tuple[Any, ...]], workers: int, timeout: float | None,
             on_fail: Callable[[tuple[Any, ...], str], T]) -> Iterator[T]:
    """Yield ``fn(*job)`` for every job, in the order of ``jobs``. A job that runs past
    ``timeout`` seconds (None or 0: no limit), or whose worker dies, yields
    ``on_fail(job, reason)``; ``reason`` is Vietnamese with English in parentheses.

    Memory: at most ``AHEAD_PER_WORKER`` jobs per worker are scheduled beyond the one being
    yielded, and a result is released once yielded, so a batch of any size holds a bounded
    number of results."""
    if workers <= 0 or not jobs:
        for job in jobs:
            yield fn(*job)
        return
    limit = timeout if timeout and timeout > 0 else None
    size = min(workers, len(jobs))
    with ProcessPool(max_workers=size, context=_context()) as pool:
        window: deque[tuple[tuple[Any, ...], Any]] = deque()
        upcoming = iter(jobs)
        try:
            for job in upcoming:
                window.append((job, pool.schedule(fn, args=job, timeout=limit)))
                if len(window) > size * AHEAD_PER_WORKER:
                    yield _result(*window.popleft(), limit, on_fail)
            while window:
                yield _result(*window.popleft(), limit, on_fail)
        finally:
            for _, future in window:
                future.cancel()


def _result(job: tuple[Any, ...], future: Any, limit: float | None,
            on_fail: Callable[[tuple[Any, ...], str], T]) -> T:
    """The result of one scheduled job, or ``on_fail`` with why it has none."""
    try:
        return future.result()
    except FutureTimeout:
        return on_fail(job, f"trích xuất quá {limit:g} giây nên bị dừng; tăng PLANKG_EXTRACT_TIMEOUT nếu tệp "
                            f"lớn mà hợp lệ (extraction took longer than {limit:g} s and was stopped)")
    except ProcessExpired as exc:
        return on_fail(job, f"tiến trình trích xuất chết giữa chừng (the extraction worker died: {exc})")
