"""Text vectors for the alignment score, from the search index's embedder, without importing it.

Why a registry: the embedder (``PLANKG_EMBEDDER``, :mod:`plankg.search.index.embedders`)
belongs to the search layer, which ingest may not import (layers run one way). As with the
store's SPARQL functions (:mod:`plankg.store.extensions`), the lower layer keeps a registry
and names the upper module that fills it (``ENTRY_MODULES``), importing it by name only
when vectors are asked for. The search module registers a factory ``factory(spec)`` that
returns ``embed(texts) -> float32 array of L2-normalised rows``.

Why a cache: the alignment is recomputed after every change to the store, and embedding a
plan's tasks takes seconds; vectors are kept per (embedder spec, text) in the process and,
when a home folder is given, in ``<home>/alignment-vectors/<spec hash>.npz``, so a change
embeds only the texts it brings.

When no embedder can be loaded (package missing, model not on this machine) the score falls
back to text without vectors and says so in its method (``METHOD_LEXICAL``), with a warning.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]
Factory = Callable[[str], Embed]

#: modules that register an embedder factory when imported (by name: ingest never imports search).
ENTRY_MODULES = ("plankg.search.alignment_embedding",)

_FACTORY: list[Factory] = []
_MEMORY: dict[tuple[str, str], np.ndarray] = {}
log = logging.getLogger(__name__)


def register_embedder(factory: Factory) -> None:
    """Install the factory that turns an embedder spec into an ``embed`` function."""
    _FACTORY[:] = [factory]


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _embedder(spec: str) -> Embed | None:
    try:
        if not _FACTORY:
            for name in ENTRY_MODULES:
                importlib.import_module(name)
        return _FACTORY[0](spec) if _FACTORY else None
    except Exception as exc:  # an embedder that cannot load must not stop an ingest
        log.warning("alignment without embeddings: embedder %r unavailable (%s)", spec, exc)
        return None


def _cache_file(home: Path | None, spec: str) -> Path | None:
    return None if home is None else home / "alignment-vectors" / f"{_key(spec)[:16]}.npz"


def _load_disk(path: Path | None, spec: str) -> None:
    if path is None or not path.exists():
        return
    try:
        with np.load(path) as data:
            for k in data.files:
                _MEMORY.setdefault((spec, k), data[k])
    except (OSError, ValueError) as exc:  # a damaged cache is rebuilt, never trusted
        log.warning("alignment vector cache %s unreadable (%s); rebuilding it", path, exc)


def _save_disk(path: Path | None, spec: str, keys: set[str], prune: bool = True) -> None:
    if path is None:
        return
    if not prune and path.exists():  # keep what the file holds besides (loaded into _MEMORY above)
        try:
            with np.load(path) as data:
                keys = keys | {k for k in data.files if (spec, k) in _MEMORY}
        except (OSError, ValueError):
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")  # "*.tmp": what a backup leaves out
    arrays: dict[str, Any] = {k: _MEMORY[(spec, k)] for k in sorted(keys)}
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
    tmp.replace(path)


def text_vectors(texts: Sequence[str], spec: str, home: Path | None = None,
                 prune: bool = True) -> dict[str, np.ndarray] | None:
    """Text → its vector (L2-normalised), or None when no embedder is available.

    Only the cache file's texts that are still asked for are written back, so it holds the
    vectors of the current tasks, not of every text ever aligned. ``prune=False`` (an
    incremental update, which asks only for the texts it re-aligns) keeps the file's other
    texts too; the next full recompute prunes them."""
    wanted = {_key(t): t for t in texts}
    path = _cache_file(home, spec)
    _load_disk(path, spec)
    missing = sorted(k for k in wanted if (spec, k) not in _MEMORY)
    if missing:
        embed = _embedder(spec)
        if embed is None:
            return None
        vectors = embed([wanted[k] for k in missing])
        for k, v in zip(missing, vectors):
            _MEMORY[(spec, k)] = np.asarray(v, dtype=np.float32)
        _save_disk(path, spec, set(wanted), prune)
    return {t: _MEMORY[(spec, k)] for k, t in wanted.items()}
