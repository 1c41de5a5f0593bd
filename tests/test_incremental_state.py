"""The build state in SQLite (ingest/build/state_store.py): a home left with the former
``build/state.json`` migrates on its first run without a rebuild, a crash inside the state's
transaction leaves the previous state whole, and after adds, a change and a remove every row
of the state and every quad equal a fresh build's (issue #11)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from plankg.ingest import pipeline
from plankg.ingest.build.state_store import OwnerTable, StateStore, YearTable
from tests.conftest import seed_path
from tests.test_incremental import _copy, _quads, _workspace

TABLES = ("sources", "years", "owners", "cite_symbols", "cite_numbers")


def _rows(home: Path) -> dict[str, list[tuple]]:
    """Every row of the state database, table by table, sorted."""
    with sqlite3.connect(home / "build" / "state.sqlite") as db:
        return {t: sorted(db.execute(f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def _to_state_json(home: Path) -> None:
    """Turn a home's state back into the former whole-file ``build/state.json``."""
    path = home / "build" / "state.sqlite"
    with sqlite3.connect(path) as db:
        stamp = db.execute("SELECT value FROM meta WHERE key='stamp'").fetchone()[0]
        sources = {n: json.loads(d) for n, d in db.execute("SELECT name, data FROM sources")}
    path.unlink()
    (home / "build" / "state.json").write_text(json.dumps({"version": 1, "stamp": stamp, "sources": sources}), "utf-8")


class Crash(Exception):
    pass


def _crash_at(point: str):  # noqa: ANN202
    def hook(at: str) -> None:
        if at == point:
            raise Crash(at)
    return hook


@pytest.mark.slow
def test_state_json_home_migrates_and_ends_as_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = tmp_path / "files"
    clean, ocr, other, cited = (_copy(seed_path(p), files) for p in ("000", "001", "002", "004"))
    inc = _workspace(tmp_path / "inc", monkeypatch)
    inc.ingest([str(ocr), str(other)])
    _to_state_json(inc.settings.home)

    inc.ingest([str(clean), str(cited)])  # migrates, then the clean rendition joins its OCR copy
    build = inc.settings.home / "build"
    assert not (build / "state.json").exists() and (build / "state.sqlite").exists()
    assert set(inc.last_build.rebuilt) >= {clean.name, ocr.name}
    # the migrated state was used: the merged view was patched, not recomputed whole (as
    # after a lost or stale state, when every source is rebuilt)
    assert inc.last_build.merged_changes is not None

    before = _rows(inc.settings.home)
    monkeypatch.setattr(pipeline, "crash_hook", _crash_at("state-writing"))
    with pytest.raises(Crash):
        inc.remove([other.name])
    assert _rows(inc.settings.home) == before, "a transaction cut short leaves the previous state whole"
    monkeypatch.setattr(pipeline, "crash_hook", None)
    inc.remove([other.name])  # the journal is completed

    fresh = _workspace(tmp_path / "fresh", monkeypatch)
    fresh.ingest([str(cited), str(ocr), str(clean)])  # another order
    assert _rows(inc.settings.home) == _rows(fresh.settings.home)
    got, want = _quads(inc), _quads(fresh)
    assert got == want, (sorted(got - want)[:5], sorted(want - got)[:5])


@pytest.mark.slow
def test_table_lookups_equal_the_whole_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-entry lookups (:class:`YearTable`, :class:`OwnerTable`) give what the former
    whole-table walk over every source gave (``assemble.own_key_index`` semantics: the first
    primary by name wins)."""
    from plankg.ingest.build.assemble import own_key_index
    from plankg.store import iris

    files = tmp_path / "files"
    paths = [_copy(seed_path(p), files) for p in ("000", "001", "002", "003", "004")]
    ws = _workspace(tmp_path / "home", monkeypatch)
    ws.ingest([str(p) for p in paths])
    store = StateStore(ws.settings.home / "build" / "state.sqlite", ws.last_build.stamp, str)
    try:
        assert store.valid
        states = {n: store.get(n) for n in sorted(store.names())}
        years: dict[str, set[int]] = {}
        owners = []
        for n, s in states.items():
            assert s is not None
            if s.key is None:
                continue
            for sym, y in s.years:
                years.setdefault(sym, set()).add(int(y))
            if s.cluster == n:
                owners.append((n, iris.DocumentKey(*s.key)))
        assert years and owners
        assert dict(YearTable(store)) == years
        assert dict(OwnerTable(store)) == own_key_index(owners)
        # a held row overrides its stored one: the table without a source equals the walk without it
        gone = next(n for n, s in states.items() if s is not None and s.key and s.cluster == n and s.key[4])
        rest = own_key_index([(n, k) for n, k in owners if n != gone])
        assert dict(OwnerTable(store, stale={gone}, fresh={})) == rest
    finally:
        store.close()


def test_a_damaged_state_file_is_started_afresh(tmp_path: Path) -> None:
    """The state is derived data: a file that is not a database is replaced (every source
    is then rebuilt once), not an ingest that fails for good."""
    from plankg.ingest.build.state_store import SourceState

    path = tmp_path / "build" / "state.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"not a database" * 500)
    store = StateStore(path, "stamp", lambda n: f"g/{n}")
    assert not store.valid and store.names() == set()
    row = SourceState(sig=["5/KH-UBND", None, 2025, "ke hoach", None, None], trigrams=100,
                      precedence=[0, -10, "a.md"], years=[["5/KH-UBND", 2025]], cite_symbols=[], cite_numbers=["7"],
                      cluster="a.md", key=["vn", "ubnd", "kh", 2025, "5", None])
    store.commit({"a.md": row}, [], full=True, crash_point=lambda _p: None)
    store.close()
    store = StateStore(path, "stamp", lambda n: f"g/{n}")
    try:
        assert store.valid and store.get("a.md") == row
        assert store.citing([], ["7"]) == {"a.md"} and store.years_of("5/KH-UBND") == [("a.md", 2025)]
        assert store.candidates(["5/KH-UBND", None, None, None, None, None], 101) == ["a.md"]
        assert store.candidates(["6/KH-UBND", None, None, None, None, None], 100) == []  # blocked by symbol
        assert store.candidates(["5/KH-UBND", None, None, None, None, None], 1000) == []  # trigram counts too far
    finally:
        store.close()
    other = StateStore(path, "another stamp", str)
    assert not other.valid  # another stamp: ignored (every source is rebuilt)
    other.close()
