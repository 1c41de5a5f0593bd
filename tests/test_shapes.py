"""SHACL shapes: severities match what real documents contain.

Narrative items and program items (seed 004) name no lead agency and drafts (seed 000)
print no date, so those must come out as warnings, while a task without text or
document is a builder bug and must be a violation. Every check reads severities
explicitly because pyshacl reports ``conforms = False`` for warnings too.
"""

from __future__ import annotations

import time

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from plankg.ontology import PK, ShapeResult, load_shapes, shape_results, validate

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

PREFIXES = """
@prefix pk: <https://w3id.org/plankg/ontology#> .  @prefix d: <https://plankg.example.org/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .  @prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .  @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix time: <http://www.w3.org/2006/time#> .  @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Context every example needs: a plan, two agencies and a source span.
CONTEXT = """
d:plan a pk:Plan ; eli:id_local "57/KH-UBND" ; eli:date_document "2025-02-23"^^xsd:date ;
    eli:type_document pk:kind-KH ; eli:passed_by d:ubnd ; eli:title "Kế hoạch triển khai ..."@vi .
d:ubnd a pk:Agency ; skos:prefLabel "UBND tỉnh Bình Phước"@vi ; pk:adminLevel pk:LevelProvince .
d:skhcn a pk:Agency ; skos:prefLabel "Sở Khoa học và Công nghệ"@vi ; pk:adminLevel pk:LevelProvince .
d:others a pk:AgentGroup ; skos:prefLabel "Các sở, ban, ngành"@vi ; pk:memberPattern "all provincial departments" .
d:span a pk:SourceSpan ; pk:sourceFile "000_fe8eef2ddadfd7b2.txt" ; pk:startOffset 100 ; pk:endOffset 180 ;
    pk:startLine 20 ; pk:endLine 22 ; pk:quote "Tuyên truyền thường xuyên ..." .
"""

GOOD_TASK = """
d:task a pk:Task ; pk:inDocument d:plan ; pk:path "PL2.I.1" ; pk:number "1" ; pk:origin "appendix" ;
    pk:text "Tuyên truyền thường xuyên, sâu rộng về nội dung Nghị quyết số 57-NQ/TW" ;
    pk:leadAgency d:skhcn ; pk:cooperatingAgency d:others ;
    pk:deadline d:task-deadline ; pk:deadlineText "Quý II/2025" ;
    pk:startDate "2025-04-01"^^xsd:date ; pk:dueDate "2025-06-30"^^xsd:date ; pk:dueYear 2025 ;
    pk:recurrence pk:NoRecurrence ; pk:dueBefore false ; pk:extractedFrom d:span ;
    prov:qualifiedAssociation [ a prov:Association ; prov:agent d:skhcn ; prov:hadRole pk:LeadRole ;
                                pk:rawName "Sở KH&CN" ; pk:extractedFrom d:span ] .
d:task-deadline a pk:Deadline ;
    time:hasBeginning [ a time:Instant ; time:inXSDDate "2025-04-01"^^xsd:date ] ;
    time:hasEnd [ a time:Instant ; time:inXSDDate "2025-06-30"^^xsd:date ] .
"""

GOOD_TARGET = """
d:target a pk:Target ; pk:inDocument d:plan ; pk:path "PL1.I.24" ; pk:origin "appendix" ;
    pk:indicatorText "Phủ sóng 5G cho người dân" ; pk:indicator pk:indicator-5g-coverage ;
    pk:comparator pk:ComparatorEQ ; pk:value 99.0 ; pk:valueText "99" ; pk:unit "% dân số" ;
    pk:horizon d:h2030 ; pk:horizonText "Đến năm 2030" ; pk:horizonYear 2030 ; pk:horizonDate "2030-12-31"^^xsd:date ;
    pk:monitoringAgency d:skhcn ; pk:extractedFrom d:span .
