"""The dataset description at ``/.well-known/void``: VoID for linked-data tools, DCAT for catalogues.

Every URL in it is under ``PLANKG_BASE_IRI`` (the public site), not the address a request
came to, so the description is the same wherever it is fetched from. Counts are per store
version (cached); the licence and publisher come from the service configuration.
"""

from __future__ import annotations

from datetime import UTC, datetime

import rdflib
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from plankg.api.http.deps import Service, get_service
from plankg.api.http.linked_data.dumps import DUMPS
from plankg.api.http.negotiation import NotAcceptable, choose, content_type
from plankg.api.http.rdf_out import serialize_graph
from plankg.api.http.service_config import ServiceConfig
from plankg.config import Settings
from plankg.folding import slugify
from plankg.ingest.changelog import read_events
from plankg.store.base import GraphStore
from plankg.store.read.counts import dataset_triples
from plankg.store.read.queries import PREFIXES, run_query

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
IANA = "https://www.iana.org/assignments/media-types/"
CLASSES = ("Document", "Task", "Target", "Agency", "AgentGroup")


def _vocabularies(store: GraphStore, settings: Settings) -> list[str]:
    rows = run_query(store, settings, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }").records()
    spaces = set()
    for r in rows:
        p = r["p"]
        cut = max(p.rfind("#"), p.rfind("/"))
        spaces.add(p[: cut + 1])
    return sorted(spaces)


def _class_counts(store: GraphStore, settings: Settings) -> dict[str, int]:
    rows = run_query(store, settings, PREFIXES + "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { VALUES ?c { "
                     + " ".join(f"pk:{c}" for c in CLASSES) + " } ?x a ?c } GROUP BY ?c").records()
    return {r["c"]: int(r["n"]) for r in rows}


def modified(settings: Settings) -> str:
    events = read_events(settings)
    return events[-1]["time"] if events else datetime.now(UTC).isoformat(timespec="seconds")


def build(settings: Settings, config: ServiceConfig, store: GraphStore) -> rdflib.Graph:
    base = settings.base_iri
    g = rdflib.Graph()
    ds = rdflib.URIRef(base + ".well-known/void#dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, rdflib.Literal("plankg — đồ thị tri thức kế hoạch của cơ quan nhà nước", lang="vi")))
    g.add((ds, DCTERMS.title, rdflib.Literal("plankg — knowledge graph of Vietnamese government plans", lang="en")))
    g.add((ds, DCTERMS.description, rdflib.Literal(
        "Văn bản, nhiệm vụ, cơ quan chủ trì và phối hợp, thời hạn, chỉ tiêu và trích dẫn trong các kế hoạch triển khai "
        "Nghị quyết 57-NQ/TW, kèm nguồn gốc của từng dữ kiện.", lang="vi")))
    g.add((ds, DCTERMS.description, rdflib.Literal(
        "Documents, tasks, lead and cooperating agencies, deadlines, targets and citations of plans implementing "
        "Resolution 57-NQ/TW, with the provenance of every fact.", lang="en")))
    g.add((ds, DCTERMS.license, rdflib.URIRef(config.license)))
    g.add((ds, DCTERMS.rights, rdflib.Literal(
        "Văn bản quy phạm pháp luật và văn bản hành chính không thuộc phạm vi bảo hộ quyền tác giả "
        "(Điều 15 Luật Sở hữu trí tuệ). Legal and administrative documents are outside copyright protection "
        "(Article 15, Law on Intellectual Property of Viet Nam).", lang="vi")))
    pub = rdflib.URIRef(config.publisher_url) if config.publisher_url else rdflib.URIRef(base + ".well-known/void#publisher")
    g.add((ds, DCTERMS.publisher, pub))
    g.add((pub, RDF.type, FOAF.Organization))
    g.add((pub, FOAF.name, rdflib.Literal(config.publisher)))
    g.add((ds, DCTERMS.modified, rdflib.Literal(modified(settings), datatype=XSD.dateTime)))
    g.add((ds, VOID.uriSpace, rdflib.Literal(base)))
    g.add((ds, VOID.sparqlEndpoint, rdflib.URIRef(base + "sparql")))
    g.add((ds, VOID.rootResource, rdflib.URIRef(base)))
    g.add((ds, VOID.feature, rdflib.URIRef("http://www.w3.org/ns/formats/Turtle")))
    g.add((ds, VOID.feature, rdflib.URIRef("http://www.w3.org/ns/formats/JSON-LD")))
    # void:triples = the default dataset's COUNT(*); the per-graph subsets below add up to the
    # stored quads (store/read/counts.py, docs/linked-data.md "Counts")
    g.add((ds, VOID.triples, rdflib.Literal(dataset_triples(store, settings), datatype=XSD.integer)))
    for ns in _vocabularies(store, settings):
        g.add((ds, VOID.vocabulary, rdflib.URIRef(ns)))
    svc = rdflib.URIRef(base + "sparql#service")
    g.add((ds, DCAT.distribution, svc))
    g.add((svc, RDF.type, DCAT.DataService))
    g.add((svc, DCAT.endpointURL, rdflib.URIRef(base + "sparql")))
    g.add((svc, DCTERMS.conformsTo, rdflib.URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    for d in DUMPS.values():
        url = rdflib.URIRef(f"{base}dumps/{d.name}")
        dist = rdflib.URIRef(f"{base}.well-known/void#dump-{slugify(d.name)}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, rdflib.Literal(d.title, lang="vi")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.mediaType, rdflib.URIRef(IANA + d.media_type)))
        g.add((dist, DCTERMS.license, rdflib.URIRef(config.license)))
        if d.compressed:
            g.add((dist, DCAT.compressFormat, rdflib.URIRef(IANA + "application/gzip")))
    for name in store.graph_names():
        sub = rdflib.URIRef(f"{base}.well-known/void#graph-{slugify(name[len(base):] if name.startswith(base) else name)}")
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, SD.name, rdflib.URIRef(name)))
        g.add((sub, VOID.triples, rdflib.Literal(store.triple_count(name), datatype=XSD.integer)))
    for cls, n in _class_counts(store, settings).items():
        part = rdflib.URIRef(f"{base}.well-known/void#class-{cls.rsplit('#', 1)[-1]}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], rdflib.URIRef(cls)))
        g.add((part, VOID.entities, rdflib.Literal(n, datatype=XSD.integer)))
    return g


router = APIRouter(tags=["linked data"])


@router.get("/.well-known/void", summary="Mô tả bộ dữ liệu VoID + DCAT (Turtle; JSON-LD, RDF/XML, N-Triples by Accept)",
            response_class=Response)
def void(request: Request, format: list[str] | None = Query(None),  # noqa: A002
         svc: Service = Depends(get_service)) -> Response:
    try:
        fmt = choose("graph", request.headers.get("accept"), format or None)
    except NotAcceptable as exc:
        raise HTTPException(406, str(exc)) from exc
    data = svc.cache.get(f"void:{fmt}", lambda store: serialize_graph(build(svc.settings, svc.config, store), fmt))
    return Response(data, media_type=content_type(fmt), headers={"Vary": "Accept"})
