"""Crash safety, check/repair, the ingest lock, and what "unchanged" means (issue 11).

A crash is simulated by ``plankg.ingest.pipeline.crash_hook`` raising at a named point of
the ingest order; after each, ``plankg check`` must report the damage (or none) and
``check --repair`` or a plain re-ingest must restore a store whose quads equal a clean
ingest's, apart from ingest timestamps and blank-node labels.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from filelock import FileLock
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from plankg.api.cli import app
from plankg.config import load_settings
from plankg.ingest import pipeline
from plankg.search.index.embedders import register_backend
from plankg.store.open import open_store
from tests.conftest import seed_path
from tests.fake_embedders import HashEmbedder

runner = CliRunner()
PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")


_EMBEDDER = HashEmbedder("fake-durable", 32)
register_backend("fake-durable", lambda arg, opts: _EMBEDDER)


class SimulatedCrash(Exception):
    pass


def _seeds() -> list[str]:
    return [str(seed_path("004")), str(seed_path("002"))]


def _points() -> list[str]:
    f4, f2 = (Path(p).name for p in _seeds())
    return [f"extracted:{f4}", f"extracted:{f2}", "journal-written", f"extraction-moved:{f4}",
            f"extraction-moved:{f2}", "dropped", f"graph-written:{f4}", f"graph-written:{f2}", "merged-written",
            "state-writing", "state-written", "registry-written", "ontology-written", "sources-recorded", "journal-cleared", "ingested"]


def _home(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLANKG_HOME", str(path))
    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-durable")
    return path


def _quads() -> dict[str, rdflib.Graph]:
    """Every named graph of the store, without ingest timestamps."""
    with open_store(load_settings()) as store:
        names = store.graph_names()
        out = {}
        for g in names:
            graph = rdflib.Graph()
            for t in store.get_graph(g):
                if t[1] != PK.ingestedAt:
                    graph.add(t)
            out[g] = graph
    return out


def _same(a: dict[str, rdflib.Graph], b: dict[str, rdflib.Graph]) -> None:
    assert sorted(a) == sorted(b)
    for name in a:
        assert isomorphic(a[name], b[name]), name


def _check() -> tuple[int, dict]:
    res = runner.invoke(app, ["check", "--json"])
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads(res.stdout)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, rdflib.Graph]:
    """The quads of a clean ingest of the two seeds (and every crash point passed)."""
    mp = pytest.MonkeyPatch()
    _home(tmp_path_factory.mktemp("clean"), mp)
    seen: list[str] = []
    pipeline.crash_hook = seen.append
    try:
        res = runner.invoke(app, ["ingest", *_seeds()])
        assert res.exit_code == 0, res.output
    finally:
        pipeline.crash_hook = None
    assert set(_points()) <= set(seen), set(_points()) - set(seen)
    code, report = _check()
    assert code == 0 and report["ok"], report
    quads = _quads()
    mp.undo()
    return quads


@pytest.mark.slow
@pytest.mark.parametrize("point", range(16))
def test_crash_at_each_point_is_detected_and_repaired(point: int, clean, tmp_path, monkeypatch) -> None:
    _home(tmp_path / "home", monkeypatch)
    name = _points()[point]

    def crash(at: str) -> None:
        if at == name:
            raise SimulatedCrash(at)

    monkeypatch.setattr(pipeline, "crash_hook", crash)
    res = runner.invoke(app, ["ingest", *_seeds()])
    assert isinstance(res.exception, SimulatedCrash), res.output
    monkeypatch.setattr(pipeline, "crash_hook", None)

    code, report = _check()
    if name.startswith("extracted:"):  # died before its journal: the store is in its old (empty) state
        assert code == 0, report
    else:  # an unfinished journal, or an index not in step with the store
        assert code == 1 and not report["ok"], report
        assert any(f["damage"] for f in report["findings"])
    if point % 2 == 0:  # repair, then the store is whole again
        res = runner.invoke(app, ["check", "--repair"])
        assert res.exit_code == 0, res.output
        assert _check()[0] == 0
        if not name.startswith("extracted:"):
            _same(_quads(), clean)
    res = runner.invoke(app, ["ingest", *_seeds()])
    assert res.exit_code == 0, res.output
    _same(_quads(), clean)
    assert _check()[0] == 0


@pytest.mark.slow
def test_ingest_is_never_unchanged_over_a_broken_store(clean, tmp_path, monkeypatch) -> None:
    from plankg.store import iris

    _home(tmp_path / "home", monkeypatch)
    assert runner.invoke(app, ["ingest", *_seeds()]).exit_code == 0
    settings = load_settings()
    f4 = Path(_seeds()[0]).name
    with open_store(settings) as store:  # what a crash of the old order left: recorded, graphs gone
        store.drop_graph(iris.source_graph_iri(settings.base_iri, f4))
        store.drop_graph(iris.merged_graph_iri(settings.base_iri))
        xp = pipeline.Workspace(settings, store).extraction_path(Path(_seeds()[1]).name)
    assert xp.exists()
    xp.unlink()
    code, report = _check()
    assert code == 1
    codes = {f["code"] for f in report["findings"]}
    assert {"graph-missing", "derived-missing", "extraction-missing"} <= codes, codes
    res = runner.invoke(app, ["ingest", *_seeds()])
    assert res.exit_code == 0, res.output
    assert "unchanged" not in res.output.split(f4[:6])[1].split("\n")[0]
    _same(_quads(), clean)
    assert _check()[0] == 0


def test_lock_refuses_a_second_ingest(plankg_home: Path, tmp_path: Path, monkeypatch) -> None:
    settings = load_settings()
    monkeypatch.setattr(pipeline, "LOCK_WAIT_SECONDS", 0.3)
    other = FileLock(str(pipeline.lock_path(settings)))  # another process's lock: a second file handle
    plankg_home.mkdir(parents=True, exist_ok=True)
    doc = tmp_path / "x.txt"
    doc.write_text("KẾ HOẠCH\nSố 1/KH-UBND\n", "utf-8")
    archive = tmp_path / "home.tar.gz"
    archive.write_bytes(b"")
    with other:
        for args in (["ingest", str(doc)], ["remove", "x.txt"], ["rebuild"], ["check", "--repair"],
                     ["backup", str(tmp_path / "new.tar.gz")], ["restore", str(archive)]):
            res = runner.invoke(app, args)
            assert res.exit_code == 1, (args, res.output)
            assert "ingest.lock" in res.output.replace("\n", "") and "đang chạy" in res.output, res.output


def test_failed_file_is_remembered_and_not_retried(plankg_home: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-durable")
    monkeypatch.setenv("PLANKG_INGEST_WORKERS", "0")  # extraction in this process, so that the calls are counted here
    recipe = tmp_path / "recipe.txt"
    recipe.write_text("Cách nấu phở: ninh xương bò trong tám giờ, thêm gừng nướng và hành.\n", "utf-8")
    calls: list[str] = []
    real = pipeline.read_extraction

    def counting(path: Path, *args, **kwargs):  # read_extraction(path, limits) since the reader limits (#12)
        calls.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "read_extraction", counting)
    assert runner.invoke(app, ["ingest", str(recipe)]).exit_code == 1
    assert calls == ["recipe.txt"]
    failures = json.loads((plankg_home / "ingest-failures.json").read_text("utf-8"))
    assert failures["recipe.txt"]["checksum"] == pipeline.file_checksum(recipe)
    assert "hành chính" in failures["recipe.txt"]["error"]

    res = runner.invoke(app, ["ingest", str(recipe)])  # same bytes: not read again, still reported
    assert res.exit_code == 1 and calls == ["recipe.txt"]
    assert "--retry-failed" in res.output.replace("\n", "")

    assert runner.invoke(app, ["ingest", "--retry-failed", str(recipe)]).exit_code == 1
    assert calls == ["recipe.txt"] * 2

    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "test-next")  # a new extractor retries it
    assert runner.invoke(app, ["ingest", str(recipe)]).exit_code == 1
    assert len(calls) == 3

    recipe.write_text("Cách nấu bún chả.\n", "utf-8")  # changed bytes: retried
    assert runner.invoke(app, ["ingest", str(recipe)]).exit_code == 1
    assert len(calls) == 4


@pytest.mark.slow
def test_new_extractor_version_rereads_an_unchanged_file(plankg_home: Path, monkeypatch) -> None:
    from plankg.ingest.pipeline import Workspace

    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-durable")
    seed = str(seed_path("004"))
    settings = load_settings()
    with open_store(settings) as store:
        ws = Workspace(settings, store)
        assert ws.ingest([seed]).files[0].status == "added"
        assert ws.ingest([seed]).files[0].status == "unchanged"
        monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "test-next")
        assert ws.ingest([seed]).files[0].status == "changed"
        assert ws.sources()[Path(seed).name]["extractor"] == "test-next"
        assert ws.ingest([seed]).files[0].status == "unchanged"
