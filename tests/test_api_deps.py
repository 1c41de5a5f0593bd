"""The service objects reach the route handlers as FastAPI dependencies (issue 15), so a test
swaps one with ``app.dependency_overrides`` and a real page changes accordingly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from plankg.api.http.deps import Service, get_service, get_settings
from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.endpoint import get_pool
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from plankg.api.web.deps import Pages, get_pages

PLAN = "/eli/binh-phuoc/ubnd/kh/2025/57"
BROWSER = {"Accept": "text/html"}


@pytest.fixture
def app(seeded) -> FastAPI:
    settings, _, _, _ = seeded
    return create_app(settings, ServiceConfig(pool=PoolConfig(workers=1)))  # no lifespan: the workers never start


def due_iris(page: str) -> list[str]:
    section = page.split('<section class="due">')[1]
    return re.findall(r'<p class="card-title"><a href="([^"]+)"', section)


def test_the_app_state_holds_the_service_objects(app: FastAPI) -> None:
    svc = app.state.service
    assert isinstance(svc, Service) and isinstance(app.state.pages, Pages)
    assert app.state.settings is svc.settings and app.state.snapshot is svc.snapshot
    assert app.state.pages.data.cache is svc.cache  # the web pages share the service's cache


def test_overriding_settings_moves_the_due_dates_reference_day(app: FastAPI, seeded) -> None:
    settings = seeded[0]
    client = TestClient(app)
    app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"today": "2025-06-01"})
    page = client.get("/han-hoan-thanh", headers=BROWSER).text  # no ?ngay=: the day comes from the settings
    assert "Tính đến ngày <strong>01/06/2025</strong>" in page
    assert sorted(due_iris(page)) == [f"{PLAN}/task/pl2-35", f"{PLAN}/task/pl2-45", f"{PLAN}/task/pl2-57"]
    r = client.get("/han-hoan-thanh.csv?xem=da-qua")
    assert r.status_code == 200 and "han-hoan-thanh-da-qua-2025-06-01.csv" in r.headers["content-disposition"]

    app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"today": "2027-06-01"})
    later = client.get("/han-hoan-thanh", headers=BROWSER).text
    assert "Tính đến ngày <strong>01/06/2027</strong>" in later and due_iris(later) != due_iris(page)
    assert "Tính đến ngày <strong>01/06/2025</strong>" in client.get("/han-hoan-thanh?ngay=2025-06-01", headers=BROWSER).text

    app.dependency_overrides.clear()
    day = dt.date.fromisoformat(settings.today) if settings.today else dt.date.today()
    plain = client.get("/han-hoan-thanh", headers=BROWSER).text
    assert f"Tính đến ngày <strong>{day:%d/%m/%Y}</strong>" in plain


def test_overriding_the_service_changes_the_json_api(app: FastAPI) -> None:
    svc: Service = app.state.service
    limited = dataclasses.replace(svc, config=dataclasses.replace(svc.config, max_request_bytes=1234))
    app.dependency_overrides[get_service] = lambda: limited
    client = TestClient(app)
    assert client.get("/api/stats").json()["service"]["max_request_bytes"] == 1234
    app.dependency_overrides.clear()
    assert client.get("/api/stats").json()["service"]["max_request_bytes"] == svc.config.max_request_bytes


def test_overriding_the_pool_and_the_pages(app: FastAPI) -> None:
    class FakePool:
        size = 7
        isolated = None

    app.dependency_overrides[get_pool] = lambda: FakePool()
    pages: Pages = app.state.pages
    app.dependency_overrides[get_pages] = lambda: dataclasses.replace(pages, texts=_NoTexts())
    client = TestClient(app)
    assert client.get("/health").json()["workers"] == 7
    r = client.get("/nguon/000_fe8eef2ddadfd7b2.txt", headers=BROWSER)
    assert r.status_code == 404 and "Không tìm thấy tệp nguồn" in r.text  # the source text is gone for this test
    app.dependency_overrides.clear()
    assert client.get("/nguon/000_fe8eef2ddadfd7b2.txt", headers=BROWSER).status_code == 200


def test_two_apps_share_the_routers_but_not_their_state(seeded) -> None:
    settings = seeded[0]
    config = ServiceConfig(pool=PoolConfig(workers=1))
    early = TestClient(create_app(settings.model_copy(update={"today": "2025-06-01"}), config))
    late = TestClient(create_app(settings.model_copy(update={"today": "2026-01-15"}), config))
    assert "Tính đến ngày <strong>01/06/2025</strong>" in early.get("/han-hoan-thanh", headers=BROWSER).text
    assert "Tính đến ngày <strong>15/01/2026</strong>" in late.get("/han-hoan-thanh", headers=BROWSER).text


class _NoTexts:
    def original(self, name: str) -> None:
        return None
