"""The plankg ontology, its SHACL shapes and the competency queries, as package data.

Everything that needs the vocabulary (graph builder, store loader, API, tests) goes
through this module rather than opening the files, so the paths and the validation
settings live in one place. See docs/ontology.md for the modelling decisions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import rdflib
from rdflib.namespace import SH

__all__ = [
    "ONTOLOGY_VERSION", "ONTOLOGY_IRI", "VERSION_IRI", "PK", "ONTOLOGY_TTL", "SHAPES_TTL",
    "QUERIES_DIR", "ShapeResult", "competency_queries", "load_ontology", "load_shapes",
    "shape_results", "to_rdfxml", "validate",
]

ONTOLOGY_VERSION = "0.1.0"
ONTOLOGY_IRI = "https://w3id.org/plankg/ontology"
VERSION_IRI = f"{ONTOLOGY_IRI}/{ONTOLOGY_VERSION}"
PK = rdflib.Namespace(f"{ONTOLOGY_IRI}#")

_HERE = Path(__file__).resolve().parent
ONTOLOGY_TTL = _HERE / "plankg.ttl"
SHAPES_TTL = _HERE / "shapes.ttl"
QUERIES_DIR = _HERE / "queries"
#: Data files of domain knowledge (agency registry, successions) shipped with the ontology.
REGISTRY_DIR = _HERE / "registry"


def load_ontology() -> rdflib.Graph:
    """A fresh graph of the ontology (callers may add to it without affecting others)."""
    return rdflib.Graph().parse(ONTOLOGY_TTL, format="turtle")


def load_shapes() -> rdflib.Graph:
    """A fresh graph of the SHACL shapes."""
    return rdflib.Graph().parse(SHAPES_TTL, format="turtle")


def competency_queries() -> dict[str, str]:
    """The competency queries by file stem ("01-documents-implementing-57"), in file order."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES_DIR.glob("*.rq"))}


def to_rdfxml(path: str | Path, extra: rdflib.Graph | None = None) -> Path:
    """Write the ontology (plus ``extra`` triples, e.g. individuals) as RDF/XML.

    owlready2, and through it HermiT, reads RDF/XML or N-Triples but not Turtle, so the
    reasoner always gets a converted copy; the Turtle file stays the source of truth.
    """
    graph = load_ontology()
    if extra is not None:
        graph += extra
    out = Path(path)
    graph.serialize(destination=out, format="xml")
    return out


@lru_cache(maxsize=1)
def _cached_ontology() -> rdflib.Graph:
    return load_ontology()


@lru_cache(maxsize=1)
def _cached_shapes() -> rdflib.Graph:
    return load_shapes()


def validate(data_graph: rdflib.Graph, inference: str = "none") -> tuple[bool, rdflib.Graph, str]:
    """Validate a data graph against the shapes; returns (conforms, results graph, report text).

    The ontology is passed as ``ont_graph`` so pyshacl mixes its rdfs:subClassOf axioms
    into (a copy of) the data graph: a ``pk:Plan`` then reaches the ``pk:Document`` shape
    and ``sh:class org:Organization`` accepts a ``pk:Agency`` without any inference.
    ``inference="none"`` is the default because it is several times faster than "rdfs"
    on a 20k-triple graph and gives the same results for graphs built to the contract
    (see docs/ontology.md). ``conforms`` is False on warnings too; use
    :func:`shape_results` to read severities.
    """
    from pyshacl import validate as shacl_validate  # imported lazily: slow import

    conforms, results, text = shacl_validate(
        data_graph,
        shacl_graph=_cached_shapes(),
        ont_graph=_cached_ontology(),
        inference=inference,
        abort_on_first=False,
        allow_warnings=False,
        meta_shacl=False,
        advanced=True,
    )
    return bool(conforms), results, str(text)


class ShapeResult(NamedTuple):
    """One validation result, flattened for tests and reports."""

    focus: rdflib.term.Node
    path: rdflib.term.Node | None
    severity: rdflib.URIRef
    message: str  # the English message, or any message when no English one exists


def shape_results(results_graph: rdflib.Graph) -> list[ShapeResult]:
    """Flatten a pyshacl results graph into (focus, path, severity, English message)."""
    out: list[ShapeResult] = []
    for res in results_graph.subjects(rdflib.RDF.type, SH.ValidationResult):
        messages = list(results_graph.objects(res, SH.resultMessage))
        english = [m for m in messages if isinstance(m, rdflib.Literal) and m.language == "en"]
        chosen = english or messages
        focus = results_graph.value(res, SH.focusNode)
        severity = results_graph.value(res, SH.resultSeverity)
        # SHACL requires both on every validation result; the severity is an IRI (sh:Violation, ...)
        assert focus is not None and isinstance(severity, rdflib.URIRef)
        out.append(ShapeResult(
            focus=focus,
            path=results_graph.value(res, SH.resultPath),
            severity=severity,
            message=str(chosen[0]) if chosen else "",
        ))
    return out
