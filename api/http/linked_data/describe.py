"""The description of one entity: its triples plus those of its dependent resources.

Like a Concise Bounded Description, but our data has no blank nodes: dependent resources
are hash IRIs under the data base — ``{task}#deadline``, ``{task}#assoc-leadrole-so-y-te``,
``{source}#span-…`` — so those are followed (a few levels deep) and everything else is a
link to another entity with its own page. Read from the default dataset (merged view,
agency registry, ontology), the same view the SPARQL endpoint answers from.
"""

from __future__ import annotations

import re

import rdflib

from plankg.config import Settings
from plankg.store.base import GraphStore
from plankg.store.read.queries import run_query

LABEL_PROPS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel", "http://data.europa.eu/eli/ontology#id_local",
    "http://www.w3.org/2000/01/rdf-schema#label", "http://data.europa.eu/eli/ontology#title",
    "http://purl.org/dc/terms/title", "http://xmlns.com/foaf/0.1/name",
    "https://w3id.org/plankg/ontology#text", "https://w3id.org/plankg/ontology#indicatorText",
    "https://w3id.org/plankg/ontology#heading", "https://w3id.org/plankg/ontology#sourceFile",
)


_IRIREF = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^<>"{}|^`\\\x00-\x20]*$')  # absolute: a scheme, then IRIREF's characters


def safe_iri(iri: str) -> bool:
    """Whether ``iri`` can be written as ``<iri>`` in SPARQL (request paths are untrusted)."""
    return bool(_IRIREF.match(iri))


def _iri_values(iris: list[str]) -> str:
    return " ".join(f"<{i}>" for i in iris if safe_iri(i))


def is_dependent(node: rdflib.term.Node, base: str) -> bool:
    return isinstance(node, rdflib.BNode) or (isinstance(node, rdflib.URIRef) and str(node).startswith(base) and "#" in node)


def describe(store: GraphStore, settings: Settings, iri: str, depth: int = 3, limit: int = 20_000) -> rdflib.Graph:
    """The entity's triples and its dependents' (empty graph: unknown IRI)."""
    g = rdflib.Graph()
    frontier, seen = [iri], {iri}
    for _ in range(depth + 1):
        values = _iri_values(frontier)
        if not values:
            break
        rows = run_query(store, settings, f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}").rows
        nxt = []
        for r in rows:
            g.add((r["s"], r["p"], r["o"]))
            o = r["o"]
            if is_dependent(o, settings.base_iri) and str(o) not in seen:
                seen.add(str(o))
                nxt.append(str(o))
        if len(g) > limit:
            break
        frontier = nxt
    return g


def labels(store: GraphStore, settings: Settings, iris: list[str]) -> dict[str, str]:
    """A human label per IRI (Vietnamese first), for the page and the JSON API."""
    values = _iri_values(sorted(set(iris)))
    if not values:
        return {}
    props = " ".join(f"<{p}>" for p in LABEL_PROPS)
    rows = run_query(store, settings, f"""SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {props} }} ?x ?p ?l }}""").rows
    best: dict[str, tuple[int, str]] = {}
    for r in rows:
        lit = r["l"]
        rank = LABEL_PROPS.index(str(r["p"])) * 3 + {"vi": 0, None: 1}.get(getattr(lit, "language", None), 2)
        text = str(lit)
        if len(text) > 160:
            text = text[:157] + "…"
        key = str(r["x"])
        if key not in best or rank < best[key][0]:
            best[key] = (rank, text)
    return {k: v for k, (_, v) in best.items()}
