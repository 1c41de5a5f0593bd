"""Web pages over the seeded store: valid HTML in Vietnamese, RDF links, search, facets, due
dates, source passages, SPARQL page, CSV downloads (the browser itself: test_web_browser.py)."""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib
from fastapi.testclient import TestClient

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from tests.web_support import validate_html

BASE = "https://plankg.example.org/"
PLAN = "/eli/binh-phuoc/ubnd/kh/2025/57"
TASK = f"{PLAN}/task/pl2-56"
TARGET = f"{PLAN}/target/ii-1-p"
SECTION = f"{PLAN}/section/pl2-v"
HEALTH = "/agency/binh-phuoc/so-y-te"
GROUP = "/group/binh-phuoc/cac-so-ban-nganh"
CITED = "/eli/vn/tw/nq/2024/57"
RENDITION = "/source/000-fe8eef2ddadfd7b2-txt"
SOURCE = "/nguon/000_fe8eef2ddadfd7b2.txt?start=54136&end=54347"
QUERY = "nhiem vu cua so y te nam 2025"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ENTITY_PAGES = [PLAN, TASK, TARGET, SECTION, HEALTH, GROUP, CITED, RENDITION]


@pytest.fixture(scope="module")
def client(seeded):
    from plankg.search.index.builder import build_index

    settings, store, _, _ = seeded
    build_index(settings, store)  # no-op when the search tests built it already
    with TestClient(create_app(settings, ServiceConfig(pool=PoolConfig(workers=1)))) as c:
        yield c


def get(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url, headers=BROWSER)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    return r.text


def links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page)]


def chip_links(page: str) -> dict[str, str]:
    """Chip text → its removal link."""
    out = {}
    for m in re.finditer(r'<li class="chip chip-\w+"><span class="chip-kind">([^<]*)</span> ([^<]*?) <a class="chip-remove" '
                         r'href="([^"]*)"', page):
        out[f"{m.group(1)} {html.unescape(m.group(2))}"] = html.unescape(m.group(3))
    return out


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# --------------------------------------------------------------------------- HTML validity

def test_every_page_is_valid_html_in_vietnamese_with_a_title_and_rdf_links(client) -> None:
    pages = {url: get(client, url) for url in [
        "/", "/tim-kiem", f"/tim-kiem?q={QUERY}", "/tim-kiem?q=chuyển đổi số&trang=2",
        "/tim-kiem?q=chuyển đổi số&loai=Target&nam=2030", "/han-hoan-thanh?ngay=2025-06-01",
        "/han-hoan-thanh?ngay=2026-01-15&xem=da-qua&co_quan=" + HEALTH, "/han-hoan-thanh?xem=90&ngay=2025-06-01",
        "/truy-van", "/truy-van?vi_du=02-tasks-by-agency-and-year", "/truy-van?vi_du=10-citation-chain-to-57",
        SOURCE, "/nguon/000_fe8eef2ddadfd7b2.txt", *ENTITY_PAGES]}
    pages["/tim-kiem?q=??? (no results)"] = get(client, "/tim-kiem?q=???")
    pages["/truy-van (bad query)"] = get(client, "/truy-van?query=SELEC", 400)
    pages["/nguon/khong-co.txt"] = get(client, "/nguon/khong-co.txt", 404)
    errors = validate_html(pages)
    assert not {k: v for k, v in errors.items() if v}, errors
    for url, page in pages.items():
        assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page, url
        title = re.search(r"<title>([^<]+)</title>", page)
        assert title and title.group(1).strip(), url
        assert '<link rel="alternate"' in page or url.startswith(("/nguon/khong", "/tim-kiem?q=???", "/truy-van (", "/tim-kiem")), url
    for url in ENTITY_PAGES + [SOURCE]:
        turtle = re.search(r'<link rel="alternate" type="text/turtle" href="([^"]+)">', pages[url])
        assert turtle, f"{url} has no Turtle link"
        r = client.get(html.unescape(turtle.group(1)))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle"), url
        g = rdflib.Graph().parse(data=r.text, format="turtle")
        subject = rdflib.URIRef(BASE + urlsplit(html.unescape(turtle.group(1))).path.lstrip("/"))
        assert (subject, None, None) in g, url


