"""The derived graphs (alignment, section alignment, inferred) kept in step incrementally (ingest/build/derived.py,
``inference.update_inferred``): after each add, change or remove they equal a full recompute,
and a sequence ends in the same quads as a fresh ingest of the final files in another order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS

from plankg.config import load_settings
from plankg.ingest.build.alignment import compute_links, links_graph
from plankg.ingest.build.alignment_tables import AlignmentTables
from plankg.ingest.build.derived import canonical, pending_marker
from plankg.ingest.build.inference import change_scope, far_properties, materialise, rules_from_ontology, update_inferred
from plankg.ingest.build.section_alignment import compute_section_links
from plankg.ingest.build.section_alignment import links_graph as section_links_graph
from plankg.ingest.check import check_store, repair_store
from plankg.ingest.pipeline import Workspace
from plankg.store import iris
from plankg.store.backends.oxigraph import OxigraphStore
from plankg.store.open import open_store
from tests.conftest import REFERENCE_DIR, seed_path
from tests.test_incremental import _copy, _quads

PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")
EX = rdflib.Namespace("urn:test#")
BASE = "https://example.org/"


def _workspace(home: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("PLANKG_HOME", str(home))
    settings = load_settings()
    return Workspace(settings, open_store(settings))


def _assert_equals_full_recompute(ws: Workspace) -> None:
    """The stored alignment, section-alignment and inferred graphs are what a full recompute
    gives now (the alignment scored with the workspace's settings: embedder vectors, evidence,
    version in force, as h14align's ``refresh_alignment(store, base, settings)``)."""
    base, store = ws.settings.base_iri, ws.store
    alignment = set(store.get_graph(iris.alignment_graph_iri(base)))
    assert alignment == set(canonical(links_graph(compute_links(store, base, ws.settings))))
    served = set(store.get_graph(iris.section_alignment_graph_iri(base)))
    assert served == set(canonical(section_links_graph(compute_section_links(store, base, ws.settings))))
    inferred = set(store.get_graph(iris.inferred_graph_iri(base)))
    materialise(store, base)
    assert inferred == set(store.get_graph(iris.inferred_graph_iri(base)))
    # the citation and amendment tables kept in derived.json (patched from the merged view's
    # changes) are what a whole read of the store gives
    kept = json.loads((ws.settings.home / "build" / "derived.json").read_text("utf-8"))["tables"]
    assert kept == AlignmentTables.read(store, base).to_json()


@pytest.mark.slow
def test_alignment_and_inference_follow_each_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = tmp_path / "files"
    ward, province, cited = (_copy(seed_path(p), files) for p in ("002", "000", "004"))
    changing = _copy(seed_path("003"), files, "plan.txt", keep=0.5)
    inc = _workspace(tmp_path / "inc", monkeypatch)
    inc.ingest([str(ward)])
    inc.ingest([str(province)])  # a higher plan arrives after the ward's: the ward is re-aligned
    assert inc.last_build.timings["derived_full"] == 0.0, "the incremental path was taken"
    assert AlignmentTables.read(inc.store, inc.settings.base_iri).located, "the plans' localities are in the registry"
    links = inc.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{PK.carriesOut}> ?b }}",
                            default_graphs=[iris.alignment_graph_iri(inc.settings.base_iri)]).records()
    assert int(str(links[0]["n"])) > 0, "ward tasks carry out province tasks"
    _assert_equals_full_recompute(inc)
    inc.ingest([str(changing), str(cited)])
    _copy(seed_path("003"), files, "plan.txt")  # changed: the whole plan
    inc.ingest([str(changing)])
    assert inc.last_build.timings["derived_full"] == 0.0
    _assert_equals_full_recompute(inc)
    inc.remove([province.name])  # the ward's links go with the province plan
    _assert_equals_full_recompute(inc)
    inc.ingest([str(province)])
    _assert_equals_full_recompute(inc)

    fresh = _workspace(tmp_path / "fresh", monkeypatch)
    fresh.ingest([str(province), str(changing), str(cited), str(ward)])  # another order, one batch
    got, want = _quads(inc), _quads(fresh)
    assert got == want, (sorted(got - want)[:5], sorted(want - got)[:5])


