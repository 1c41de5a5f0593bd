"""Fuzzing with fixed seeds (issue 12): the query inspector, every HTTP parameter, the OpenAPI schema.

* The inspector: generated queries mixing SPARQL keywords, SERVICE aimed at a loopback
  listener, ``\\u`` escapes, strings, comments and brackets. Each is either refused with
  :class:`QueryRefused` or accepted; an accepted query's checked text is then *run* by
  pyoxigraph in this process, with no network isolation — the listener must never see a
  connection, whatever the checker accepted.
* HTTP parameters: every query parameter of the pages and the JSON API gets hostile values;
  no answer may be a 5xx.
* schemathesis: cases generated from the app's own OpenAPI schema (valid and invalid); no 5xx.

Each test prints ``FUZZ-CASES <name> <count>`` (``benchmarks/sparql_fairness.py`` sums them).
``derandomize=True`` makes every run generate the same cases.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from plankg.store.read.inspect import QueryRefused, inspect_query
from tests.security.loopback import Listener

pytestmark = pytest.mark.slow
FUZZ = settings(derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


def pieces(port: int) -> st.SearchStrategy[str]:
    return st.sampled_from([
        "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "SERVICE", "service", "SILENT", "FROM", "NAMED",
        f"PREFIX ex: <http://127.0.0.1:{port}/>", f"BASE <http://127.0.0.1:{port}/>", "{", "}", "(", ")", "[", "]",
        ".", ";", ",", "*", "?s", "?p", "?o", f"<http://127.0.0.1:{port}/>", "<http://x/\\u0041#>", "<x#>", "ex:x",
        '"a"', '"a\\u005C"', "'b'", '"""c"""', "# c\n", "#", "\\u0053ERVICE", "\\u0053", "\\u007B", "\\u007D",
        "\\u0022", "\\u0027", "\\u0023", "\\u000A", "\\U00000053", "\\u003E", "\\u003C", "VALUES", "OPTIONAL", "GRAPH",
        "FILTER", "BIND", "AS", "UNION", "MINUS", "LIMIT 1", "INSERT", "DELETE", "DATA", "LOAD", "\n", "\\", "1"])


def built(port: int) -> st.SearchStrategy[str]:
    """Mostly well-formed queries: random terms (escaped IRIs and strings) in random patterns."""
    url = f"http://127.0.0.1:{port}/"
    term = st.sampled_from(["?s", "?o", "?z", "<http://x/\\u0041#>", f"<{url}>", f"<{url}\\u0023>", '"a\\u005C"', '"x"',
                            "'y'", "ex:x", "1", '"\\u0022"', "<x#>", f'"# SERVICE <{url}>"', "<http://x/\\u003E>"])
    triple = st.tuples(term, st.sampled_from(["?p", "ex:p", "<http://x/p#>"]), term).map(" ".join)
    leaf = st.one_of(
        triple,
        triple.map(lambda t: f"SERVICE <{url}> {{ {t} }}"),
        triple.map(lambda t: f"\\u0053ERVICE <{url}> {{ {t} }}"),
        triple.map(lambda t: f"SeRvIcE SILENT ex:x {{ {t} }}"),
        term.map(lambda t: f"VALUES ?z {{ {t} }}"),
        term.map(lambda t: f"FILTER(?s = {t})"),
        triple.map(lambda t: f"# note \\u000A SERVICE <{url}> {{ {t} }}"),
        triple.map(lambda t: f"OPTIONAL {{ {t} }}"),
    )
    pattern = st.recursive(leaf, lambda inner: st.lists(inner, min_size=1, max_size=3).map(
        lambda ps: "{ " + " . ".join(ps) + " }"), max_leaves=6)
    body = st.lists(pattern, min_size=1, max_size=4).map(" . ".join)
    head = st.sampled_from(["SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }", f"SELECT * FROM <{url}g>", "SELECT ?s"])
    return st.tuples(head, body).map(lambda hb: f"PREFIX ex: <{url}>\n{hb[0]} WHERE {{ {hb[1]} }}")


def queries(port: int) -> st.SearchStrategy[str]:
    words = st.lists(pieces(port), max_size=30).map(" ".join)
    glued = st.lists(pieces(port), max_size=20).map("".join)
    service = f"SERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }}"
    framed = st.tuples(words, words).map(lambda ab: f"SELECT * WHERE {{ {ab[0]} {service} {ab[1]} }}")
    hidden = st.tuples(words, words).map(lambda ab: f"SELECT * WHERE {{ ?s ?p ?o {ab[0]} }} {ab[1]}")
    return st.one_of(built(port), built(port), words, glued, framed, hidden)


def test_fuzz_query_inspector(listener: Listener) -> None:
    seen = {"cases": 0, "accepted": 0}
    empty = ox.Store()

    @settings(FUZZ, max_examples=400)
    @given(queries(listener.port))
    def one(text: str) -> None:
        seen["cases"] += 1
        try:
            info = inspect_query(text)
        except QueryRefused as exc:
            assert 400 <= exc.status < 500
            return
        seen["accepted"] += 1
        assert info.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
        try:  # run what the checker accepted, with no network isolation at all
            res = empty.query(info.text)
            if not isinstance(res, ox.QueryBoolean):
                list(res)
        except (SyntaxError, OSError, ValueError, RuntimeError):
            pass
        assert listener.connections == 0, text

    one()
    print(f"FUZZ-CASES inspector {seen['cases']} (accepted and run: {seen['accepted']})")
    assert seen["accepted"] >= 20 and seen["cases"] > seen["accepted"]  # both sides of the check exercised
    assert listener.connections == 0


@pytest.fixture(scope="module")
def client(seeded_index) -> Iterator[TestClient]:
    # searches need a built index: since issue 11 a request never builds one (503 otherwise)
    config = ServiceConfig(pool=PoolConfig(workers=1, timeout_s=10.0, client_budget_s=0))
    with TestClient(create_app(seeded_index[0], config), raise_server_exceptions=False) as c:
        yield c


PARAMETERS = {  # every query parameter a page or JSON endpoint reads
    "/tim-kiem": ["q", "loai", "co_quan", "chu_tri", "nam", "trang"],
    "/tim-kiem.csv": ["q", "loai", "nam"],
    "/han-hoan-thanh": ["ngay", "xem", "vai_tro", "co_quan"],
    "/han-hoan-thanh.csv": ["ngay", "xem"],
    "/truy-van": ["query", "vi_du"],
    "/truy-van.csv": ["query"],
    "/sparql": ["query", "format", "default-graph-uri", "named-graph-uri"],
    "/api/search": ["q", "k", "offset", "type", "agency", "year", "document", "locality", "interpret", "sparql"],
    "/api/tasks": ["limit", "offset", "agency", "year", "document"],
    "/api/entities": ["iri"],
    "/nhiem-vu.csv": ["co_quan", "nam"],
    "/": ["format"],
}
HOSTILE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(["%ff", "\x00", "'", '"', "<script>alert(1)</script>", "{" * 200, "9" * 40, "-1", "0", "0001-01-01",
                     "9999-12-31", "http://127.0.0.1:9/", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> {} }",
                     "=cmd|' /C calc'!A0", "../../etc/passwd", "\u202e", "NaN", "1e309", "?item a pk:Task"]))


def test_fuzz_http_parameters(client: TestClient) -> None:
    seen = {"cases": 0}

    @settings(FUZZ, max_examples=200)
    @given(st.sampled_from(sorted(PARAMETERS)).flatmap(
        lambda path: st.tuples(st.just(path), st.dictionaries(st.sampled_from(PARAMETERS[path]), HOSTILE, max_size=3))))
    def one(request: tuple[str, dict[str, str]]) -> None:
        path, params = request
        seen["cases"] += 1
        r = client.get(path, params=params)
        assert r.status_code < 500, (path, params, r.status_code, r.text[:300])

    one()
    print(f"FUZZ-CASES http-parameters {seen['cases']}")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_no_server_errors(client: TestClient, mode: GenerationMode) -> None:
    """Cases from the app's OpenAPI schema (``/openapi.json``), sent through the ASGI app."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    seen = {"cases": 0}

    @settings(FUZZ, max_examples=150)
    @given(schema.as_strategy(generation_mode=mode))
    def one(case: schemathesis.Case) -> None:
        seen["cases"] += 1
        r = case.call()
        assert r.status_code < 500, (case.operation.label, case.query, r.status_code, r.text[:300])

    one()
    print(f"FUZZ-CASES schemathesis-{mode.value} {seen['cases']}")
    assert seen["cases"] >= 100
