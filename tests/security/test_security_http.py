"""Replays of issue 12's HTTP findings: bad input gives a clear 4xx, never a 500 or a reset."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

BAD_INPUT = [
    "/api/entities?iri=%ff",
    "/%ff%fe",
    "/han-hoan-thanh?ngay=0001-01-01&xem=30",
    "/han-hoan-thanh?ngay=9999-12-31&xem=30",
    "/han-hoan-thanh.csv?ngay=0001-01-01&xem=30",
    "/truy-van?query=%ff",
    "/truy-van.csv?query=%ff",
    "/han-hoan-thanh?co_quan=%c3",
    "/tim-kiem?q=%ff",
    "/nhiem-vu.csv?co_quan=%c3",
    "/api/entities?iri=foo",
    "/api/entities?iri=%E2%80%8B",
    "/api/entities?iri=http://x/%3E%20%7B",
    "/tim-kiem?q=%00",
    "/han-hoan-thanh?ngay=99999-01-01",
]


@pytest.fixture(scope="module")
def client(seeded_index):
    # searches need a built index: since issue 11 a request never builds one (503 otherwise)
    with TestClient(create_app(seeded_index[0], ServiceConfig(pool=PoolConfig(workers=1))), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("url", BAD_INPUT)
@pytest.mark.parametrize("accept", ["browser", "any"])
def test_bad_input_is_a_clear_4xx(client: TestClient, url: str, accept: str) -> None:
    r = client.get(url, headers=BROWSER if accept == "browser" else {})
    assert r.status_code < 500, (url, r.status_code, r.text[:300])
    if r.status_code >= 400:
        assert r.status_code < 500


HTML_PAGES = ["/", "/tim-kiem?q=y+te", "/han-hoan-thanh", "/truy-van", "/sparql", "/ontology",
              "/eli/binh-phuoc/ubnd/kh/2025/57", "/khong-co-trang-nay"]


@pytest.mark.parametrize("url", HTML_PAGES)
def test_security_headers_on_html_pages(client: TestClient, url: str) -> None:
    r = client.get(url, headers=BROWSER)
    assert r.headers["content-type"].startswith("text/html"), (url, r.status_code, r.headers["content-type"])
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] in ("strict-origin-when-cross-origin", "same-origin", "no-referrer")
    # the CSP forbids inline scripts, handlers and style attributes, so the page must have none
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text), url
    assert not re.search(r"<[^>]+\son[a-z]+=", r.text), url
    assert not re.search(r"<[^>]+\sstyle=|<style", r.text), url


def test_cors_stays_open_on_sparql(client: TestClient) -> None:
    r = client.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://elsewhere.example", "Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_docs_load_no_external_url(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "content-security-policy" in r.headers
    assert "script-src 'self'" in r.headers["content-security-policy"]
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and all(ref.startswith("/") and not ref.startswith("//") for ref in refs), refs
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text)  # the init code is a file
    for ref in refs:
        got = client.get(ref)
        assert got.status_code == 200 and len(got.content) > 100, ref
    init = client.get("/docs/assets/swagger-init.js").text
    assert "http" not in init and "validatorUrl: null" in init
    assert client.get("/openapi.json").json()["openapi"].startswith("3.")
    redoc = client.get("/redoc", follow_redirects=False)
    assert redoc.status_code in (301, 302, 307, 308) and redoc.headers["location"] == "/docs"


FORMULAS = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_web_csv_cells_never_start_a_formula(client: TestClient) -> None:
    values = " ".join(f"'{f}'" for f in ['=HYPERLINK("http://x")', "+1+1", "-1+1", "@A1", "-5", "2025"])
    query = f"SELECT ?v WHERE {{ VALUES ?v {{ {values} }} }}"
    r = client.get("/truy-van.csv", params={"query": query})
    assert r.status_code == 200, r.text[:300]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    cells = [row[0] for row in rows[1:]]
    assert cells == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-1+1", "'@A1", "-5", "2025"]
    # the SPARQL endpoint's text/csv is the W3C format: untouched
    w3c = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert "=HYPERLINK" in w3c.text and "'=HYPERLINK" not in w3c.text
    for url in ["/nhiem-vu.csv", "/chi-tieu.csv", "/tim-kiem.csv?q=y+te", "/han-hoan-thanh.csv?ngay=2025-01-01&xem=90"]:
        got = client.get(url)
        assert got.status_code == 200, url
        for row in csv.reader(io.StringIO(got.content.decode("utf-8-sig"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (url, cell)
                assert not cell.startswith("-") or re.fullmatch(r"-[\d.,]+", cell), (url, cell)


@pytest.mark.parametrize("value", FORMULAS)
def test_safe_cell(value: str) -> None:
    from plankg.api.export import safe_cell

    assert safe_cell(value) == "'" + value
    assert safe_cell("-5") == "-5" and safe_cell("+84") == "+84" and safe_cell("2025") == "2025" and safe_cell("") == ""
    assert safe_cell("Sở Y tế") == "Sở Y tế"
