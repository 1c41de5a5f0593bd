"""Incremental search index: items of the documents a change touched are replaced by id,
nothing else is re-read; the result equals a full rebuild. Vectors removed by key (HNSW by
deletion marks), BM25 through a delta; a missing index is a 503 naming `plankg index`."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from plankg.search.index.embedders import register_backend
from plankg.search.index.lexical import LexicalIndex
from plankg.search.index.vectors import VectorIndex
from tests.conftest import seed_path
from tests.fake_embedders import HashEmbedder

_MADE: dict[str, HashEmbedder] = {}
register_backend("fake-inc", lambda arg, opts: _MADE.setdefault(arg or "a", HashEmbedder(f"fake-inc:{arg or 'a'}")))


@pytest.fixture
def home(plankg_home, monkeypatch):
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.store.open import open_store

    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-inc:a")
    settings = load_settings()
    store = open_store(settings)
    yield settings, store, Workspace(settings, store)
    store.close()


def _table(settings) -> list[dict]:
    from plankg.search.index.builder import _read_meta
    from plankg.search.index.shards import read_all

    meta = _read_meta(settings)
    assert meta is not None
    return [it.to_dict() for it in read_all(settings.index_path / meta["generation"])]


@pytest.mark.slow
def test_updates_touch_only_the_changed_documents_and_equal_a_rebuild(home) -> None:
    from plankg.search.index.builder import build_index, load_index, update_index

    settings, store, ws = home
    ws.ingest([str(seed_path("002"))])
    first = build_index(settings, store)
    ws.ingest([str(seed_path("003"))])
    added = update_index(settings, store)
    assert added["update"] == "incremental"
    assert 0 < added["embedded_texts"] < added["counts"]["items"] - first["counts"]["items"] + 40
    ws.remove([seed_path("002").name])
    removed = update_index(settings, store)
    assert removed["update"] == "incremental" and removed["embedded_texts"] == 0
    assert removed["counts"]["items"] < added["counts"]["items"]
    incremental = _table(settings)
    index = load_index(settings, store)
    lexicon_docs = [d.iri for d in index.lexicon.documents]
    assert lexicon_docs and all(d in lexicon_docs for d in {it["document"]["iri"] for it in incremental})
    queries = ["chuyển đổi số", "hạ tầng số", "dịch vụ công trực tuyến"]
    vec = {q: [index.items[r].iri for r, _ in index.vectors.search(index.embedder().embed_query(q), 5)]
           for q in queries}
    lex = {q: [index.items[r].iri for r, _ in index.lexical.search(q, 1)] for q in queries}

    rebuilt = build_index(settings, store, rebuild=True)
    assert rebuilt["update"] == "full" and rebuilt["embedded_texts"] == 0  # every vector came from the cache
    assert _table(settings) == incremental
    again = load_index(settings, store)
    assert [d.iri for d in again.lexicon.documents] == lexicon_docs
    for q in queries:
        assert [again.items[r].iri for r, _ in again.vectors.search(again.embedder().embed_query(q), 5)] == vec[q]
        assert [again.items[r].iri for r, _ in again.lexical.search(q, 1)] == lex[q]


def test_scoped_item_reading_equals_the_full_table(seeded) -> None:
    from plankg.search.index.items import item_document, read_items

    settings, store = seeded[0], seeded[1]
    full = read_items(settings, store)
    docs = sorted({item_document(it) for it in full})
    wanted = set(docs[::3])
    scoped = read_items(settings, store, documents=wanted)
    assert scoped and [it.to_dict() for it in scoped] == [it.to_dict() for it in full if item_document(it) in wanted]


def test_scoped_reads_of_a_change_equal_the_full_ones(seeded) -> None:
    """What an update reads for a few documents (their tasks' links across levels, the
    headings section re-linking uses, the passages citing a cited-only document) is what a
    full read says about them: scoping must only leave other documents out."""
    from plankg.ingest.build.section_alignment import task_headings
    from plankg.search.index.items import item_document, read_items
    from plankg.store.read.records import Records

    settings, store = seeded[0], seeded[1]
    full_tasks = Records(store, settings).tasks()
    linked = {t["document"]["iri"] for t in full_tasks if t["carries_out"] or t["carried_out_by"]}
    assert len(linked) >= 2  # the ward plan carries out the province plan (seeds 002 and 000)
    for doc in sorted(linked):
        scoped = Records(store, settings, [doc]).tasks()
        assert scoped == [t for t in full_tasks if t["document"]["iri"] == doc]
    headings = task_headings(store, settings.base_iri)
    doc = sorted(linked)[0]
    own = task_headings(store, settings.base_iri, [doc])
    assert own and own == {t: h for t, h in headings.items() if t in {x["iri"] for x in full_tasks
                                                                       if x["document"]["iri"] == doc}}
    items = read_items(settings, store)
    cited_only = sorted(it.iri for it in items if it.type == "Document" and it.origin == "cited" and it.source)
    assert cited_only
    scoped_items = read_items(settings, store, documents=set(cited_only[:3]))
    assert [it.to_dict() for it in scoped_items] == [it.to_dict() for it in items if item_document(it) in cited_only[:3]]


def test_items_read_from_the_documents_neighbourhood_equal_the_store_read(seeded) -> None:
    """An update reads a change's items from a copy of the documents' neighbourhood (their
    parts, the citations of them, what those lead to): for each seed document with the
    documents it cites, as the change list names them, the copy gives the same items as
    the same scoped read of the whole store, and holds a fraction of it."""
    from plankg.search.index.items import item_document, read_items, scoped_store
    from plankg.store import iris

    settings, store = seeded[0], seeded[1]
    full = read_items(settings, store)
    cites = {r["d"]: r["c"] for r in store.query(
        "SELECT ?d (GROUP_CONCAT(STR(?c)) AS ?c) WHERE { ?d <http://data.europa.eu/eli/ontology#cites> ?c } GROUP BY ?d",
        default_graphs=[iris.merged_graph_iri(settings.base_iri)]).records()}
    ingested = sorted({it.iri for it in full if it.type == "Document" and it.origin == "ingested"})
    assert len(ingested) >= 4
    for doc in ingested:
        wanted = {doc, *str(cites.get(doc, "")).split()} - {""}
        copy = scoped_store(settings, store, wanted)
        try:
            assert copy is not store and copy.triple_count() < store.triple_count() / 2
            mine = read_items(settings, copy, documents=wanted)
        finally:
            copy.close()
        expected = [it.to_dict() for it in full if item_document(it) in wanted]
        assert expected and [it.to_dict() for it in mine] == expected


def test_the_store_revision_moves_with_every_write_and_only_then(tmp_path) -> None:
    """The index's store fingerprint reads a revision token (not a count of every quad): it
    changes with each write, stays when nothing is written, and is shared by every process
    opening the store (it is a file beside it)."""
    import rdflib

    from plankg.store.backends.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path / "store")
    first = store.revision()
    assert store.revision() == first
    g = rdflib.Graph()
    g.add((rdflib.URIRef("urn:a"), rdflib.RDFS.label, rdflib.Literal("a")))
    store.replace_graph("urn:g", g)
    second = store.revision()
    assert second != first
    store.patch_graph("urn:g", [], [])  # nothing written: the revision stays
    store.drop_graph("urn:absent")
    assert store.revision() == second
    store.patch_graph("urn:g", [], [(rdflib.URIRef("urn:b"), rdflib.RDFS.label, rdflib.Literal("b"))])
    third = store.revision()
    assert third != second
    store.close()
    reader = OxigraphStore(tmp_path / "store", read_only=True)
    assert reader.revision() == third
    reader.close()


def _vectors(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_vectors_removed_by_id_and_reordered(kind: str, tmp_path) -> None:
    x = _vectors(300)
    ids = [f"i{n:03d}" for n in range(300)]
    idx = VectorIndex.build(ids, x, "m", kind=kind)
    idx.remove(ids[:20])  # marked (under 10 %): the main index stays as saved
    assert len(idx) == 280 and idx.dead == 20
    hits = idx.search(x[0], 5)
    assert all(idx.ids[r] not in ids[:20] for r, _ in hits)
    assert idx.ids[idx.search(x[50], 1)[0][0]] == ids[50]
    idx.reorder(sorted(idx.ids, reverse=True))
    assert idx.ids[idx.search(x[50], 1)[0][0]] == ids[50]
    idx.save(tmp_path / "v")
    back = VectorIndex.load(tmp_path / "v", "m")
    assert back.ids == idx.ids and back.search(x[60], 3) == idx.search(x[60], 3)
    back.remove(ids[20:60])  # past 10 % of the vectors: the main index is rebuilt without the marks
    assert back.dead == 0 and len(back) == 240
    back.add(["new"], x[:1], "m")
    assert back.ids[back.search(x[0], 1)[0][0]] == "new"


def test_lexical_delta_ranks_like_a_fresh_index() -> None:
    texts = [f"kế hoạch chuyển đổi số tỉnh số {n} về hạ tầng và dữ liệu" for n in range(60)]
    texts += [f"đào tạo nguồn nhân lực năm {n} cho cán bộ" for n in range(60)]
    texts += ["xây dựng trung tâm dữ liệu quốc gia", "phát triển chính phủ số và dịch vụ công trực tuyến"]
    ids = [f"t{n:03d}" for n in range(len(texts))]
    base = LexicalIndex.build(ids[:-2], texts[:-2])
    order = sorted(ids[5:])
    merged = base.update(ids[:5], ids[-2:], texts[-2:], order)
    assert not merged and base.delta_size == 2  # 2 added + 5 removed < 10 % of 120
    fresh = LexicalIndex.build(order, [texts[ids.index(i)] for i in order])
    for q in ("trung tâm dữ liệu quốc gia", "dịch vụ công trực tuyến", "nhân lực cán bộ"):
        got, want = base.search(q, 3), fresh.search(q, 3)
        assert [base.ids[r] for r, _ in got][:1] == [fresh.ids[r] for r, _ in want][:1], q
    assert all(base.ids[r] not in ids[:5] for r, _ in base.search("kế hoạch chuyển đổi số", 200))
    # past the threshold the delta is merged: the main index is rebuilt from saved tokens
    more = ids[:5] + [f"n{n:03d}" for n in range(15)]  # the removed ones again, and new ones
    assert base.update([], more, texts[:20], sorted(order + more)) is True
    assert base.delta_size == 0 and len(base) == len(ids) + 15
    assert base.ids[base.search("trung tâm dữ liệu quốc gia", 1)[0][0]] == ids[-2]


def test_missing_index_is_a_503_naming_the_command(home) -> None:
    from plankg.api.http.service_config import ServiceConfig
    from plankg.api.http.sparql.worker import PoolConfig
    from plankg.api.server import create_app

    # A store of its own, ingested without `plankg index`. (It used the session's seeded store with
    # model_copy(update={"index_path": ...}), which changes nothing: index_path is a property of
    # home, so the test passed only while no other test had built the seeded index yet.)
    settings, _, ws = home
    ws.ingest([str(seed_path("003"))])
    assert not settings.index_path.exists()
    with TestClient(create_app(settings, ServiceConfig(pool=PoolConfig(workers=1)))) as client:
        r = client.get("/api/search", params={"q": "chuyển đổi số"})
        assert r.status_code == 503, r.text
        assert "plankg index" in r.json()["detail"] and "Chưa có chỉ mục" in r.json()["detail"]
        page = client.get("/tim-kiem", params={"q": "chuyển đổi số"})
        assert page.status_code == 503 and "plankg index" in page.text
        assert page.headers["content-type"].startswith("text/html") and "Chưa có chỉ mục" in page.text
        assert client.get("/api/search", params={"q": "x", "type": "Khong-co"}).status_code == 400
    assert not settings.index_path.exists(), "a request never builds the index"
    assert json.dumps(r.json(), ensure_ascii=False)


def test_lexical_delta_is_saved_in_parts_linked_between_generations(tmp_path) -> None:
    """Each save writes only the items added since the last one (a new part) and links the
    earlier parts; an item removed and added again takes its last text; the reopened index
    ranks like a fresh one."""
    texts = [f"kế hoạch chuyển đổi số tỉnh số {n} về hạ tầng và dữ liệu" for n in range(80)]
    ids = [f"t{n:03d}" for n in range(80)]
    LexicalIndex.build(ids, texts).save(tmp_path / "g0")
    g1 = LexicalIndex.load(tmp_path / "g0")
    live = {i: t for i, t in zip(ids[3:], texts[3:])} | {"n1": "xây dựng trung tâm dữ liệu quốc gia",
                                                         "n2": "phát triển chính phủ số"}
    assert g1.update(ids[:3], ["n1", "n2"], [live["n1"], live["n2"]], sorted(live)) is False
    g1.save(tmp_path / "g1", previous=tmp_path / "g0")
    g2 = LexicalIndex.load(tmp_path / "g1")
    live["n2"] = "đào tạo nguồn nhân lực cho cán bộ"
    assert g2.update(["n2"], ["n2"], [live["n2"]], sorted(live)) is False
    g2.save(tmp_path / "g2", previous=tmp_path / "g1")
    meta = json.loads((tmp_path / "g2" / "meta.json").read_text())
    assert meta["parts"] == ["delta-000000.json", "delta-000001.json"] and meta["delta"] == 2
    assert (tmp_path / "g2" / "delta-000000.json").stat().st_ino == (tmp_path / "g1" / "delta-000000.json").stat().st_ino
    assert (tmp_path / "g2" / "folded").exists() and json.loads((tmp_path / "g2" / "delta-000001.json").read_text()).keys() == {"n2"}
    back = LexicalIndex.load(tmp_path / "g2")
    fresh = LexicalIndex.build(sorted(live), [live[i] for i in sorted(live)])
    assert back.ids == fresh.ids and back.delta_size == 2
    for q in ("trung tâm dữ liệu quốc gia", "nhân lực cán bộ", "chính phủ số"):
        assert [back.ids[r] for r, _ in back.search(q, 1)] == [fresh.ids[r] for r, _ in fresh.search(q, 1)], q
    assert "n2" not in {back.ids[r] for r, _ in back.search("phát triển chính phủ", 5)}  # its first text is gone


def test_item_files_are_shared_by_generations_and_named_by_a_manifest(seeded, tmp_path) -> None:
    """An update writes the changed documents' item files and a manifest, never touches the
    other documents' files; after the switch only the files no manifest names are deleted;
    a generation of the older layout (its own items/ folder) is read and migrated."""
    from plankg.search.index import shards
    from plankg.search.index.items import item_document, read_items

    settings, store = seeded[0], seeded[1]
    items = read_items(settings, store)
    groups: dict[str, list] = {}
    for it in items:
        groups.setdefault(item_document(it), []).append(it)
    docs = sorted(groups)
    g0, g1 = tmp_path / "index" / "gen-0", tmp_path / "index" / "gen-1"
    g0.mkdir(parents=True)
    g1.mkdir()
    first = shards.write_shards(g0, groups)
    assert shards.drop_unused(g0, first) == 0 and shards.read_all(g0) == sorted(items, key=lambda i: i.iri)
    inode = {d: (tmp_path / "index" / "items" / first[d]).stat().st_ino for d in docs}
    changed, removed = docs[0], docs[1]
    edited = [_relabelled(it, "đã sửa") for it in groups[changed]]
    second = shards.write_shards(g1, {changed: edited}, first, [changed, removed])
    assert set(second) == set(docs) - {removed} and second[changed] != first[changed]
    assert all(second[d] == first[d] and (tmp_path / "index" / "items" / second[d]).stat().st_ino == inode[d]
               for d in docs[2:])
    assert shards.drop_unused(g1, second, [first[changed], first[removed]]) == 2
    assert sorted(p.name for p in (tmp_path / "index" / "items").iterdir()) == sorted(second.values())
    assert [it.to_dict() for it in shards.read_documents(g1, [changed])] == [it.to_dict() for it in edited]
    # the older layout: gen-*/items/<sha1(doc)>.json, no manifest
    old = tmp_path / "old" / "index" / "gen-0"
    (old / "items").mkdir(parents=True)
    for d, f in second.items():
        (old / "items" / f"{hashlib.sha1(d.encode()).hexdigest()[:20]}.json").write_text((tmp_path / "index" / "items" / f).read_text("utf-8"), "utf-8")
    assert shards.read_manifest(old) == second
    assert [it.to_dict() for it in shards.read_all(old)] == [it.to_dict() for it in shards.read_all(g1)]


def _relabelled(it, suffix: str):
    from plankg.search.index.items import Item

    return Item.from_dict(it.to_dict() | {"label": f"{it.label} {suffix}"})


def test_lexicon_registry_is_linked_when_an_update_leaves_it_unchanged(seeded, tmp_path) -> None:
    """The lexicon's agencies and localities (most of its bytes) are hard-linked into the
    next generation when an update did not change them; the documents' entries are written."""
    from plankg.search.index.lexicon import REGISTRY, Lexicon, read_lexicon

    settings, store = seeded[0], seeded[1]
    full = read_lexicon(settings, store)
    (tmp_path / "g0").mkdir()
    (tmp_path / "g1").mkdir()
    (tmp_path / "g2").mkdir()
    full.save(tmp_path / "g0")
    before = Lexicon.load(tmp_path / "g0")
    assert before == full and full.agencies and full.documents
    doc = full.documents[0].iri
    part = read_lexicon(settings, store, {doc})
    after = before.updated(part, {doc})
    after.save(tmp_path / "g1", (tmp_path / "g0", before))
    assert Lexicon.load(tmp_path / "g1") == after
    linked = (tmp_path / "g1" / REGISTRY).stat().st_ino == (tmp_path / "g0" / REGISTRY).stat().st_ino
    assert linked == (after.agencies == before.agencies and after.localities == before.localities)
    smaller = Lexicon(after.agencies[1:], after.localities, after.documents)  # an agency gone: written
    smaller.save(tmp_path / "g2", (tmp_path / "g1", after))
    assert (tmp_path / "g2" / REGISTRY).stat().st_ino != (tmp_path / "g1" / REGISTRY).stat().st_ino
    assert Lexicon.load(tmp_path / "g2") == smaller
