"""Overview charts (issue 16) over the seeded store: numbers equal independent SPARQL counts,
every bar links to a list that shows the same count, the SVG stays within the CSP, pages are
valid HTML, the SPARQL page draws bars, a line and a graph (the browser: test_web_browser.py)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from tests.web_support import validate_html

PLAN = "/eli/binh-phuoc/ubnd/kh/2025/57"
WARD_PLAN = "/eli/phuong-binh-phuoc/ubnd/kh/2025/_d27d54e2"  # a second document the charts were not tuned on
ICT = "/agency/binh-phuoc/so-thong-tin-va-truyen-thong"
HEALTH = "/agency/binh-phuoc/so-y-te"
BROWSER = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(seeded):
    settings, _, _, _ = seeded
    with TestClient(create_app(settings, ServiceConfig(pool=PoolConfig(workers=1)))) as c:
        yield c


@pytest.fixture(scope="module")
def count(seeded):
    """An independent SPARQL count over the default view (written here, not taken from the read model)."""
    from plankg.store.read.queries import PREFIXES, run_query

    settings, store, _, _ = seeded

    def run(where: str, var: str = "t") -> int:
        q = PREFIXES + f"SELECT (COUNT(DISTINCT ?{var}) AS ?n) WHERE {{ {where} }}"
        return int(run_query(store, settings, q).records()[0]["n"])
    return run


def iri(seeded, path: str) -> str:
    return seeded[0].base_iri + path.lstrip("/")


def get(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url, headers=BROWSER)
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    return r.text


def figure(page: str, chart_id: str) -> str:
    m = re.search(rf'<figure class="chart[^"]*" id="{chart_id}".*?</figure>', page, re.S)
    assert m, f"no chart {chart_id}"
    return m.group(0)


def table_rows(fig: str) -> list[tuple[str, int, str]]:
    """(row heading, count, link) of a chart's data table."""
    out = []
    for tr in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", fig, re.S):
        head = html.unescape(re.sub(r"<[^>]+>", "", tr.split("</th>")[0]))
        link = re.search(r'<td class="num"><a href="([^"]+)">([\d.]+)</a>', tr)
        assert link, tr
        out.append((head, int(link.group(2).replace(".", "")), html.unescape(link.group(1))))
    return out


def svg_links(fig: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'xlink:href="([^"]+)"', fig)]


def list_count(client: TestClient, url: str) -> int:
    page = get(client, url)
    m = re.search(r'<p class="summary list-count"><strong>([\d.]+)</strong>', page)
    assert m, url
    return int(m.group(1).replace(".", ""))


def test_document_charts_equal_sparql_counts_and_their_links_open_the_same_count(client, seeded, count) -> None:
    page = get(client, f"/tong-quan{PLAN}")
    doc = f"<{iri(seeded, PLAN)}>"
    lead = table_rows(figure(page, "co-quan-chu-tri"))
    ict = next(r for r in lead if r[0] == "Sở Thông tin và Truyền thông")
    assert ict[1] == count(f"?t a pk:Task ; pk:inDocument {doc} ; pk:leadAgency <{iri(seeded, ICT)}>")
    assert sum(r[1] for r in lead) == count(f"?t a pk:Task ; pk:inDocument {doc} ; pk:leadAgency ?a", "t") + \
        _multi_lead(seeded, PLAN)
    quarters = table_rows(figure(page, "han-theo-quy"))
    q4 = next(r for r in quarters if r[0] == "Q4/2025")
    assert q4[1] == count(f"""?t a pk:Task ; pk:inDocument {doc} ; pk:dueDate ?d
        FILTER(?d >= "2025-10-01"^^xsd:date && ?d <= "2025-12-31"^^xsd:date)""")
    assert sum(r[1] for r in quarters) == count(f"?t a pk:Task ; pk:inDocument {doc} ; pk:dueDate ?d")
    sections = table_rows(figure(page, "muc"))
    assert sum(r[1] for r in sections) == count(f"?t a pk:Task ; pk:inDocument {doc} ; pk:inSection ?s")
    horizons = table_rows(figure(page, "chi-tieu-theo-moc"))
    assert dict((r[0], r[1]) for r in horizons)["2030"] == count(
        f"?x a pk:Target ; pk:inDocument {doc} ; pk:horizon/time:hasEnd/time:inXSDDate ?e FILTER(YEAR(?e) = 2030)", "x")
    pillars = table_rows(figure(page, "tru-cot"))
    assert pillars and all(r[1] > 0 for r in pillars)
    # one link per chart kind opens a list of exactly that many (all of them: the slow test below)
    for chart_id in ("co-quan-chu-tri", "tru-cot", "han-theo-quy"):
        _, n, link = table_rows(figure(page, chart_id))[0]
        assert list_count(client, link) == n, (chart_id, link)


