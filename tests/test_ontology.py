"""The ontology: parses, documents every term in two languages, covers the vocabulary
contract, stays consistent under HermiT, and the competency queries run.

The reasoner test uses a handful of individuals that mirror what the graph builder
emits, so a broken axiom (say, a subproperty declared the wrong way round) shows up as a
missing inference rather than only in hand-written SPARQL later.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.plugins.sparql import prepareQuery

from plankg.ontology import (
    ONTOLOGY_TTL,
    ONTOLOGY_VERSION,
    PK,
    QUERIES_DIR,
    SHAPES_TTL,
    VERSION_IRI,
    competency_queries,
    load_ontology,
    load_shapes,
    to_rdfxml,
)

REPO = Path(__file__).resolve().parents[1]
CONTRACT = REPO / "docs" / "vocabulary-contract.md"

ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
TIME = rdflib.Namespace("http://www.w3.org/2006/time#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return load_ontology()


def _declared(g: rdflib.Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}


def _contract_prefixes() -> dict[str, str]:
    text = CONTRACT.read_text(encoding="utf-8")
    return dict(re.findall(r"^([\w-]+):\s+<([^>]+)>", text, flags=re.M))


def _contract_terms(prefix: str) -> set[str]:
    text = CONTRACT.read_text(encoding="utf-8")
    return set(re.findall(rf"(?<![\w-]){re.escape(prefix)}:[A-Za-z][\w-]*", text))


# --- parsing and metadata -------------------------------------------------------------

def test_files_parse_and_paths_exist(onto: rdflib.Graph) -> None:
    assert ONTOLOGY_TTL.is_file() and SHAPES_TTL.is_file() and QUERIES_DIR.is_dir()
    assert len(onto) > 1000
    assert len(load_shapes()) > 100


def test_ontology_header(onto: rdflib.Graph) -> None:
    ont = URIRef("https://w3id.org/plankg/ontology")
    assert (ont, RDF.type, OWL.Ontology) in onto
    assert (ont, OWL.versionIRI, URIRef(VERSION_IRI)) in onto
    assert VERSION_IRI == "https://w3id.org/plankg/ontology/0.1.0"
    assert (ont, OWL.versionInfo, Literal(ONTOLOGY_VERSION)) in onto
    assert str(PK) == "https://w3id.org/plankg/ontology#"
    # reused vocabularies are declared locally: nothing to fetch from the network
    assert not list(onto.objects(None, OWL.imports))


def test_every_term_has_vi_en_labels_and_definition(onto: rdflib.Graph) -> None:
    missing = []
    for term in sorted(_declared(onto)):
        langs = {lbl.language for lbl in onto.objects(term, RDFS.label) if isinstance(lbl, Literal)}
        if not {"vi", "en"} <= langs or onto.value(term, SKOS.definition) is None:
            missing.append(term)
    assert not missing, missing
    assert len([t for t in _declared(onto) if t.startswith(str(PK))]) > 100


def test_concepts_are_labelled_and_in_a_scheme(onto: rdflib.Graph) -> None:
    q = """SELECT ?c WHERE { ?cls rdfs:subClassOf* skos:Concept . ?c a ?cls .
                             FILTER (STRSTARTS(STR(?c), STR(pk:))) }"""
    concepts = {row[0] for row in onto.query(q, initNs={"pk": PK, "skos": SKOS, "rdfs": RDFS})}
    assert PK["kind-KH"] in concepts and PK.ComparatorGE in concepts and PK.LevelCommune in concepts
    for c in concepts:
        langs = {lbl.language for lbl in onto.objects(c, SKOS.prefLabel)}
        assert {"vi", "en"} <= langs, c
        assert onto.value(c, SKOS.inScheme) is not None, c
        assert onto.value(c, SKOS.definition) is not None, c
    assert onto.value(PK["kind-KH"], SKOS.notation) == Literal("KH")
    assert onto.value(PK.ComparatorGE, SKOS.notation) == Literal("ge")


# --- the vocabulary contract ----------------------------------------------------------

def test_every_pk_term_of_the_contract_is_defined(onto: rdflib.Graph) -> None:
    terms = _contract_terms("pk")
    assert len(terms) > 100  # the parse found the contract's terms
    # "pk:ComparatorGE | GT | LE | LT | EQ | Range | Text" abbreviates six more
    terms |= {f"pk:Comparator{x}" for x in ("GT", "LE", "LT", "EQ", "Range", "Text")}
    undefined = sorted(t for t in terms if not set(onto.predicate_objects(PK[t[3:]])))
    assert not undefined, undefined
    untyped = sorted(t for t in terms if onto.value(PK[t[3:]], RDF.type) is None)
    assert not untyped, untyped


def test_reused_external_terms_of_the_contract_are_declared(onto: rdflib.Graph) -> None:
    prefixes = _contract_prefixes()
    assert prefixes["pk"] == str(PK)
    missing = []
    for prefix, ns in prefixes.items():
        if prefix == "pk":
            continue
        for term in _contract_terms(prefix):
            iri = URIRef(ns + term.split(":", 1)[1])
            if onto.value(iri, RDF.type) is None:
                missing.append(term)
    assert not missing, sorted(missing)


def test_core_axioms(onto: rdflib.Graph) -> None:
    for p in (ELI.based_on, ELI.amends, ELI.ensures_implementation_of):
        assert (p, RDFS.subPropertyOf, ELI.cites) in onto
    assert (PK.implements, RDFS.subPropertyOf, ELI.ensures_implementation_of) in onto
    for p in (PK.leadAgency, PK.cooperatingAgency):
        assert (p, RDFS.subPropertyOf, PK.involvedAgency) in onto
    assert (PK.involvedAgency, RDFS.subPropertyOf, PROV.wasAssociatedWith) in onto
    assert (PK.hasRendition, OWL.inverseOf, PK.renditionOf) in onto
    assert (PK.successor, OWL.inverseOf, PK.predecessor) in onto
    assert (ELI.has_part, OWL.inverseOf, ELI.is_part_of) in onto
    assert (PK.correspondsTo, RDF.type, OWL.SymmetricProperty) in onto
    assert (ORG.transitiveSubOrganizationOf, RDF.type, OWL.TransitiveProperty) in onto
    assert (PK.inDocument, RDFS.subPropertyOf, DCT.isPartOf) in onto
    assert (PK.extractedFrom, RDFS.subPropertyOf, PROV.wasDerivedFrom) in onto
    assert (PK.horizon, RDFS.subPropertyOf, URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")) in onto
    for sub, sup in [(PK.Document, ELI.LegalResource), (PK.Plan, PK.Document), (PK.Section, ELI.LegalResourceSubdivision),
                     (PK.Appendix, PK.Section), (PK.Task, PROV.Activity), (PK.Target, QB.Observation),
                     (PK.Deadline, TIME.Interval), (PK.Horizon, TIME.Interval), (PK.Agency, ORG.Organization),
                     (PK.AgentGroup, FOAF.Group), (PK.Rendition, PROV.Entity), (PK.SourceSpan, PROV.Entity),
                     (PK.Correction, PROV.Activity), (PK.Locality, DCT.Location), (PK.Indicator, SKOS.Concept)]:
        assert (sub, RDFS.subClassOf, sup) in onto, (sub, sup)


# --- reasoning ------------------------------------------------------------------------

REASONER_DATA = """
@prefix pk: <https://w3id.org/plankg/ontology#> .  @prefix x: <http://example.org/plankg-test#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .  @prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .  @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

