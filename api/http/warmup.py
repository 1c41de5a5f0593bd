"""Warm the search stack when the service starts, not on the first query.

Why: the first search after start paid for importing the search stack (sentence embedder,
FAISS, bm25s, the tokenizer) and loading the index and the embedding model: 1-2 s on 2
cores, while a warm query takes tens of milliseconds. ``plankg serve`` runs one real search
in a background thread at start-up and sets an event when it is done, which a readiness
probe can wait for (``app.state.search_warm``; ``/health`` reports it).

The warm-up never builds an index: with none on disk it only imports the stack (the index is
built by ingest and ``plankg index``).
"""

from __future__ import annotations

import logging
import threading
import time

from plankg.api.http.snapshot import StoreSnapshot
from plankg.config import Settings

log = logging.getLogger(__name__)

#: A question that goes through every stage: agency and year understanding, BM25, the embedder.
WARM_QUERY = "nhiệm vụ của Sở Y tế năm 2025"


def warm_search(settings: Settings, snapshot: StoreSnapshot, done: threading.Event) -> None:
    """Import the search stack and, when an index exists, run one search; sets ``done``
    whatever happens (a failure is logged: the first real query will report it)."""
    started = time.perf_counter()
    try:
        from plankg.search.index.builder import index_info
        from plankg.search.service import search

        if index_info(settings).get("exists"):
            search(settings, snapshot.get(), WARM_QUERY, k=1)
        log.info("search stack warm in %.2f s", time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 — a warm-up must never stop the service
        log.warning("search warm-up failed: %s", exc)
    finally:
        done.set()