# --------------------------------------------------------------------------- home and search

def _count(seeded, cls: str) -> int:
    """Instances of ``pk:<cls>`` in the default view, by SPARQL: the page must agree with the graph."""
    from plankg.store.read.queries import PREFIXES, run_query

    settings, store, _, _ = seeded
    return int(run_query(store, settings, PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a pk:{cls} }}").records()[0]["n"])


def test_home_has_search_box_examples_counts_and_documents(client, seeded) -> None:
    page = get(client, "/")
    assert '<form class="search" method="get" action="/tim-kiem"' in page and 'name="q"' in page
    assert f'href="/tim-kiem?q={QUERY.replace(" ", "+")}"' in page
    tasks, targets = _count(seeded, "Task"), _count(seeded, "Target")
    # the five seeds hold ~200 tasks (each counted once: a narrative item restating an appendix
    # row is a pk:TaskMention, #14) and over a hundred targets
    assert tasks > 150 and targets > 100
    assert re.search(rf"<strong>{tasks}</strong> nhiệm vụ", page) and re.search(rf"<strong>{targets}</strong> chỉ tiêu", page)
    assert f'href="{PLAN}"' in page


def test_results_show_the_health_task_with_its_facts_and_source_link(client) -> None:
    page = get(client, f"/tim-kiem?q={QUERY}")
    first = page.split('<li class="card">')[1]
    assert "bệnh án điện tử" in first and f'<a href="{TASK}">' in first
    assert f'<dt>Chủ trì</dt><dd><a href="{HEALTH}">Sở Y tế</a></dd>' in first
    assert "Công an tỉnh" in first and "hạn 31/12/2025" in first and ">57/KH-UBND</a>" in first
    assert 'href="/nguon/000_fe8eef2ddadfd7b2.txt?start=54136&amp;end=54347#doan"' in first
    for facet in ("Loại", "Cơ quan chủ trì", "Năm", "Văn bản", "Địa phương"):
        assert f'<h2 class="small">{facet}</h2>' in page


def test_answer_box_above_the_results(client) -> None:
    page = get(client, "/tim-kiem?q=cơ quan nào chủ trì xây dựng đề án trọng dụng nhân tài")
    box = page.split('<section class="answer"')[1].split("</section>")[0]
    assert "Chủ trì: Sở Khoa học và Công nghệ" in box and "/nguon/000_fe8eef2ddadfd7b2.txt?start=" in box
    assert page.index('<section class="answer"') < page.index('<ol class="cards"')
    assert '<section class="answer"' not in get(client, f"/tim-kiem?q={QUERY}")  # a list, not a fact


def test_interpretation_parts_can_be_removed(client) -> None:
    page = get(client, f"/tim-kiem?q={QUERY}")
    chips = chip_links(page)
    period = chips["Thời gian: năm 2025 (01/01/2025 – 31/12/2025)"]  # the label normalised, not "nam 2025"
    assert parse_qs(urlsplit(period).query)["q"] == ["nhiem vu cua so y te"]  # the words leave the query
    without_period = get(client, period)
    assert "Thời gian:" not in without_period.split('class="results-layout"')[0]
    assert int(re.search(r"<strong>(\d+)</strong> kết quả", without_period).group(1)) > 3  # not only 2025 any more
    assert '<h2 class="small">Năm</h2>' in without_period and ">2023</a>" in without_period
    kinds = parse_qs(urlsplit(chips["Loại: nhiệm vụ"]).query)["loai"]
    assert sorted(kinds) == ["Document", "Section", "Target", "Task"]  # all types: the type is no longer asked
    assert "Cơ quan: Sở Y tế (tỉnh Bình Phước)" in chips  # two agencies named Sở Y tế: localities tell them apart
    successor = chips["Cơ quan: Sở Y tế (tỉnh Đồng Nai) (đơn vị kế thừa)"]  # added as successor of the asked one
    assert parse_qs(urlsplit(successor).query)["co_quan"] == [HEALTH]  # keeps only the asked agency, explicitly
    kept = get(client, successor)
    assert "kế thừa" not in kept.split('class="results-layout"')[0] and "bệnh án điện tử" in kept
    agency = next(v for k, v in chip_links(get(client, period)).items()
                  if k.startswith("Cơ quan: Sở Y tế") and "kế thừa" not in k)
    assert parse_qs(urlsplit(agency).query).get("co_quan") == ["/agency/dong-nai/so-y-te"]


