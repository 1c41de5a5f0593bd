"""Replays of issue 12's SPARQL findings (1, 2, 4) and the "no way out" guarantee.

The service under test runs its workers WITHOUT network isolation (``isolate_network=False``),
so the only thing between a SERVICE clause and the loopback listener is the parsed refusal
check (``store/read/inspect.py``): if it let one through, the listener would see a connection.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from plankg.store.read.inspect import QueryRefused, inspect_query
from tests.security.loopback import Listener

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # cartesian: runs until killed
NESTED = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


def service_attempts(port: int) -> list[str]:
    """SERVICE clauses aimed at the listener, plain and hidden (escapes, prefixes, case, comments)."""
    url = f"http://127.0.0.1:{port}/"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
        # the issue's example: a \u escape in an IRI followed by '#' hid the rest from the tokenizer
        f"SELECT * WHERE {{ VALUES ?z {{ <http://x/\\u0041#> }} SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p \"a\\u005C\" SERVICE <{url}> {{ ?a ?b ?c }} FILTER(?x = \"x\") }}",
        f"PREFIX ex: <{url}>\nSELECT * WHERE {{ ?s ?p ?o . SERVICE ex:x {{ ?a ?b ?c }} }}",
        f"select * where {{ service silent <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0023> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ # comment \\u000A SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"ASK {{ OPTIONAL {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} }}",
        f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
    ]


@pytest.fixture(scope="module")
def client(seeded_index) -> Iterator[TestClient]:
    # searches need a built index: since issue 11 a request never builds one (503 otherwise)
    config = ServiceConfig(pool=PoolConfig(workers=2, timeout_s=5.0, isolate_network=False))
    with TestClient(create_app(seeded_index[0], config), raise_server_exceptions=False) as c:
        yield c


# -- finding 2: refusals on the parsed query -------------------------------------------------------
@pytest.mark.parametrize("n", range(11))
def test_service_is_refused_on_every_path(client: TestClient, listener: Listener, n: int) -> None:
    query = service_attempts(listener.port)[n]
    answers = [client.get("/sparql", params={"query": query}),
               client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
               client.get("/truy-van", params={"query": query}),
               client.get("/truy-van.csv", params={"query": query})]
    for r in answers:
        assert 400 <= r.status_code < 500, (query, r.status_code, r.text[:200])
    assert "SERVICE" in answers[0].text
    # the search restriction: a whole SELECT and a bare pattern
    pattern = f"?item ?p ?o . SERVICE <http://127.0.0.1:{listener.port}/> {{ ?item ?b ?c }}"
    for restriction in (query, pattern):
        r = client.get("/api/search", params={"q": "y tế", "sparql": restriction})
        assert 400 <= r.status_code < 500, (restriction, r.status_code, r.text[:200])
    assert listener.connections == 0


def test_cli_and_library_refuse_service(plankg_home, listener: Listener) -> None:
    from plankg.api.cli import app

    runner = CliRunner()
    for query in service_attempts(listener.port):
        result = runner.invoke(app, ["sparql", query])
        assert result.exit_code == 2, (query, result.output)
    assert listener.connections == 0


def test_search_service_default_runner_refuses_service(seeded, listener: Listener) -> None:
    """The search service's own runner (CLI, scripts) uses the same parsed check."""
    from plankg.search.service import SearchError, search

    settings, store = seeded[0], seeded[1]
    for query in service_attempts(listener.port)[:4]:
        with pytest.raises(SearchError):
            search(settings, store, "y tế", sparql=query)
    assert listener.connections == 0


def test_escaped_from_iri_is_read_and_checked(client: TestClient) -> None:
    """A \\u-escaped FROM IRI is unescaped before the local-graph check (it skipped it before)."""
    remote = "SELECT * FROM <http://example.org/\\u0072emote.ttl> WHERE { ?s ?p ?o }"
    assert inspect_query(remote).from_graphs == ["http://example.org/remote.ttl"]
    r = client.get("/sparql", params={"query": remote})
    assert r.status_code == 400 and "never fetched" in r.text
    local = ("PREFIX g: <https://plankg.example.org/graph/>\n"
             "SELECT (COUNT(*) AS ?n) FROM g:\\u0072egistry WHERE { ?s ?p ?o }")
    r = client.get("/sparql", params={"query": local})
    assert r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) > 100


@pytest.mark.parametrize("query", ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "\\u0044ELETE WHERE { ?s ?p ?o }",
                                   "LOAD <http://127.0.0.1:9/x.ttl>", "PREFIX a: <urn:a>\n# c\nDROP ALL"])
def test_updates_are_refused_as_updates(query: str) -> None:
    with pytest.raises(QueryRefused, match="Update"):
        inspect_query(query)


