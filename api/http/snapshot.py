"""Read-only snapshots of the store, reopened when ingest records a change.

Why: Oxigraph's RocksDB store admits one writer process. The server must not hold that
lock, or ``plankg ingest`` could not run while serving. A read-only RocksDB instance takes
no lock; it replays the write-ahead log at open and then sees that state only (checked on
pyoxigraph 0.5.13: a handle opened before a write keeps answering from its snapshot, even
after the writer compacted and deleted files, because RocksDB keeps the files it opened).
So every reader (the server process and each query worker) holds one read-only handle and
reopens it when the *store version* changes. The version is the size and mtime of the
ingest change log (``ingest/changelog.py``), which ingest appends to only after all its
graphs are written.

Opening read-only while another process writes is "undefined behaviour" in pyoxigraph's
words; in practice (seen in the tests) the open can fail with a missing-file error when the
writer compacts at that moment. So a reader does not reopen while a writer holds RocksDB's
lock (a non-acquiring ``F_GETLK`` probe of ``store/LOCK``): it keeps answering from its
committed snapshot and switches once the writer has closed the store. An open that still
fails is retried, and the old snapshot keeps serving meanwhile; a snapshot that had to be
opened while a writer was at work (server start during an ingest) is replaced as soon as
the writer is done.
"""

from __future__ import annotations

import fcntl
import os
import struct
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

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


_FLOCK = "hhqqi"  # struct flock on Linux: l_type, l_whence, l_start, l_len, l_pid


def writer_active(settings: Settings) -> bool:
    """Whether another process holds the store's RocksDB write lock (probe only, never acquires).

    POSIX locks are per process, so a writer in this very process is not seen (tests only)."""
    try:
        fd = os.open(settings.store_path / "LOCK", os.O_RDONLY)
    except OSError:
        return False
    try:
        probe = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        return struct.unpack(_FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, probe))[0] != fcntl.F_UNLCK
    except (OSError, struct.error, ValueError):
        return False
    finally:
        os.close(fd)


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
        self._dirty = False  # opened while a writer was at work
        self._retry_at = 0.0  # after a failed open, wait a moment before the next try
        self.opened_at: float | None = None

    @property
    def version(self) -> str:
        self.get()
        return self._version or "0"

    def get(self) -> GraphStore:
        version = store_version(self.settings)
        if self._store is not None and version == self._version and not self._dirty:
            return self._store
        with self._lock:
            if self._store is not None and version == self._version and not self._dirty:
                return self._store
            if self._store is not None and (writer_active(self.settings) or time.time() < self._retry_at):
                return self._store  # an ingest is still at work (or just failed us): keep the committed snapshot
            try:
                store = self._open_with_retries()
            except StoreError as exc:
                self._retry_at = time.time() + 1.0
                if self._store is not None:
                    return self._store  # e.g. `plankg rebuild` has moved the store aside: keep serving
                raise StoreUnavailable(
                    f"Kho dữ liệu chưa sẵn sàng (the store is not available): {exc}") from exc
            self._store, self._version, self.opened_at = store, version, time.time()
            self._dirty = writer_active(self.settings)
            return store

    def _open_with_retries(self, attempts: int = 4) -> GraphStore:
        from plankg.store.open import StoreVersionError

        for n in range(attempts):
            try:
                return self._opener(self.settings)
            except StoreVersionError:
                raise  # needs `plankg rebuild`, not patience
            except StoreError:
                if n == attempts - 1:
                    raise
                time.sleep(0.05 * 2 ** n)
        raise AssertionError("unreachable")

    def reopen(self) -> GraphStore:
        """A fresh handle after a read error on the old one (the old one stays if that fails)."""
        with self._lock:
            self._dirty = True
        return self.get()


def _open_read_only(settings: Settings) -> GraphStore:
    from plankg.store.open import open_store

    try:
        return open_store(settings, read_only=True)
    except StoreError:
        raise
    except Exception as exc:  # pyoxigraph reports a racing writer's deleted files as RuntimeError
        raise StoreError(f"{type(exc).__name__}: {exc}") from exc


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
