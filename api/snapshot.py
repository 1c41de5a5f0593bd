"""Read-only snapshots of the store, reopened when ingest records a change.

Why: Oxigraph's RocksDB store admits one writer process. The server must not hold that
lock, or ``plankg ingest`` could not run while serving. A read-only RocksDB instance takes
no lock; it replays the write-ahead log at open and then sees that state only (checked on
pyoxigraph 0.5.13: a handle opened before a write keeps answering from its snapshot, even
after the writer compacted and deleted files, because RocksDB keeps the files it opened).
So every reader (the server process and each query worker) holds one read-only handle and
reopens it when the *store version* changes. The version is the size and mtime of the
ingest change log (``ingest/changelog.py``), which ingest appends to only after all its
graphs are written: a reader never switches to a half-written state on purpose, and one
that opened mid-ingest (server start during an ingest) moves on at the next commit.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, TypeVar

from plankg.config import Settings
from plankg.ingest.changelog import log_path
from plankg.store.base import GraphStore, StoreError

T = TypeVar("T")


class StoreUnavailable(StoreError):
    """The store cannot be opened now (missing, wrong version, being rebuilt)."""


def store_version(settings: Settings) -> str:
    """Changes whenever ingest commits (a new change-log line); ``"0"`` before any."""
    try:
        st = log_path(settings).stat()
    except OSError:
        return "0"
    return f"{st.st_size}-{st.st_mtime_ns}"


def ensure_store(settings: Settings) -> None:
    """Create an empty store if none exists yet, so read-only opens succeed before any ingest."""
    from plankg.store.open import open_store

    if settings.store_backend != "oxigraph" or (settings.store_path / "CURRENT").exists():
        return
    try:
        open_store(settings).close()
    except StoreError:
        pass  # an ingest is creating it right now


class StoreSnapshot:
    """A read-only store handle for the current store version, shared by request threads.

    Old handles are never closed explicitly: a request may still be reading from one; the
    handle is released when the last reference goes.
    """

    def __init__(self, settings: Settings, opener: Callable[[Settings], GraphStore] | None = None) -> None:
        self.settings = settings
        self._opener = opener or _open_read_only
        self._lock = threading.Lock()
        self._store: GraphStore | None = None
        self._version: str | None = None
        self.opened_at: float | None = None

    @property
    def version(self) -> str:
        self.get()
        return self._version or "0"

    def get(self) -> GraphStore:
        version = store_version(self.settings)
        if self._store is not None and version == self._version:
            return self._store
        with self._lock:
            if self._store is not None and version == self._version:
                return self._store
            try:
                store = self._opener(self.settings)
            except StoreError as exc:
                if self._store is not None:
                    return self._store  # e.g. `plankg rebuild` has moved the store aside: keep serving
                raise StoreUnavailable(
                    f"Kho dữ liệu chưa sẵn sàng (the store is not available): {exc}") from exc
            self._store, self._version, self.opened_at = store, version, time.time()
            return store

    def reopen(self) -> GraphStore:
        """Force a fresh handle (after a read error on the old one)."""
        with self._lock:
            self._version = None
        return self.get()


def _open_read_only(settings: Settings) -> GraphStore:
    from plankg.store.open import open_store

    return open_store(settings, read_only=True)


class VersionedCache:
    """Values derived from the store (export lists, counts, identifier index) per store version."""

    def __init__(self, snapshot: StoreSnapshot) -> None:
        self.snapshot = snapshot
        self._values: dict[str, tuple[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, compute: Callable[[GraphStore], T]) -> T:
        store = self.snapshot.get()
        version = self.snapshot._version or "0"
        hit = self._values.get(key)
        if hit and hit[0] == version:
            return hit[1]
        value = compute(store)
        with self._lock:
            self._values[key] = (version, value)
        return value