x:nq57 a pk:Resolution .
x:plan a pk:Plan ; pk:implements x:nq57 ; eli:date_document "2025-02-23"^^xsd:date .
x:sec a pk:Section ; eli:is_part_of x:plan .
x:task a pk:Task ; pk:inDocument x:plan ; pk:leadAgency x:syt ; pk:dueDate "2025-12-31"^^xsd:date .
x:row a pk:Task ; pk:correspondsTo x:task .
x:mention a pk:TaskMention ; pk:correspondsTo x:row ; pk:leadAgency x:syt .
x:untyped pk:cooperatingAgency x:syt .
x:syt a pk:Agency ; org:subOrganizationOf x:ubnd .
x:ubnd a pk:Agency ; org:subOrganizationOf x:central .
x:central a pk:Agency .
x:stttt a pk:Agency .  x:skhcn a pk:Agency .
x:merge a org:ChangeEvent ; org:originalOrganization x:stttt ; org:resultingOrganization x:skhcn ;
    pk:effectiveDate "2025-03-01"^^xsd:date .

# test-only defined classes: HermiT reports class membership, which is how owlready2
# surfaces entailed subproperty and inverse values
x:InvolvesSYT owl:equivalentClass [ a owl:Restriction ; owl:onProperty pk:involvedAgency ; owl:hasValue x:syt ] .
x:AssociatedWithSYT owl:equivalentClass [ a owl:Restriction ; owl:onProperty prov:wasAssociatedWith ; owl:hasValue x:syt ] .
x:CitesNQ57 owl:equivalentClass [ a owl:Restriction ; owl:onProperty eli:cites ; owl:hasValue x:nq57 ] .
x:HasPartSec owl:equivalentClass [ a owl:Restriction ; owl:onProperty eli:has_part ; owl:hasValue x:sec ] .
x:CorrespondsToRow owl:equivalentClass [ a owl:Restriction ; owl:onProperty pk:correspondsTo ; owl:hasValue x:row ] .
"""


def _reason(tmp_path: Path, extra_ttl: str = ""):
    """Load ontology + REASONER_DATA into a fresh owlready2 world and run HermiT."""
    owlready2 = pytest.importorskip("owlready2")
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java")
    data = rdflib.Graph().parse(data=REASONER_DATA + extra_ttl, format="turtle")
    path = to_rdfxml(tmp_path / "plankg-test.owl", extra=data)
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    # xsd:date is outside the OWL 2 datatype map HermiT implements
    owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True)
    return world


def test_hermit_consistent_with_useful_inferences(tmp_path: Path) -> None:
    world = _reason(tmp_path)
    x = "http://example.org/plankg-test#"
    ind = lambda name: world[x + name]  # noqa: E731
    cls = lambda name: world[x + name]  # noqa: E731
    # subproperty chain leadAgency ⊑ involvedAgency ⊑ prov:wasAssociatedWith
    assert isinstance(ind("task"), cls("InvolvesSYT"))
    assert isinstance(ind("task"), cls("AssociatedWithSYT"))
    # pk:implements ⊑ eli:ensures_implementation_of ⊑ eli:cites
    assert isinstance(ind("plan"), cls("CitesNQ57"))
    # eli:has_part is the inverse of eli:is_part_of
    assert isinstance(ind("plan"), cls("HasPartSec"))
    # pk:correspondsTo is symmetric
    assert isinstance(ind("task"), cls("CorrespondsToRow"))
    # the domain of pk:involvedAgency types an untyped subject as a task or a task mention
    # (#14: a narrative item restating an appendix row is a pk:TaskMention and may name agencies)
    assert isinstance(ind("untyped"), world[str(PK.TaskOrMention)])
    assert not isinstance(ind("mention"), world[str(PK.Task)])  # its lead agency does not make it a second task
    # org:transitiveSubOrganizationOf is the transitive closure of org:subOrganizationOf
    trans = world[str(ORG.transitiveSubOrganizationOf)]
    assert ind("central") in trans[ind("syt")]
    # successor/predecessor follow from an org:ChangeEvent (property chain + inverse)
    assert ind("skhcn") in world[str(PK.successor)][ind("stttt")]
    assert ind("stttt") in world[str(PK.predecessor)][ind("skhcn")]


def test_hermit_detects_a_task_that_is_also_a_target(tmp_path: Path) -> None:
    owlready2 = pytest.importorskip("owlready2")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(tmp_path, "x:task a pk:Target .")


# --- competency queries ---------------------------------------------------------------

def test_at_least_twelve_bilingual_queries() -> None:
    queries = competency_queries()
    assert len(queries) >= 12
    for name, text in queries.items():
        assert re.fullmatch(r"\d\d-[a-z0-9-]+", name), name
        lines = text.splitlines()
        assert lines[0].startswith("# vi: ") and lines[1].startswith("# en: "), name
        body = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
        assert not re.search(r"\bGRAPH\b", body, flags=re.I), f"{name}: queries run over the merged default graph"


@pytest.mark.parametrize("name", sorted(competency_queries()))
def test_query_parses_and_runs_on_empty_store(name: str) -> None:
    text = competency_queries()[name]
    prepareQuery(text)  # rdflib's parser
    result = ox.Store().query(text)
    rows = list(result) if not isinstance(result, bool) else []
    assert rows == []


EXAMPLE = """
@prefix pk: <https://w3id.org/plankg/ontology#> .  @prefix d: <https://plankg.example.org/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .  @prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .  @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .  @prefix foaf: <http://xmlns.com/foaf/0.1/> .

