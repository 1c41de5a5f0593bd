"""Index lifecycle: incremental update with the embedding cache, model mismatch refused,
CLI commands. A tiny deterministic embedder keeps these tests fast (no model load)."""

from __future__ import annotations

import json

import pytest

from plankg.search.index.embedders import register_backend
from tests.conftest import seed_path
from tests.fake_embedders import HashEmbedder

_MADE: dict[str, HashEmbedder] = {}
register_backend("fake-test", lambda arg, opts: _MADE.setdefault(arg or "a", HashEmbedder(f"fake-test:{arg or 'a'}")))


@pytest.fixture
def small_home(plankg_home, monkeypatch):
    """A fresh PLANKG_HOME holding seed 002 (the ward plan), embedder fake-test:a."""
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.store.open import open_store

    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-test:a")
    settings = load_settings()
    store = open_store(settings)
    Workspace(settings, store).ingest([str(seed_path("002"))])
    yield settings, store
    store.close()


def test_update_is_incremental(small_home) -> None:
    from plankg.ingest.pipeline import Workspace
    from plankg.search.index.builder import build_index, update_index

    settings, store = small_home
    first = build_index(settings, store)
    assert first["embedded_texts"] > 50 and first["embedder"] == "fake-test:a"
    meta = json.loads((settings.index_path / "meta.json").read_text("utf-8"))
    again = update_index(settings, store)  # nothing changed: same generation, nothing embedded
    assert again["built_at"] == first["built_at"]
    assert json.loads((settings.index_path / "meta.json").read_text("utf-8"))["generation"] == meta["generation"]
    Workspace(settings, store).ingest([str(seed_path("004"))])
    after = update_index(settings, store)
    assert 0 < after["embedded_texts"] < after["counts"]["items"]  # only the new texts
    assert after["counts"]["items"] > first["counts"]["items"]
    assert len(list(settings.index_path.glob("gen-*"))) == 1


def test_model_mismatch_refused(small_home, monkeypatch, capsys) -> None:
    from plankg.config import load_settings
    from plankg.search.index.builder import (
        IndexModelMismatch,
        build_index,
        index_info,
        update_index,
    )
    from plankg.search.service import search

    settings, store = small_home
    build_index(settings, store)
    assert search(settings, store, "chuyển đổi số")["results"]
    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-test:b")
    settings = load_settings()  # the operator changed the configuration and restarted
    with pytest.raises(IndexModelMismatch, match="plankg index --rebuild"):
        search(settings, store, "chuyển đổi số")
    with pytest.raises(IndexModelMismatch):
        build_index(settings, store)
    update_index(settings, store)  # after an ingest: warn, do not fail the ingest
    assert "plankg index --rebuild" in capsys.readouterr().err
    assert index_info(settings)["embedder"] == "fake-test:a"
    rebuilt = build_index(settings, store, rebuild=True)
    assert rebuilt["embedder"] == "fake-test:b"
    assert search(settings, store, "chuyển đổi số")["results"]


def test_cli_index_and_search(plankg_home, monkeypatch) -> None:
    from typer.testing import CliRunner

    from plankg.api.cli import app

    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-test:a")
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(seed_path("002"))])
    assert res.exit_code == 0, res.output
    assert (plankg_home / "index" / "meta.json").exists()  # ingest updated the index
    res = runner.invoke(app, ["index", "--rebuild"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["search", "chỉ tiêu phủ sóng 5G", "--json", "--k", "3"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["interpretation"]["types"] == ["Target"] and len(data["results"]) == 3
    assert "5G" in data["results"][0]["text"]
    # the human output: a complete, de-duplicated interpretation line, the answer, the place
    res = runner.invoke(app, ["search", "nhiem vu cua phong van hoa xa hoi nam 2025"])
    flat = " ".join(res.stdout.split())  # the console wraps long lines
    line = flat[flat.index("Hiểu câu hỏi"):flat.index(" kết quả")]
    assert "Thời gian: năm 2025" in line and line.count("Cơ quan: Phòng Văn hóa - Xã hội") == 1, line
    assert "phường Bình Phước" in res.stdout  # locality on the result lines
    res = runner.invoke(app, ["search", "cơ quan nào chủ trì xây dựng kế hoạch phát triển khoa học công nghệ "
                                        "đổi mới sáng tạo và chuyển đổi số của phường"])
    assert "Trả lời: Chủ trì: Phòng Văn hóa - Xã hội" in " ".join(res.stdout.split()), res.stdout
    res = runner.invoke(app, ["info", "--json"])
    assert json.loads(res.stdout)["index_version"] is not None


def test_cli_rebuild_leaves_the_index_in_step(plankg_home, monkeypatch) -> None:
    """`plankg rebuild` re-reads every source into a new store and re-indexes it."""
    from typer.testing import CliRunner

    from plankg.api.cli import app
    from plankg.config import load_settings
    from plankg.search.index.builder import store_fingerprint
    from plankg.store.open import open_store

    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-test:a")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(seed_path("002"))]).exit_code == 0
    meta_path = plankg_home / "index" / "meta.json"
    before = json.loads(meta_path.read_text("utf-8"))
    import shutil

    shutil.rmtree(plankg_home / "index")  # an index lost (or never built): rebuild must bring it back
    res = runner.invoke(app, ["rebuild"])
    assert res.exit_code == 0, res.output
    after = json.loads(meta_path.read_text("utf-8"))
    settings = load_settings()
    with open_store(settings, read_only=True) as store:
        assert after["store_fingerprint"] == store_fingerprint(store)
    assert after["counts"]["items"] == before["counts"]["items"]
