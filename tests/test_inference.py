"""Materialised entailments (ingest/build/inference.py): rules generated from the ontology's
axioms, run in the store to a fixpoint, kept in ``{base}graph/inferred``.

Each axiom kind is checked on the ingested seeds (real data) where the seeds exercise it,
and on a small graph written here where they do not (a transitive chain of three links, an
axiom the shipped ontology does not have: proof that the rules are generated, not listed).
"""

from __future__ import annotations

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib import OWL, RDF, RDFS, URIRef

from plankg.ingest.build.inference import data_graphs, materialise, ontology_rules, rules_from_ontology
from plankg.ontology import load_ontology
from plankg.store import iris
from plankg.store.backends.oxigraph import OxigraphStore
from plankg.store.read.queries import PREFIXES, run_query

PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
PLAN_57 = "eli/binh-phuoc/ubnd/kh/2025/57"


def _rows(seeded, sparql: str, *, infer: bool = True) -> list[dict]:
    settings, store, _, _ = seeded
    return run_query(store, settings, PREFIXES + sparql, infer=infer).records()


def _inferred(seeded) -> rdflib.Graph:
    settings, store, _, _ = seeded
    return store.get_graph(iris.inferred_graph_iri(settings.base_iri))


# -- the rules come from the axioms ---------------------------------------------------------

def test_every_axiom_kind_of_the_ontology_gives_rules() -> None:
    onto = load_ontology()
    rules = ontology_rules()
    kinds = {r.kind for r in rules}
    assert {"subClassOf", "subPropertyOf", "inverseOf", "symmetric", "transitive", "chain"} <= kinds
    named_sub_props = {(p, q) for p, q in onto.subject_objects(RDFS.subPropertyOf)
                       if isinstance(p, URIRef) and isinstance(q, URIRef)}
    assert len([r for r in rules if r.kind == "subPropertyOf"]) == len(named_sub_props)
    assert any(str(PK.leadAgency) in r.axiom and str(PK.involvedAgency) in r.axiom for r in rules)


def test_a_new_axiom_is_a_new_rule_and_trivial_classes_are_not() -> None:
    onto = rdflib.Graph()
    ex = rdflib.Namespace("urn:test#")
    onto.add((ex.Ward, RDFS.subClassOf, ex.Locality))
    onto.add((ex.Ward, RDFS.subClassOf, OWL.Thing))
    onto.add((ex.partOf, RDF.type, OWL.TransitiveProperty))
    rules = rules_from_ontology(onto)
    assert [r.kind for r in rules] == ["subClassOf", "transitive"]
    assert all(str(OWL.Thing) not in r.construct for r in rules)


def test_fixpoint_on_a_small_graph_no_reflexive_no_literals_no_schema() -> None:
    base = "https://example.org/"
    ex = rdflib.Namespace("urn:test#")
    onto = rdflib.Graph()
    onto.add((ex.partOf, RDF.type, OWL.TransitiveProperty))
    onto.add((ex.Ward, RDFS.subClassOf, ex.Locality))
    onto.add((ex.Locality, RDFS.subClassOf, ex.Place))
    onto.add((ex.label2, RDFS.subPropertyOf, ex.label))
    data = rdflib.Graph()
    for a, b in ((ex.w, ex.d), (ex.d, ex.p), (ex.p, ex.n), (ex.n, ex.w)):  # a cycle: reflexive links must not appear
        data.add((a, ex.partOf, b))
    data.add((ex.w, RDF.type, ex.Ward))
    data.add((ex.w, ex.label2, rdflib.Literal("phường")))
    store = OxigraphStore(None)
    store.replace_graph(iris.merged_graph_iri(base), data)
    store.replace_graph(iris.ontology_graph_iri(base), onto)
    report = materialise(store, base, rules_from_ontology(onto))
    out = store.get_graph(iris.inferred_graph_iri(base))
    assert (ex.w, ex.partOf, ex.n) in out and (ex.d, ex.partOf, ex.w) in out  # three links away
    assert not any(s == o for s, _, o in out)
    assert (ex.w, RDF.type, ex.Place) in out  # two levels up the class tree
    assert not list(out.triples((None, ex.label, None)))  # literal copies are not entailed
    assert not (set(out) & set(data))  # only what is new
    assert report.rounds >= 3 and report.triples == len(out)
    assert store.graph_names() == sorted([iris.merged_graph_iri(base), iris.ontology_graph_iri(base),
                                          iris.inferred_graph_iri(base)])  # the scratch graph is gone


