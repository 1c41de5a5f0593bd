"""Crash safety of a change and of a removal, and the per-file time limit (issue 11): the
second half of tests/test_pipeline_durability.py, in a file of its own so that a parallel run
(pytest-xdist, one file per worker) spreads the crash points over two workers. The helpers
(a home, the quads of the store, check) are that file's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from plankg.api.cli import app
from plankg.config import load_settings
from plankg.ingest import pipeline
from plankg.store.open import open_store
from tests.test_pipeline_durability import SimulatedCrash, _check, _home, _quads, _same

runner = CliRunner()

# -- change one, remove one ---------------------------------------------------------------
# Two small real documents of the corpus (not the seeds) in one folder: ``a.md`` is changed
# (its text cut short) or removed after both were ingested; a crash at each point of that
# second run must be detected and repaired into the store a clean ingest of the new set gives.

CORPUS = Path(__file__).parent / "data" / "corpus"
SMALL = {"a.md": CORPUS / "2f6f80b9918e52de.md", "b.md": CORPUS / "8e9a425dd83e56b3.md"}
# b.md's graph is not rewritten when only a.md changes or goes (the build is incremental,
# tests/test_incremental.py), so "graph-written:b.md" is no crash point of a change or a remove
# "state-writing": inside the build state's transaction (build/state.sqlite), before its commit
CHANGE_POINTS = ["extracted:a.md", "journal-written", "extraction-moved:a.md", "dropped", "graph-written:a.md",
                 "merged-written", "state-writing", "state-written", "sources-recorded", "journal-cleared", "ingested"]
REMOVE_POINTS = ["journal-written", "dropped", "merged-written", "state-writing", "state-written", "sources-recorded",
                 "journal-cleared", "removed"]


def _small_docs(folder: Path, changed: bool = False, only_b: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, src in SMALL.items():
        if only_b and name == "a.md":
            continue
        text = src.read_text("utf-8")
        (folder / name).write_text(text[: len(text) * 2 // 3] if changed and name == "a.md" else text, "utf-8")
    return folder


@pytest.fixture(scope="module")
def clean_small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, rdflib.Graph]]:
    """The quads of clean ingests of the changed set (a.md cut short, b.md) and of b.md alone."""
    mp = pytest.MonkeyPatch()
    out = {}
    for label, kwargs in (("changed", {"changed": True}), ("removed", {"only_b": True})):
        root = tmp_path_factory.mktemp(label)
        _home(root / "home", mp)
        res = runner.invoke(app, ["ingest", str(_small_docs(root / "docs", **kwargs))])
        assert res.exit_code == 0, res.output
        out[label] = _quads()
    mp.undo()
    return out


def _crash_then_recover(point: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: bool,
                        clean: dict[str, rdflib.Graph], repair: bool) -> None:
    """Ingest a.md and b.md; then change a.md and ingest again (or remove a.md) with a crash
    at ``point``; check must see it; repair (when ``repair``) and then the same command
    again (ingest, or for a remove an ingest of b.md) give the clean store."""
    _home(tmp_path / "home", monkeypatch)
    docs = _small_docs(tmp_path / "docs")
    assert runner.invoke(app, ["ingest", str(docs)]).exit_code == 0
    if change:
        _small_docs(docs, changed=True)
    action, redo = (["ingest", str(docs)],) * 2 if change else (["remove", "a.md"], ["ingest", str(docs / "b.md")])

    def crash(at: str) -> None:
        if at == point:
            raise SimulatedCrash(at)

    monkeypatch.setattr(pipeline, "crash_hook", crash)
    res = runner.invoke(app, action)
    assert isinstance(res.exception, SimulatedCrash), (point, res.output)
    monkeypatch.setattr(pipeline, "crash_hook", None)
    code, report = _check()
    if point.startswith("extracted:"):  # died before its journal: the old state, no damage
        assert code == 0, report
    else:
        assert code == 1 and any(f["damage"] for f in report["findings"]), report
    if repair:
        res = runner.invoke(app, ["check", "--repair"])
        assert res.exit_code == 0, res.output
        if not point.startswith("extracted:"):
            _same(_quads(), clean)
    res = runner.invoke(app, redo)
    assert res.exit_code == 0, res.output
    _same(_quads(), clean)
    assert _check()[0] == 0


@pytest.mark.slow
@pytest.mark.parametrize("point", CHANGE_POINTS)
def test_crash_while_changing_one_file(point: str, clean_small, tmp_path, monkeypatch) -> None:
    _crash_then_recover(point, tmp_path, monkeypatch, True, clean_small["changed"],
                        repair=CHANGE_POINTS.index(point) % 2 == 0)


@pytest.mark.slow
@pytest.mark.parametrize("point", REMOVE_POINTS)
def test_crash_while_removing_one_file(point: str, clean_small, tmp_path, monkeypatch) -> None:
    _crash_then_recover(point, tmp_path, monkeypatch, False, clean_small["removed"],
                        repair=REMOVE_POINTS.index(point) % 2 == 0)


def _hang_on_slow(path: Path, *args, **kwargs):
    """A pathological file: ``slow.md`` never finishes extracting (the others do)."""
    import time

    if path.name == "slow.md":
        time.sleep(3600)
    return _REAL_READ(path, *args, **kwargs)


_REAL_READ = pipeline.read_extraction


@pytest.mark.slow  # waits out the time limit, set far above what b.md takes even on a loaded machine
def test_a_file_over_the_time_limit_fails_alone(plankg_home: Path, tmp_path: Path, monkeypatch) -> None:
    docs = _small_docs(tmp_path / "docs", only_b=True)
    (docs / "slow.md").write_text(SMALL["a.md"].read_text("utf-8"), "utf-8")
    monkeypatch.setenv("PLANKG_INGEST_WORKERS", "2")
    monkeypatch.setenv("PLANKG_EXTRACT_TIMEOUT", "30")
    monkeypatch.setattr(pipeline, "read_extraction", _hang_on_slow)  # the forked workers see it too:
    import multiprocessing

    from plankg.ingest import workers

    # forked even where an earlier test of this process left a thread (a fork server would not see the patch)
    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("fork"))
    settings = load_settings()
    with open_store(settings) as store:
        ws = pipeline.Workspace(settings, store)
        report = ws.ingest([str(docs)])
        by_name = {f.name: f for f in report.files}
        assert by_name["b.md"].status == "added", by_name["b.md"].error
        assert by_name["slow.md"].status == "failed"
        assert "PLANKG_EXTRACT_TIMEOUT" in (by_name["slow.md"].error or "")
        assert "slow.md" in (by_name["slow.md"].error or "") and "30 s" in (by_name["slow.md"].error or "")
        assert sorted(ws.sources()) == ["b.md"]
        assert "slow.md" in ws.failures()  # remembered: not re-read until it changes or --retry-failed


@pytest.mark.slow
def test_parallel_extraction_builds_the_same_store(tmp_path: Path, monkeypatch) -> None:
    docs = _small_docs(tmp_path / "docs")
    stores = []
    for workers in ("0", "2"):
        _home(tmp_path / f"home-{workers}", monkeypatch)
        monkeypatch.setenv("PLANKG_INGEST_WORKERS", workers)
        res = runner.invoke(app, ["ingest", str(docs)])
        assert res.exit_code == 0, res.output
        stores.append(_quads())
    _same(stores[0], stores[1])
