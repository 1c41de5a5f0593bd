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
  current order of ``ids``. The FAISS index is the *main* part, built in one go; vectors
  added since live in small delta parts scanned exactly, removed ones are *marked*
  (excluded by an ID selector at search time; HNSW cannot delete anyway), and the main
  index is rebuilt from the live vectors once parts and marks pass ``MERGE_FRACTION`` of it
  (:mod:`plankg.search.index.delta`, shared with BM25; done by the index update, or by the
  background merge, :meth:`merged` / :meth:`rebase`, never in a request). So an update writes its own vectors, and the main
  file is hard-linked from one index generation to the next.

Rows are 0..count-1; ``ids[row]`` is the item's id (an IRI). :meth:`add` appends rows,
:meth:`remove` closes the gaps and :meth:`reorder` puts the rows in the item table's order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import faiss
import numpy as np

from plankg.search.index.delta import MERGE_FRACTION, link_copy, merge_due, should_merge

__all__ = [
    "HNSW_MIN_VECTORS",
    "RESTRICTIVE_FRACTION",
    "RESTRICTIVE_MAX_ROWS",
    "ModelMismatchError",
    "VectorIndex",
]

FORMAT_VERSION = 3  # 3: main index + delta parts (version 2 is read: a main index only)
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


@dataclass
class _Part:
    """Vectors added by one update since the main index was built: written once into its
    own file (``delta-<first key>.npz``) and hard-linked by later generations."""

    keys: np.ndarray
    vectors: np.ndarray
    file: Path | None = None  # where it is saved (None: not yet)