def test_facets_narrow_the_list_and_counts_agree(client) -> None:
    page = get(client, f"/tim-kiem?q={QUERY}")
    m = re.search(r'<a href="([^"]*chu_tri=[^"]*so-thong-tin-va-truyen-thong[^"]*)">Sở Thông tin và Truyền thông</a> '
                  r'<span class="count">(\d+)</span>', page)
    assert m, "lead-agency facet"
    narrowed = get(client, html.unescape(m.group(1)))
    assert f"<strong>{m.group(2)}</strong> kết quả" in narrowed
    assert "chữ ký số" in narrowed and "bệnh án điện tử" not in narrowed  # PL2.57, led by Sở TT&TT
    assert "Chủ trì:</span> Sở Thông tin và Truyền thông" in narrowed  # shown as an explicit filter chip
    year = get(client, "/tim-kiem?q=chuyển đổi số&nam=2030&loai=Target")
    total = int(re.search(r"<strong>(\d+)</strong> kết quả", year).group(1))
    assert total > 0 and year.count('<span class="badge badge-target">') == min(total, 10)


def test_paging(client) -> None:
    first, second = get(client, "/tim-kiem?q=chuyển đổi số"), get(client, "/tim-kiem?q=chuyển đổi số&trang=2")
    assert "trang 1/" in first and "trang 2/" in second and 'rel="next"' in first and 'rel="prev"' in second
    cards = [re.findall(r'<p class="card-title"><a href="([^"]+)"', p) for p in (first, second)]
    assert len(cards[0]) == 10 and cards[1] and not set(cards[0]) & set(cards[1])
    assert '<ol class="cards" start="11">' in second


