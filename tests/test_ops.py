"""Operations (api/http/ops): /healthz, /readyz, /metrics access and content, request ids, JSON logs.

The service runs over one ingested seed with a deterministic test embedder, so the index is
built in seconds; queries run inline (``workers=0``), the worker pool is tested elsewhere.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plankg.api.http.ops.logs import JsonFormatter
from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from plankg.config import Settings
from plankg.ingest.pipeline import Workspace
from plankg.search.index.embedders import register_backend
from plankg.search.index.upkeep import after_change
from plankg.store.open import open_store
from tests.conftest import seed_path
from tests.fake_embedders import HashEmbedder

_EMBEDDER = HashEmbedder("fake-ops", 32)
register_backend("fake-ops", lambda arg, opts: _EMBEDDER)


def _settings(home: Path, **extra: object) -> Settings:
    return Settings(home=home, embedder="fake-ops", **extra)  # type: ignore[call-arg]


def _ingest(settings: Settings, *paths: Path, index: bool = True) -> None:
    with open_store(settings) as store:
        Workspace(settings, store).ingest([str(p) for p in paths])
        if index:
            after_change(settings, store)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("ops")
    _ingest(_settings(h), seed_path("002"))
    return h


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings, ServiceConfig(pool=PoolConfig(workers=0, timeout_s=20.0))))


def _warm(c: TestClient) -> TestClient:
    """Wait for the search warm-up (``/readyz`` is not ready before it ends)."""
    assert c.app.state.search_warm.wait(120)  # type: ignore[attr-defined]
    return c


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[TestClient]:
    with _client(_settings(home)) as c:
        yield _warm(c)


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readyz_is_ready_when_store_and_index_are_in_step(client: TestClient) -> None:
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ready"
    assert body["checks"]["store"]["ok"] and body["checks"]["index"]["ok"] and body["checks"]["search"]["ok"]


def test_readyz_is_not_ready_until_the_search_warm_up_ends(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first query after ``/readyz`` must not pay for loading the index and the tokenizer
    (issue 11): readiness waits for the warm-up, which runs the real searches first."""
    import threading

    from plankg.api import server
    from plankg.api.http.ops import health

    release = threading.Event()
    real = server.warm_search

    def held(*args: object) -> None:
        release.wait(60)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(server, "warm_search", held)
    monkeypatch.setattr(health, "WARM_WAIT_S", 0.05)
    with _client(_settings(home)) as c:
        r = c.get("/readyz")
        assert r.status_code == 503
        assert r.json()["checks"]["search"]["ok"] is False and r.json()["checks"]["index"]["ok"]
        release.set()
        r = _warm(c).get("/readyz")
        assert r.status_code == 200 and r.json()["checks"]["search"] == {"ok": True}


@pytest.mark.slow
def test_readyz_names_a_stale_index_then_recovers(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "home")
    _ingest(settings, seed_path("002"))
    with _client(settings) as c:
        assert _warm(c).get("/readyz").status_code == 200
        _ingest(settings, seed_path("003"), index=False)  # the store moves on, the index does not
        r = c.get("/readyz")
        assert r.status_code == 503
        assert [f["code"] for f in r.json()["checks"]["index"]["findings"]] == ["index-stale"]
        with open_store(settings) as store:
            after_change(settings, store)
        assert c.get("/readyz").status_code == 200


def test_readyz_without_index_is_not_ready(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "home")
    _ingest(settings, seed_path("002"), index=False)
    with _client(settings) as c:
        r = c.get("/readyz")
        assert r.status_code == 503
        assert r.json()["checks"]["index"]["findings"][0]["code"] == "index-missing"
        assert c.get("/healthz").status_code == 200  # alive all the same


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
    assert given.headers["x-request-id"] == "lb-7f3a.42"
    made = client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
    bad = client.get("/healthz", headers={"X-Request-ID": "x" * 200})  # not a short token: replaced
    assert bad.headers["x-request-id"] != "x" * 200 and len(bad.headers["x-request-id"]) == 32


def test_access_log_is_json_with_the_request_id(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="plankg.access"):
        client.get("/api/stats", headers={"X-Request-ID": "req-123"})
    records = [r for r in caplog.records if r.name == "plankg.access" and getattr(r, "request_id", "") == "req-123"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "req-123" and line["route"] == "/api/stats" and line["status"] == 200
    assert line["method"] == "GET" and line["duration_ms"] >= 0


def test_metrics_count_routes_sparql_and_refusals(client: TestClient) -> None:
    client.get("/api/stats")
    ok = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                    headers={"Accept": "application/sparql-results+json"})
    assert ok.status_code == 200
    refused = client.post("/sparql", data={"update": "DROP ALL"})
    assert refused.status_code == 400
    text = client.get("/metrics").text
    assert 'plankg_http_requests_total{method="GET",route="/api/stats",status="200"}' in text
    assert 'plankg_sparql_query_seconds_count{outcome="answered"}' in text
    assert 'plankg_sparql_query_seconds_count{outcome="refused"}' in text
    assert 'plankg_query_workers{state="configured"} 0.0' in text
    assert 'plankg_ingest_events_total{event="ingested"} 1.0' in text  # the one seed
    assert "plankg_ingest_failed_files 0.0" in text


def test_metrics_are_not_public_through_a_proxy(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 200  # direct, in-process client
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403


def test_metrics_token(home: Path) -> None:
    with _client(_settings(home, metrics_token="s3cret-token")) as c:
        assert c.get("/metrics").status_code == 403
        assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        r = c.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
        assert r.status_code == 200 and "plankg_http_requests_total" in r.text