d:loc-bp a pk:Locality ; skos:prefLabel "tỉnh Bình Phước"@vi ; pk:adminLevel pk:LevelProvince .
d:loc-ward a pk:Locality ; skos:prefLabel "phường Bình Phước"@vi ; pk:adminLevel pk:LevelCommune .
d:bct a pk:Agency ; skos:prefLabel "Bộ Chính trị"@vi .
d:cp a pk:Agency ; skos:prefLabel "Chính phủ"@vi .
d:ubnd a pk:Agency ; skos:prefLabel "UBND tỉnh Bình Phước"@vi .
d:syt a pk:Agency ; skos:prefLabel "Sở Y tế"@vi ; pk:locality d:loc-bp .
d:skhcn a pk:Agency ; skos:prefLabel "Sở Khoa học và Công nghệ"@vi ; skos:altLabel "Sở KH&CN"@vi ; pk:locality d:loc-bp .
d:stttt a pk:Agency ; skos:prefLabel "Sở Thông tin và Truyền thông"@vi ; pk:successor d:skhcn ; pk:locality d:loc-bp .
d:merge a org:ChangeEvent ; org:originalOrganization d:stttt ; org:resultingOrganization d:skhcn ;
    pk:effectiveDate "2025-03-01"^^xsd:date .

d:nq57 a pk:Resolution ; eli:id_local "57-NQ/TW" ; eli:date_document "2024-12-22"^^xsd:date ; eli:passed_by d:bct .
d:nq03 a pk:Resolution ; eli:id_local "03/NQ-CP" ; eli:date_document "2025-01-09"^^xsd:date ; eli:passed_by d:cp ;
    eli:ensures_implementation_of d:nq57 ; eli:cites d:nq57 .
