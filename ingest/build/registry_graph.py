"""The agency registry as RDF: agencies, groups, localities and dated successions.

Kept in its own named graph (``graph/registry``) because it is reference data, not what
any one source file says; every query's default dataset includes it.
"""

from __future__ import annotations

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import FOAF, SKOS

from plankg.ingest.build.graph import LEVELS, ORG, PK
from plankg.ingest.extract.agencies import Registry, load_registry
from plankg.store import iris


def locality_iri(base: str, locality_id: str) -> URIRef:
    return URIRef(f"{base}locality/{locality_id}")


def registry_graph(base: str, registry: Registry | None = None) -> Graph:
    reg = registry or load_registry()
    g = Graph()
    g.bind("pk", PK)
    g.bind("org", ORG)
    g.bind("skos", SKOS)
    for loc in reg.localities.values():
        node = locality_iri(base, loc.id)
        g.add((node, RDF.type, PK.Locality))
        g.add((node, SKOS.prefLabel, Literal(loc.label, lang="vi")))
        g.add((node, SKOS.altLabel, Literal(loc.name, lang="vi")))
        if loc.level in LEVELS:
            g.add((node, PK.adminLevel, LEVELS[loc.level]))
        if loc.successor:
            g.add((node, PK.successor, locality_iri(base, loc.successor)))
        if loc.parent and loc.parent in reg.localities:
            g.add((node, PK.withinLocality, locality_iri(base, loc.parent)))
    for a in reg.agencies.values():
        node = URIRef(iris.agency_iri(base, a.id, a.kind == "group"))
        if a.kind == "group":
            g.add((node, RDF.type, PK.AgentGroup))
            g.add((node, RDF.type, FOAF.Group))
            if a.member_pattern:
                g.add((node, PK.memberPattern, Literal(a.member_pattern, lang="vi")))
            for m in reg.members(a.id):
                g.add((node, FOAF.member, URIRef(iris.agency_iri(base, m.id))))
        else:
            g.add((node, RDF.type, PK.Agency))
            g.add((node, RDF.type, ORG.Organization))
        g.add((node, SKOS.prefLabel, Literal(a.name, lang="vi")))
        g.add((node, RDFS_LABEL, Literal(a.label, lang="vi")))
        for alt in a.alt:
            g.add((node, SKOS.altLabel, Literal(alt, lang="vi")))
        g.add((node, PK.locality, locality_iri(base, a.locality)))
        if a.level in LEVELS:
            g.add((node, PK.adminLevel, LEVELS[a.level]))
        if a.parent:
            parent = URIRef(iris.agency_iri(base, a.parent))
            g.add((node, ORG.subOrganizationOf, parent))
    for _i, s in enumerate(reg.successions):
        pred = URIRef(iris.agency_iri(base, s.predecessor))
        succ = URIRef(iris.agency_iri(base, s.successor))
        if not s.partial:
            g.add((pred, PK.successor, succ))
            g.add((succ, PK.predecessor, pred))
        ev = URIRef(f"{base}change/{s.date.isoformat()}/{s.predecessor}/{s.successor}".replace("//", "/").replace(":/", "://"))
        g.add((ev, RDF.type, ORG.ChangeEvent))
        g.add((ev, ORG.originalOrganization, pred))
        g.add((ev, ORG.resultingOrganization, succ))
        g.add((ev, PK.effectiveDate, Literal(s.date.isoformat(), datatype=XSD.date)))
        if s.legal_basis:
            g.add((ev, PK.legalBasis, Literal(s.legal_basis, lang="vi")))
        if s.note:
            g.add((ev, SKOS.note, Literal(s.note, lang="vi")))
        if s.partial:
            g.add((ev, PK.partial, Literal(True)))
    return g


RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
