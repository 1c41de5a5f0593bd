"""A real server on a loopback port: a real SPARQL client, and `plankg ingest` while serving."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import rdflib
import uvicorn
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from plankg.config import Settings
from tests.conftest import seed_path

PREFIXES = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
HEALTH_TASK = PREFIXES + """SELECT ?task ?text ?agency WHERE { ?task a pk:Task ; pk:text ?text ; pk:leadAgency ?agency .
  ?agency skos:prefLabel "Sở Y tế"@vi .
  FILTER(STRSTARTS(?text, "Triển khai Đề án chuyển đổi số, bệnh án điện tử tại Bệnh viện tỉnh")) }"""
PLAN_IMPLEMENTS_57 = PREFIXES + """ASK { ?d eli:id_local "57/KH-UBND" ; eli:date_document "2025-02-23"^^xsd:date ;
  pk:implements ?r . ?r eli:id_local "57-NQ/TW" }"""
CONSTRUCT_LEADS = PREFIXES + """CONSTRUCT { ?task pk:leadAgency ?agency . ?agency skos:prefLabel ?name }
  WHERE { ?task pk:leadAgency ?agency ; pk:path "PL2.56" ; pk:inDocument/eli:id_local "57/KH-UBND" .
          ?agency skos:prefLabel ?name }"""
HEALTH = rdflib.URIRef("https://plankg.example.org/agency/binh-phuoc/so-y-te")
PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")


@contextmanager
def running(app) -> Iterator[str]:
    """uvicorn in a thread on a free 127.0.0.1 port; yields the base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def endpoint(seeded) -> Iterator[str]:
    with running(create_app(seeded[0], ServiceConfig(pool=PoolConfig(workers=2)))) as url:
        yield url + "/sparql"


def _wrapper(url: str, query: str, fmt: str, post: bool = False) -> SPARQLWrapper:
    sw = SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if post:
        sw.setMethod(POST)
    return sw


@pytest.mark.parametrize("post", [False, True])
def test_select_in_every_format(endpoint, post: bool) -> None:
    res = _wrapper(endpoint, HEALTH_TASK, JSON, post).queryAndConvert()
    rows = res["results"]["bindings"]
    assert rows and all(r["agency"]["value"] == str(HEALTH) for r in rows)
    doc = _wrapper(endpoint, HEALTH_TASK, XML, post).queryAndConvert()
    assert any("bệnh án điện tử" in (n.firstChild.data if n.firstChild else "")
               for n in doc.getElementsByTagName("literal"))
    csv = _wrapper(endpoint, HEALTH_TASK, CSV, post).queryAndConvert().decode("utf-8")
    assert csv.splitlines()[0] == "task,text,agency" and "bệnh án điện tử" in csv
    tsv = _wrapper(endpoint, HEALTH_TASK, TSV, post).queryAndConvert().decode("utf-8")
    assert tsv.splitlines()[0] == "?task\t?text\t?agency" and f"<{HEALTH}>" in tsv


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(endpoint, fmt: str) -> None:
    res = _wrapper(endpoint, PLAN_IMPLEMENTS_57, fmt).queryAndConvert()
    if fmt == JSON:
        assert res["boolean"] is True
    else:
        assert res.getElementsByTagName("boolean")[0].firstChild.data == "true"
    false = _wrapper(endpoint, PLAN_IMPLEMENTS_57.replace("2025-02-23", "2025-02-24"), JSON).queryAndConvert()
    assert false["boolean"] is False


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, XML, JSONLD])
def test_construct_and_describe(endpoint, fmt: str) -> None:
    for query in (CONSTRUCT_LEADS, f"DESCRIBE <{HEALTH}>"):
        res = _wrapper(endpoint, query, fmt).queryAndConvert()
        g = res if isinstance(res, rdflib.Graph) else rdflib.Graph().parse(data=res, format="turtle")
        if query is CONSTRUCT_LEADS:
            assert (None, PK.leadAgency, HEALTH) in g
        assert (HEALTH, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), rdflib.Literal("Sở Y tế", lang="vi")) in g


