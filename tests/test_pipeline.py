"""Ingest end to end on the seeds: renditions, order independence, idempotency, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from plankg.api.cli import app
from plankg.config import load_settings
from plankg.ingest.pipeline import Workspace
from plankg.store import iris
from plankg.store.open import open_store
from plankg.store.read.records import Records
from tests.conftest import SEEDS, seed_path

runner = CliRunner()
PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")


def _ingest(home: Path, monkeypatch: pytest.MonkeyPatch, paths: list[Path]):
    monkeypatch.setenv("PLANKG_HOME", str(home))
    settings = load_settings()
    store = open_store(settings)
    ws = Workspace(settings, store)
    report = ws.ingest([str(p) for p in paths])
    return settings, store, ws, report


def _without_timestamps(g: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for t in g:
        if t[1] != PK.ingestedAt:
            out.add(t)
    return out


def test_all_seeds_ingest_without_failure(seeded) -> None:
    _, _, _, report = seeded
    assert len(report.files) == 5
    assert not report.failed, [f.error for f in report.failed]


def test_ocr_copy_is_the_same_document(seeded) -> None:
    settings, store, _, _ = seeded
    docs = Records(store, settings).documents()
    assert len(docs) == 4, [d["renditions"] for d in docs]
    plan = next(d for d in docs if any(r.startswith("000_") for r in d["renditions"]))
    assert sorted(r[:3] for r in plan["renditions"]) == ["000", "001"]
    assert plan["renditions"][0].startswith("000_"), "the clean text has precedence"
    assert plan["identifier"] == "57/KH-UBND"
    assert plan["date"] == "2025-02-23"


def test_ocr_copy_creates_no_duplicate_tasks(seeded) -> None:
    settings, store, _, _ = seeded
    tasks = Records(store, settings).tasks()
    plan_tasks = [t for t in tasks if "000_fe8eef2ddadfd7b2.txt" in {s["file"] for s in t["sources"]}]
    ocr_only = [t for t in tasks if {s["file"] for s in t["sources"]} == {"001_9b2364e9d8cdf71f.txt"}]
    assert not ocr_only
    assert len({t["iri"] for t in plan_tasks}) == len(plan_tasks)
    both = [t for t in plan_tasks if len({s["file"] for s in t["sources"]}) == 2]
    assert len(both) >= 60, "most appendix rows of the OCR copy are aligned to the clean copy"


def test_named_graph_per_source(seeded) -> None:
    settings, store, _, _ = seeded
    names = store.graph_names()
    for f in sorted(SEEDS.glob("*.txt")):
        assert iris.source_graph_iri(settings.base_iri, f.name) in names
    assert iris.merged_graph_iri(settings.base_iri) in names


def test_reingest_is_idempotent(seeded) -> None:
    settings, store, ws, _ = seeded
    before = store.triple_count()
    report = ws.ingest([str(seed_path("003"))])
    assert [f.status for f in report.files] == ["unchanged"]
    assert store.triple_count() == before


@pytest.mark.slow
def test_graph_is_independent_of_ingest_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = seed_path("000"), seed_path("001")
    graphs = []
    for i, order in enumerate(([a, b], [b, a])):
        settings, store, ws, _ = _ingest(tmp_path / f"h{i}", monkeypatch, [])
        for p in order:
            ws.ingest([str(p)])
        graphs.append({name: _without_timestamps(store.get_graph(name)) for name in store.graph_names()})
        store.close()
    assert graphs[0].keys() == graphs[1].keys()
    for name in graphs[0]:
        assert isomorphic(graphs[0][name], graphs[1][name]), name


def test_changed_file_replaces_its_facts_and_remove_drops_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in" / "plan.txt"
    src.parent.mkdir()
    text = seed_path("004").read_text("utf-8")
    src.write_text(text, "utf-8")
    settings, store, ws, report = _ingest(tmp_path / "home", monkeypatch, [src])
    assert report.files[0].status == "added"
    g = iris.source_graph_iri(settings.base_iri, "plan.txt")
    tasks_before = {str(t) for t in store.get_graph(g).subjects(rdflib.RDF.type, PK.Task)}
    cut = text.index("7.2.")
    rest = text.index("III. TỔ CHỨC THỰC HIỆN", cut)
    src.write_text(text[:cut] + text[rest:], "utf-8")  # the last task of section II is gone from the file
    report = ws.ingest([str(src)])
    assert report.files[0].status == "changed"
    tasks_after = {str(t) for t in store.get_graph(g).subjects(rdflib.RDF.type, PK.Task)}
    assert len(tasks_after) == len(tasks_before) - 1
    ws.remove(["plan.txt"])
    assert g not in store.graph_names()
    assert Records(store, settings).tasks() == []
    store.close()


@pytest.mark.slow
def test_bad_files_fail_clearly_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "recipe.txt").write_text("Bánh mì: bột, nước, muối.\nNướng 20 phút.\n", "utf-8")
    shutil.copy(seed_path("004"), folder / "good.txt")
    monkeypatch.setenv("PLANKG_HOME", str(tmp_path / "home"))
    result = runner.invoke(app, ["ingest", str(folder)])
    assert result.exit_code == 1
    for name in ("empty.txt", "binary.txt", "recipe.txt"):
        assert name in result.output
    info = json.loads(runner.invoke(app, ["info", "--json"]).output)
    assert info["documents"] == 1 and info["tasks"] >= 28


def test_export_tasks_shape(seeded) -> None:
    settings, store, _, _ = seeded
    tasks = Records(store, settings).tasks()
    t = next(t for t in tasks if t["path"] == "PL2.56")
    for key in ("iri", "document", "number", "path", "text", "lead", "cooperating", "output", "deadline", "section", "source", "sources"):
        assert key in t
    assert set(t["document"]) == {"iri", "identifier", "date", "title"}
    assert t["lead"] and set(t["lead"][0]) == {"iri", "name", "raw", "collective"}
    assert t["source"]["file"].startswith("000_")
    src = seed_path("000").read_text("utf-8")
    assert t["number"] in src[t["source"]["start"]:t["source"]["end"]]


def test_export_csv_opens_in_excel(seeded) -> None:
    from plankg.api.export import to_csv

    settings, store, _, _ = seeded
    data = to_csv("tasks", Records(store, settings).tasks())
    assert data.startswith("\ufeff".encode("utf-8"))
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert "lead" in header and "deadline.text" in header
    assert "Sở Thông tin và Truyền thông; " in text


def test_one_entity_per_cited_document(seeded) -> None:
    from plankg.store.read.queries import PREFIXES, run_query

    settings, store, _, _ = seeded
    rows = run_query(store, settings, PREFIXES + """SELECT ?sym (COUNT(DISTINCT ?d) AS ?n) (COUNT(DISTINCT ?citer) AS ?citers) WHERE {
        ?d eli:id_local ?sym . OPTIONAL { ?citer eli:cites ?d } FILTER(?sym IN ("57-NQ/TW", "57/KH-UBND", "03/NQ-CP")) } GROUP BY ?sym""").to_python()
    by = {r["sym"]: r for r in rows}
    assert by["57-NQ/TW"]["n"] == 1 and by["57-NQ/TW"]["citers"] >= 3  # 000/001, 002 and 004 cite the same entity
    assert by["03/NQ-CP"]["n"] == 1
    # "57/KH-UBND" names two documents: the 2025 plan and the 2023 plan seed 003 cites
    assert by["57/KH-UBND"]["n"] == 2
    amends = run_query(store, settings, PREFIXES + """ASK { ?a eli:id_local "71/NQ-CP" ; eli:amends ?b . ?b eli:id_local "03/NQ-CP" }""")
    assert amends.boolean
