"""Retired IRIs (store/retired.py, ingest/build/retirement.py, api/http/linked_data/retired.py):
a data IRI that a change stops stating answers 410 Gone (or 301 to the IRI its thing moved
to), never 404, and answers 200 again once a source states it again.

Real data: two seeds ingested, one changed (a target line deleted, so the items after it move
up one place), the other removed, then re-added. The expectations are computed from the
graphs before and after each change, never copied from the record.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from plankg.config import load_settings
from plankg.ingest.build.retirement import is_data_iri
from plankg.ingest.pipeline import Workspace
from plankg.store import iris
from plankg.store.open import open_store
from plankg.store.retired import RetiredRecord, Retirement, record_path
from tests.conftest import seed_path

PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
BROWSER = {"Accept": "text/html"}


def _stated(ws: Workspace) -> set[str]:
    """Data IRIs some source graph or the registry states."""
    base = ws.settings.base_iri
    prefix = iris.source_graph_iri(base, "x")[:-1]
    out: set[str] = set()
    for g in ws.store.graph_names():
        if g.startswith(prefix) or g == iris.registry_graph_iri(base):
            out |= {s for s in ws.store.subjects_of(g) if is_data_iri(s, base)}
    return out


def _texts(ws: Workspace) -> dict[str, set[str]]:
    merged = ws.store.get_graph(iris.merged_graph_iri(ws.settings.base_iri))
    out: dict[str, set[str]] = {}
    for p in (PK.text, PK.indicatorText):
        for s, o in merged.subject_objects(p):
            out.setdefault(str(s), set()).add(str(o))
    return out


def _record(ws: Workspace) -> RetiredRecord:
    return RetiredRecord.load(record_path(ws.settings.home))


def _client(ws: Workspace) -> TestClient:
    from plankg.api.http.service_config import ServiceConfig
    from plankg.api.http.sparql.worker import PoolConfig
    from plankg.api.server import create_app

    return TestClient(create_app(ws.settings, ServiceConfig(pool=PoolConfig(workers=1))))


def _path(ws: Workspace, iri: str) -> str:
    return "/" + iri[len(ws.settings.base_iri):]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory):
    """The states of one home through change, removal and re-addition (each a snapshot of
    what was stated and retired at that point)."""
    root = tmp_path_factory.mktemp("retired")
    files = root / "files"
    files.mkdir()
    plan, other = (Path(shutil.copy(seed_path(n), files)) for n in ("002", "003"))
    mp = pytest.MonkeyPatch()
    mp.setenv("PLANKG_HOME", str(root / "home"))
    settings = load_settings()
    ws = Workspace(settings, open_store(settings))
    states: dict[str, dict] = {}
    ws.ingest([str(plan), str(other)])
    states["start"] = {"stated": _stated(ws), "texts": _texts(ws)}
    assert not record_path(settings.home).exists()  # nothing retired by a first ingest
    # delete the third dash item under the document's second Roman-numbered part
    lines = plan.read_text("utf-8").split("\n")
    part = next(i for i, line in enumerate(lines) if line.startswith("II."))
    dashes = [i for i in range(part, len(lines)) if lines[i].startswith("- ")]
    deleted = lines.pop(dashes[2]).removeprefix("- ").strip()
    plan.write_text("\n".join(lines), "utf-8")
    ws.ingest([str(plan)])
    states["changed"] = {"stated": _stated(ws), "texts": _texts(ws), "record": _record(ws), "deleted": deleted}
    ws.remove([other.name])
    states["removed"] = {"stated": _stated(ws), "record": _record(ws)}
    ws.ingest([str(other)])  # re-added: its IRIs come back and leave the record
    states["re-added"] = {"stated": _stated(ws), "record": _record(ws)}
    ws.remove([other.name])  # and removed again: what the API is asked about below
    states["final"] = {"stated": _stated(ws), "record": _record(ws)}
    ws.store.close()
    yield ws, states, (plan, other)
    mp.undo()


@pytest.mark.slow
def test_a_change_retires_what_it_no_longer_states(scenario) -> None:
    _ws, states, _f = scenario
    start, changed = states["start"], states["changed"]
    record: RetiredRecord = changed["record"]
    lost = start["stated"] - changed["stated"]
    assert lost, "deleting a line must lose the last item's IRI"
    assert set(record.entries) == lost  # every IRI no longer stated, and only those
    assert all(e.reason == "re-extracted" and e.source == "002_f0925c62e126c746.txt" for e in record.entries.values())
    moved = [e for e in record.entries.values() if e.successor]
    gone = [e for e in record.entries.values() if not e.successor]
    assert moved  # the items after the deleted line moved up one place
    for e in moved:  # the successor now states the words the retired IRI stated
        assert start["texts"][e.iri] <= changed["texts"][e.successor], e.iri
        assert e.successor in changed["stated"]
    for e in gone:  # a retired IRI without successor: its words are stated by nothing now
        assert not any(start["texts"].get(e.iri, set()) <= t for t in changed["texts"].values()), e.iri
    assert not any(changed["deleted"] in t for ts in changed["texts"].values() for t in ts)


@pytest.mark.slow
def test_a_removed_source_retires_its_iris_as_gone(scenario) -> None:
    _ws, states, _f = scenario
    changed, removed = states["changed"], states["removed"]
    record: RetiredRecord = removed["record"]
    lost = changed["stated"] - removed["stated"]
    assert len(lost) > 50
    assert lost <= set(record.entries)
    assert {record.entries[i].reason for i in lost} == {"source-removed"}
    assert all(record.entries[i].successor is None for i in lost)
    assert set(changed["record"].entries) <= set(record.entries)  # earlier entries stay


@pytest.mark.slow
def test_linked_data_and_json_api_answer_410_and_301(scenario) -> None:
    ws, states, _f = scenario
    with _client(ws) as client:
        _linked_data_answers(ws, states, client)
        _json_api_answers(states, client)


def _linked_data_answers(ws: Workspace, states: dict, client: TestClient) -> None:
    record: RetiredRecord = states["final"]["record"]
    gone = next(e for e in record.entries.values() if e.successor is None and "/task/" in e.iri)
    r = client.get(_path(ws, gone.iri), headers=BROWSER)
    assert r.status_code == 410
    assert "IRI này không còn tồn tại từ" in r.text and "gone since" in r.text and gone.since in r.text
    r = client.get(_path(ws, gone.iri), headers={"Accept": "text/turtle"})
    assert r.status_code == 410 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (rdflib.URIRef(gone.iri), PROV.invalidatedAtTime, None) in g
    assert {o.language for o in g.objects(rdflib.URIRef(gone.iri), rdflib.SKOS.changeNote)} == {"vi", "en"}
    moved = next(e for e in record.entries.values() if e.successor)
    r = client.get(_path(ws, moved.iri), headers=BROWSER, follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == _path(ws, str(record.resolve(moved.iri).successor))
    assert client.get(r.headers["location"], headers=BROWSER).status_code == 200
    r = client.get(_path(ws, moved.iri), params={"format": "turtle"}, follow_redirects=False)
    assert r.headers["location"].endswith("?format=turtle")
    # an IRI never published still gets 404
    assert client.get(_path(ws, gone.iri) + "-never", headers=BROWSER).status_code == 404


def _json_api_answers(states: dict, client: TestClient) -> None:
    record: RetiredRecord = states["final"]["record"]
    gone = next(e for e in record.entries.values() if e.successor is None)
    r = client.get("/api/entities", params={"iri": gone.iri})
    assert r.status_code == 410 and "không còn tồn tại" in r.json()["detail"]
    moved = next(e for e in record.entries.values() if e.successor)
    r = client.get("/api/entities", params={"iri": moved.iri}, follow_redirects=False)
    assert r.status_code == 301
    r = client.get(r.headers["location"])
    assert r.status_code == 200 and r.json()["iri"] == record.resolve(moved.iri).successor  # type: ignore[union-attr]


@pytest.mark.slow
def test_web_pages_answer_410_and_301(scenario) -> None:
    """The HTML pages that show one entity (its page, ``/tong-quan/…``) consult the same
    record: the page of a gone IRI is a 410 page saying what it was and where it came from,
    a moved one answers 301 to its successor's page."""
    ws, states, (_plan, other) = scenario
    record: RetiredRecord = states["final"]["record"]
    base = ws.settings.base_iri
    gone = next(e for e in record.entries.values() if e.successor is None and e.kind(base) == "task")
    doc = next(e for e in record.entries.values() if e.kind(base) == "document" and e.source == other.name)
    moved = next(e for e in record.entries.values() if e.successor)
    path = record_path(ws.settings.home)
    saved = path.read_bytes()
    with _client(ws) as client:
        r = client.get(_path(ws, gone.iri), headers=BROWSER)
        assert r.status_code == 410 and "Mục này không còn tồn tại" in r.text and "(gone)" in r.text
        assert "nhiệm vụ" in r.text and gone.iri in r.text and gone.source in r.text  # what it was, where from
        assert 'class="brand"' in r.text  # the site's page, not the bare notice
        assert "IRI này không còn tồn tại từ" in r.text  # the linked-data wording, kept
        r = client.get(_path(ws, moved.iri), headers=BROWSER, follow_redirects=False)
        successor = str(record.resolve(moved.iri).successor)  # type: ignore[union-attr]
        assert r.status_code == 301 and r.headers["location"] == _path(ws, successor)
        page = client.get(r.headers["location"], headers=BROWSER)
        assert page.status_code == 200 and 'class="brand"' in page.text
        r = client.get("/tong-quan" + _path(ws, doc.iri))
        assert r.status_code == 410 and "văn bản" in r.text and other.name in r.text
        # a document that moved: its overview answers 301 to the new document's overview
        live = next(s for s in states["final"]["stated"] if s.startswith(base + "eli/") and s.count("/") == doc.iri.count("/"))
        old = doc.iri + "-truoc-day"
        RetiredRecord(path, {**RetiredRecord.load(path).entries,
                             old: Retirement(old, doc.since, "re-extracted", other.name, "x", live)}).save()
        try:
            r = client.get("/tong-quan" + _path(ws, old), follow_redirects=False)
            assert r.status_code == 301 and r.headers["location"] == "/tong-quan" + _path(ws, live)
            assert client.get(r.headers["location"]).status_code == 200
        finally:
            path.write_bytes(saved)
        assert client.get("/tong-quan" + _path(ws, doc.iri) + "-never").status_code == 404


