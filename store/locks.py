"""Cross-process file locks shared by ingest and the search index (one home for the rule).

Why: several processes may share one ``PLANKG_HOME`` (the CLI, several API processes), and
two writers of the store or of the index at once would spoil it. An OS file lock
(``filelock``) is released by the kernel when its holder dies, so it never goes stale; one
lock object per file lets the same thread take it again (it nests), which the pipeline
needs when a repair runs inside an ingest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

__all__ = ["held_lock"]

_LOCKS: dict[str, FileLock] = {}  # one lock object per file, so that taking it again in the same thread nests


@contextmanager
def held_lock(path: Path, seconds: float, busy: Callable[[Path, float], Exception]) -> Iterator[None]:
    """Hold the lock file ``path``, waiting up to ``seconds``; past that raise
    ``busy(path, seconds)`` (the caller's own error, with its own message)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = _LOCKS.setdefault(str(path), FileLock(str(path)))
    try:
        lock.acquire(timeout=seconds)
    except Timeout:
        raise busy(path, seconds) from None
    try:
        yield
    finally:
        lock.release()