d:plan a pk:Plan ; eli:id_local "57/KH-UBND" ; eli:date_document "2025-02-23"^^xsd:date ; eli:passed_by d:ubnd ;
    pk:locality d:loc-bp ; pk:implements d:nq03 ; eli:ensures_implementation_of d:nq03 ; eli:cites d:nq03 , d:letter .
d:letter a pk:OfficialLetter ; eli:id_local "163/STTTT-BCVTCNTT" .
d:wardplan a pk:Plan ; eli:id_local "12/KH-UBND" ; eli:date_document "2025-08-01"^^xsd:date ;
    pk:locality d:loc-ward ; eli:based_on d:nq57 ; eli:cites d:nq57 .
d:cit1 a pk:Citation ; pk:citingDocument d:plan ; pk:citedDocument d:nq03 ; pk:citationType pk:CitationImplements .

d:t1 a pk:Task ; pk:inDocument d:plan ; pk:path "PL2.1" ; pk:text "Y tế số" ; pk:leadAgency d:syt ;
    pk:cooperatingAgency d:skhcn ; pk:dueDate "2025-06-15"^^xsd:date ; pk:dueYear 2025 ; pk:recurrence pk:NoRecurrence .
d:t2 a pk:Task ; pk:inDocument d:plan ; pk:path "PL2.31" ; pk:text "Triển khai hạ tầng 5G, IoT" ;
    pk:leadAgency d:stttt ; pk:cooperatingAgency d:syt ; pk:dueDate "2026-03-31"^^xsd:date ; pk:dueYear 2026 ;
    pk:extractedFrom d:span2 ; prov:qualifiedAssociation d:assoc2 .
