"""Background merge of the index deltas (issue 11 item 3, ``plankg.search.index.merge``).

The merge builds new main parts outside the index lock from a snapshot, then rebases what
changed meanwhile onto them: its result must equal a full rebuild; updates made during it
are carried; a rebuild during it makes it give up; a crash at any of its points leaves a
usable index; two merges never run at once; background mode starts a detached process.
Homes are small (seeds 003 + 004, a hash embedder) and copied from one module fixture.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from plankg.config import Settings, load_settings
from plankg.ingest import pipeline
from plankg.ingest.pipeline import Workspace
from plankg.search.index.builder import build_index, load_index, read_meta, update_index
from plankg.search.index.embedders import register_backend
from plankg.search.index.merge import MergeBusy, merge_index, merge_running, start_background
from plankg.search.index.upkeep import after_change, check_index
from plankg.store.open import open_store
from tests.conftest import seed_path
from tests.fake_embedders import HashEmbedder

_EMBEDDER = HashEmbedder("fake-merge", 32)
register_backend("fake-merge", lambda arg, opts: _EMBEDDER)
QUERIES = ["chuyển đổi số", "hạ tầng số", "dịch vụ công trực tuyến", "đổi mới sáng tạo", "nhân lực"]
MARK = "kiemthunenen"  # a word no seed has: the changed document's new text


class SimulatedCrash(Exception):
    pass


def _env(mp: pytest.MonkeyPatch, home: Path, mode: str = "background") -> None:
    mp.setenv("PLANKG_HOME", str(home))
    mp.setenv("PLANKG_EMBEDDER", "fake-merge")
    mp.setenv("PLANKG_INDEX_MERGE", mode)


@pytest.fixture(scope="module")
def base_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed 003 indexed, then 004 added by an update in background mode: a delta past the
    threshold (80 items on a main part of 134) that no one merged yet."""
    root = tmp_path_factory.mktemp("merge-base")
    src = root / "src"
    src.mkdir()
    for prefix in ("003", "004"):
        shutil.copy(seed_path(prefix), src / seed_path(prefix).name)
    mp = pytest.MonkeyPatch()
    _env(mp, root / "home")
    try:
        settings = load_settings()
        with open_store(settings) as store:
            ws = Workspace(settings, store)
            ws.ingest([str(src / seed_path("003").name)])
            build_index(settings, store)
            ws.ingest([str(src / seed_path("004").name)])
            info = update_index(settings, store)
        assert info["update"] == "incremental" and info["merge_due"] and info["lexical_delta"] > 0
    finally:
        mp.undo()
    return root


@pytest.fixture
def home(base_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Settings, Path]]:
    """A copy of the base home (and its sources) in background mode: (settings, source folder)."""
    shutil.copytree(base_home, tmp_path / "copy")
    _env(monkeypatch, tmp_path / "copy" / "home")
    yield load_settings(), tmp_path / "copy" / "src"


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Callable[[], None]], None]:
    """``hook(point, action)``: run ``action`` once when the merge passes ``point``."""

    def install(point: str, action: Callable[[], None]) -> None:
        done: list[bool] = []

        def at(name: str) -> None:
            if name == point and not done:
                done.append(True)
                action()

        monkeypatch.setattr(pipeline, "crash_hook", at)

    return install


def _state(settings: Settings) -> dict[str, Any]:
    """What a reader sees: live ids, and the best hits (with BM25 scores) of each query."""
    with open_store(settings) as store:
        index = load_index(settings, store)
        ids = [it.iri for it in index.items]
        lexical = {q: [(index.items[r].iri, round(s, 4)) for r, s in index.lexical.search(q, 5)] for q in QUERIES}
        vectors = {q: [index.items[r].iri for r, _ in index.vectors.search(index.embedder().embed_query(q), 5)]
                   for q in QUERIES}
        assert index.lexical.ids == ids == index.vectors.ids
    return {"ids": ids, "lexical": lexical, "vectors": vectors}


def _rebuilt(settings: Settings) -> dict[str, Any]:
    with open_store(settings) as store:
        build_index(settings, store, rebuild=True)
    return _state(settings)


def _no_damage(settings: Settings) -> None:
    with open_store(settings) as store:
        assert not [f for f in check_index(settings, store) if f.damage]


def test_merge_equals_a_full_rebuild(home) -> None:
    settings, _src = home
    before = read_meta(settings)
    assert before and before["merge_due"]
    result = merge_index(settings)
    assert result.status == "merged" and result.carried == 0 and result.items == len(_state(settings)["ids"])
    meta = read_meta(settings)
    assert meta and not meta["merge_due"] and meta["lexical_delta"] == meta["vectors_delta"] == 0
    assert meta["store_fingerprint"] == before["store_fingerprint"] and meta["merge"]["status"] == "merged"
    assert not list(settings.index_path.glob("merge-*"))
    merged = _state(settings)
    assert merged == _rebuilt(settings)  # same ids, same hits, BM25 scores equal to 4 decimals
    assert merge_index(settings).status == "nothing"  # nothing left to merge