# -- findings 1 and 4: nothing user-supplied kills or ties up the server ---------------------------
def worker_pids(client: TestClient) -> set[int]:
    """The live worker processes, once the pool has started all of them."""
    pool = client.app.state.pool  # type: ignore[attr-defined]
    pool.start()
    for _ in range(600):
        if pool.size == pool.config.workers:
            break
        threading.Event().wait(0.1)
    return {w.proc.pid for w in pool._all if w.proc.is_alive()}


def test_deep_nesting_is_a_clear_400_and_kills_nothing(client: TestClient) -> None:
    before = worker_pids(client)
    assert len(before) == 2
    for path, params in (("/sparql", {"query": NESTED}), ("/truy-van", {"query": NESTED}),
                         ("/api/search", {"q": "y tế", "sparql": "{" * 3000 + "?item ?p ?o" + "}" * 3000})):
        r = client.post(path, data=params) if path == "/sparql" else client.get(path, params=params)
        assert r.status_code == 400 and "nested too deeply" in r.text, (path, r.status_code, r.text[:200])
    assert client.get("/health").status_code == 200  # the server lives
    assert worker_pids(client) == before  # no worker died or was replaced


def test_heavy_restriction_runs_in_a_worker_and_is_stopped(client: TestClient) -> None:
    """Finding 1: a cartesian restriction ran in the server process; now the worker is killed at the limit."""
    r = client.get("/api/search", params={"q": "y tế", "sparql": "?item ?b ?c . ?d ?e ?f . ?g ?h ?i"})
    assert r.status_code == 503 and "time limit" in r.text
    assert r.headers["retry-after"]
    ok = client.get("/api/search", params={"q": "y tế", "sparql": "?item a pk:Task"})
    assert ok.status_code == 200 and ok.json()["results"]


def test_a_long_search_question_is_refused(client: TestClient) -> None:
    """Finding 4: a 60 KB ``q`` on /tim-kiem took 37 s; now it is refused before any search work."""
    q = "chuyen doi so " * 4300  # 60 KB, under the query-string limit: the question's own limit answers
    assert 55_000 < len(q.encode()) < 62_000
    for path in ("/tim-kiem", "/api/search"):
        r = client.get(path, params={"q": q})
        assert r.status_code == 400 and "too long" in r.text, (path, r.status_code)


def test_query_string_and_body_limits(seeded, client: TestClient) -> None:
    small = TestClient(create_app(seeded[0], ServiceConfig(max_query_string_bytes=4096, pool=PoolConfig(workers=1))))
    r = small.get("/tim-kiem", params={"q": "kế hoạch chuyển đổi số " * 200})  # 13 KB once percent-encoded
    assert r.status_code == 414 and "PLANKG_MAX_QUERY_STRING_BYTES" in r.text
    r = client.post("/sparql", content=b"ASK {} " + b"#" * (2 << 20), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413

    def chunks() -> Iterator[bytes]:
        yield b"ASK {} "
        for _ in range(40):
            yield b"#" * 65536

    r = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    long_query = "SELECT * WHERE { VALUES ?x { " + "1 " * 40_000 + "} }"
    r = client.post("/sparql", data={"query": long_query})
    assert r.status_code == 413 and "PLANKG_SPARQL_MAX_BYTES" in r.text


def test_a_cheap_query_is_answered_while_a_heavy_client_holds_the_workers(seeded) -> None:
    """Finding 4: two heavy queries (as many as workers) blocked every other user for the whole
    timeout. Now one client holds at most workers - 1 of them; another client's cheap query is
    answered while the heavy ones are still running."""
    config = ServiceConfig(pool=PoolConfig(workers=2, timeout_s=20.0))
    app = create_app(seeded[0], config)
    with TestClient(app, client=("10.0.0.1", 1000)) as heavy, TestClient(app, client=("10.0.0.2", 1000)) as cheap, \
            ThreadPoolExecutor(2) as ex:
        assert cheap.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # workers are up
        running = [ex.submit(heavy.get, "/sparql", params={"query": HEAVY}) for _ in range(2)]
        for _ in range(100):  # wait until the first heavy query holds a worker
            if app.state.pool.gate._inflight.get("10.0.0.1"):
                break
            threading.Event().wait(0.05)
        r = cheap.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a ?t } LIMIT 3"})
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
        assert not any(f.done() for f in running)  # answered while the heavy client still ran
        app.state.pool.close()  # stop the heavy queries now rather than after 20 s


def test_internal_queries_are_guarded_too(seeded, listener: Listener) -> None:
    """``run_query`` (queries the code builds) parses whenever SERVICE or FROM could be there."""
    from plankg.store.read.inspect import guard_query
    from plankg.store.read.queries import run_query

    plain = "SELECT ?x WHERE { ?x <https://w3id.org/plankg/ontology#extractedFrom> ?s } LIMIT 1"
    assert guard_query(plain) is plain  # no word that could be a keyword: not parsed
    for query in service_attempts(listener.port):
        with pytest.raises(QueryRefused):
            run_query(seeded[1], seeded[0], query)
    assert listener.connections == 0
