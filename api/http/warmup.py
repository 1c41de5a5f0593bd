"""Warm the search stack when the service starts, not on the first query.

Why: the first search after start paid for importing the search stack (sentence embedder,
FAISS, bm25s, the tokenizer) and loading the index and the embedding model: 1-2 s on 2
cores, while a warm query takes tens of milliseconds. ``plankg serve`` opens the index,
builds its per-generation tables (:func:`plankg.search.service.prepare`) and runs a few real
searches in a background thread at start-up, then sets an event (``app.state.search_warm``;
``/health`` reports it, and ``/readyz`` answers ready only once it is set).

The searches cover every lazily loaded part: a question with an agency and a year
(understanding), topic words with marks (the pyvi tokenizer, whose import alone pulls in
scikit-learn: ~3 s of the first query at 3,000 documents when the warm-up skipped it), the same
without marks (the index's accent table that restores them for the dense model).

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
#: Topic words with and without marks: the tokenizer, BM25 on words, the accent table.
WARM_TOPICS = ("ứng dụng công nghệ thông tin", "ung dung cong nghe thong tin")


def warm_search(settings: Settings, snapshot: StoreSnapshot, done: threading.Event) -> None:
    """Import the search stack and, when an index exists, open it, prepare it and run the
    warm searches; sets ``done`` whatever happens (a failure is logged: the first real query
    will report it)."""
    started = time.perf_counter()
    try:
        from plankg.search.index.builder import index_info, load_index
        from plankg.search.service import prepare, search

        if index_info(settings).get("exists"):
            store = snapshot.get()
            prepare(load_index(settings, store))
            for query in (WARM_QUERY, *WARM_TOPICS):
                search(settings, store, query, k=1)
        else:
            from plankg.search.text import analyze

            analyze(WARM_TOPICS[0])  # the tokenizer at least: its import is the slow part
        log.info("search stack warm in %.2f s", time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 — a warm-up must never stop the service
        log.warning("search warm-up failed: %s", exc)
    finally:
        done.set()