class VectorIndex:
    """Cosine-similarity index of one embedder's vectors with row → id mapping.

    Stored as a *main* FAISS index plus a delta (:mod:`plankg.search.index.delta`): vectors
    added since the main index was built sit in small parts scanned exactly, removed ones
    are marked (excluded by an ID selector), and the main index is rebuilt from the live
    vectors once parts and marks pass ``MERGE_FRACTION`` of it. Why: an update then writes
    only its own vectors; ``index.faiss`` (1.5-1.8 KB per vector with HNSW) is hard-linked
    from one index generation to the next instead of written whole."""

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
        self._key_rows: dict[int, int] | None = {}  # FAISS key → row (None: made on first use)
        self._next_key = 0
        self._main_kind = "hnsw" if kind == "hnsw" else "flat"
        self._main: faiss.Index | None = self._new_index(self._main_kind)  # None: not read yet
        self._main_file: Path | None = None  # where the main index is saved, unchanged since
        self._main_count = 0  # vectors in the main index, marked ones included
        self._main_end = 0  # keys below this are in the main index, the others in the parts
        self._dead: set[int] = set()  # removed keys still stored (main index or a part)
        self._parts: list[_Part] = []
        self._live: tuple[np.ndarray, np.ndarray] | None = None  # parts' live keys, vectors (cache)
        self._delta_pos: dict[int, int] = {}
        self._delta_flat: faiss.IndexFlatIP | None = None  # the parts' live vectors, exact (cache)
        self._dead_main: np.ndarray | None = None  # sorted marked keys of the main index (cache)
        #: merge past this share of the main index on add/remove (None: only into an empty one)
        self.merge_fraction: float | None = MERGE_FRACTION

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
        """``"flat"`` (exact) or ``"hnsw"`` (approximate): the main index as last built."""
        return self._main_kind

    @property
    def dead(self) -> int:
        """Vectors marked deleted and still stored (main index or delta parts)."""
        return len(self._dead)

    @property
    def delta_size(self) -> int:
        """Vectors stored in delta parts (added since the main index was built)."""
        return sum(len(p.keys) for p in self._parts)

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

    def _main_index(self) -> faiss.Index:
        """The main FAISS index, read from its file the first time it is needed (an update
        that only adds never reads it: the file is linked into the next generation)."""
        if self._main is None:
            assert self._main_file is not None
            index = faiss.read_index(str(self._main_file))
            if index.ntotal != self._main_count or index.d != self.dim:
                raise ValueError(f"{self._main_file} ({index.ntotal} × {index.d}) does not match its "
                                 f"metadata ({self._main_count} × {self.dim})")
            base = faiss.downcast_index(index.index)  # type: ignore[attr-defined]  # IndexIDMap2.index: not in faiss's stub
            if isinstance(base, faiss.IndexHNSW):
                base.hnsw.efSearch = self.ef_search
            self._main = index
        return self._main

    def _changed(self) -> None:
        """Forget the caches of the parts and marks (after an add, remove or merge)."""
        self._live, self._dead_main = None, None

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
        if not ids:
            return
        keys = np.arange(self._next_key, self._next_key + len(ids), dtype=np.int64)
        self._next_key += len(ids)
        for item, key in zip(ids, keys.tolist()):
            self._rows[item] = len(self.ids)
            if self._key_rows is not None:
                self._key_rows[key] = len(self.ids)
            self.ids.append(item)
        self._keys = np.concatenate([self._keys, keys])
        self._parts.append(_Part(keys, v))
        self._changed()
        self._maybe_merge()

    def vectors_of(self, ids: Sequence[str]) -> np.ndarray:
        """The stored (normalised) vectors of ``ids`` (known ids only), in that order."""
        return self._vectors_of_keys(np.array([self._keys[self._rows[i]] for i in ids], dtype=np.int64))

    def _vectors_of_keys(self, keys: np.ndarray) -> np.ndarray:
        out = np.empty((len(keys), self.dim), np.float32)
        in_main = keys < self._main_end
        if in_main.any():
            out[in_main] = self._main_index().reconstruct_batch(keys[in_main])
        if not in_main.all():
            _, vecs = self._delta_live()
            out[~in_main] = vecs[[self._delta_pos[int(k)] for k in keys[~in_main]]]
        return out

    def remove(self, ids: Iterable[str]) -> int:
        """Delete ``ids`` (unknown ones are ignored); returns how many were removed. They are
        marked (the stored files stay as they are) until the next merge."""
        gone = [i for i in dict.fromkeys(ids) if i in self._rows]
        if not gone:
            return 0
        self._dead.update(int(self._keys[self._rows[i]]) for i in gone)
        drop = set(gone)
        self._set_rows([i for i in self.ids if i not in drop])
        self._changed()
        self._maybe_merge()
        return len(gone)

    def _maybe_merge(self) -> None:
        """Merge past the threshold. HNSW counts parts and marks apart: parts are inserted
        into the graph (:meth:`_insert_delta`, marks kept), marks need a rebuild (:meth:`_rebuild`);
        counted together, every update after a fold would fold again. An exact index, or
        one about to change kind, is rebuilt when parts and marks together pass it."""
        stored = self.delta_size
        marked = int(self._dead_main_keys().size)
        if not (stored or marked):
            return
        fraction = self.merge_fraction
        if self._main_kind == self._merged_kind() == "hnsw":
            if should_merge(0, marked, self._main_count, fraction):
                self._rebuild()
            elif should_merge(stored, 0, self._main_count, fraction):
                self._insert_delta()
        elif should_merge(stored, marked, self._main_count, fraction):
            self._rebuild()

    def merge_due(self, fraction: float) -> bool:
        """Have the parts and the marks passed ``fraction`` of the main index (the inline
        rule, :meth:`_maybe_merge`, with marks and parts counted apart for HNSW)?"""
        stored, marked = self.delta_size, int(self._dead_main_keys().size)
        if not self._main_count or not (stored or marked):
            return False
        if self._main_kind == self._merged_kind() == "hnsw":
            return merge_due(0, marked, self._main_count, fraction) or merge_due(stored, 0, self._main_count, fraction)
        return merge_due(stored, marked, self._main_count, fraction)

    def merged(self, fraction: float = MERGE_FRACTION) -> VectorIndex:
        """This index with its parts folded into the main index: the expensive half of a
        background merge; call it on a snapshot. As inline (:meth:`_maybe_merge`), an HNSW
        main index whose marks are within ``fraction`` takes the parts' vectors in (marks
        kept: the cost of the vectors added); otherwise it is rebuilt from the live vectors."""
        marked = int(self._dead_main_keys().size)
        if self._main_kind == self._merged_kind() == "hnsw" and not merge_due(0, marked, self._main_count, fraction):
            self._insert_delta()
        else:
            self._rebuild()
        return self

    def rebase(self, merged_folder: Path, snapshot: dict[str, object]) -> None:
        """The background merge's second half, on the index as it is now: take the main
        index saved in ``merged_folder`` (:meth:`merged` of a snapshot whose metadata,
        :meth:`metadata`, is ``snapshot``). Parts added since the snapshot stay parts;
        vectors of the snapshot removed since are marked in the new main index. ValueError
        if the main index changed since the snapshot (another merge in between) or a key
        is unaccounted for."""
        if (self._main_end, self._main_count) != (snapshot["main_end"], snapshot["main_count"]):
            raise ValueError("the vector main index changed since the snapshot (merged meanwhile)")
        base_end = int(str(snapshot["next_key"]))
        meta = json.loads((merged_folder / "meta.json").read_text("utf-8"))
        if int(meta["main_end"]) != base_end or meta.get("parts"):
            raise ValueError(f"{merged_folder} is not a merged main index ending at key {base_end}")
        # what the merged main index stores: the snapshot's live vectors, and its marked ones
        # when the parts were inserted into an HNSW graph (marks kept)
        merged_keys = set(np.load(merged_folder / "keys.npy").tolist())
        merged_keys |= set(json.loads((merged_folder / "dead.json").read_text("utf-8")))
        parts = [p for p in self._parts if int(p.keys[0]) >= base_end]
        if any(int(p.keys[0]) < base_end <= int(p.keys[-1]) for p in self._parts):
            raise ValueError("a delta part straddles the snapshot's last key")
        stray = [k for k in self._keys.tolist() if k < base_end and k not in merged_keys]
        if stray:
            raise ValueError(f"{len(stray)} current vectors are missing from the merged main index")
        self._main, self._main_file = None, merged_folder / "index.faiss"
        self._main_kind, self._main_count, self._main_end = str(meta["kind"]), int(meta["main_count"]), base_end
        self._parts = parts
        self._dead = {k for k in self._dead if k in merged_keys or k >= base_end}
        self._changed()

    def _insert_delta(self) -> None:
        """Insert the parts' live vectors into the HNSW main index (the cost of the vectors
        added, about as much per vector as a build, not the whole graph again); marks stay."""
        keys, vecs = self._delta_live()
        marked = self._dead_main_keys()
        main = self._main_index()  # read it even with no live vector to add: a new file is written
        if len(keys):
            main.add_with_ids(vecs, keys)
        self._main_count += len(keys)
        self._dead = {int(k) for k in marked.tolist()}
        self._merged()

    def _rebuild(self) -> None:
        """A fresh main index of the live vectors (same keys): parts and marks cleared."""
        live = self._first_build_vectors()
        if live is None:
            live = self._vectors_of_keys(self._keys)
        kind = self._merged_kind()
        index = self._new_index(kind)
        if len(self._keys):
            index.add_with_ids(live, self._keys)
        self._main, self._main_kind, self._main_count = index, kind, len(self._keys)
        self._dead = set()
        self._merged()

    def _first_build_vectors(self) -> np.ndarray | None:
        """The parts' vectors as they are, when they are all the live vectors in row order and
        there is no main index (:meth:`build`); else None. Why: the general path
        (:meth:`_vectors_of_keys`) makes the delta cache, i.e. a concatenated copy, a filtered
        copy, an exact FAISS copy and the output, four copies of every vector before the new
        index holds a fifth (+500 MB at 53,764 vectors: the full index build's peak, #11)."""
        if self._main_count or self._dead or not self._parts:
            return None
        keys = self._parts[0].keys if len(self._parts) == 1 else np.concatenate([p.keys for p in self._parts])
        if not np.array_equal(keys, self._keys):
            return None
        return self._parts[0].vectors if len(self._parts) == 1 else np.concatenate([p.vectors for p in self._parts])

    def _merged(self) -> None:
        self._main_end, self._main_file = self._next_key, None  # a new main file is written
        self._parts = []
        self._changed()

    def _merged_kind(self) -> str:
        """``auto``: HNSW from :attr:`hnsw_min_vectors` on, back to exact below half of it."""
        if self.policy != "auto":
            return self.policy
        floor = self.hnsw_min_vectors // 2 if self._main_kind == "hnsw" else self.hnsw_min_vectors
        return "hnsw" if len(self) >= floor else "flat"

    def reorder(self, ids: Sequence[str]) -> None:
        """Put the rows in the order of ``ids`` (the same set of ids)."""
        if len(ids) != len(self.ids) or self._rows.keys() != set(ids):
            raise ValueError("reorder takes exactly the ids of the index")
        if list(ids) != self.ids:
            self._set_rows(list(ids))

    def _set_rows(self, ids: list[str]) -> None:
        """New row order (an update: every row; kept to plain dict/array building, since it
        is the part of an update that grows with the index)."""
        rows = np.fromiter(map(self._rows.__getitem__, ids), dtype=np.int64, count=len(ids))
        self._keys = self._keys[rows]
        self.ids = ids
        self._rows = dict(zip(ids, range(len(ids))))
        self._key_rows = None

    @property
    def _key_row(self) -> dict[int, int]:
        """FAISS key → row, made when first needed after the rows changed (searching)."""
        if self._key_rows is None:
            self._key_rows = dict(zip(self._keys.tolist(), range(len(self._keys))))
        return self._key_rows

    def _delta_live(self) -> tuple[np.ndarray, np.ndarray]:
        """The parts' live keys and vectors, one matrix (rebuilt after a change)."""
        if self._live is None:
            if self._parts:
                keys = np.concatenate([p.keys for p in self._parts])
                vecs = np.concatenate([p.vectors for p in self._parts])
                keep = np.fromiter((int(k) not in self._dead for k in keys.tolist()), dtype=bool, count=len(keys))
                keys, vecs = keys[keep], np.ascontiguousarray(vecs[keep])
            else:
                keys, vecs = np.empty(0, np.int64), np.empty((0, self.dim), np.float32)
            self._live = (keys, vecs)
            self._delta_pos = {int(k): i for i, k in enumerate(keys.tolist())}
            self._delta_flat = faiss.IndexFlatIP(self.dim)  # row i ↔ keys[i]
            if len(keys):
                self._delta_flat.add(vecs)
        return self._live

    def _dead_main_keys(self) -> np.ndarray:
        if self._dead_main is None:
            self._dead_main = np.array(sorted(k for k in self._dead if k < self._main_end), dtype=np.int64)
        return self._dead_main

    def row_of(self, item_id: str) -> int | None:
        """The row of an id, or None."""
        return self._rows.get(item_id)

    # ------------------------------------------------------------------ searching
    def strategy(self, allowed: Iterable[int] | None = None) -> str:
        """How :meth:`search` would run: ``flat`` / ``hnsw`` (no filter), ``exact-subset``
        (restrictive filter: exact scan of the allowed rows), ``flat-filtered`` /
        ``hnsw-filtered`` (ID selector inside the index search). The delta parts are
        always scanned exactly."""
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
            return _best(self._main_search(q, k, None) + self._delta_search(q, k, None), k)
        rows = self._allowed_rows(allowed)
        if not rows.size:
            return []
        if self._strategy(rows.size) == "exact-subset" or k >= rows.size:
            # every allowed vector asked for (the ranking's tie-break over all its rows): a
            # scan of them is exact and cheaper than a graph walk with efSearch >= 2k
            return self._subset_search(q, k, rows)
        in_main = self._keys[rows] < self._main_end
        main_rows = rows[in_main]
        hits = self._main_search(q, k, main_rows) if main_rows.size else []
        if len(hits) < min(k, main_rows.size):  # the graph walk ran dry: be exact instead
            return self._subset_search(q, k, rows)
        return _best(hits + self._delta_search(q, k, rows[~in_main]), k)

    def _main_search(self, q: np.ndarray, k: int, rows: np.ndarray | None) -> list[tuple[int, float]]:
        """The main index's best ``k`` among ``rows`` (None: every live vector of it)."""
        dead = self._dead_main_keys()
        inner: faiss.IDSelector | None = None
        sel: faiss.IDSelector | None = None
        if rows is None:
            k = min(k, self._main_count - int(dead.size))
            if dead.size:  # marked vectors never come back
                inner = faiss.IDSelectorBatch(dead)
                sel = faiss.IDSelectorNot(inner)
        else:
            k = min(k, int(rows.size))
            sel = faiss.IDSelectorBatch(self._keys[rows])
        if k <= 0:
            return []
        params = None
        if self.kind == "hnsw":
            # faiss-cpu's bundled stub lists neither SearchParametersHNSW nor the keyword constructors SWIG generates
            params = faiss.SearchParametersHNSW(efSearch=max(self.ef_search, 2 * k))  # type: ignore[attr-defined]
            if sel is not None:
                params.sel = sel
        elif sel is not None:
            params = faiss.SearchParameters(sel=sel)  # type: ignore[call-arg]  # as above: the stub lacks the keyword constructor
        with one_thread():
            scores, labels = self._main_index().search(q, k, params=params)
        del inner  # kept alive until here: ``sel`` points into it
        key_row = self._key_row
        return [(key_row[int(key)], float(s)) for key, s in zip(labels[0], scores[0])
                if key >= 0 and int(key) in key_row]

    def _delta_search(self, q: np.ndarray, k: int, rows: np.ndarray | None) -> list[tuple[int, float]]:
        """Exact scan of the delta parts' live vectors (among ``rows``; None: all)."""
        keys, vecs = self._delta_live()
        if not len(keys) or (rows is not None and not rows.size):
            return []
        # never numpy's ``@`` here: its BLAS threads on busy cores gave a 12 ms p95 for 2,000
        # vectors (0.03 ms median); FAISS on one thread, or a plain loop for a subset
        if rows is None:
            assert self._delta_flat is not None  # made with the live parts above
            with one_thread():
                scores, pos_found = self._delta_flat.search(q, min(k, len(keys)))
            sims, found = scores[0], keys[pos_found[0]]
        else:
            pos = np.array([self._delta_pos[int(key)] for key in self._keys[rows]], dtype=np.int64)
            sims, found = np.einsum("ij,j->i", vecs[pos], q[0]), keys[pos]
        if sims.size > k:
            top = np.argpartition(-sims, k - 1)[:k]
            sims, found = sims[top], found[top]
        key_row = self._key_row
        return [(key_row[int(key)], float(s)) for key, s in zip(found, sims)]

    def _subset_search(self, q: np.ndarray, k: int, rows: np.ndarray) -> list[tuple[int, float]]:
        with one_thread():
            sims = self._vectors_of_keys(self._keys[rows]) @ q[0]
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
                "main_count": self._main_count, "main_end": self._main_end,
                "parts": [p.file.name for p in self._parts if p.file is not None],
                "metric": "inner_product", "hnsw_min_vectors": self.hnsw_min_vectors,
                "hnsw_m": self.hnsw_m, "ef_construction": self.ef_construction,
                "ef_search": self.ef_search}

    def save(self, folder: str | Path) -> None:
        """Write index.faiss, the delta parts, ids.json, keys.npy, dead.json and meta.json
        under ``folder`` (meta.json last, so a reader never sees new metadata with old
        vectors). A main index unchanged since it was read or saved, and parts saved
        before, are hard-linked from where they are, not written again."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "index.faiss"
        if self._main_file is None or not self._main_file.exists():
            tmp = folder / "index.faiss.tmp"
            faiss.write_index(self._main_index(), str(tmp))
            os.replace(tmp, target)
        elif self._main_file != target:
            link_copy(self._main_file, target)
        self._main_file = target
        for part in self._parts:
            path = folder / f"delta-{int(part.keys[0]):012d}.npz"
            if part.file is None or not part.file.exists():
                np.savez(path, keys=part.keys, vectors=part.vectors)
            elif part.file != path:
                link_copy(part.file, path)
            part.file = path
        _write_json(folder / "ids.json", self.ids)
        np.save(folder / "keys.npy", self._keys)
        _write_json(folder / "dead.json", sorted(self._dead))
        _write_json(folder / "meta.json", self.metadata())

    @classmethod
    def load(cls, folder: str | Path, embedder: str | _Named | None = None, *, lazy: bool = False) -> VectorIndex:
        """Reopen a saved index; with ``embedder``, refuse one built by another model.
        ``lazy``: read ``index.faiss`` only when a search or a merge needs it (an update)."""
        folder = Path(folder)
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        if meta.get("format") != "plankg-vectors" or meta.get("version") not in (2, FORMAT_VERSION):
            raise ValueError(f"{folder} is not a plankg vector index of version {FORMAT_VERSION}")
        if embedder is not None and _model_name(embedder) != meta["embedder"]:
            raise ModelMismatchError(
                f"the vector index in {folder} was built with embedder {meta['embedder']!r} "
                f"(dim {meta['dim']}), not {_model_name(embedder)!r}: rebuild the index, or set "
                f"PLANKG_EMBEDDER={meta['embedder']}")
        index = cls(meta["embedder"], meta["dim"], kind=meta["policy"],
                    hnsw_min_vectors=meta["hnsw_min_vectors"], hnsw_m=meta["hnsw_m"],
                    ef_construction=meta["ef_construction"], ef_search=meta["ef_search"])
        index.ids = json.loads((folder / "ids.json").read_text("utf-8"))
        index._rows = dict(zip(index.ids, range(len(index.ids))))
        index._keys = np.load(folder / "keys.npy")
        index._key_rows = None
        index._dead = set(json.loads((folder / "dead.json").read_text("utf-8")))
        index._next_key = int(meta["next_key"])
        index._main_kind = str(meta["kind"])
        index._main, index._main_file = None, folder / "index.faiss"
        # version 2 (no parts): every vector, marked ones included, is in index.faiss
        index._main_count = int(meta.get("main_count", len(index.ids) + len(index._dead)))
        index._main_end = int(meta.get("main_end", index._next_key))
        for name in meta.get("parts", []):
            with np.load(folder / name, allow_pickle=False) as data:
                index._parts.append(_Part(data["keys"], data["vectors"], folder / name))
        stored = index._main_count + index.delta_size
        if len(index._keys) != len(index.ids) or stored != len(index.ids) + len(index._dead):
            raise ValueError(f"{folder}: {stored} stored vectors, {len(index._dead)} marked, do not match "
                             f"ids.json/keys.npy ({len(index.ids)} ids, {len(index._keys)} keys)")
        if not lazy:
            index._main_index()
        return index


def _best(hits: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
    """The ``k`` best of hits gathered from the main index and the parts: score, then row."""
    return sorted(hits, key=lambda h: (-h[1], h[0]))[:k]


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=None if isinstance(data, list) else 2), "utf-8")
    os.replace(tmp, path)
