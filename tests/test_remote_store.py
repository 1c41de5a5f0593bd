"""The remote SPARQL store (store/backends/remote_sparql.py) against a real Oxigraph server.

The store contract tests run on it in tests/test_store.py; here: the five seeds ingested
into the server and the competency questions answered from it (the same assertions as
tests/test_competency.py, imported), ``pkf:score`` bound with VALUES, the HTTP service
over the server, and credentials kept out of messages and logs.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from plankg.config import Settings
from plankg.ingest.pipeline import Workspace
from plankg.search.index.embedders import register_backend
from plankg.search.index.upkeep import after_change
from plankg.search.service import relevance
from plankg.store.base import StoreError
from plankg.store.open import open_store
from plankg.store.read.queries import run_query
from tests.conftest import SEEDS
from tests.fake_embedders import HashEmbedder
from tests.oxigraph_server import OxigraphServer, free_port
from tests.test_competency import *  # noqa: F403  (the competency assertions, run here on the remote store)

_EMBEDDER = HashEmbedder("fake-remote", 32)
register_backend("fake-remote", lambda arg, opts: _EMBEDDER)
pytestmark = pytest.mark.slow  # the seeds are ingested into the server once (~1 min on the shared machine)

SCORE_QUERY = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX pkf: <https://w3id.org/plankg/function#>
SELECT ?task ?score WHERE {
  ?task a pk:Task .
  BIND(pkf:score(?task, "ứng dụng trí tuệ nhân tạo") AS ?score)
} ORDER BY DESC(?score) ?task"""


@pytest.fixture(scope="module")
def seeded(oxigraph_server: OxigraphServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """The seeds ingested into the Oxigraph server (overrides conftest's embedded ``seeded``)."""
    oxigraph_server.clear()
    # query 11 takes seconds; on the shared CI machine more than the default 30 s client limit
    settings = oxigraph_server.settings(home=tmp_path_factory.mktemp("remote-home"), embedder="fake-remote",
                                        query_timeout=300.0)
    store = open_store(settings)
    ws = Workspace(settings, store)
    report = ws.ingest([str(SEEDS)])
    after_change(settings, store)
    yield settings, store, ws, report
    store.close()


def test_seeds_are_in_the_server_and_metadata_is_shared(seeded, oxigraph_server: OxigraphServer) -> None:
    settings, store, _ws, report = seeded
    assert report.files and not report.failed
    # a second, independent handle (another process would do the same) agrees on everything
    with open_store(oxigraph_server.settings(home=settings.home), read_only=True) as other:
        assert other.read_meta() == store.read_meta()
        assert set(other.read_meta()["sources"]) == {f.name for f in SEEDS.iterdir() if f.is_file()}
        assert other.graph_names() == store.graph_names()
        assert "urn:x-plankg:store-meta" not in other.graph_names()
        with pytest.raises(StoreError, match="read-only"):
            other.drop_graph(store.graph_names()[0])


def test_pkf_score_is_bound_with_values_on_the_server(seeded) -> None:
    settings, store, _ws, _report = seeded
    rows = run_query(store, settings, SCORE_QUERY).to_python()
    expected = relevance(settings, store, "ứng dụng trí tuệ nhân tạo")
    assert len(rows) == len(run_query(store, settings, "PREFIX pk: <https://w3id.org/plankg/ontology#> "
                                                         "SELECT ?t WHERE { ?t a pk:Task }").rows)
    assert any(r["score"] > 0 for r in rows) and any(r["score"] == 0.0 for r in rows)
    for r in rows:  # every task: its search score, or 0.0 when the search does not return it
        assert r["score"] == pytest.approx(expected.get(str(r["task"]), 0.0))


def test_pkf_score_in_the_select_clause_and_on_an_iri(seeded) -> None:
    """The other call sites: a projection (VALUES at the end of WHERE) and a constant IRI (a literal)."""
    settings, store, _ws, _report = seeded
    expected = relevance(settings, store, "chuyển đổi số")
    q = ('PREFIX pk: <https://w3id.org/plankg/ontology#>\nPREFIX pkf: <https://w3id.org/plankg/function#>\n'
         'SELECT ?task (pkf:score(?task, "chuyển đổi số") AS ?s) WHERE { ?task a pk:Task }')
    rows = run_query(store, settings, q).to_python()
    assert rows and any(r["s"] > 0 for r in rows)
    assert all(r["s"] == pytest.approx(expected.get(str(r["task"]), 0.0)) for r in rows)
    best = max(expected, key=expected.__getitem__)
    one = run_query(store, settings, f'SELECT (<https://w3id.org/plankg/function#score>(<{best}>, "chuyển đổi số") AS ?s) '
                                     "WHERE {}").to_python()
    assert one[0]["s"] == pytest.approx(expected[best])


def test_pkf_score_with_a_non_constant_text_is_refused_clearly(seeded) -> None:
    settings, store, _ws, _report = seeded
    q = SCORE_QUERY.replace('"ứng dụng trí tuệ nhân tạo"', "?text")
    with pytest.raises(StoreError, match="constant string"):
        run_query(store, settings, q)


def test_http_service_over_the_server(seeded) -> None:
    settings, _store, _ws, _report = seeded
    with TestClient(create_app(settings, ServiceConfig(pool=PoolConfig(workers=0, timeout_s=20.0)))) as c:
        assert c.app.state.search_warm.wait(120)  # type: ignore[attr-defined]  # /readyz waits for the warm-up
        assert c.get("/readyz").json()["status"] == "ready"
        r = c.get("/sparql", params={"query": SCORE_QUERY + " LIMIT 3"}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
        assert len(r.json()["results"]["bindings"]) == 3
        meta = c.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                     headers={"Accept": "application/sparql-results+json"}).json()
        assert "urn:x-plankg:store-meta" not in {b["g"]["value"] for b in meta["results"]["bindings"]}
        assert c.get("/api/stats").status_code == 200


@pytest.mark.filterwarnings("ignore")
def test_credentials_are_never_in_messages_or_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    settings = Settings(home=tmp_path, store_backend="remote-sparql", store_query_url=url + "/query",  # type: ignore[call-arg]
                        store_update_url=url + "/update", store_user="plankg", store_password="pw-Zq81!",
                        store_token="tok-9XyY")
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(StoreError) as info:
            open_store(settings)
    seen = " ".join([str(info.value), repr(info.value), repr(settings), str(settings.model_dump()), caplog.text])
    assert "cannot reach the SPARQL store" in str(info.value)
    assert "pw-Zq81!" not in seen and "tok-9XyY" not in seen


def test_missing_query_url_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="PLANKG_STORE_QUERY_URL"):
        open_store(Settings(home=tmp_path, store_backend="remote-sparql"))  # type: ignore[call-arg]