@pytest.mark.slow
def test_every_document_chart_row_and_bar_opens_a_list_of_its_count(client) -> None:
    page = get(client, f"/tong-quan{PLAN}")
    # every row's link opens a list of exactly that many, and the bars link to the same lists
    for chart_id in ("co-quan-chu-tri", "tru-cot", "muc", "han-theo-quy", "chi-tieu-theo-moc"):
        fig = figure(page, chart_id)
        rows = table_rows(fig)
        assert sorted(svg_links(fig)) == sorted(r[2] for r in rows), chart_id
        for _, n, link in {r[2]: r for r in rows[:2] + rows[-1:]}.values():  # first two and last: the ends of the scale
            assert list_count(client, link) == n, (chart_id, link)


def _multi_lead(seeded, path: str) -> int:
    """Extra counts of tasks with more than one lead agency (each lead's bar counts the task)."""
    from plankg.store.read.queries import PREFIXES, run_query

    settings, store, _, _ = seeded
    rows = run_query(store, settings, PREFIXES + f"""SELECT ?t (COUNT(DISTINCT ?a) AS ?n) WHERE {{
        ?t a pk:Task ; pk:inDocument <{iri(seeded, path)}> ; pk:leadAgency ?a }} GROUP BY ?t""").records()
    return sum(int(r["n"]) - 1 for r in rows)


def test_a_second_document_gets_its_own_charts(client, seeded, count) -> None:
    page = get(client, f"/tong-quan{WARD_PLAN}")
    doc = f"<{iri(seeded, WARD_PLAN)}>"
    rows = table_rows(figure(page, "han-theo-quy"))
    assert sum(r[1] for r in rows) == count(f"?t a pk:Task ; pk:inDocument {doc} ; pk:dueDate ?d") > 0
    undated = count(f"?t a pk:Task ; pk:inDocument {doc} FILTER NOT EXISTS {{ ?t pk:dueDate ?d }}")
    assert f"{undated} nhiệm vụ không có ngày hạn" in figure(page, "han-theo-quy")


def test_agency_charts_by_role_and_its_partners(client, seeded, count) -> None:
    page = get(client, f"/tong-quan{ICT}")
    a = f"<{iri(seeded, ICT)}>"
    fig = figure(page, "han-theo-quy")
    cells = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td><td class="num"><a href="([^"]+)">(\d+)</a>', fig)
    lead = sum(int(n) for _, role, _, n in cells if role == "chủ trì")
    coop = sum(int(n) for _, role, _, n in cells if role == "phối hợp")
    assert lead == count(f"?t a pk:Task ; pk:leadAgency {a} ; pk:dueDate ?d") > 0
    assert coop == count(f"?t a pk:Task ; pk:cooperatingAgency {a} ; pk:dueDate ?d") > 0
    for _, _, link, n in cells[:5]:
        assert list_count(client, html.unescape(link)) == int(n)
    net = figure(page, "phoi-hop-nhieu-nhat")
    partners = table_rows(net)
    assert 2 <= len(partners) <= 10 and partners == sorted(partners, key=lambda r: -r[1])
    best = partners[0]
    other = parse_qs(urlsplit(best[2]).query)["cung"][0]
    assert best[1] == count(f"""{{ ?t pk:leadAgency {a} }} UNION {{ ?t pk:cooperatingAgency {a} }}
        {{ ?t pk:leadAgency <{iri(seeded, other)}> }} UNION {{ ?t pk:cooperatingAgency <{iri(seeded, other)}> }}""")
    assert list_count(client, best[2]) == best[1]
    links = svg_links(net)  # every node links: the partners to the shared tasks, the centre to all its tasks
    assert set(r[2] for r in partners) < set(links) and f"/nhiem-vu?co_quan={ICT.replace('/', '%2F')}" in links