@pytest.mark.slow
def test_a_cited_document_removed_and_added_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notice (627/TB-VPCP) and a plan citing it: the citation and document tables the
    alignment keeps (patched from the merged view's changes) and the three derived graphs
    equal a full recompute when the cited one is removed and added again."""
    corpus = Path(__file__).resolve().parent / "data" / "corpus"
    cited, citing = corpus / "50f694478a35aefd.md", corpus / "1095764e502a89b8.md"
    ws = _workspace(tmp_path / "inc", monkeypatch)
    ws.ingest([str(citing)])
    ws.ingest([str(cited)])

    def cited_iris() -> set[str]:
        tables = AlignmentTables.read(ws.store, ws.settings.base_iri)
        return {h for hs in tables.cites.values() for h in hs} & tables.documents

    assert cited_iris(), "the plan's citation lands on the ingested notice"
    _assert_equals_full_recompute(ws)
    ws.remove([cited.name])
    assert ws.last_build.timings["derived_full"] == 0.0
    assert not cited_iris()
    _assert_equals_full_recompute(ws)
    ws.ingest([str(cited)])
    assert ws.last_build.timings["derived_full"] == 0.0 and cited_iris()
    _assert_equals_full_recompute(ws)


@pytest.mark.slow
def test_an_interrupted_refresh_is_recomputed_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = tmp_path / "files"
    ward, province = (_copy(seed_path(p), files) for p in ("002", "000"))
    ws = _workspace(tmp_path / "home", monkeypatch)
    ws.ingest([str(ward), str(province)])
    want = _quads(ws)
    ws.store.drop_graph(iris.inferred_graph_iri(ws.settings.base_iri))  # as a crash mid-refresh could leave it
    pending_marker(ws.settings.home).write_text("1", "utf-8")
    assert [f.code for f in check_store(ws, deep=False) if f.damage] == ["derived-pending"]
    repair_store(ws)
    assert ws.last_build.timings["derived_full"] == 1.0
    assert _quads(ws) == want and not pending_marker(ws.settings.home).exists()


def _small_ontology() -> rdflib.Graph:
    onto = rdflib.Graph()
    onto.add((EX.partOf, RDF.type, OWL.TransitiveProperty))
    onto.add((EX.Ward, RDFS.subClassOf, EX.Locality))
    onto.add((EX.Locality, RDFS.subClassOf, EX.Place))
    onto.add((EX.lead, RDFS.subPropertyOf, EX.involved))
    onto.add((EX.involved, OWL.inverseOf, EX.involvedIn))
    onto.add((EX.inside, RDFS.subPropertyOf, EX.partOf))
    return onto


def test_scope_of_a_change() -> None:
    rules = rules_from_ontology(_small_ontology())
    assert far_properties(rules) == {str(EX.partOf), str(EX.inside)}  # read by the transitive rule, or entail it
    scope = change_scope([(EX.t, EX.lead, EX.a), (EX.w, RDF.type, EX.Ward), (EX.t, EX.label, rdflib.Literal("x"))],
                         rules)
    assert scope is not None and scope.pairs == {(str(EX.t), str(EX.a)), (str(EX.a), str(EX.t))}
    assert scope.nodes == {str(EX.w)}
    assert change_scope([(EX.w, EX.inside, EX.d)], rules) is None  # a transitive chain: the whole graph


def test_update_equals_materialise_on_a_small_graph() -> None:
    """Remove and add links on a graph whose entailments cross terms, compare with a fresh
    materialisation of the new data (including a pair that stays entailed another way)."""
    rules = rules_from_ontology(_small_ontology())
    data = rdflib.Graph()
    for triple in [(EX.t1, EX.lead, EX.a), (EX.t1, EX.involved, EX.b), (EX.t2, EX.lead, EX.b),
                   (EX.w, RDF.type, EX.Ward), (EX.w, EX.partOf, EX.d), (EX.d, EX.partOf, EX.p)]:
        data.add(triple)
    store = OxigraphStore(None)
    merged = iris.merged_graph_iri(BASE)
    store.replace_graph(merged, data)
    materialise(store, BASE, rules)
    removed = [(EX.t1, EX.lead, EX.a), (EX.t2, EX.lead, EX.b), (EX.w, RDF.type, EX.Ward)]
    added = [(EX.t1, EX.lead, EX.b), (EX.t3, EX.lead, EX.a), (EX.d, RDF.type, EX.Locality)]
    store.patch_graph(merged, removed, added)
    report = update_inferred(store, BASE, removed + added, rules)
    got = set(store.get_graph(iris.inferred_graph_iri(BASE)))
    fresh = OxigraphStore(None)
    fresh.replace_graph(merged, store.get_graph(merged))
    materialise(fresh, BASE, rules)
    want = set(fresh.get_graph(iris.inferred_graph_iri(BASE)))
    assert got == want
    assert (EX.a, EX.involvedIn, EX.t3) in got and (EX.b, EX.involvedIn, EX.t1) in got
    assert (EX.t1, EX.involved, EX.a) not in got and (EX.w, RDF.type, EX.Place) not in got
    assert (EX.w, EX.partOf, EX.p) in got  # outside the scope: kept
    assert report.rounds >= 2


@pytest.mark.slow
def test_section_alignment_and_version_in_force_follow_each_change(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """57-NQ/TW arrives (its items change: the section graph is recomputed whole), then the
    province plan (its tasks are linked to the items incrementally, inference follows), then
    an amending plan B of the province plan (``eli:amends``: B's version of two rows replaces
    them among the ward's candidates, widening what is re-aligned) and its removal."""
    reference = REFERENCE_DIR / "57-NQ-TW.md"
    if not reference.exists():
        pytest.skip(f"{reference} not found")
    files = tmp_path / "files"
    ward, province = (_copy(seed_path(p), files) for p in ("002", "000"))
    ws = _workspace(tmp_path / "inc", monkeypatch)
    base, store = ws.settings.base_iri, ws.store
    served = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?t <{PK.servesSection}> ?s ; <{PK.inDocument}> ?d }}"
    ws.ingest([str(ward)])
    ws.ingest([str(reference)])
    _assert_equals_full_recompute(ws)
    ws.ingest([str(province)])
    assert ws.last_build.timings["derived_full"] == 0.0
    _assert_equals_full_recompute(ws)
    assert int(str(store.query(served, default_graphs=[iris.section_alignment_graph_iri(base),
                                                        iris.merged_graph_iri(base)]).records()[0]["n"])) > 0

    # an amending plan B, written straight into the merged view (no seed amends another)
    from plankg.ingest.build.alignment import read_tasks
    from plankg.ingest.build.derived import DerivedGraphs

    ward_links = {(str(s), str(o)) for s, _, o in store.get_graph(iris.alignment_graph_iri(base))
                  .triples((None, PK.carriesOut, None))}
    targets = sorted({h for _, h in ward_links})[:2]
    assert targets, "the ward carries out province rows"
    prov_doc = next(d for d, ts in read_tasks(store, base).items() if any(t.iri == targets[0] for t in ts))
    texts = {t.iri: t.text for t in read_tasks(store, base, [prov_doc])[prov_doc]}
    amending = rdflib.URIRef(prov_doc + "-amending")
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    added: list[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]] = [
        (amending, PK.hasRendition, rdflib.URIRef(str(amending) + "/rendition")),
        (amending, eli.amends, rdflib.URIRef(prov_doc))]
    for n, old in enumerate(targets):
        task = rdflib.URIRef(f"{amending}/task/{n}")
        added += [(task, RDF.type, PK.Task), (task, PK.inDocument, amending),
                  (task, PK.text, rdflib.Literal(texts[old] + " (sửa đổi)"))]
    merged = iris.merged_graph_iri(base)
    for change, removed, plus in (("amend", [], added), ("withdraw", added, [])):
        store.patch_graph(merged, removed, plus)
        derived = DerivedGraphs(store, base, ws.settings.home / "build", ws.settings)
        derived.begin()
        derived.refresh({str(amending)}, [*removed, *plus], full=False)
        assert derived.timings["derived_full"] == 0.0, change
        _assert_equals_full_recompute(ws)
        now = {str(o) for o in store.get_graph(iris.alignment_graph_iri(base)).objects(None, PK.carriesOut)}
        assert bool(now & {f"{amending}/task/{n}" for n in range(len(targets))}) == (change == "amend"), change