CUBE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # far beyond any time limit


def test_query_workers_reach_the_store_only_and_the_time_limit_stops_them(seeded) -> None:
    settings, _store, _ws, _report = seeded
    app = create_app(settings, ServiceConfig(pool=PoolConfig(workers=1, timeout_s=2.0)))
    with TestClient(app) as c:
        app.state.pool.start()
        ok = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
        assert ok.status_code == 200 and ok.json()["boolean"] is True  # the worker reached the store
        assert app.state.pool.isolated is True  # … under the outbound rule
        slow = c.get("/sparql", params={"query": CUBE}, headers={"Accept": "application/sparql-results+json"})
        assert slow.status_code == 503 and "time limit" in slow.text
        again = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
        assert again.status_code == 200  # a fresh worker replaced the stopped one


OUTBOUND = """
import socket, sys, httpx
from plankg.store.backends.outbound import restrict_outbound
store, other = sys.argv[1], int(sys.argv[2])
assert restrict_outbound([store + "/query"])
assert httpx.get(store + "/query", params={"query": "ASK {}"}).status_code == 200
for target in (("127.0.0.1", other), ("203.0.113.7", 80)):
    try:
        socket.create_connection(target, timeout=1)
    except PermissionError as exc:
        print("refused", target[1], exc)
try:
    socket.getaddrinfo("example.org", 443)
except PermissionError:
    print("lookup refused")
"""


