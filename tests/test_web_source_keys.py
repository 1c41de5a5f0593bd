"""Sources in subfolders (issue #11: keys are paths relative to the ingested folder) have a
source page: ``/nguon/<folder>/<file>`` shows the file, and two files of the same name in two
folders are two pages with their own text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plankg.api.http.service_config import PoolConfig, ServiceConfig
from plankg.api.server import create_app
from plankg.config import load_settings
from plankg.ingest.pipeline import Workspace
from plankg.store.open import open_store
from tests.conftest import seed_path


def test_sources_in_subfolders_have_their_own_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    for folder, seed in (("tinh-a", "003"), ("tinh-b", "004")):
        (docs / folder).mkdir(parents=True)
        shutil.copy(seed_path(seed), docs / folder / "ke-hoach.txt")  # the same name in two folders
    monkeypatch.setenv("PLANKG_HOME", str(tmp_path / "home"))
    settings = load_settings()
    store = open_store(settings)
    try:
        Workspace(settings, store).ingest([str(docs)])
    finally:
        store.close()
    config = ServiceConfig(pool=PoolConfig(workers=0))
    with TestClient(create_app(settings, config), raise_server_exceptions=False) as client:
        pages = {folder: client.get(f"/nguon/{folder}/ke-hoach.txt") for folder in ("tinh-a", "tinh-b")}
        for folder, seed in (("tinh-a", "003"), ("tinh-b", "004")):
            r = pages[folder]
            assert r.status_code == 200, (folder, r.text[:300])
            first_line = next(line for line in seed_path(seed).read_text("utf-8").splitlines() if line.strip())
            assert first_line.strip()[:30] in r.text  # its own text, not the other folder's
        assert client.get("/nguon/tinh-c/ke-hoach.txt").status_code == 404
