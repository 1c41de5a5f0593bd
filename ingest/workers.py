"""Extraction in worker processes, each file bounded in time.

Why processes: extraction is pure Python (readers, regular expressions, rapidfuzz), so
threads would share one core; on the 2-core machines plankg runs on, two workers read two
files at once. Why pebble: ``concurrent.futures`` cannot stop one running task, and a
pathological file (odd tables, a huge line) must fail alone with a clear error while the
others go on; pebble's pool kills the worker past the limit and starts a new one.

Workers are forked (Linux): they start without re-importing plankg, and a test's
monkeypatch of the job's helpers reaches them. ``workers == 0`` runs the jobs in this
process, one after another, with no time limit (debugging).
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

T = TypeVar("T")

__all__ = ["run_jobs"]


def _context() -> Any:
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def run_jobs(fn: Callable[..., T], jobs: list[tuple[Any, ...]], workers: int, timeout: float | None,
             on_fail: Callable[[tuple[Any, ...], str], T]) -> Iterator[T]:
    """Yield ``fn(*job)`` for every job, in the order of ``jobs``. A job that runs past
    ``timeout`` seconds (None or 0: no limit), or whose worker dies, yields
    ``on_fail(job, reason)``; ``reason`` is Vietnamese with English in parentheses."""
    if workers <= 0 or not jobs:
        for job in jobs:
            yield fn(*job)
        return
    limit = timeout if timeout and timeout > 0 else None
    with ProcessPool(max_workers=min(workers, len(jobs)), context=_context()) as pool:
        futures = [pool.schedule(fn, args=job, timeout=limit) for job in jobs]
        try:
            for job, future in zip(jobs, futures, strict=True):
                try:
                    yield future.result()
                except FutureTimeout:
                    yield on_fail(job, f"trích xuất quá {limit:g} giây nên bị dừng; tăng PLANKG_EXTRACT_TIMEOUT nếu tệp "
                                       f"lớn mà hợp lệ (extraction took longer than {limit:g} s and was stopped)")
                except ProcessExpired as exc:
                    yield on_fail(job, f"tiến trình trích xuất chết giữa chừng (the extraction worker died: {exc})")
        finally:
            for future in futures:
                future.cancel()