def test_outbound_rule_allows_the_store_and_nothing_else(oxigraph_server: OxigraphServer) -> None:
    if oxigraph_server.proc is None:
        pytest.skip("the outbound rule is tested with the Oxigraph server the tests start")
    out = subprocess.run([sys.executable, "-c", OUTBOUND, oxigraph_server.base, str(free_port())],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len([line for line in lines if line.startswith("refused")]) == 2
    assert "lookup refused" in lines


# --------------------------------------------------------------------------- several API processes
VISIBLE_WITHIN_S = 30.0  # the stated bound (docs/deployment.md); measured figures: benchmarks/remote_store.py
DOCS = "PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d eli:id_local ?id }"


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "from plankg.api.cli import app; app()", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_up(base: str) -> None:
    import time

    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def _documents(base: str) -> int:
    import httpx

    r = httpx.get(base + "/sparql", params={"query": DOCS}, headers={"Accept": "application/sparql-results+json"}, timeout=20)
    r.raise_for_status()
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_two_api_processes_see_an_ingest_made_elsewhere(oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    import os
    import time

    from tests.conftest import seed_path

    oxigraph_server.clear()
    home = tmp_path / "shared-home"
    env = {**os.environ, **oxigraph_server.env(), "PLANKG_HOME": str(home), "PLANKG_QUERY_WORKERS": "0",
           "PLANKG_EMBEDDER": "fake-remote"}
    settings = oxigraph_server.settings(home=home, embedder="fake-remote")
    open_store(settings).close()  # an empty store with its metadata
    ports = [free_port(), free_port()]
    procs = [_serve(env, p) for p in ports]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        for b in bases:
            _wait_up(b)
        assert [_documents(b) for b in bases] == [0, 0]
        with open_store(settings) as store:  # the writer: what `plankg ingest` does, in this process
            Workspace(settings, store).ingest([str(seed_path("002"))])
            after_change(settings, store)
        deadline = time.monotonic() + VISIBLE_WITHIN_S
        seen = [0, 0]
        while time.monotonic() < deadline and 0 in seen:
            seen = [_documents(b) for b in bases]
            time.sleep(0.1)
        assert all(n >= 1 for n in seen), seen
        assert seen[0] == seen[1]
        import httpx

        ready = [httpx.get(b + "/readyz", timeout=20).json() for b in bases]
        assert [r["status"] for r in ready] == ["ready", "ready"]  # the shared index is in step in both
    finally:
        for p in procs:
            p.terminate()
            p.wait(20)


# --------------------------------------------------------------------------- plankg rebuild on the server
def test_rebuild_on_the_server_rewrites_every_graph_and_keeps_it_when_nothing_reads(
        oxigraph_server: OxigraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``plankg rebuild`` with the remote store: the graphs are rebuilt from the recorded
    sources and written to the server (GSP PUT), stray graphs dropped, metadata rewritten
    for this ontology, the index in step; with no source left to read the server keeps its data."""
    import json
    import shutil

    import rdflib
    from typer.testing import CliRunner

    from plankg.api.cli import app
    from plankg.ingest.changelog import read_events
    from plankg.ontology import ONTOLOGY_VERSION
    from plankg.search.index.upkeep import check_index
    from tests.conftest import seed_path

    oxigraph_server.clear()
    src = tmp_path / "src"
    src.mkdir()
    source = Path(shutil.copy(seed_path("002"), src))
    for k, v in {**oxigraph_server.env(), "PLANKG_HOME": str(tmp_path / "home"), "PLANKG_EMBEDDER": "fake-remote"}.items():
        monkeypatch.setenv(k, v)
    settings = oxigraph_server.settings(home=tmp_path / "home", embedder="fake-remote")
    with open_store(settings) as store:
        Workspace(settings, store).ingest([str(source)])
        names, quads, meta = store.graph_names(), store.triple_count(), store.read_meta()
        # an older build: another ontology version, a graph lost, a graph nobody makes any more
        store.write_meta({**meta, "ontology_version": "0.0-old"})
        store.drop_graph(names[-1])
        stray = settings.base_iri + "graph/source/gone-txt"
        g = rdflib.Graph()
        g.add((rdflib.URIRef(stray), rdflib.RDFS.label, rdflib.Literal("cũ")))
        store.replace_graph(stray, g)
    events = len(read_events(settings))

    result = CliRunner().invoke(app, ["rebuild"])
    assert result.exit_code == 0, result.output
    with open_store(settings) as store:  # opens: the version check passes again
        assert store.graph_names() == names and store.triple_count() == quads
        rebuilt = store.read_meta()
        assert rebuilt["ontology_version"] == ONTOLOGY_VERSION and rebuilt["sources"].keys() == meta["sources"].keys()
        assert check_index(settings, store) == []  # the index follows the rebuilt store
    assert [e["source"] for e in read_events(settings)[events:]] == [source.name]  # written after the publish

    source.unlink()  # nothing left to read: the rebuild fails and the server keeps its data
    result = CliRunner().invoke(app, ["rebuild"])
    assert result.exit_code == 1 and "source file is gone" in result.output
    with open_store(settings) as store:
        assert store.graph_names() == names and store.triple_count() == quads
        assert json.dumps(store.read_meta(), sort_keys=True) == json.dumps(rebuilt, sort_keys=True)