def test_updates_during_the_merge_are_carried(home, hook) -> None:
    settings, src = home
    f3, f4 = seed_path("003").name, seed_path("004").name

    def meanwhile() -> None:  # between the snapshot and the rebase: change 004, remove 003
        text = (src / f4).read_text("utf-8")
        (src / f4).write_text(text.replace("Chỉ số đánh giá mức độ chuyển đổi số", f"Chỉ số {MARK} mức độ chuyển đổi số",
                                           1), "utf-8")
        with open_store(settings) as store:
            ws = Workspace(settings, store)
            ws.ingest([str(src / f4)])
            ws.remove([f3])
            update_index(settings, store)

    hook("merge-built", meanwhile)
    result = merge_index(settings)
    assert result.status == "merged" and result.carried > 0  # 004's items re-added after the snapshot
    meta = read_meta(settings)
    assert meta and meta["lexical_delta"] == result.carried and meta["lexical_removed"] > 0
    carried = _state(settings)
    with open_store(settings) as store:
        index = load_index(settings, store)
        hits = [index.items[r] for r, _ in index.lexical.search(MARK, 3)]
        assert hits and MARK in hits[0].index_text  # the changed text is searchable
    rebuilt = _rebuilt(settings)
    assert carried["ids"] == rebuilt["ids"] and carried["vectors"] == rebuilt["vectors"]
    # the items removed meanwhile are gone from every answer, whatever the ranking
    assert all(iri in rebuilt["ids"] for hits in carried["lexical"].values() for iri, _ in hits)


def test_a_rebuild_during_the_merge_makes_it_give_up(home, hook) -> None:
    settings, _src = home

    def rebuild() -> None:
        with open_store(settings) as store:
            build_index(settings, store, rebuild=True)

    hook("merge-built", rebuild)
    result = merge_index(settings)
    meta = read_meta(settings)
    assert result.status == "abandoned" and meta and meta["update"] == "full" and "merge" not in meta
    assert not list(settings.index_path.glob("merge-*"))
    _no_damage(settings)


@pytest.mark.parametrize("point", ["merge-snapshot", "merge-built", "merge-written", "merge-published"])
def test_a_crash_in_the_merge_leaves_a_usable_index(home, hook, point: str) -> None:
    settings, _src = home
    expected = _state(settings)

    def crash() -> None:
        raise SimulatedCrash(point)

    hook(point, crash)
    with pytest.raises(SimulatedCrash):
        merge_index(settings)
    after = _state(settings)  # readable, the same items (the merged generation, or the old one)
    assert after["ids"] == expected["ids"] and after["vectors"] == expected["vectors"]
    _no_damage(settings)
    again = merge_index(settings)
    assert again.status == ("nothing" if point == "merge-published" else "merged")
    assert len(list(settings.index_path.glob("gen-*"))) == 1
    assert _state(settings) == _rebuilt(settings)


def test_a_second_merge_does_not_start_while_one_runs(home, hook) -> None:
    settings, _src = home
    seen: dict[str, Any] = {}

    def other_process() -> None:  # another thread opens the lock file anew, as another process would
        def run() -> None:
            seen["running"] = merge_running(settings)
            seen["started"] = start_background(settings)
            try:
                merge_index(settings)
            except MergeBusy as exc:
                seen["busy"] = str(exc)
            with open_store(settings) as store:
                seen["findings"] = check_index(settings, store, notices=True)
                seen["readiness"] = check_index(settings, store)
            seen["search"] = _state(settings)["ids"]  # search goes on, on the old generation

        t = threading.Thread(target=run)
        t.start()
        t.join(60)

    hook("merge-built", other_process)
    assert merge_index(settings).status == "merged"
    assert seen["running"] is True and seen["started"] is False and "hợp nhất" in seen["busy"]
    assert [(f.code, f.damage) for f in seen["findings"]] == [("index-merging", False)]
    assert seen["readiness"] == []  # /readyz keeps the service in rotation during a merge
    assert seen["search"] == _state(settings)["ids"]
    assert merge_running(settings) is False