def test_home_counts_and_deadline_chart_link_into_the_lists(client, seeded, count) -> None:
    page = get(client, "/")
    fig = figure(page, "han-theo-quy")
    rows = table_rows(fig)
    assert sum(r[1] for r in rows) == count("?t a pk:Task ; pk:dueDate ?d")
    for _, n, link in rows:
        assert link.startswith("/nhiem-vu?quy=") and list_count(client, link) == n
    assert list_count(client, "/nhiem-vu") == count("?t a pk:Task")
    assert list_count(client, "/chi-tieu") == count("?x a pk:Target", "x")
    assert 'href="/nhiem-vu"' in page and 'href="/chi-tieu"' in page
    top = table_rows(figure(page, "co-quan-chu-tri"))
    assert top[0][1] == count(f"?t a pk:Task ; pk:leadAgency <{iri(seeded, ICT)}>")


def test_chart_csv_has_the_table_and_the_links(client) -> None:
    r = client.get(f"/tong-quan.csv?doi_tuong={PLAN}&bieu_do=han-theo-quy")
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Quý,Số nhiệm vụ,Danh sách" and any(line.startswith("Q4/2025,") for line in lines)
    page = get(client, f"/tong-quan{PLAN}")
    assert f'href="/tong-quan.csv?doi_tuong={PLAN.replace("/", "%2F")}&amp;bieu_do=han-theo-quy"' in page
    assert client.get("/tong-quan.csv?bieu_do=khong-co").status_code == 404


def test_task_list_csv_takes_the_same_filters(client) -> None:
    url = f"/nhiem-vu?van_ban={PLAN}&quy=2025-Q4"
    n = list_count(client, url)
    body = client.get(url.replace("/nhiem-vu?", "/nhiem-vu.csv?")).content.decode("utf-8-sig")
    assert len(body.strip().splitlines()) == n + 1
    assert get(client, "/nhiem-vu?quy=2025-Q5", 400).count("2025-Q4")  # the message shows the right form


def test_svg_has_no_inline_style_or_script_and_escapes_labels() -> None:
    from plankg.api.web.charts.draw import Mark, Node, bar_chart, network

    svg = bar_chart([Mark("<script>alert(1)</script> & Sở", 3, "/nhiem-vu?a=1&b=2")], category="c", unit="u")
    assert "<script" not in svg and "style=" not in svg and 'xlink:href="/nhiem-vu?a=1&amp;b=2"' in svg
    net = network([Node("a", "A", 2, "/a", True), Node("b", "B", 1, "/b")], [("a", "b", 1)], unit="u")
    assert "style=" not in net and net.count("xlink:href") == 2


@pytest.mark.slow  # one JVM start for the Nu checker
def test_pages_are_valid_html_and_csp_safe(client) -> None:
    pages = {u: get(client, u) for u in ["/", f"/tong-quan{PLAN}", f"/tong-quan{ICT}", f"/tong-quan{HEALTH}",
                                         f"/nhiem-vu?co_quan={ICT}&quy=2025-Q4", f"/chi-tieu?van_ban={PLAN}&nam=2030",
                                         "/truy-van?vi_du=bd-01-co-quan-chu-tri&hien_thi=cot",
                                         "/truy-van?vi_du=bd-02-han-theo-nam&hien_thi=duong",
                                         "/truy-van?vi_du=bd-03-van-ban-trich-dan&hien_thi=do-thi"]}
    pages["404"] = get(client, "/tong-quan/eli/khong-co", 404)
    errors = validate_html(pages)
    assert not {k: v for k, v in errors.items() if v}, errors
    for url, page in pages.items():
        body = page[page.index("<body"):]
        assert " style=" not in body and "<script>" not in body, url
    r = client.get(f"/tong-quan{PLAN}", headers=BROWSER)
    assert "style-src 'self'" in r.headers["content-security-policy"]


