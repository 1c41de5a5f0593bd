"""``plankg backup`` / ``plankg restore`` (issue 11): backup, wipe, restore → identical
quads, a consistent store and the same search answers; a non-empty home is replaced only
with ``--force``; a damaged archive is refused and leaves the home as it was."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from plankg.api.cli import app
from plankg.config import load_settings
from plankg.search.index.embedders import register_backend
from plankg.store.open import open_store
from tests.conftest import seed_path
from tests.fake_embedders import HashEmbedder

runner = CliRunner()
_EMBEDDER = HashEmbedder("fake-backup", 32)
register_backend("fake-backup", lambda arg, opts: _EMBEDDER)


def _quads() -> dict[str, rdflib.Graph]:
    with open_store(load_settings()) as store:
        return {g: store.get_graph(g) for g in store.graph_names()}


def _search(query: str) -> list[str]:
    res = runner.invoke(app, ["search", "--json", query])
    assert res.exit_code == 0, res.output
    return [r["iri"] for r in json.loads(res.stdout)["results"]]


@pytest.fixture()
def home(plankg_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-backup")
    res = runner.invoke(app, ["ingest", str(seed_path("004"))])
    assert res.exit_code == 0, res.output
    return plankg_home


@pytest.mark.slow  # each test ingests a seed and builds its index (~10 s)
def test_backup_wipe_restore_gives_the_same_store_and_search(home: Path, tmp_path: Path) -> None:
    before = _quads()
    hits = _search("chuyển đổi số")
    assert hits
    archive = tmp_path / "kept" / "home.tar.gz"
    res = runner.invoke(app, ["backup", "--json", str(archive)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["sources"] == 1 and summary["graphs"] == len(before)
    assert summary["triples"] == sum(len(g) for g in before.values())

    shutil.rmtree(home)
    res = runner.invoke(app, ["restore", str(archive)])
    assert res.exit_code == 0, res.output
    after = _quads()
    assert sorted(after) == sorted(before)
    for g in before:
        assert isomorphic(before[g], after[g]), g
    res = runner.invoke(app, ["check", "--json"])
    assert res.exit_code == 0, res.output  # graphs, extractions and the index all in step
    assert json.loads(res.stdout)["ok"]
    assert _search("chuyển đổi số") == hits


@pytest.mark.slow
def test_restore_refuses_a_non_empty_home_without_force(home: Path, tmp_path: Path) -> None:
    archive = tmp_path / "home.tar.gz"
    assert runner.invoke(app, ["backup", str(archive)]).exit_code == 0
    before = _quads()
    res = runner.invoke(app, ["ingest", str(seed_path("002"))])  # the home moves on after the backup
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["restore", str(archive)])
    assert res.exit_code == 1
    assert "--force" in res.output
    assert len(_quads()) > len(before)
    res = runner.invoke(app, ["restore", "--force", str(archive)])
    assert res.exit_code == 0, res.output
    after = _quads()
    assert sorted(after) == sorted(before)
    assert not any(p.name.startswith(".restore") for p in home.iterdir())
    assert runner.invoke(app, ["check"]).exit_code == 0


@pytest.mark.slow
def test_a_damaged_archive_is_refused_and_the_home_kept(home: Path, tmp_path: Path) -> None:
    archive = tmp_path / "home.tar.gz"
    assert runner.invoke(app, ["backup", str(archive)]).exit_code == 0
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(broken, "w:gz") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()  # type: ignore[union-attr]
            if m.name.endswith("000001.nt"):
                data = data.replace(b"<", b"< ", 1)[: len(data)]
            m.size = len(data)
            dst.addfile(m, io.BytesIO(data))
    before = _quads()
    res = runner.invoke(app, ["restore", "--force", str(broken)])
    assert res.exit_code == 1
    assert "checksum" in res.output
    assert sorted(_quads()) == sorted(before)
    not_tar = tmp_path / "x.tar.gz"
    not_tar.write_bytes(gzip.compress(b"not a tar"))
    res = runner.invoke(app, ["restore", "--force", str(not_tar)])
    assert res.exit_code == 1 and "sao lưu" in res.output
    assert runner.invoke(app, ["check"]).exit_code == 0