@pytest.mark.slow
def test_a_re_added_source_brings_its_iris_back(scenario) -> None:
    _ws, states, _f = scenario
    lost = states["changed"]["stated"] - states["removed"]["stated"]
    readded = states["re-added"]
    assert readded["stated"] & lost == lost  # the same file states the same IRIs again
    assert not lost & set(readded["record"].entries)  # and they left the record
    assert set(states["changed"]["record"].entries) <= set(readded["record"].entries)  # the change's stay
    assert lost <= set(states["final"]["record"].entries)  # removed again: retired again


def test_the_record_keeps_the_first_date_and_follows_chains(tmp_path: Path) -> None:
    path = record_path(tmp_path)
    rec = RetiredRecord(path)
    a, b, c = (f"https://x.org/eli/d/task/{n}" for n in "abc")
    assert rec.retire([Retirement(a, "2026-01-01T00:00:00+00:00", "re-extracted", "f.txt", "1", b),
                       Retirement(b, "2026-02-01T00:00:00+00:00", "re-extracted", "f.txt", "1", c)]) == 2
    rec.save()
    again = RetiredRecord.load(path)
    assert again.retire([Retirement(a, "2027-01-01T00:00:00+00:00", "re-extracted", "f.txt", "2", b)]) == 1
    assert again.get(a).since == "2026-01-01T00:00:00+00:00"  # type: ignore[union-attr]
    assert again.resolve(a).successor == c and again.resolve(a).status == 301  # type: ignore[union-attr]
    again.retire([Retirement(c, "2026-03-01T00:00:00+00:00", "source-removed", "f.txt", "2")])
    assert again.resolve(a).status == 410  # type: ignore[union-attr]  # the chain ends in a gone IRI
    assert again.revive([c, "https://x.org/other"]) == 1 and again.resolve(a).successor == c  # type: ignore[union-attr]
    path.write_text("{not json", "utf-8")
    with pytest.raises(ValueError, match="retired-IRI record"):
        RetiredRecord.load(path)


