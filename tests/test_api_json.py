"""The JSON API: the export objects with filters and paging, entities, stats, OpenAPI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from plankg.api.http.service_config import ServiceConfig
from plankg.api.http.sparql.worker import PoolConfig
from plankg.api.server import create_app
from plankg.store.read.records import Records

BASE = "https://plankg.example.org/"
PLAN = BASE + "eli/binh-phuoc/ubnd/kh/2025/57"
HEALTH = BASE + "agency/binh-phuoc/so-y-te"
EHR_TASK = "Triển khai Đề án chuyển đổi số, bệnh án điện tử tại Bệnh viện tỉnh"


@pytest.fixture(scope="module")
def client(seeded):
    with TestClient(create_app(seeded[0], ServiceConfig(pool=PoolConfig(workers=1)))) as c:
        yield c


@pytest.fixture(scope="module")
def records(seeded):
    settings, store = seeded[0], seeded[1]
    return Records(store, settings)


def test_tasks_are_the_export_objects(client, records) -> None:
    r = client.get("/api/tasks", params={"limit": 1000})
    assert r.status_code == 200
    data = r.json()
    exported = records.tasks()
    assert data["total"] == len(exported) and data["limit"] == 1000 and data["offset"] == 0
    assert data["items"] == exported


def test_tasks_by_agency_name_iri_path_and_role(client) -> None:
    by_name = client.get("/api/tasks", params={"agency": "Sở Y tế", "limit": 1000}).json()
    assert any(t["text"].startswith(EHR_TASK) for t in by_name["items"])
    assert all(any(a["name"] == "Sở Y tế" for a in t["lead"] + t["cooperating"]) for t in by_name["items"])
    folded = client.get("/api/tasks", params={"agency": "so y te", "limit": 1000}).json()
    by_iri = client.get("/api/tasks", params={"agency": HEALTH, "limit": 1000}).json()
    by_path = client.get("/api/tasks", params={"agency": "/agency/binh-phuoc/so-y-te", "limit": 1000}).json()
    assert folded["total"] == by_iri["total"] == by_path["total"] == by_name["total"] > 0
    lead = client.get("/api/tasks", params={"agency": HEALTH, "role": "lead", "limit": 1000}).json()
    assert 0 < lead["total"] < by_iri["total"]
    assert all(any(a["iri"] == HEALTH for a in t["lead"]) for t in lead["items"])


def test_tasks_by_document_year_and_due_dates(client) -> None:
    by_symbol = client.get("/api/tasks", params={"document": "57/KH-UBND", "limit": 1000}).json()
    by_iri = client.get("/api/tasks", params={"document": PLAN, "limit": 1000}).json()
    assert by_iri["total"] > 50
    assert by_symbol["total"] == by_iri["total"]  # the 2023 57/KH-UBND has no tasks of its own
    assert all(t["document"]["iri"] == PLAN for t in by_iri["items"])
    y2025 = client.get("/api/tasks", params={"year": 2025, "agency": "Sở Y tế", "role": "lead", "limit": 1000}).json()
    assert y2025["total"] > 0 and all(t["deadline"]["end"].startswith("2025") for t in y2025["items"])
    assert any(t["text"].startswith(EHR_TASK) for t in y2025["items"])
    before = client.get("/api/tasks", params={"due_before": "2025-06-30", "limit": 1000}).json()
    after = client.get("/api/tasks", params={"due_after": "2025-07-01", "limit": 1000}).json()
    assert before["total"] > 0 and after["total"] > 0
    assert all(t["deadline"]["end"] <= "2025-06-30" for t in before["items"])
    assert all(t["deadline"]["end"] >= "2025-07-01" for t in after["items"])
    assert not {t["iri"] for t in before["items"]} & {t["iri"] for t in after["items"]}


def test_paging(client) -> None:
    everything = client.get("/api/tasks", params={"limit": 1000}).json()
    page = client.get("/api/tasks", params={"limit": 7, "offset": 10}).json()
    assert page["total"] == everything["total"] and page["limit"] == 7 and page["offset"] == 10
    assert page["items"] == everything["items"][10:17]
    assert client.get("/api/tasks", params={"offset": 10_000}).json()["items"] == []


def test_bad_parameters_are_422(client) -> None:
    assert client.get("/api/tasks", params={"limit": 0}).status_code == 422
    assert client.get("/api/tasks", params={"limit": 5000}).status_code == 422
    assert client.get("/api/tasks", params={"due_before": "không phải ngày"}).status_code == 422
    assert client.get("/api/tasks", params={"role": "boss"}).status_code == 422


def test_targets(client, records) -> None:
    data = client.get("/api/targets", params={"limit": 1000}).json()
    assert data["items"] == records.targets()
    y2030 = client.get("/api/targets", params={"year": 2030, "limit": 1000}).json()
    assert y2030["total"] > 0 and all(t["horizon"]["end"].startswith("2030") for t in y2030["items"])
    plan = client.get("/api/targets", params={"document": "57/KH-UBND", "limit": 1000}).json()
    assert plan["total"] > 0 and all(t["document"]["iri"] == PLAN for t in plan["items"])


def test_documents(client, records) -> None:
    data = client.get("/api/documents").json()
    assert data["items"] == records.documents()[:50]
    plan = client.get("/api/documents", params={"document": "57/KH-UBND"}).json()["items"]
    assert [d["iri"] for d in plan] == [PLAN]
    assert plan[0]["date"] == "2025-02-23" and BASE + "eli/vn/tw/nq/2024/57" in plan[0]["implements"]
    assert client.get("/api/documents", params={"year": 2025}).json()["total"] >= 3
    assert client.get("/api/documents", params={"year": 2023}).json()["total"] == 1
    assert PLAN in {d["iri"] for d in client.get("/api/documents", params={"agency": "UBND tỉnh"}).json()["items"]}


def test_agencies(client, records) -> None:
    data = client.get("/api/agencies", params={"limit": 1000}).json()
    assert data["items"] == records.agencies()
    health = client.get("/api/agencies", params={"agency": "Sở Y tế"}).json()["items"]
    assert [a["iri"] for a in health] == [HEALTH] and health[0]["lead_tasks"] > 0
    in_plan = client.get("/api/agencies", params={"document": "57/KH-UBND", "limit": 1000}).json()
    assert HEALTH in {a["iri"] for a in in_plan["items"]} and in_plan["total"] < data["total"] + 1
    assert client.get("/api/agencies", params={"locality": "Bình Phước"}).json()["total"] > 0


def test_entities(client) -> None:
    r = client.get("/api/entities", params={"iri": PLAN + "/task/pl2-56"})
    assert r.status_code == 200
    e = r.json()
    assert e["label"].startswith(EHR_TASK)
    assert "https://w3id.org/plankg/ontology#Task" in e["types"]
    assert e["labels"][HEALTH] == "Sở Y tế"
    lead = [t for t in e["triples"] if t["predicate"] == "https://w3id.org/plankg/ontology#leadAgency"]
    assert lead[0]["object"] == {"type": "uri", "value": HEALTH, "lang": None, "datatype": None}
    assert any(t["subject"].endswith("#deadline") for t in e["triples"])
    assert client.get("/api/entities", params={"iri": "/agency/binh-phuoc/so-y-te"}).json()["iri"] == HEALTH
    missing = client.get("/api/entities", params={"iri": BASE + "eli/khong-co"})
    assert missing.status_code == 404 and "Không tìm thấy" in missing.json()["detail"]


def test_stats(client, seeded) -> None:
    s = client.get("/api/stats").json()
    # tasks: narrative items restating an appendix row are pk:TaskMention, not a second task (#14);
    # triples: the default dataset's COUNT(*), quads: every stored graph (store/read/counts.py)
    assert s["documents"] == 4 and s["tasks"] > 150 and s["quads"] == seeded[1].triple_count()
    from plankg.store.read.queries import run_query
    count = run_query(seeded[1], seeded[0], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records()[0]["n"]
    assert s["triples"] == int(count) < s["quads"]
    assert s["base_iri"] == BASE
    assert s["service"]["query_workers"] == 1 and s["service"]["max_rows"] > 0


def test_openapi_documents_every_endpoint(client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/tasks", "/api/targets", "/api/documents", "/api/agencies", "/api/entities", "/api/stats",
                 "/sparql", "/.well-known/void", "/feed.atom", "/dumps/{name}", "/ontology"):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    assert {"Task", "Target", "Document", "Agency", "Entity", "Stats"} <= set(schemas)
    assert client.get("/docs").status_code == 200


def test_search_route_only_with_the_search_module(client) -> None:
    try:
        import plankg.search.service  # noqa: F401
        available = True
    except ImportError:
        available = False
    assert ("/api/search" in client.get("/openapi.json").json()["paths"]) == available
    if available:
        r = client.get("/api/search", params={"q": "bệnh án điện tử", "sparql": "SERVICE <http://x/> { ?item ?p ?o }"})
        assert r.status_code == 400


def test_search_errors_are_client_errors(client) -> None:
    """A bad filter is the caller's to fix (400), not a server error."""
    r = client.get("/api/search", params={"q": "chuyển đổi số", "type": "Khong-co-loai-nay"})
    assert r.status_code == 400, r.text