d:h2030 a pk:Horizon ; time:hasEnd [ a time:Instant ; time:inXSDDate "2030-12-31"^^xsd:date ] .
"""


def _run(body: str) -> tuple[bool, list[ShapeResult]]:
    graph = rdflib.Graph().parse(data=PREFIXES + CONTEXT + body, format="turtle")
    conforms, results, _text = validate(graph)
    return conforms, shape_results(results)


def _of(results: list[ShapeResult], focus: str) -> set[tuple[str | None, str]]:
    """(path local name or None, severity local name) for one focus node."""
    node = URIRef("https://plankg.example.org/" + focus)
    return {
        (str(r.path).split("#")[-1] if r.path is not None else None, str(r.severity).split("#")[-1])
        for r in results if r.focus == node
    }


def _without(body: str, *predicates: str) -> str:
    """Drop ``pred object ;`` fragments from an example, so each test states only what it removes."""
    for pred in predicates:
        start = body.index(pred)
        end = body.index(" ;", start) + 2
        body = body[:start] + body[end:]
    return body


def test_well_formed_task_and_context_conform() -> None:
    conforms, results = _run(GOOD_TASK)
    assert results == [] and conforms


def test_task_without_lead_agency_is_only_a_warning() -> None:
    body = _without(GOOD_TASK, "pk:leadAgency d:skhcn")
    conforms, results = _run(body)
    assert _of(results, "task") == {("leadAgency", "Warning")}
    assert all(r.severity == SH.Warning for r in results)
    assert not conforms  # pyshacl counts warnings; callers must read severities
    message = next(r.message for r in results if r.focus.endswith("/task"))
    assert "lead agency" in message


def test_task_without_document_or_text_is_a_violation() -> None:
    _, results = _run(_without(GOOD_TASK, "pk:inDocument d:plan"))
    assert _of(results, "task") == {("inDocument", "Violation")}
    _, results = _run(_without(GOOD_TASK, "pk:text "))
    assert _of(results, "task") == {("text", "Violation")}


def test_task_value_checks() -> None:
    body = GOOD_TASK.replace('pk:startDate "2025-04-01"', 'pk:startDate "2025-09-01"').replace(
        "pk:recurrence pk:NoRecurrence", "pk:recurrence pk:Weekly").replace(
        "pk:leadAgency d:skhcn", 'pk:leadAgency "Sở KH&CN"')
    _, results = _run(body)
    found = _of(results, "task")
    assert ("startDate", "Violation") in found  # start after due date
    assert ("recurrence", "Violation") in found  # not in the recurrence scheme
    assert ("leadAgency", "Violation") in found  # text instead of an agency IRI


def test_well_formed_target_conforms() -> None:
    conforms, results = _run(GOOD_TARGET)
    assert results == [] and conforms


def test_target_requirements() -> None:
    _, results = _run(_without(GOOD_TARGET, "pk:comparator pk:ComparatorEQ"))
    assert _of(results, "target") == {("comparator", "Violation")}
    _, results = _run(_without(GOOD_TARGET, "pk:indicatorText "))
    assert _of(results, "target") == {("indicatorText", "Violation")}
    _, results = _run(_without(GOOD_TARGET, "pk:inDocument d:plan"))
    assert _of(results, "target") == {("inDocument", "Violation")}


def test_qualitative_and_range_targets() -> None:
    qualitative = """
    d:dti a pk:Target ; pk:inDocument d:plan ; pk:indicatorText "Chỉ số DTI" ; pk:comparator pk:ComparatorText ;
        pk:valueText "Thuộc nhóm 05 tỉnh, thành phố dẫn đầu" ; pk:horizonYear 2030 .
    d:bare a pk:Target ; pk:inDocument d:plan ; pk:indicatorText "Chỉ số PII" ; pk:comparator pk:ComparatorText .
    d:range a pk:Target ; pk:inDocument d:plan ; pk:indicatorText "Tỷ lệ" ; pk:comparator pk:ComparatorRange ; pk:minValue 30.0 .
    d:inverted a pk:Target ; pk:inDocument d:plan ; pk:indicatorText "Tỷ lệ" ; pk:comparator pk:ComparatorRange ;
        pk:minValue 40.0 ; pk:maxValue 30.0 .
    """
    _, results = _run(qualitative)
    assert _of(results, "dti") == set()
    assert _of(results, "bare") == {(None, "Warning")}  # no value of any kind
    assert _of(results, "range") == {(None, "Warning")}  # range without its upper bound
    assert ("minValue", "Violation") in _of(results, "inverted")


def test_document_kind_and_date_severities() -> None:
    body = """
    d:cited a pk:Resolution ; eli:id_local "03/NQ-CP" .
    d:byConcept a pk:Document ; eli:id_local "469-KH/TU" ; eli:type_document pk:kind-KH ;
        eli:date_document "2025-05-16"^^xsd:date .
    d:kindless a pk:Document ; eli:id_local "12/XX" ; eli:date_document "2025-01-01"^^xsd:date .
    d:badDate a pk:Plan ; eli:id_local "1/KH-UBND" ; eli:date_document "16/5/2025" .
    """
    _, results = _run(body)
    assert _of(results, "cited") == {("date_document", "Warning")}  # cited by symbol only
    assert _of(results, "byConcept") == set()
    assert _of(results, "kindless") == {(None, "Violation")}
    assert _of(results, "badDate") == {("date_document", "Violation")}
    assert _of(results, "plan") == set()


def test_agency_group_span_and_rendition_shapes() -> None:
    body = """
    d:nameless a pk:Agency ; pk:adminLevel pk:LevelProvince .
    d:emptyGroup a pk:AgentGroup .
    d:badSpan a pk:SourceSpan ; pk:sourceFile "x.txt" ; pk:startOffset 50 ; pk:endOffset 50 .
    d:rendition a pk:Rendition ; pk:renditionOf d:plan ; pk:sourceFile "x.txt" ; pk:checksum "ABC" ;
        pk:ocr true ; pk:precedence 1 .
    d:merge a org:ChangeEvent ; org:originalOrganization d:ubnd .
    """
    _, results = _run(body)
    assert _of(results, "nameless") == {("prefLabel", "Violation")}
    assert _of(results, "emptyGroup") == {(None, "Violation")}
    assert _of(results, "badSpan") == {("startOffset", "Violation")}
    assert _of(results, "rendition") == {("checksum", "Violation")}
    assert _of(results, "merge") == {("resultingOrganization", "Violation"), ("effectiveDate", "Warning")}


def test_every_message_is_bilingual() -> None:
    shapes = load_shapes()
    holders = set(shapes.subjects(SH.message, None))
    assert len(holders) > 40
    for node in holders:
        langs = {m.language for m in shapes.objects(node, SH.message)}
        assert langs == {"en", "vi"}, node
        assert shapes.value(node, SH.severity) is not None, node


@pytest.mark.slow
def test_twenty_thousand_triples_validate_quickly() -> None:
    """The builder's per-source graphs reach ~20k triples; inference "none" keeps this to seconds."""
    g = rdflib.Graph()
    plan, agency = URIRef("https://plankg.example.org/plan"), URIRef("https://plankg.example.org/agency")
    g.add((plan, RDF.type, PK.Plan))
    g.add((plan, URIRef("http://data.europa.eu/eli/ontology#id_local"), Literal("57/KH-UBND")))
    g.add((plan, URIRef("http://data.europa.eu/eli/ontology#date_document"), Literal("2025-02-23", datatype=XSD_DATE)))
    g.add((agency, RDF.type, PK.Agency))
    g.add((agency, SKOS.prefLabel, Literal("Sở Y tế", lang="vi")))
    g.add((agency, PK.adminLevel, PK.LevelProvince))
    for i in range(1500):
        task, span = URIRef(f"{plan}/task/{i}"), URIRef(f"{plan}/task/{i}/span")
        for p, o in [(RDF.type, PK.Task), (PK.inDocument, plan), (PK.text, Literal(f"Nhiệm vụ {i}")),
                     (PK.path, Literal(f"III.{i}")), (PK.leadAgency, agency), (PK.cooperatingAgency, agency),
                     (PK.dueDate, Literal("2025-12-31", datatype=XSD_DATE)), (PK.dueYear, Literal(2025)),
                     (PK.recurrence, PK.NoRecurrence), (PK.extractedFrom, span)]:
            g.add((task, p, o))
        for p, o in [(RDF.type, PK.SourceSpan), (PK.sourceFile, Literal("f.txt")),
                     (PK.startOffset, Literal(i * 10)), (PK.endOffset, Literal(i * 10 + 9))]:
            g.add((span, p, o))
    assert len(g) > 20_000
    start = time.perf_counter()
    conforms, results, _ = validate(g)
    elapsed = time.perf_counter() - start
    assert conforms, shape_results(results)[:5]
    assert elapsed < 60, elapsed