def _seed_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Workspace, Path]:
    """A home holding the ward plan (seed 002) alone, and the copy of it that was ingested."""
    files = tmp_path / "files"
    files.mkdir()
    plan = Path(shutil.copy(seed_path("002"), files))
    monkeypatch.setenv("PLANKG_HOME", str(tmp_path / "home"))
    settings = load_settings()
    ws = Workspace(settings, open_store(settings))
    ws.ingest([str(plan)])
    return ws, plan


class _Crash(Exception):
    pass


@pytest.mark.slow
@pytest.mark.parametrize("remove", [False, True])
def test_a_crash_mid_change_still_retires_after_recovery(remove: bool, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed after the source's graph was rewritten (or dropped) and before the record was
    written: the recovery that completes the journal records the same retirements."""
    from plankg.ingest import pipeline

    ws, plan = _seed_home(tmp_path, monkeypatch)
    before = _stated(ws)
    point = "dropped" if remove else f"graph-written:{plan.name}"

    def crash(at: str) -> None:
        if at == point:
            raise _Crash(at)

    monkeypatch.setattr(pipeline, "crash_hook", crash)
    if remove:
        with pytest.raises(_Crash):
            ws.remove([plan.name])
    else:
        text = plan.read_text("utf-8")
        plan.write_text(text[: len(text) // 2], "utf-8")  # the second half of the plan is gone
        with pytest.raises(_Crash):
            ws.ingest([str(plan)])
    monkeypatch.setattr(pipeline, "crash_hook", None)
    assert ws.recover()
    lost = before - _stated(ws)
    assert len(lost) > 10
    record = _record(ws)
    assert set(record.entries) == lost
    assert {e.reason for e in record.entries.values()} == {"source-removed" if remove else "re-extracted"}
    ws.store.close()


@pytest.mark.slow
def test_a_document_whose_iri_changes_moves_with_its_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan without a printed number is keyed by a digest of its title: a re-read title (here
    one word added) gives it a new IRI; the document (same rendition) and each of its parts
    (same words, in the document's successor) answer 301 to their new IRIs."""
    ws, plan = _seed_home(tmp_path, monkeypatch)
    before, texts = _stated(ws), _texts(ws)
    lines = plan.read_text("utf-8").split("\n")
    title = next(i for i, line in enumerate(lines[1:], 1) if line.strip())  # the line after the kind
    lines[title] = lines[title].rstrip() + " mới"
    plan.write_text("\n".join(lines), "utf-8")
    ws.ingest([str(plan)])
    after, texts_after = _stated(ws), _texts(ws)
    record = _record(ws)
    ws.store.close()
    lost = before - after
    assert set(record.entries) == lost
    docs = {e.iri for e in record.entries.values() if "/task/" not in e.iri and "/target/" not in e.iri
            and "/section/" not in e.iri}
    assert len(docs) == 1
    new_doc = record.entries[docs.pop()].successor
    assert new_doc is not None and new_doc in after
    parts = [e for e in record.entries.values() if "/task/" in e.iri or "/target/" in e.iri]
    assert len(parts) > 20
    for e in parts:
        assert e.successor is not None and e.successor.startswith(new_doc + "/"), e.iri
        assert texts[e.iri] <= texts_after[e.successor]
