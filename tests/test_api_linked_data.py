"""Linked data: dereferencing, identifier redirects, the ontology, dumps, VoID/DCAT and the feed."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from plankg.store.read.queries import run_query

BASE = "https://plankg.example.org/"
PLAN = "eli/binh-phuoc/ubnd/kh/2025/57"
TASK = f"{PLAN}/task/pl2-56"
HEALTH = "agency/binh-phuoc/so-y-te"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
ATOM = "{http://www.w3.org/2005/Atom}"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(seeded):
    app = create_app(seeded[0], ServiceConfig(publisher="Sở Khoa học và Công nghệ (thử nghiệm)",
                                              pool=PoolConfig(workers=1)))
    with TestClient(app) as c:
        yield c


class _Balance(HTMLParser):
    VOID_TAGS = {"meta", "link", "br", "img", "input", "hr", "col", "area", "base", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID_TAGS:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()


def assert_valid_html(text: str) -> None:
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in text and '<meta charset="utf-8">' in text
    p = _Balance()
    p.feed(text)
    assert not p.errors and not p.stack, (p.errors, p.stack)


# -- entities ------------------------------------------------------------------------------------------
def test_entity_html_for_browsers(client) -> None:
    r = client.get(f"/{TASK}", headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Accept" in r.headers["vary"]
    assert_valid_html(r.text)
    assert "Triển khai Đề án chuyển đổi số, bệnh án điện tử" in r.text
    assert f'href="/{HEALTH}"' in r.text and ">Sở Y tế<" in r.text  # linked to this server, with its label
    assert 'id="deadline"' in r.text  # dependent resources get their own anchored table
    assert 'href="#deadline"' in r.text


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/rdf+xml", "xml"), ("application/n-triples", "nt")])
def test_entity_rdf_by_accept_with_dependents(client, accept: str, fmt: str) -> None:
    r = client.get(f"/{TASK}", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert "Accept" in r.headers["vary"] and 'rel="alternate"' in r.headers["link"]
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    task = rdflib.URIRef(BASE + TASK)
    pk = rdflib.Namespace("https://w3id.org/plankg/ontology#")
    assert (task, pk.leadAgency, rdflib.URIRef(BASE + HEALTH)) in g
    subjects = {str(s) for s in g.subjects()}
    assert f"{BASE}{TASK}#deadline" in subjects and f"{BASE}{TASK}#deadline-end" in subjects
    assert any(s.startswith(f"{BASE}{TASK}#assoc-leadrole") for s in subjects)
    assert any("#span-" in s for s in subjects)  # provenance spans of the task
    assert not any(s.startswith(BASE + "agency/") for s in subjects)  # other entities are links only


@pytest.mark.parametrize("fmt,ctype", [("turtle", "text/turtle"), ("jsonld", "application/ld+json"),
                                       ("rdfxml", "application/rdf+xml"), ("ntriples", "application/n-triples"),
                                       ("html", "text/html")])
def test_entity_format_parameter(client, fmt: str, ctype: str) -> None:
    r = client.get(f"/{PLAN}", params={"format": fmt}, headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)


def test_default_and_unacceptable_formats(client) -> None:
    assert client.get(f"/{HEALTH}").headers["content-type"].startswith("text/turtle")
    assert client.get(f"/{HEALTH}", headers={"Accept": "image/png"}).status_code == 406


def test_unknown_iri_is_404_in_vietnamese(client) -> None:
    r = client.get("/eli/binh-phuoc/ubnd/kh/2025/999999", headers=BROWSER)
    assert r.status_code == 404 and "Không tìm thấy" in r.text
    assert_valid_html(r.text)
    r = client.get("/agency/khong-co", headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and "Không tìm thấy" in r.text
    assert client.get('/eli/"bad>iri{', headers=BROWSER).status_code == 404


def test_cited_documents_and_agencies_dereference(client) -> None:
    r = client.get("/eli/vn/tw/nq/2024/57", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "57-NQ/TW" in r.text
    r = client.get(f"/{HEALTH}", headers=BROWSER)
    assert r.status_code == 200 and "<h1>Sở Y tế</h1>" in r.text


def test_named_graph_iris_answer_with_the_graph(client) -> None:
    r = client.get("/graph/registry", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.content.count(b"\n") > 100
    html = client.get("/graph/merged", headers=BROWSER).text
    assert_valid_html(html)
    assert "triples" in html


# -- identifier IRIs ------------------------------------------------------------------------------------
def test_identifier_redirects(client) -> None:
    for url in ("/id/symbol/57-kh-ubnd/2025", "/id/57/KH-UBND?date=2025-02-23", "/id/57/KH-UBND?year=2025",
                "/id/symbol/57-kh-ubnd?date=2025-02-23"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 303, url
        assert r.headers["location"] == f"/{PLAN}"
    r = client.get("/id/57-NQ/TW", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/eli/vn/tw/nq/2024/57"


def test_ambiguous_identifier_lists_the_choices(client) -> None:
    r = client.get("/id/57/KH-UBND", follow_redirects=False)  # the 2025 plan and the 2023 plan cited by seed 003
    assert r.status_code == 300
    assert f'href="/{PLAN}"' in r.text and "/eli/binh-phuoc/ubnd/kh/2023/57" in r.text
    assert_valid_html(r.text)


def test_unknown_identifier_is_404(client) -> None:
    assert client.get("/id/symbol/999-kh-ubnd/2025", follow_redirects=False).status_code == 404


def test_redirect_then_dereference(client) -> None:
    r = client.get("/id/symbol/57-kh-ubnd/2025", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "57/KH-UBND" in r.text


# -- ontology ----------------------------------------------------------------------------------------------
def test_ontology_turtle_and_html(client) -> None:
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/plankg/ontology"), rdflib.RDF.type, rdflib.OWL.Ontology) in g
    assert client.get("/ontology.ttl").content == r.content
    html = client.get("/ontology", headers=BROWSER)
    assert html.headers["content-type"].startswith("text/html")
    assert_valid_html(html.text)
    assert 'id="Task"' in html.text
    jsonld = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=jsonld.content, format="json-ld")) == len(g)


# -- dumps ---------------------------------------------------------------------------------------------------
def test_dumps(client, seeded) -> None:
    store = seeded[1]
    trig = client.get("/dumps/plankg.trig.gz")
    assert trig.status_code == 200 and trig.headers["content-type"] == "application/gzip"
    quads = list(ox.parse(gzip.decompress(trig.content), format=ox.RdfFormat.TRIG))
    assert len(quads) == store.triple_count()  # every graph, with provenance
    assert {q.graph_name.value for q in quads} == set(store.graph_names())
    nq = client.get("/dumps/plankg.nq.gz")
    assert gzip.decompress(nq.content).count(b"\n") == store.triple_count()
    merged = f"{BASE}graph/merged"
    ttl = client.get("/dumps/plankg-merged.ttl")
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=ttl.content, format="turtle")) == store.triple_count(merged)
    jsonld = client.get("/dumps/plankg-merged.jsonld")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert jsonld.content.startswith(b"[") and b"@context" not in jsonld.content[:200]
    assert "etag" in {k.lower() for k in ttl.headers}
    assert client.get("/dumps/nothing.ttl").status_code == 404
    assert_valid_html(client.get("/dumps").text)


# -- VoID / DCAT ------------------------------------------------------------------------------------------------
def test_void_description(client, seeded) -> None:
    store = seeded[1]
    r = client.get("/.well-known/void")
    assert r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    ds = rdflib.URIRef(BASE + ".well-known/void#dataset")
    assert (ds, rdflib.RDF.type, VOID.Dataset) in g and (ds, rdflib.RDF.type, DCAT.Dataset) in g
    assert {t.language for t in g.objects(ds, DCT.title)} == {"vi", "en"}
    assert {t.language for t in g.objects(ds, DCT.description)} == {"vi", "en"}
    assert (ds, DCT.license, rdflib.URIRef("http://creativecommons.org/publicdomain/zero/1.0/")) in g
    pub = g.value(ds, DCT.publisher)
    assert str(g.value(pub, rdflib.URIRef("http://xmlns.com/foaf/0.1/name"))) == "Sở Khoa học và Công nghệ (thử nghiệm)"
    assert (ds, VOID.sparqlEndpoint, rdflib.URIRef(BASE + "sparql")) in g
    # void:triples is the default dataset's COUNT(*); the graphs' subsets add up to the stored quads (#14)
    count = run_query(store, seeded[0], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records()[0]["n"]
    assert int(g.value(ds, VOID.triples)) == int(count)
    assert g.value(ds, DCT.modified) is not None
    vocab = {str(v) for v in g.objects(ds, VOID.vocabulary)}
    assert {"https://w3id.org/plankg/ontology#", "http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/prov#"} <= vocab
    dumps = {str(g.value(d, DCAT.downloadURL)): str(g.value(d, DCAT.mediaType)) for d in g.objects(ds, DCAT.distribution)
             if g.value(d, DCAT.downloadURL)}
    assert dumps[BASE + "dumps/plankg.trig.gz"].endswith("application/trig")
    assert set(dumps) == {BASE + f"dumps/{n}" for n in ("plankg.trig.gz", "plankg.nq.gz", "plankg-merged.ttl", "plankg-merged.jsonld")}
    subsets = {str(g.value(s, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name"))): int(g.value(s, VOID.triples))
               for s in g.objects(ds, VOID.subset)}
    assert subsets[BASE + "graph/merged"] == store.triple_count(BASE + "graph/merged")
    assert len(subsets) == len(store.graph_names())
    assert sum(subsets.values()) == store.triple_count()


def test_void_json_ld_by_accept(client) -> None:
    r = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    g = rdflib.Graph().parse(data=r.content, format="json-ld")
    assert (None, VOID.sparqlEndpoint, None) in g


# -- feed ------------------------------------------------------------------------------------------------------------
def test_atom_feed_lists_ingested_documents(client) -> None:
    r = client.get("/feed.atom")
    assert r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    links = {e.find(f"{ATOM}link").get("href") for e in entries if e.find(f"{ATOM}link") is not None}
    assert BASE + PLAN in links
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids)) and all(i.startswith("tag:plankg.example.org,") for i in ids)
    assert {e.find(f"{ATOM}category").get("term") for e in entries} <= {"ingested", "changed", "removed"}
    assert all(e.find(f"{ATOM}updated").text for e in entries)
    assert not any("://" in (e.find(f"{ATOM}title").text or "") for e in entries)  # a document is never named by its IRI


def test_home_page(client) -> None:
    r = client.get("/", headers=BROWSER)
    assert_valid_html(r.text)
    assert f'href="/{PLAN}"' in r.text


def test_head_on_an_entity_like_get(client) -> None:
    """Link checkers and harvesters ask HEAD first."""
    path = "/eli/binh-phuoc/ubnd/kh/2025/57"
    got = client.get(path, headers={"Accept": "text/turtle"})
    head = client.head(path, headers={"Accept": "text/turtle"})
    assert head.status_code == got.status_code == 200
    assert head.headers["content-type"] == got.headers["content-type"]
    assert "Accept" in head.headers.get("vary", "")


def test_html_entity_page_links_its_rdf_in_headers(client) -> None:
    r = client.get("/eli/binh-phuoc/ubnd/kh/2025/57/task/pl2-56", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'type="text/turtle"' in r.headers["link"] and "Accept" in r.headers["vary"]
