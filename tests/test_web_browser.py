"""A real browser on the web pages: Playwright driving Debian's Chromium (no browser download).

The set-up installs ``chromium`` with apt-get when /usr/bin/chromium is missing (CI runs as
root) and skips, with the reason, only if that install fails. The app runs under uvicorn on
a free loopback port over the seeded store. Screenshots are kept in test-artifacts/web/.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import pytest

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from tests.test_api_live import running
from tests.web_support import ARTIFACTS, BROWSER_ARGS, CHROMIUM, ensure_chromium

QUERY = "nhiem vu cua so y te nam 2025"
TASK_PATH = "/eli/binh-phuoc/ubnd/kh/2025/57/task/pl2-56"


@pytest.fixture(scope="module")
def browser_context() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the [test] extra)")
    reason = ensure_chromium()
    if reason:
        pytest.skip(f"no Chromium for the browser tests: {reason}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory(prefix="plankg-chromium-") as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS, locale="vi-VN",
            viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        yield context
        context.close()


@pytest.fixture(scope="module")
def site_store(seeded):
    return seeded[0], seeded[1]


def _task_count(site_store) -> int:
    """``COUNT(*)`` of pk:Task in the default view, asked of the store directly."""
    from plankg.store.read.queries import PREFIXES, run_query

    settings, store = site_store
    return int(run_query(store, settings, PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?t a pk:Task }").records()[0]["n"])


@pytest.fixture(scope="module")
def site(seeded) -> Iterator[str]:
    from plankg.search.index.builder import build_index

    settings, store, _, _ = seeded
    build_index(settings, store)  # no-op when the search tests built it already
    with running(create_app(settings, ServiceConfig(pool=PoolConfig(workers=1)))) as url:
        yield url


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_search_task_and_its_source_passage(browser_context, site) -> None:
    page = browser_context.new_page()
    page.goto(site + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_label("Câu hỏi hoặc từ khóa").fill(QUERY)
    shot(page, "01-trang-chu")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/tim-kiem?q=" in url)
    first = page.locator("ol.cards > li.card").first
    assert "bệnh án điện tử" in first.locator(".card-title").inner_text()
    assert first.locator("dt", has_text="Chủ trì").locator("xpath=following-sibling::dd").inner_text() == "Sở Y tế"
    assert page.locator(".chip", has_text="Sở Y tế").count() >= 1
    # the period chip names the period in words ("năm 2025 (01/01/2025 – 31/12/2025)"), not as typed
    # ("nam 2025"): a deliberate change of the question-search branch (#13, h13-questions)
    assert page.locator(".chip", has_text="năm 2025").count() == 1
    shot(page, "02-ket-qua")

    first.locator(".card-title a").click()
    page.wait_for_url(lambda url: url.endswith(TASK_PATH))
    assert page.locator("h1").inner_text() == "Nhiệm vụ PL2.56"
    assert page.locator("link[rel=alternate][type='text/turtle']").count() == 1
    shot(page, "03-nhiem-vu")

    page.locator("#xem-nguon").click()
    page.wait_for_url(lambda url: url.endswith("/nguon/000_fe8eef2ddadfd7b2.txt?start=54136&end=54347#doan"))
    mark = page.locator("mark#doan")
    assert "bệnh án điện tử" in mark.inner_text()
    page.wait_for_function("() => { const r = document.getElementById('doan').getBoundingClientRect();"
                           " return r.top >= 0 && r.top < window.innerHeight; }")  # scrolled into view
    shot(page, "04-doan-nguon")
    page.close()


def test_sparql_example_gives_a_results_table(browser_context, site, site_store) -> None:
    page = browser_context.new_page()
    page.goto(site + "/truy-van")
    examples = page.locator(".example-list li a")
    assert examples.count() >= 10
    examples.filter(has_text="Sở Y tế chủ trì những nhiệm vụ nào").click()
    page.wait_for_selector("table.results-table tbody tr")
    assert page.locator("#query").input_value().startswith("# vi: Sở Y tế chủ trì")
    assert page.locator("table.results-table tbody tr").count() == 2
    assert page.locator(".downloads a", has_text="CSV").count() >= 1
    shot(page, "05-truy-van")
    # the editor works as a form: edit the query, run it with the button
    page.locator("#query").fill("PREFIX pk: <https://w3id.org/plankg/ontology#>\nSELECT (COUNT(*) AS ?n) WHERE { ?t a pk:Task }")
    page.get_by_role("button", name="Chạy truy vấn").click()
    page.wait_for_selector("table.results-table tbody tr")
    assert page.locator("table.results-table tbody td").first.inner_text() == str(_task_count(site_store))
    page.close()


def test_phone_width_has_no_sideways_scrolling(browser_context, site) -> None:
    page = browser_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in (("06-dien-thoai-ket-qua", f"/tim-kiem?q={QUERY}"),
                       ("07-dien-thoai-han", "/han-hoan-thanh?ngay=2025-06-01"),
                       ("08-dien-thoai-nhiem-vu", TASK_PATH)):
        page.goto(site + path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        shot(page, name)
        assert overflow <= 1, (path, overflow)
    page.close()


@pytest.mark.slow
def test_charts_render_and_their_bars_open_the_lists(browser_context, site, site_store) -> None:
    """The overview charts in Chromium: SVG drawn under the page's CSP (no violation reported), a
    click on a bar opens the list it summarises with the same count, the SPARQL views draw."""
    page = browser_context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(site + "/")
    chart = page.locator("figure#han-theo-quy")
    chart.scroll_into_view_if_needed()
    assert chart.locator("svg .mark-rect path").count() >= 5  # one bar per quarter
    shot(page, "09-trang-chu-bieu-do")
    first = chart.locator("table.chart-table tbody tr").first
    quarter, expected = first.locator("th").inner_text(), first.locator("td.num").inner_text()
    bar = chart.locator("svg .mark-rect a").first  # bars are in the table's order
    bar.click()
    page.wait_for_url(lambda url: "/nhiem-vu?quy=" in url)
    assert page.locator(".list-count strong").inner_text() == expected, quarter
    assert page.locator("ol.cards > li.card").count() == int(expected)
    shot(page, "10-danh-sach-theo-quy")

    page.goto(site + "/tong-quan/eli/binh-phuoc/ubnd/kh/2025/57")
    for chart_id in ("co-quan-chu-tri", "tru-cot", "muc", "han-theo-quy", "chi-tieu-theo-moc"):
        svg = page.locator(f"figure#{chart_id} svg")
        assert svg.count() == 1 and svg.bounding_box()["width"] > 100, chart_id
    shot(page, "11-tong-quan-van-ban")
    page.goto(site + "/tong-quan/agency/binh-phuoc/so-thong-tin-va-truyen-thong")
    net = page.locator("figure#phoi-hop-nhieu-nhat")
    net.scroll_into_view_if_needed()
    assert net.locator("svg .mark-symbol path").count() >= 3
    shot(page, "12-tong-quan-co-quan")

    for name, url in (("13-truy-van-cot", "/truy-van?vi_du=bd-01-co-quan-chu-tri&hien_thi=cot"),
                      ("14-truy-van-duong", "/truy-van?vi_du=bd-02-han-theo-nam&hien_thi=duong"),
                      ("15-truy-van-do-thi", "/truy-van?vi_du=bd-03-van-ban-trich-dan&hien_thi=do-thi")):
        page.goto(site + url)
        page.locator("figure#bieu-do svg").scroll_into_view_if_needed()
        assert page.locator("figure#bieu-do svg").bounding_box()["height"] > 100
        shot(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/tong-quan/agency/binh-phuoc/so-thong-tin-va-truyen-thong")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    shot(page, "16-dien-thoai-tong-quan")
    assert overflow <= 1
    assert not problems, problems
    page.close()