d:assoc2 a prov:Association ; prov:agent d:stttt ; prov:hadRole pk:LeadRole ; pk:rawName "Sở Thông tin và Truyền thông" ;
    pk:extractedFrom d:span2 .
d:span2 a pk:SourceSpan ; pk:sourceFile "000_fe8eef2ddadfd7b2.txt" ; pk:startOffset 61000 ; pk:endOffset 61120 ;
    pk:startLine 2036 ; pk:endLine 2040 ; pk:quote "Xây dựng kế hoạch và triển khai hạ tầng 5G, IoT" .
d:r0 a pk:Rendition ; pk:renditionOf d:plan ; pk:sourceFile "000_fe8eef2ddadfd7b2.txt" ;
    pk:checksum "0000000000000000000000000000000000000000000000000000000000000000" .
d:t3 a pk:Task ; pk:inDocument d:plan ; pk:path "PL2.40" ; pk:text "Báo cáo hằng năm" ; pk:leadAgency d:skhcn ;
    pk:recurrence pk:Annual ; pk:deadlineText "Hằng năm" .
d:t4 a pk:Task ; pk:inDocument d:plan ; pk:path "III.1.a" ; pk:text "Nhiệm vụ chung" ; pk:origin "narrative" .
d:t5 a pk:Task ; pk:inDocument d:plan ; pk:path "PL2.I.1" ; pk:text "Tuyên truyền" ; pk:leadAgency d:others ;
    pk:cooperatingAgency d:skhcn ; pk:recurrence pk:Continuous ; pk:pillar pk:pillar-nq57-1 ; pk:correctedBy d:fix1 .
d:others a pk:AgentGroup ; skos:prefLabel "Các sở, ban, ngành"@vi ; pk:memberPattern "all provincial departments" .
d:fix1 a pk:Correction ; pk:correctedField "leadAgency" ; pk:oldValue "UBND tỉnh" ; pk:newValue "Các sở, ban, ngành" ;
    prov:wasAssociatedWith [ a prov:Agent ; foaf:name "reviewer" ] ; skos:note "appendix row, not the heading" .

d:g1 a pk:Target ; pk:inDocument d:plan ; pk:indicatorText "Phủ sóng 5G cho người dân" ; pk:comparator pk:ComparatorEQ ;
    pk:value 99.0 ; pk:unit "% dân số" ; pk:horizonYear 2030 ; pk:monitoringAgency d:stttt .
d:g2 a pk:Target ; pk:inDocument d:wardplan ; pk:indicatorText "Phủ sóng 5G cho người dân" ; pk:comparator pk:ComparatorEQ ;
    pk:value 80.0 ; pk:unit "% dân số" ; pk:horizonYear 2030 .
d:g2n a pk:Target ; pk:inDocument d:wardplan ; pk:indicatorText "Phủ sóng 5G" ; pk:comparator pk:ComparatorEQ ;
    pk:value 85.0 ; pk:horizonYear 2030 ; pk:mentionOf d:g2 ; pk:discrepancy "narrative says 85%, appendix 80%" .
