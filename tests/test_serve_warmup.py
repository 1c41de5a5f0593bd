"""``plankg serve`` warms the search stack at start-up (issue 11): the index and the embedder
are loaded by a background search before any request, and ``/health`` says when."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plankg.api.cli import app as cli
from plankg.config import load_settings
from plankg.search.index.embedders import register_backend
from tests.conftest import seed_path
from tests.fake_embedders import HashEmbedder

_EMBEDDER = HashEmbedder("fake-warm", 32)
register_backend("fake-warm", lambda arg, opts: _EMBEDDER)


@pytest.mark.slow  # ingests a seed and builds its index (~10 s)
def test_serve_loads_the_index_and_embeds_before_the_first_request(plankg_home: Path, monkeypatch) -> None:
    from plankg.api.http.service_config import PoolConfig, ServiceConfig
    from plankg.api.server import create_app
    from plankg.search.index import builder

    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-warm")
    res = CliRunner().invoke(cli, ["ingest", str(seed_path("004"))])
    assert res.exit_code == 0, res.output
    settings = load_settings()
    builder._OPEN.pop(str(settings.index_path), None)
    calls = _EMBEDDER.calls
    app = create_app(settings, ServiceConfig(pool=PoolConfig(workers=1)))
    assert not app.state.search_warm.is_set()
    with TestClient(app) as client:
        assert app.state.search_warm.wait(120)
        assert str(settings.index_path) in builder._OPEN  # loaded before any request
        assert _EMBEDDER.calls > calls  # the warm query was embedded
        assert client.get("/health").json()["search_warm"] is True