def test_search_csv_has_the_same_list(client) -> None:
    page = get(client, f"/tim-kiem?q={QUERY}")
    csv_url = html.unescape(re.search(r'<a href="(/tim-kiem\.csv[^"]*)" download>', page).group(1))
    r = client.get(csv_url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = csv_rows(r.content)
    total = int(re.search(r"<strong>(\d+)</strong> kết quả", page).group(1))
    assert len(rows) == total and rows[0]["IRI"] == BASE + TASK.lstrip("/")
    assert rows[0]["Cơ quan chủ trì"] == "Sở Y tế" and "; " in rows[0]["Cơ quan phối hợp"]
    assert rows[0]["Hạn cuối"] == "2025-12-31" and rows[0]["Văn bản"] == "57/KH-UBND"
    narrowed = csv_rows(client.get("/tim-kiem.csv", params={"q": QUERY, "chu_tri": "/agency/binh-phuoc/so-y-te"}).content)
    assert narrowed and all(r["Cơ quan chủ trì"] == "Sở Y tế" for r in narrowed) and len(narrowed) < len(rows)


# --------------------------------------------------------------------------- due dates

def due_iris(page: str) -> list[str]:
    section = page.split('<section class="due">')[1]
    return re.findall(r'<p class="card-title"><a href="([^"]+)"', section)


def test_due_dates_by_window_relative_to_an_injected_day(client) -> None:
    soon = get(client, "/han-hoan-thanh?ngay=2025-06-01")
    assert "Tính đến ngày <strong>01/06/2025</strong>" in soon
    assert sorted(due_iris(soon)) == [f"{PLAN}/task/pl2-35", f"{PLAN}/task/pl2-45", f"{PLAN}/task/pl2-57"]
    assert "còn 29 ngày" in soon
    assert len(due_iris(get(client, "/han-hoan-thanh?ngay=2025-06-01&xem=90"))) == 3
    assert len(due_iris(get(client, "/han-hoan-thanh?ngay=2025-06-02&xem=90"))) == 4  # 31/08/2025 is day 90
    passed = get(client, "/han-hoan-thanh?ngay=2025-06-01&xem=da-qua")
    # latest first; IV.1 of seed 000 ("Trên cơ sở nội dung Kế hoạch này, các sở, ban, ngành, UBND các
    # huyện … xây dựng và triển khai kế hoạch thực hiện trước ngày 20/3/2025") is read as a task since
    # EXTRACTOR_VERSION 2025.7 (its subject follows an opening clause)
    assert due_iris(passed) == [f"{PLAN}/task/iv-1", f"{PLAN}/task/pl2-6",
                                "/eli/binh-phuoc/bcd/kh/2023/_6d0b27a0/task/iv-2-i2"]


def test_due_dates_never_call_a_task_late_or_unfinished(client) -> None:
    for view in ("30", "90", "da-qua"):
        page = get(client, f"/han-hoan-thanh?ngay=2027-06-01&xem={view}").lower()
        for word in ("quá hạn", "chưa hoàn thành", "trễ hạn", "chậm"):
            assert word not in page, (view, word)
    rows = csv_rows(client.get("/han-hoan-thanh.csv?ngay=2027-06-01&xem=da-qua").content)
    assert rows and not any("quá hạn" in " ".join(r).lower() for r in rows)


def test_due_dates_by_agency_and_role(client) -> None:
    any_role = get(client, f"/han-hoan-thanh?ngay=2025-06-01&co_quan={HEALTH}")
    assert due_iris(any_role) == [f"{PLAN}/task/pl2-57"]  # Sở Y tế cooperates on it
    assert due_iris(get(client, f"/han-hoan-thanh?ngay=2025-06-01&co_quan={HEALTH}&vai_tro=chu-tri")) == []
    passed = get(client, f"/han-hoan-thanh?ngay=2026-01-15&xem=da-qua&co_quan={HEALTH}&vai_tro=chu-tri")
    assert set(due_iris(passed)) == {f"{PLAN}/task/pl2-55", TASK}
    assert f'<option value="{HEALTH}" selected>' in passed
    r = client.get("/han-hoan-thanh.csv", params={"ngay": "2026-01-15", "xem": "da-qua", "co_quan": HEALTH, "vai_tro": "chu-tri"})
    rows = csv_rows(r.content)
    assert {row["IRI"] for row in rows} == {BASE + TASK.lstrip("/"), BASE + f"{PLAN}/task/pl2-55".lstrip("/")}
    assert all(row["Số ngày kể từ hạn"] == "15" for row in rows)


# --------------------------------------------------------------------------- entity pages

def test_entity_iris_show_rich_pages_to_browsers_and_rdf_to_rdf_clients(client) -> None:
    page = get(client, PLAN)
    assert "<h1>Kế hoạch 57/KH-UBND</h1>" in page and "Ngày ban hành</dt><dd>23/02/2025" in page
    assert 'id="cau-truc"' in page and f'href="{SECTION}"' in page  # section tree
    assert f'href="{CITED}"' in page and "Được trích dẫn bởi" in page  # citations out and in
    assert 'href="/nguon/000_fe8eef2ddadfd7b2.txt"' in page and "001_9b2364e9d8cdf71f.txt" in page  # renditions
    assert f'href="/nhiem-vu.csv?van_ban={PLAN.replace("/", "%2F")}"' in page
    assert TASK in page and TARGET in page
    r = client.get(PLAN, headers={"Accept": "text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle") and "57/KH-UBND" in r.text
    assert client.get(PLAN, params={"format": "jsonld"}).headers["content-type"].startswith("application/ld+json")
    cited = get(client, CITED)
    assert f'href="{PLAN}"' in cited and "Được trích dẫn bởi" in cited  # cited-only document: who cites it


def test_task_target_agency_section_rendition_pages(client) -> None:
    task = get(client, TASK)
    assert "<h1>Nhiệm vụ PL2.56</h1>" in task and f'<a href="{HEALTH}">Sở Y tế</a>' in task
    assert 'id="xem-nguon"' in task and 'id="deadline"' in task and 'href="#deadline"' in task  # raw tables kept
    target = get(client, TARGET)
    assert "Phủ sóng 5G toàn tỉnh" in target and "Mốc thời gian" in target
    agency = get(client, HEALTH)
    assert "<h1>Sở Y tế</h1>" in agency and 'id="chu-tri-2025"' in agency and "Phối hợp (" in agency
    assert re.search(r"<tr><th scope=\"row\">2025</th><td><a href=\"#chu-tri-2025\">2</a></td>", agency)
    rows = csv_rows(client.get("/nhiem-vu.csv", params={"co_quan": HEALTH, "vai_tro": "chu-tri"}).content)
    assert rows and all("Sở Y tế" in r["Cơ quan chủ trì"] for r in rows)
    section = get(client, SECTION)
    assert "Nhiệm vụ trong mục" in section and f'href="{TASK}"' in section
    csv_url = html.unescape(re.search(r'<a href="(/nhiem-vu\.csv[^"]*)" download>', section).group(1))
    assert BASE + TASK.lstrip("/") in {r["IRI"] for r in csv_rows(client.get(csv_url).content)}
    assert 'href="/nguon/000_fe8eef2ddadfd7b2.txt"' in get(client, RENDITION)
    group = get(client, GROUP)
    assert "nhóm cơ quan" in group


# --------------------------------------------------------------------------- source view

def test_source_view_highlights_the_exact_passage(client, seeded) -> None:
    settings, store, ws, _ = seeded
    page = get(client, SOURCE)
    marked = html.unescape(re.search(r'<mark id="doan" tabindex="-1">(.*?)</mark>', page, re.S).group(1))
    from plankg.ingest.build.serialize import load_extraction

    original = load_extraction(ws.extraction_path("000_fe8eef2ddadfd7b2.txt")).source.original
    assert marked == original[54136:54347] and "bệnh án điện tử" in marked
    before = html.unescape(page.split('<pre class="source-text">')[1].split("<mark")[0])
    assert before == original[:54136]  # the whole decoded file, offsets as code points
    quote = store.query('SELECT ?q WHERE { GRAPH ?g { ?s <https://w3id.org/plankg/ontology#startOffset> 54136 ; '
                        '<https://w3id.org/plankg/ontology#sourceFile> "000_fe8eef2ddadfd7b2.txt" ; '
                        '<https://w3id.org/plankg/ontology#quote> ?q } }').to_python()
    assert quote and str(quote[0]["q"]) == marked
    assert f'href="{TASK}"' in page  # the facts read from this passage
    assert get(client, "/nguon/000_fe8eef2ddadfd7b2.txt?start=10&end=99999999", 400)
    assert get(client, "/nguon/..%2F..%2Fetc%2Fpasswd", 404)


# --------------------------------------------------------------------------- SPARQL page

def test_sparql_page_examples_table_and_downloads(client) -> None:
    page = get(client, "/truy-van")
    examples = re.findall(r'<a href="/truy-van\?vi_du=([^"#]+)#ket-qua"', page)
    assert len(examples) >= 10
    assert "Sở Y tế chủ trì những nhiệm vụ nào có hạn hoàn thành trong năm 2025?" in page  # "# vi:" titles
    ran = get(client, "/truy-van?vi_du=02-tasks-by-agency-and-year")
    assert '<table class="results-table">' in ran and "<th scope=\"col\">task</th>" in ran
    assert "Sổ sức khỏe điện tử" in ran and f'href="{TASK}"' in ran
    downloads = [h for h in links(ran) if h.startswith("/sparql?")]
    assert {parse_qs(urlsplit(h).query)["format"][0] for h in downloads} >= {"csv", "tsv", "json"}
    r = client.get(next(h for h in downloads if "format=csv" in h))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv") and "pl2-56" in r.text
    excel = csv_rows(client.get(next(h for h in links(ran) if h.startswith("/truy-van.csv"))).content)
    assert len(excel) == 2 and {"task", "text"} <= set(excel[0])
    ask = get(client, "/truy-van?query=ASK { ?s ?p ?o }")
    assert "Trả lời: <strong>Có (true)</strong>" in ask
    construct = get(client, "/truy-van?vi_du=11-provenance-of-a-fact")
    assert "<table" in construct or "Trả lời" in construct
    refused = get(client, "/truy-van?query=DELETE WHERE { ?s ?p ?o }", 400)
    assert "SPARQL Update" in refused
    assert "error at" in get(client, "/truy-van?query=SELEC", 400)


def test_static_files(client) -> None:
    css = client.get("/static/plankg.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and "@media" in css.text
    assert client.get("/static/plankg.js").status_code == 200
    assert client.get("/static/../server.py").status_code == 404
