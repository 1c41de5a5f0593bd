"""Alignment across levels of government (ingest/build/alignment.py) against hand-read gold.

Gold: tests/gold/alignment/ward002_province000.json — which rows of the ward plan (seed 002,
phường Bình Phước, Đồng Nai) carry out which rows of the province plan 57/KH-UBND (seed 000,
former Bình Phước province), read by a person; split into a development and a held-out half
before any tuning. The limits below sit under the figures measured on each half
(docs/ontology.md "Alignment across levels"), so they catch regressions without steering
development on the held-out half.
"""

from __future__ import annotations

import json

import pytest

from plankg.ingest.build.alignment import METHOD_STANDOUT, THRESHOLD, text_similarity
from plankg.store import iris
from plankg.store.read.queries import PREFIXES, run_query
from tests.conftest import GOLD

GOLD_FILE = GOLD / "alignment" / "ward002_province000.json"


def _doc(seeded, prefix: str) -> str:
    settings, store, _, _ = seeded
    rows = run_query(store, settings, PREFIXES + f"""SELECT DISTINCT ?d WHERE {{ ?d pk:hasRendition ?r .
        ?r pk:sourceFile ?f FILTER(STRSTARTS(?f, "{prefix}")) }}""").records()
    return str(rows[0]["d"])


def measure(seeded, half: str) -> tuple[float, float, int]:
    """(precision, recall, predicted) of ward→province links on one half of the gold."""
    settings, store, _, _ = seeded
    gold = json.loads(GOLD_FILE.read_text("utf-8"))
    ward, prov = _doc(seeded, "002"), _doc(seeded, "000")
    rows = set(gold[half])
    expected = {(iris.part_iri(ward, "task", w), iris.part_iri(prov, "task", p))
                for w, ps in gold["links"].items() if w in rows for p in ps}
    keep = {iris.part_iri(ward, "task", w) for w in rows}
    found = {(str(r["t"]), str(r["h"])) for r in run_query(store, settings, PREFIXES + f"""SELECT ?t ?h WHERE {{
        ?t pk:carriesOut ?h . ?h pk:inDocument <{prov}> }}""").records() if str(r["t"]) in keep}
    tp = len(found & expected)
    return (tp / len(found) if found else 0.0), tp / len(expected), len(found)


def test_gold_split_was_fixed_before_tuning() -> None:
    gold = json.loads(GOLD_FILE.read_text("utf-8"))
    order = list(gold["links"])
    assert gold["dev"] == order[0::2] and gold["heldout"] == order[1::2]
    assert sum(len(v) for v in gold["links"].values()) >= 30


def test_development_half(seeded) -> None:
    precision, recall, found = measure(seeded, "dev")
    assert found > 5 and precision >= 0.88 and recall >= 0.94  # measured 0.94 / 1.00 (one link less: 0.94)


def test_held_out_half(seeded) -> None:
    """Reported, with limits under the measured values (0.94 / 0.88): never tuned on."""
    precision, recall, _ = measure(seeded, "heldout")
    assert precision >= 0.85 and recall >= 0.82  # recall: one link less than measured


def test_links_are_qualified_with_score_and_method(seeded) -> None:
    settings, store, _, _ = seeded
    rows = run_query(store, settings, PREFIXES + """SELECT ?t ?h ?s ?m WHERE { ?a a pk:TaskAlignment ;
        pk:alignedTask ?t ; pk:alignedTo ?h ; pk:alignmentScore ?s ; pk:alignmentMethod ?m .
        ?t pk:carriesOut ?h }""").records()
    assert rows and all(str(r["m"]) for r in rows)
    # below the threshold only what the standout rule kept, and it says so
    assert all(float(r["s"]) >= THRESHOLD or str(r["m"]) == METHOD_STANDOUT for r in rows)
    # the inverse, "được cụ thể hóa bởi", is entailed
    assert run_query(store, settings, PREFIXES + """ASK { ?t pk:carriesOut ?h .
        FILTER NOT EXISTS { ?h pk:carriedOutBy ?t } }""").boolean is False


def test_only_downward_links_between_documents(seeded) -> None:
    """A task never carries out a task of its own document, nor one of a lower level."""
    settings, store, _, _ = seeded
    rows = run_query(store, settings, PREFIXES + """SELECT ?t ?h WHERE { ?t pk:carriesOut ?h .
        ?t pk:inDocument ?d . ?h pk:inDocument ?d }""").records()
    assert rows == []
    prov = _doc(seeded, "000")
    assert run_query(store, settings, PREFIXES + f"""ASK {{ ?t pk:carriesOut ?h . ?t pk:inDocument <{prov}> }}""").boolean is False


def test_competency_query_17(seeded) -> None:
    from plankg.ontology import competency_queries

    settings, store, _, _ = seeded
    text = next(q for n, q in competency_queries().items() if n.startswith("17"))
    rows = run_query(store, settings, text).records()
    assert rows and all(r["higherLocality"] for r in rows)
    assert any("Tuyên truyền" in str(r["taskText"]) and "57/KH-UBND" == str(r.get("higherSymbol")) for r in rows)


@pytest.mark.parametrize(("a", "b", "low", "high"), [
    ("tuyen truyen thuong xuyen sau rong ve noi dung nghi quyet", "tuyen truyen thuong xuyen sau rong", 0.99, 1.0),
    ("xay dung de an do thi thong minh", "danh gia muc do chuyen doi so doanh nghiep", 0.0, 0.01),
])
def test_text_similarity(a: str, b: str, low: float, high: float) -> None:
    assert low <= text_similarity(a, b) <= high


def test_links_in_exports_json_api_and_task_pages(seeded) -> None:
    from fastapi.testclient import TestClient

    from plankg.api.http.service_config import ServiceConfig
    from plankg.api.http.sparql.worker import PoolConfig
    from plankg.api.server import create_app
    from plankg.store.read.records import Records

    settings, store, _, _ = seeded
    tasks = {t["iri"]: t for t in Records(store, settings).tasks()}
    lower = next(t for t in tasks.values() if t["carries_out"])
    higher = tasks[lower["carries_out"][0]["iri"]]
    assert any(x["iri"] == lower["iri"] for x in higher["carried_out_by"])
    base = settings.base_iri
    with TestClient(create_app(settings, ServiceConfig(pool=PoolConfig(workers=0)))) as client:
        page = client.get("/" + lower["iri"][len(base):], headers={"accept": "text/html"}).text
        up = client.get("/" + higher["iri"][len(base):], headers={"accept": "text/html"}).text
    assert "Thực hiện nhiệm vụ cấp trên" in page and higher["path"] in page
    assert "Được cụ thể hóa bởi" in up and lower["path"] in up