def test_sparql_views_bar_line_graph(client, count) -> None:
    bars = get(client, "/truy-van?vi_du=bd-01-co-quan-chu-tri&hien_thi=cot")
    fig = figure(bars, "bieu-do")
    assert f'xlink:href="{ICT}"' in fig  # the bar of the busiest agency opens its page
    line = figure(get(client, "/truy-van?vi_du=bd-02-han-theo-nam&hien_thi=duong"), "bieu-do")
    years = count("?t a pk:Task ; pk:dueDate ?d BIND(YEAR(?d) AS ?y)", "y")
    assert "role-mark" in line and line.count("graphics-symbol") >= years
    graph = figure(get(client, "/truy-van?vi_du=bd-03-van-ban-trich-dan&hien_thi=do-thi"), "bieu-do")
    docs = count("{ ?x eli:cites ?o } UNION { ?s eli:cites ?x }", "x")
    assert f"của {docs} nút" in graph and f'xlink:href="{PLAN}"' in graph
    province_ward = figure(get(client, "/truy-van?vi_du=bd-04-chi-tieu-tinh-va-phuong"), "bieu-do")  # the example's view
    bars = re.findall(r'xlink:href="([^"]+/target/[^"]+)"', province_ward)
    assert len(bars) == count('?t a pk:Target ; pk:indicatorText ?i ; pk:value ?v FILTER(CONTAINS(UCASE(?i), "5G")) '
                              'FILTER NOT EXISTS { ?t pk:mentionOf ?m }') >= 2
    assert "UBND tỉnh Bình Phước" in province_ward and "UBND phường Bình Phước" in province_ward
    assert len({b.split("/target/")[0] for b in bars}) >= 2  # the province's plan and the ward's
    wrong = get(client, "/truy-van?vi_du=bd-03-van-ban-trich-dan&hien_thi=cot")
    assert "cần một truy vấn SELECT" in wrong
    table_only = get(client, "/truy-van?vi_du=bd-01-co-quan-chu-tri&hien_thi=bang")
    assert 'id="bieu-do"' not in table_only and "results-table" in table_only


def test_edge_cases_answer_cleanly(client, count) -> None:
    cited_only = get(client, "/tong-quan/eli/vn/tw/nq/2024/57")  # a document only cited: nothing to draw
    assert "<figure" not in cited_only and "Chưa có nhiệm vụ hay chỉ tiêu" in cited_only
    group = get(client, "/tong-quan/group/binh-phuoc/cac-so-ban-nganh")  # a collective agency has an overview too
    assert 'id="phoi-hop-nhieu-nhat"' in group
    assert "Bộ lọc không hợp lệ" in get(client, "/nhiem-vu?nam=abc", 400)
    assert list_count(client, "/nhiem-vu?tru_cot=khong-co") == 0  # an unknown pillar is an empty list, not an error
    assert list_count(client, "/nhiem-vu?tru_cot=<bad>") == 0
    get(client, "/tong-quan/eli/<x>", 404)
    page = get(client, f"/nhiem-vu?co_quan={HEALTH}")  # an agency alone: the search can take over
    assert f'href="/tim-kiem?loai=Task&amp;co_quan={HEALTH.replace("/", "%2F")}"' in page
    assert "/tim-kiem?" not in get(client, f"/nhiem-vu?co_quan={HEALTH}&quy=2025-Q4").split("<main", 1)[1].split("</main>")[0]


def test_entity_pages_link_to_their_overview(client) -> None:
    assert f'href="/tong-quan{PLAN}"' in get(client, PLAN)
    assert f'href="/tong-quan{ICT}"' in get(client, ICT)