def _wait_merged(settings: Settings, seconds: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        meta = read_meta(settings)
        if meta and meta.get("merge") and not merge_running(settings):
            return meta
        time.sleep(0.3)
    log = settings.index_path / "merge.log"
    raise AssertionError(f"no merge within {seconds} s: {log.read_text() if log.exists() else ''}")


def test_background_mode_starts_a_detached_merge_and_a_killed_one_is_cleaned_up(home) -> None:
    settings, _src = home
    env = {**os.environ, "PLANKG_CRASH_AT": "merge-built"}
    killed = subprocess.run([sys.executable, "-m", "plankg.search.index.merge"], env=env, timeout=120, check=False)
    assert killed.returncode == -9  # SIGKILL inside the merge, after the build
    assert list(settings.index_path.glob("merge-*"))  # its work folder is left behind
    expected = _state(settings)
    _no_damage(settings)

    with open_store(settings) as store:
        info = after_change(settings, store)  # nothing changed, but a merge is due: start it
    assert info["merge_started"] is True
    meta = _wait_merged(settings)
    assert meta["merge"]["status"] == "merged" and not meta["merge_due"]
    assert not list(settings.index_path.glob("merge-*"))
    assert _state(settings)["ids"] == expected["ids"]
    assert _state(settings) == _rebuilt(settings)


def test_inline_mode_merges_inside_the_update(home, monkeypatch) -> None:
    settings, _src = home
    monkeypatch.setenv("PLANKG_INDEX_MERGE", "inline")
    settings = load_settings()
    with open_store(settings) as store:
        Workspace(settings, store).remove([seed_path("003").name])
        info = after_change(settings, store)
    meta = read_meta(settings)
    assert meta and meta["lexical_merged"] is True and meta["lexical_delta"] == meta["vectors_delta"] == 0
    assert not info["merge_due"] and "merge_started" not in info


def test_plankg_index_merge_runs_a_merge_now(home) -> None:
    from typer.testing import CliRunner

    from plankg.api.cli import app

    settings, _src = home
    res = CliRunner().invoke(app, ["index", "--merge"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())  # rich wraps long lines
    assert "Đã hợp nhất chỉ mục" in text and "index merged" in text
    meta = read_meta(settings)
    assert meta and meta["merge"]["status"] == "merged" and not meta["merge_due"]
    again = CliRunner().invoke(app, ["index", "--merge"])
    assert again.exit_code == 0 and "nothing merged" in " ".join(again.output.split())


@pytest.mark.parametrize("marks", [5, 40])
def test_vector_rebase_after_an_hnsw_merge_equals_the_live_vectors(tmp_path: Path, marks: int) -> None:
    """The vector half alone, on HNSW: few marks → the parts are inserted into the graph
    (marks kept), many → rebuilt; either way, after vectors added and removed during the
    merge, searching the rebased index equals an exact scan of the live vectors."""
    import json

    import numpy as np

    from plankg.search.index.vectors import VectorIndex

    rng = np.random.default_rng(3)
    vec = {f"i{n:03d}": rng.standard_normal(16).astype(np.float32) for n in range(260)}
    ids = list(vec)
    first = VectorIndex.build(ids[:200], np.stack([vec[i] for i in ids[:200]]), "e", kind="hnsw")
    first.merge_fraction = None  # background mode: no inline merge
    first.add(ids[200:230], np.stack([vec[i] for i in ids[200:230]]), "e")
    first.remove(ids[:marks] + ids[200:203])
    first.save(tmp_path / "g0")
    snapshot_meta = json.loads((tmp_path / "g0" / "meta.json").read_text())
    VectorIndex.load(tmp_path / "g0", lazy=True).merged(0.10).save(tmp_path / "merged")
    assert bool(json.loads((tmp_path / "merged" / "meta.json").read_text())["dead"]) == (marks <= 20)
    current = VectorIndex.load(tmp_path / "g0", lazy=True)  # updates during the merge
    current.merge_fraction = None
    current.remove([ids[100], ids[210]])
    current.add(ids[230:], np.stack([vec[i] for i in ids[230:]]), "e")
    current.remove([ids[240]])
    current.rebase(tmp_path / "merged", snapshot_meta)
    current.save(tmp_path / "g1")
    again = VectorIndex.load(tmp_path / "g1")
    live = [i for i in ids if i not in set(ids[:marks] + ids[200:203] + [ids[100], ids[210], ids[240]])]
    assert sorted(again.ids) == live and again.kind == "hnsw" and again.delta_size == 30
    exact = VectorIndex.build(again.ids, np.stack([vec[i] for i in again.ids]), "e", kind="flat")
    for q in rng.standard_normal((10, 16)).astype(np.float32):
        assert [r for r, _ in again.search(q, 8)] == [r for r, _ in exact.search(q, 8)]


def test_hnsw_insert_with_only_dead_parts_still_saves(tmp_path: Path) -> None:
    """A merge (inline or background) that finds every part's vector removed has nothing to
    insert, but must still write the main index it marks as new (found on the 3,000 home)."""
    import numpy as np

    from plankg.search.index.vectors import VectorIndex

    rng = np.random.default_rng(5)
    ids = [f"i{n:03d}" for n in range(100)]
    first = VectorIndex.build(ids, rng.standard_normal((100, 8)).astype(np.float32), "e", kind="hnsw")
    first.merge_fraction = None
    first.add(["x1", "x2"], rng.standard_normal((2, 8)).astype(np.float32), "e")
    first.remove(["x1", "x2"])
    first.save(tmp_path / "g0")
    lazy = VectorIndex.load(tmp_path / "g0", lazy=True)
    lazy.merged(0.10).save(tmp_path / "g1")
    assert sorted(VectorIndex.load(tmp_path / "g1").ids) == ids