def test_linked_data_over_http(endpoint) -> None:
    base = endpoint.rsplit("/", 1)[0]
    req = urllib.request.Request(base + "/id/symbol/57-kh-ubnd/2025", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(req) as resp:  # follows the 303
        assert resp.url.endswith("/eli/binh-phuoc/ubnd/kh/2025/57")
        g = rdflib.Graph().parse(data=resp.read(), format="turtle")
    assert len(g) > 20


# -- ingest while serving ----------------------------------------------------------------------------------
def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


WRITER = """
import sys
from pathlib import Path
from plankg.config import Settings
from plankg.ingest.pipeline import Workspace
from plankg.store.open import open_store
settings = Settings(home=Path(sys.argv[1]), base_iri="https://plankg.example.org/", store_backend="oxigraph")
with open_store(settings) as store:
    ws = Workspace(settings, store)
    report = ws.ingest([sys.argv[3]]) if sys.argv[2] == "ingest" else ws.remove([sys.argv[3]])
failed = report.failed if sys.argv[2] == "ingest" else [r for r in report if r.error]
sys.exit(1 if failed else 0)
"""


def _writer(home: Path, op: str, arg: str) -> subprocess.CompletedProcess:
    """Another process doing what `plankg ingest` / `plankg remove` do to the store (without the search
    re-index, which takes ~15 s of embedding and is not what this test is about)."""
    return subprocess.run([sys.executable, "-c", WRITER, str(home), op, arg], capture_output=True, text=True, timeout=300)


def _seed_home(tmp_path: Path) -> Settings:
    from plankg.ingest.pipeline import Workspace
    from plankg.store.open import open_store

    settings = Settings(home=tmp_path / "home", base_iri="https://plankg.example.org/", store_backend="oxigraph")
    with open_store(settings) as store:
        Workspace(settings, store).ingest([str(seed_path("003"))])
    return settings


COUNT_DOCS = PREFIXES + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d pk:hasRendition ?r }"


def test_ingest_and_remove_while_serving(tmp_path: Path) -> None:
    """Another process writes while the server reads: no lock conflict, no restart, never a partial view."""
    settings = _seed_home(tmp_path)
    second = seed_path("004")
    with running(create_app(settings, ServiceConfig(pool=PoolConfig(workers=1)))) as base:
        sparql = f"{base}/sparql?query={urllib.parse.quote(COUNT_DOCS)}"

        def docs_sparql() -> int:
            return int(_get_json(sparql)["results"]["bindings"][0]["n"]["value"])

        assert _get_json(f"{base}/api/documents")["total"] == 1 and docs_sparql() == 1
        seen: set[int] = set()
        failures: list[str] = []
        stop = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                try:
                    seen.add(docs_sparql())
                    seen.add(_get_json(f"{base}/api/documents")["total"])
                except Exception as exc:  # any error while the ingest runs is a failure
                    failures.append(repr(exc))
                time.sleep(0.05)

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            result = _writer(settings.home, "ingest", str(second))
        finally:
            time.sleep(0.3)
            stop.set()
            poller.join()
        assert result.returncode == 0, result.stdout + result.stderr
        assert not failures, failures[:3]
        assert seen <= {1, 2}  # the old state or the new one, never a partial view
        assert _get_json(f"{base}/api/documents")["total"] == 2  # no restart needed
        assert docs_sparql() == 2  # the query workers reopened too
        with urllib.request.urlopen(f"{base}/feed.atom") as resp:
            feed = resp.read().decode("utf-8")
        assert second.name in feed and 'term="ingested"' in feed

        removed = _writer(settings.home, "remove", second.name)
        assert removed.returncode == 0, removed.stdout + removed.stderr
        assert _get_json(f"{base}/api/documents")["total"] == 1 and docs_sparql() == 1
        with urllib.request.urlopen(f"{base}/feed.atom") as resp:
            assert 'term="removed"' in resp.read().decode("utf-8")

    from plankg.store.open import open_store

    with open_store(settings) as store:  # the store is intact and writable afterwards
        assert store.triple_count() > 1000


def test_cli_ingest_while_serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`plankg ingest` itself (search re-index stubbed: it only adds time) while the server is up."""
    from typer.testing import CliRunner

    from plankg.api import cli

    settings = _seed_home(tmp_path)
    monkeypatch.setenv("PLANKG_HOME", str(settings.home))
    monkeypatch.setattr("plankg.search.index.upkeep.after_change", lambda *_: None)
    with running(create_app(settings, ServiceConfig(pool=PoolConfig(workers=1)))) as base:
        assert _get_json(f"{base}/api/documents")["total"] == 1
        result = CliRunner().invoke(cli.app, ["ingest", str(seed_path("004"))])
        assert result.exit_code == 0, result.output
        assert "added" in result.output
        assert _get_json(f"{base}/api/documents")["total"] == 2


HOLDER = WRITER.replace("sys.exit(1 if failed else 0)", "").replace(
    "with open_store(settings) as store:", "store = open_store(settings)\nif True:") + """
print("committed", flush=True)
sys.stdin.readline()
store.close()
print("closed", flush=True)
"""


def test_snapshot_waits_for_the_writer_to_close(tmp_path: Path) -> None:
    """A committed ingest is served only once its process has released the store (no racing reopen)."""
    from plankg.api.http.snapshot import StoreSnapshot, writer_active
    from plankg.store.read.queries import run_query

    settings = _seed_home(tmp_path)
    snapshot = StoreSnapshot(settings)

    def docs() -> int:
        return int(run_query(snapshot.get(), settings, COUNT_DOCS).rows[0]["n"])
    assert docs() == 1
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(settings.home), "ingest", str(seed_path("004"))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "committed"
        assert writer_active(settings)
        assert docs() == 1  # the change log moved on, but the writer still holds the store
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
        assert docs() == 2
    finally:
        holder.kill()
        holder.wait()
    assert not writer_active(settings)
