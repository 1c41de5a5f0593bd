"""One index writer at a time, across processes: the lock beside ``PLANKG_HOME/index``.

Why: several processes may share one ``PLANKG_HOME`` (``plankg ingest``, ``plankg index``,
``plankg rebuild``, several API processes over a remote store, docs/deployment.md). Each
build writes a new ``gen-*`` folder, switches ``meta.json`` and deletes the other
generations; two builders at once would each build from scratch and one could delete the
generation the other just switched to. The ingest lock does not cover this: ``plankg
index`` does not take it, and a process may bring a stale index in step on its own.

The lock is an OS file lock (``filelock``), released by the kernel if its holder dies, so
it never goes stale. A second builder waits for the first, then finds the index in step
(the fingerprint check in :func:`plankg.search.index.builder.build_index` runs under the
lock) and builds nothing. Taking it again in the same thread nests.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from plankg.config import Settings
from plankg.store.locks import held_lock

__all__ = ["IndexBusy", "index_lock", "index_lock_path"]

#: How long a second builder waits for the first (a full build of a large corpus takes long).
WAIT_SECONDS = 3600.0


class IndexBusy(RuntimeError):
    """Another process kept the index lock longer than the caller would wait."""


def index_lock_path(settings: Settings) -> Path:
    """``<index folder>.lock``: beside the index, on the path every process shares."""
    return settings.index_path.with_name(settings.index_path.name + ".lock")


def index_lock(settings: Settings, wait: float | None = None) -> AbstractContextManager[None]:
    """Hold the index lock; wait up to ``wait`` seconds (default :data:`WAIT_SECONDS`)."""
    return held_lock(index_lock_path(settings), WAIT_SECONDS if wait is None else wait, _busy)


def _busy(path: Path, seconds: float) -> IndexBusy:
    return IndexBusy(f"Chỉ mục tìm kiếm đang được một tiến trình khác dựng (khóa {path} bị giữ quá {seconds:g} giây) "
                     f"(another process is building the search index: the lock {path} is held)")