def _small_home(store) -> tuple[str, rdflib.Graph]:
    base = "https://example.org/"
    ex = rdflib.Namespace("urn:test#")
    onto = rdflib.Graph()
    onto.add((ex.partOf, RDF.type, OWL.TransitiveProperty))
    onto.add((ex.Ward, RDFS.subClassOf, ex.Locality))
    data = rdflib.Graph()
    for a, b in ((ex.w, ex.d), (ex.d, ex.p), (ex.p, ex.n)):
        data.add((a, ex.partOf, b))
    data.add((ex.w, RDF.type, ex.Ward))
    store.replace_graph(iris.merged_graph_iri(base), data)
    return base, onto


def test_a_crash_midway_keeps_the_old_graph_and_the_next_run_recovers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The entailments live in scratch round graphs of the store until the fixpoint (#11): a
    crash before the inferred graph is written leaves the old one as readers saw it, and the
    next run drops what the crash left and writes the same graph as a clean run."""
    store = OxigraphStore(None)
    base, onto = _small_home(store)
    rules = rules_from_ontology(onto)
    materialise(store, base, rules)
    target = iris.inferred_graph_iri(base)
    before = set(store.get_graph(target))
    ex = rdflib.Namespace("urn:test#")
    store.patch_graph(iris.merged_graph_iri(base), (), [(ex.n, ex.partOf, ex.m)])  # a change: more to entail

    def crash(*_a: object, **_k: object) -> None:
        raise RuntimeError("crash")

    monkeypatch.setattr(store, "sync_graph", crash)
    monkeypatch.setattr(store, "discard_graph", lambda _g: None)  # the process died: nothing cleaned up
    with pytest.raises(RuntimeError):
        materialise(store, base, rules)
    assert set(store.get_graph(target)) == before
    assert any(g.startswith(target + "-next-") for g in store.graph_names())  # the crash's leftovers
    monkeypatch.undo()
    report = materialise(store, base, rules)
    after = set(store.get_graph(target))
    assert (ex.w, ex.partOf, ex.m) in after and before < after and report.triples == len(after)
    assert not any(g.startswith(target + "-") for g in store.graph_names())


def test_the_fallback_backend_entails_the_same_triples() -> None:
    """A backend without streamed reads or its own ``sync_graph`` (rdflib's memory store: the
    GraphStore defaults) gets exactly the triples of Oxigraph."""
    from plankg.store.backends.rdflib_memory import RdflibMemoryStore

    graphs = []
    for store in (OxigraphStore(None), RdflibMemoryStore(None)):
        base, onto = _small_home(store)
        materialise(store, base, rules_from_ontology(onto))
        graphs.append(set(store.get_graph(iris.inferred_graph_iri(base))))
    assert graphs[0] and graphs[0] == graphs[1]


# -- on the ingested seeds --------------------------------------------------------------------

def test_involved_agency_is_lead_plus_cooperating(seeded) -> None:
    q = f"""SELECT ?t (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?t a pk:Task ; pk:inDocument <{{base}}{PLAN_57}> ;
              pk:involvedAgency ?a }} GROUP BY ?t"""
    base = seeded[0].base_iri
    involved = {r["t"]: int(r["n"]) for r in _rows(seeded, q.replace("{base}", base))}
    named = {r["t"]: int(r["n"]) for r in _rows(seeded, f"""SELECT ?t (COUNT(DISTINCT ?a) AS ?n) WHERE {{
        ?t a pk:Task ; pk:inDocument <{base}{PLAN_57}> ; pk:leadAgency|pk:cooperatingAgency ?a }} GROUP BY ?t""")}
    assert len(named) > 50 and involved == named
    assert not _rows(seeded, "SELECT ?t WHERE { ?t pk:involvedAgency ?a } LIMIT 1", infer=False)
    # two steps up: pk:involvedAgency ⊑ prov:wasAssociatedWith
    assert run_query(seeded[1], seeded[0], PREFIXES + """ASK { ?t pk:leadAgency ?a .
        FILTER NOT EXISTS { ?t prov:wasAssociatedWith ?a } }""").boolean is False
    assert run_query(seeded[1], seeded[0], PREFIXES + """ASK { ?t prov:wasAssociatedWith ?a }""",
                     infer=False).boolean is False


def test_subclass_typing_of_plans_and_agencies(seeded) -> None:
    base = seeded[0].base_iri
    answer = run_query(seeded[1], seeded[0], PREFIXES + f"""ASK {{ <{base}{PLAN_57}> a eli:LegalResource }}""")
    assert answer.boolean is True
    assert run_query(seeded[1], seeded[0], PREFIXES + f"""ASK {{ <{base}{PLAN_57}> a eli:LegalResource }}""",
                     infer=False).boolean is False
    assert run_query(seeded[1], seeded[0], PREFIXES + """ASK { ?a a pk:Agency .
        FILTER NOT EXISTS { ?a a org:Organization , prov:Agent , <http://xmlns.com/foaf/0.1/Agent> } }""").boolean is False


def test_successor_from_change_events_and_its_inverse(seeded) -> None:
    out = _inferred(seeded)
    chained = set(out.subject_objects(PK.successor))
    assert chained, "the registry's change events give successors the registry did not state"
    settings, store = seeded[0], seeded[1]
    registry = store.get_graph(iris.registry_graph_iri(settings.base_iri))
    for old, new in chained:  # each one follows from one change event, as the chain axiom says
        assert any((ev, ORG.resultingOrganization, new) in registry for ev in registry.subjects(ORG.originalOrganization, old))
    stated = set(registry.subject_objects(PK.successor)) | chained
    assert {(b, a) for a, b in stated} <= set(out.subject_objects(PK.predecessor)) | set(registry.subject_objects(PK.predecessor))


def test_transitive_sub_organisation_is_closed(seeded) -> None:
    rows = _rows(seeded, """SELECT ?a ?c WHERE { ?a org:transitiveSubOrganizationOf ?b . ?b org:transitiveSubOrganizationOf ?c .
        FILTER(?a != ?c) FILTER NOT EXISTS { ?a org:transitiveSubOrganizationOf ?c } }""")
    assert rows == []
    assert _rows(seeded, "SELECT ?a WHERE { ?a org:subOrganizationOf ?b . FILTER NOT EXISTS { ?a org:transitiveSubOrganizationOf ?b } }") == []


def test_symmetric_and_inverse_part_links(seeded) -> None:
    assert _rows(seeded, "SELECT ?a WHERE { ?a pk:correspondsTo ?b . FILTER NOT EXISTS { ?b pk:correspondsTo ?a } }") == []
    assert _rows(seeded, "SELECT ?a WHERE { ?a eli:is_part_of ?b . FILTER NOT EXISTS { ?b eli:has_part ?a } }") == []


def test_inferred_graph_holds_only_new_data_links(seeded) -> None:
    settings, store = seeded[0], seeded[1]
    out = _inferred(seeded)
    assert len(out) > 1000
    asserted = rdflib.Graph()
    for g in data_graphs(settings.base_iri):
        asserted += store.get_graph(g)
    vocabulary = set(load_ontology().subjects())
    assert not (set(out) & set(asserted))
    for s, p, o in out:
        assert isinstance(s, URIRef) and isinstance(o, URIRef) and s != o
        assert p != OWL.sameAs and o not in (OWL.Thing, RDFS.Resource)
        assert s not in vocabulary  # nothing about the ontology's own terms


def test_materialising_again_gives_the_same_graph(seeded) -> None:
    settings, store = seeded[0], seeded[1]
    before = set(_inferred(seeded))
    materialise(store, settings.base_iri)
    assert set(_inferred(seeded)) == before


def test_endpoint_infer_false_and_service_description(seeded) -> None:
    from plankg.api.http.service_config import ServiceConfig
    from plankg.api.http.sparql.worker import PoolConfig
    from plankg.api.server import create_app

    q = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?t pk:involvedAgency ?a }"
    with TestClient(create_app(seeded[0], ServiceConfig(pool=PoolConfig(workers=0)))) as client:
        on = client.get("/sparql", params={"query": q}, headers={"accept": "text/csv"})
        off = client.get("/sparql", params={"query": q, "infer": "false"}, headers={"accept": "text/csv"})
        bad = client.get("/sparql", params={"query": q, "infer": "maybe"})
        desc = client.get("/sparql", headers={"accept": "text/turtle"})
    assert on.status_code == off.status_code == 200
    assert int(on.text.split()[1]) > 100 and int(off.text.split()[1]) == 0
    assert bad.status_code == 400 and "infer" in bad.text
    assert "graph/inferred" in desc.text


@pytest.mark.slow
def test_a_chain_across_sources_follows_changes(plankg_home) -> None:
    """Adding and removing a source updates the entailments that depend on it."""
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.store.open import open_store
    from tests.conftest import seed_path

    settings = load_settings()
    with open_store(settings) as store:
        ws = Workspace(settings, store)
        ws.ingest([str(seed_path("002"))])
        q = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?t pk:involvedAgency ?a }"
        one = int(run_query(store, settings, q).records()[0]["n"])
        ws.ingest([str(seed_path("004"))])
        two = int(run_query(store, settings, q).records()[0]["n"])
        ws.remove([seed_path("004").name])
        again = int(run_query(store, settings, q).records()[0]["n"])
    assert 0 < one < two and again == one