"""


@pytest.fixture(scope="module")
def example_store() -> ox.Store:
    store = ox.Store()
    store.load(EXAMPLE.encode("utf-8"), ox.RdfFormat.TURTLE)
    return store


def _select(store: ox.Store, name: str) -> list[dict[str, str]]:
    result = store.query(competency_queries()[name])
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def _q(prefix: str) -> str:
    return next(n for n in competency_queries() if n.startswith(prefix))


def test_queries_answer_on_example_graph(example_store: ox.Store) -> None:
    """Small hand-made graph in the contract's shape; answers over the seeds come from ingest."""
    d = "https://plankg.example.org/"
    implementing = {r["document"]: r for r in _select(example_store, _q("01"))}
    assert set(implementing) == {d + "nq03", d + "plan", d + "wardplan"}
    assert implementing[d + "plan"]["issuer"] == "UBND tỉnh Bình Phước"
    assert implementing[d + "plan"]["date"] == "2025-02-23"

    assert [r["task"] for r in _select(example_store, _q("02"))] == [d + "t1"]
    counts = {(r["agencyLabel"], int(r["tasks"])) for r in _select(example_store, _q("03"))}
    assert ("Sở Y tế", 1) in counts and ("Sở Khoa học và Công nghệ", 1) in counts

    targets = _select(example_store, _q("04"))
    assert {r["target"] for r in targets} == {d + "g1", d + "g2"}
    g1 = next(r for r in targets if r["target"] == d + "g1")
    assert (g1["comparator"], float(g1["value"]), g1["unit"], g1["monitoringLabel"]) == ("eq", 99.0, "% dân số", "Sở Thông tin và Truyền thông")

    five_g = {r["level"]: float(r["value"]) for r in _select(example_store, _q("05"))}
    assert five_g == {"Province": 99.0, "Commune": 80.0}

    missing = {r["task"]: (r["noDeadline"], r["noCooperatingAgency"]) for r in _select(example_store, _q("06"))}
    assert missing == {d + "t3": ("false", "true"), d + "t4": ("true", "true")}

    partners = {r["partnerLabel"]: int(r["sharedTasks"]) for r in _select(example_store, _q("07"))}
    assert partners == {"Sở Y tế": 1, "Các sở, ban, ngành": 1}

    assert [r["task"] for r in _select(example_store, _q("08"))] == [d + "t1"]
    recurring = {(r["task"], r["recurrence"]) for r in _select(example_store, _q("09"))}
    assert recurring == {(d + "t3", "Annual"), (d + "t5", "Continuous")}

    chain = {(r["fromSymbol"], r["toSymbol"]) for r in _select(example_store, _q("10"))}
    assert chain == {("57/KH-UBND", "03/NQ-CP"), ("03/NQ-CP", "57-NQ/TW")}

    prov_rows = _select(example_store, _q("11"))
    assert {r["fact"] for r in prov_rows} == {"task", "lead agency: Sở Thông tin và Truyền thông"}
    assert all(r["sourceFile"] == "000_fe8eef2ddadfd7b2.txt" and r["startOffset"] == "61000" and "checksum" in r for r in prov_rows)

    inherited = {(r["task"], r["role"], r["inherited"]) for r in _select(example_store, _q("12"))}
    assert inherited == {(d + "t1", "cooperating", "false"), (d + "t3", "lead", "false"),
                         (d + "t5", "cooperating", "false"), (d + "t2", "lead", "true")}

    assert [r["narrativeTarget"] for r in _select(example_store, _q("13"))] == [d + "g2n"]

    fixes = _select(example_store, _q("14"))
    assert [(r["entity"], r["field"], r["newValue"], r["who"]) for r in fixes] == [(d + "t5", "leadAgency", "Các sở, ban, ngành", "reviewer")]
    groups = _select(example_store, _q("15"))
    assert [(r["groupLabel"], r["role"], r["task"]) for r in groups] == [("Các sở, ban, ngành", "lead", d + "t5")]
    pillars = _select(example_store, _q("16"))
    assert [(r["pillar"], int(r["tasks"]), int(r["targets"])) for r in pillars] == [(str(PK["pillar-nq57-1"]), 1, 0)]


def test_query_files_are_listed_in_docs() -> None:
    doc = (REPO / "docs" / "ontology.md").read_text(encoding="utf-8")
    for name in competency_queries():
        assert f"{name}.rq" in doc, name
