"""FAISS vector index over passage embeddings, with filters, persisted under a folder.

Why these choices:

* Inner product on L2-normalised vectors = cosine similarity.
* Exact search (``IndexFlatIP``) while the collection is small: below
  :data:`HNSW_MIN_VECTORS` (20,000) vectors a brute-force scan takes a few milliseconds on
  2 cores, is exact and costs no build time. Above it, ``IndexHNSWFlat`` (approximate,
  logarithmic) keeps queries fast. ``kind="auto"`` switches when the count crosses it.
* Filters (plan, agency, year... resolved by the graph into allowed rows) use FAISS ID
  selectors (``IDSelectorBatch`` in ``SearchParameters``). But HNSW loses recall when few
  vectors pass the filter (the graph walk meets mostly rejected nodes), so when the allowed
  rows are fewer than :data:`RESTRICTIVE_MAX_ROWS` or under :data:`RESTRICTIVE_FRACTION` of the
  collection, the allowed vectors are read back (``reconstruct_batch``) and scanned exactly
  — at most 2,000 × dim multiply-adds per point, cheaper than the graph walk anyway.
* Vectors of different models live in different spaces: the index records the embedder's
  ``name`` and refuses vectors or a reload with another one (:class:`ModelMismatchError`).

* Items come and go one document at a time (incremental index updates), so the FAISS
  index is an ``IndexIDMap2``: every vector has a stable 64-bit key, rows are only the
  current order of ``ids``. :meth:`remove` deletes by key from an exact index; HNSW cannot
  delete, so removed keys are *marked* (excluded by an ID selector at search time) and the
  graph is rebuilt from the live vectors once the marks pass :data:`REBUILD_DEAD_FRACTION`
  of the vectors (done by the index update in the ingest process, never in a request).

Rows are 0..count-1; ``ids[row]`` is the item's id (an IRI). :meth:`add` appends rows,
:meth:`remove` closes the gaps and :meth:`reorder` puts the rows in the item table's order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, Protocol

import faiss
import numpy as np

__all__ = [
    "HNSW_MIN_VECTORS",
    "RESTRICTIVE_FRACTION",
    "RESTRICTIVE_MAX_ROWS",
    "ModelMismatchError",
    "VectorIndex",
]

FORMAT_VERSION = 2
#: An HNSW index is rebuilt from its live vectors when deletion marks pass this share.
REBUILD_DEAD_FRACTION = 0.10
#: From this many vectors on, ``kind="auto"`` uses HNSW instead of exact search.
HNSW_MIN_VECTORS = 20_000
#: A filter is "restrictive" (exact scan of the allowed rows) below this many rows ...
RESTRICTIVE_MAX_ROWS = 2_000
#: ... or below this share of the collection.
RESTRICTIVE_FRACTION = 0.05
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 128

Kind = Literal["auto", "flat", "hnsw"]


class _Named(Protocol):
    name: str


@contextmanager
def one_thread() -> Iterator[None]:
    """Run FAISS on the calling thread only while inside (one query vector).

    Why: FAISS parallelises with OpenMP, and for a single query the parallel region only
    costs: on 2 busy cores a flat search over 3,253 vectors took 24 ms median with 2 OpenMP
    threads (waiting for the second one to be scheduled) and 0.23 ms with one; HNSW over
    41,618 random vectors 0.25 ms median but 28 ms at p90 (docs/benchmarks.md, "Search
    latency independent of the corpus size"). The OpenMP thread count is per calling thread (libgomp), so this
    neither slows index builds elsewhere nor leaks: the previous count is restored.
    """
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


class ModelMismatchError(ValueError):
    """Vectors of one embedding model offered to an index of another."""


def _model_name(model: str | _Named) -> str:
    return model if isinstance(model, str) else model.name


def _as_matrix(vectors: np.ndarray, dim: int) -> np.ndarray:
    v = np.array(vectors, dtype=np.float32, copy=True, ndmin=2)
    if v.ndim != 2 or v.shape[1] != dim:
        raise ValueError(f"expected vectors of dimension {dim}, got shape {np.shape(vectors)}")
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    np.divide(v, norms, out=v, where=norms > 0)  # cosine, whatever the caller passed
    return np.ascontiguousarray(v)


class VectorIndex:
    """Cosine-similarity index of one embedder's vectors with row → id mapping."""

    def __init__(self, embedder: str | _Named, dim: int, *, kind: Kind = "auto",
                 hnsw_min_vectors: int = HNSW_MIN_VECTORS, hnsw_m: int = HNSW_M,
                 ef_construction: int = HNSW_EF_CONSTRUCTION, ef_search: int = HNSW_EF_SEARCH) -> None:
        if kind not in ("auto", "flat", "hnsw"):
            raise ValueError(f"kind must be auto, flat or hnsw, not {kind!r}")
        self.embedder = _model_name(embedder)
        self.dim = int(dim)
        self.policy: Kind = kind
        self.hnsw_min_vectors = hnsw_min_vectors
        self.hnsw_m, self.ef_construction, self.ef_search = hnsw_m, ef_construction, ef_search
        self.ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._keys = np.empty(0, np.int64)  # row → FAISS key
        self._key_row: dict[int, int] = {}  # FAISS key → row
        self._dead: set[int] = set()  # keys marked deleted (HNSW only)
        self._next_key = 0
        self._index: faiss.Index = self._new_index("hnsw" if kind == "hnsw" else "flat")

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, ids: Sequence[str], vectors: np.ndarray, embedder: str | _Named, *,
              kind: Kind = "auto", **options: int) -> VectorIndex:
        """An index of ``vectors`` (row i ↔ ``ids[i]``) made by ``embedder`` (name or object)."""
        v = np.asarray(vectors)
        index = cls(embedder, v.shape[1] if v.ndim == 2 else v.shape[-1], kind=kind, **options)
        index.add(ids, v, embedder)
        return index

    @property
    def kind(self) -> str:
        """``"flat"`` (exact) or ``"hnsw"`` (approximate), as currently built."""
        return "hnsw" if isinstance(self._base(), faiss.IndexHNSW) else "flat"

    def _base(self) -> faiss.Index:
        return faiss.downcast_index(self._index.index)  # type: ignore[attr-defined]  # IndexIDMap2.index: not in faiss's stub

    @property
    def dead(self) -> int:
        """Vectors marked deleted and still in the HNSW graph."""
        return len(self._dead)

    def __len__(self) -> int:
        return len(self.ids)

    def _new_index(self, kind: str) -> faiss.Index:
        if kind == "flat":
            base: faiss.Index = faiss.IndexFlatIP(self.dim)
        else:
            base = faiss.IndexHNSWFlat(self.dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            base.hnsw.efConstruction = self.ef_construction
            base.hnsw.efSearch = self.ef_search
        return faiss.IndexIDMap2(base)  # faiss's wrapper keeps ``base`` referenced

    def add(self, ids: Sequence[str], vectors: np.ndarray, embedder: str | _Named) -> None:
        """Append vectors made by ``embedder``; refuse another model's vectors or known ids."""
        name = _model_name(embedder)
        if name != self.embedder:
            raise ModelMismatchError(
                f"this vector index holds vectors of embedder {self.embedder!r}; refusing "
                f"vectors of {name!r} (different models' vectors are not comparable)")
        v = _as_matrix(vectors, self.dim)
        ids = list(ids)
        if len(ids) != v.shape[0]:
            raise ValueError(f"{len(ids)} ids for {v.shape[0]} vectors")
        seen = set(self._rows)
        for item in ids:
            if item in seen:
                raise ValueError(f"id {item!r} is already in the index")
            seen.add(item)
        if self.policy == "auto" and self.kind == "flat" and len(self) + len(ids) >= self.hnsw_min_vectors:
            self._rebuild("hnsw")
        keys = np.arange(self._next_key, self._next_key + len(ids), dtype=np.int64)
        self._next_key += len(ids)
        self._index.add_with_ids(v, keys)
        for item, key in zip(ids, keys.tolist()):
            self._rows[item] = len(self.ids)
            self._key_row[key] = len(self.ids)
            self.ids.append(item)
        self._keys = np.concatenate([self._keys, keys])

    def vectors_of(self, ids: Sequence[str]) -> np.ndarray:
        """The stored (normalised) vectors of ``ids`` (known ids only), in that order."""
        keys = np.array([self._keys[self._rows[i]] for i in ids], dtype=np.int64)
        return self._index.reconstruct_batch(keys) if len(keys) else np.empty((0, self.dim), np.float32)

    def remove(self, ids: Iterable[str]) -> int:
        """Delete ``ids`` (unknown ones are ignored); returns how many were removed. An exact
        index deletes at once; HNSW marks them and is rebuilt past the threshold."""
        gone = [i for i in dict.fromkeys(ids) if i in self._rows]
        if not gone:
            return 0
        keys = np.array([self._keys[self._rows[i]] for i in gone], dtype=np.int64)
        if self.kind == "flat":
            self._index.remove_ids(faiss.IDSelectorBatch(keys))
        else:
            self._dead.update(keys.tolist())
        drop = set(gone)
        keep = [i for i in self.ids if i not in drop]
        self._set_rows(keep)
        if self._dead and (len(self._dead) > REBUILD_DEAD_FRACTION * (len(self) + len(self._dead))
                           or (self.policy == "auto" and len(self) < self.hnsw_min_vectors // 2)):
            self._rebuild("hnsw" if self.policy == "hnsw" or len(self) >= self.hnsw_min_vectors // 2 else "flat")
        return len(gone)

    def reorder(self, ids: Sequence[str]) -> None:
        """Put the rows in the order of ``ids`` (the same set of ids)."""
        if len(ids) != len(self.ids) or set(ids) != set(self._rows):
            raise ValueError("reorder takes exactly the ids of the index")
        self._set_rows(list(ids))

    def _set_rows(self, ids: list[str]) -> None:
        keys = np.array([self._keys[self._rows[i]] for i in ids], dtype=np.int64)
        self.ids = ids
        self._rows = {item: row for row, item in enumerate(ids)}
        self._keys = keys
        self._key_row = {int(k): row for row, k in enumerate(keys.tolist())}

    def _rebuild(self, kind: str) -> None:
        """A fresh FAISS index of the live vectors (same keys), marks cleared."""
        live = self._index.reconstruct_batch(self._keys) if len(self._keys) else np.empty((0, self.dim), np.float32)
        self._index = self._new_index(kind)
        if len(self._keys):
            self._index.add_with_ids(live, self._keys)
        self._dead = set()

    def row_of(self, item_id: str) -> int | None:
        """The row of an id, or None."""
        return self._rows.get(item_id)

    # ------------------------------------------------------------------ searching
    def strategy(self, allowed: Iterable[int] | None = None) -> str:
        """How :meth:`search` would run: ``flat`` / ``hnsw`` (no filter), ``exact-subset``
        (restrictive filter: exact scan of the allowed rows), ``flat-filtered`` /
        ``hnsw-filtered`` (ID selector inside the index search)."""
        if allowed is None:
            return self.kind
        return self._strategy(len(self._allowed_rows(allowed)))

    def _strategy(self, n_allowed: int) -> str:
        if n_allowed < RESTRICTIVE_MAX_ROWS or n_allowed < RESTRICTIVE_FRACTION * len(self):
            return "exact-subset"
        return f"{self.kind}-filtered"

    def _allowed_rows(self, allowed: Iterable[int]) -> np.ndarray:
        rows = np.unique(np.fromiter((int(a) for a in allowed), dtype=np.int64))
        return rows[(rows >= 0) & (rows < len(self))]

    def search(self, query_vec: np.ndarray, k: int = 10,
               allowed: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """The ``k`` rows most similar to ``query_vec`` as ``(row, cosine)``, best first.
        ``allowed``: only these rows (None: all)."""
        if k <= 0 or not len(self):
            return []
        q = _as_matrix(query_vec, self.dim)
        if q.shape[0] != 1:
            raise ValueError("search takes one query vector")
        if allowed is None:
            if not self._dead:
                return self._faiss_search(q, k, None)
            allowed = range(len(self))  # marked vectors must not come back
        rows = self._allowed_rows(allowed)
        if not rows.size:
            return []
        if self._strategy(rows.size) == "exact-subset" or k >= rows.size:
            # every allowed vector asked for (the ranking's tie-break over all its rows): a
            # scan of them is exact and cheaper than a graph walk with efSearch >= 2k
            return self._subset_search(q, k, rows)
        hits = self._faiss_search(q, k, rows)
        if len(hits) < min(k, rows.size):  # the graph walk ran dry: be exact instead
            return self._subset_search(q, k, rows)
        return hits

    def _faiss_search(self, q: np.ndarray, k: int, rows: np.ndarray | None) -> list[tuple[int, float]]:
        k = min(k, len(self))
        params = None
        hnsw = self.kind == "hnsw"
        sel = faiss.IDSelectorBatch(self._keys[rows]) if rows is not None else None
        if hnsw:
            # faiss-cpu's bundled stub lists neither SearchParametersHNSW nor the keyword constructors SWIG generates
            params = faiss.SearchParametersHNSW(efSearch=max(self.ef_search, 2 * k))  # type: ignore[attr-defined]
            if sel is not None:
                params.sel = sel
        elif sel is not None:
            params = faiss.SearchParameters(sel=sel)  # type: ignore[call-arg]  # as above: the stub lacks the keyword constructor
        with one_thread():
            scores, labels = self._index.search(q, k, params=params)
        hits = [(self._key_row[int(key)], float(s)) for key, s in zip(labels[0], scores[0])
                if key >= 0 and int(key) in self._key_row]
        return sorted(hits, key=lambda h: (-h[1], h[0]))

    def _subset_search(self, q: np.ndarray, k: int, rows: np.ndarray) -> list[tuple[int, float]]:
        with one_thread():
            sims = self._index.reconstruct_batch(self._keys[rows]) @ q[0]
        if rows.size > k:
            part = np.argpartition(-sims, k - 1)[:k]
            rows, sims = rows[part], sims[part]
        order = np.lexsort((rows, -sims))
        return [(int(rows[i]), float(sims[i])) for i in order]

    # ------------------------------------------------------------------ persistence
    def metadata(self) -> dict[str, object]:
        return {"format": "plankg-vectors", "version": FORMAT_VERSION, "embedder": self.embedder,
                "dim": self.dim, "count": len(self), "kind": self.kind, "policy": self.policy,
                "dead": len(self._dead), "next_key": self._next_key,
                "metric": "inner_product", "hnsw_min_vectors": self.hnsw_min_vectors,
                "hnsw_m": self.hnsw_m, "ef_construction": self.ef_construction,
                "ef_search": self.ef_search}

    def save(self, folder: str | Path) -> None:
        """Write index.faiss, ids.json and meta.json under ``folder`` (each replaced
        atomically; meta.json last, so a reader never sees new metadata with old vectors)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "index.faiss.tmp"
        faiss.write_index(self._index, str(tmp))
        os.replace(tmp, folder / "index.faiss")
        _write_json(folder / "ids.json", self.ids)
        np.save(folder / "keys.npy", self._keys)
        _write_json(folder / "dead.json", sorted(self._dead))
        _write_json(folder / "meta.json", self.metadata())

    @classmethod
    def load(cls, folder: str | Path, embedder: str | _Named | None = None) -> VectorIndex:
        """Reopen a saved index; with ``embedder``, refuse one built by another model."""
        folder = Path(folder)
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        if meta.get("format") != "plankg-vectors" or meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"{folder} is not a plankg vector index of version {FORMAT_VERSION}")
        if embedder is not None and _model_name(embedder) != meta["embedder"]:
            raise ModelMismatchError(
                f"the vector index in {folder} was built with embedder {meta['embedder']!r} "
                f"(dim {meta['dim']}), not {_model_name(embedder)!r}: rebuild the index, or set "
                f"PLANKG_EMBEDDER={meta['embedder']}")
        index = cls(meta["embedder"], meta["dim"], kind=meta["policy"],
                    hnsw_min_vectors=meta["hnsw_min_vectors"], hnsw_m=meta["hnsw_m"],
                    ef_construction=meta["ef_construction"], ef_search=meta["ef_search"])
        index._index = faiss.read_index(str(folder / "index.faiss"))
        index.ids = json.loads((folder / "ids.json").read_text("utf-8"))
        index._rows = {item: row for row, item in enumerate(index.ids)}
        index._keys = np.load(folder / "keys.npy")
        index._key_row = {int(k): row for row, k in enumerate(index._keys.tolist())}
        index._dead = set(json.loads((folder / "dead.json").read_text("utf-8")))
        index._next_key = int(meta["next_key"])
        if (index._index.ntotal != len(index.ids) + len(index._dead) or len(index._keys) != len(index.ids)
                or index._index.d != index.dim):
            raise ValueError(f"{folder}: index.faiss ({index._index.ntotal} × {index._index.d}) "
                             f"does not match ids.json/meta.json ({len(index.ids)} × {index.dim})")
        base = index._base()
        if isinstance(base, faiss.IndexHNSW):
            base.hnsw.efSearch = index.ef_search
        return index


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=None if isinstance(data, list) else 2), "utf-8")
    os.replace(tmp, path)
