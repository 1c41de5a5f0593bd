"""The graph built from the seeds satisfies the SHACL shapes: no violation, only the
warnings the documents themselves cause (narrative items with no lead agency, cited
documents known only by symbol)."""

from __future__ import annotations

from collections import Counter

from rdflib import Namespace

from plankg.ontology import shape_results, validate
from plankg.store import iris

SH = Namespace("http://www.w3.org/ns/shacl#")


def test_seed_graph_has_no_shape_violation(seeded) -> None:
    settings, store, _, _ = seeded
    graph = store.get_graph(iris.merged_graph_iri(settings.base_iri)) + store.get_graph(iris.registry_graph_iri(settings.base_iri))
    _, results, _ = validate(graph)
    found = shape_results(results)
    violations = [r for r in found if r.severity == SH.Violation]
    assert not violations, [(str(r.focus), r.message) for r in violations[:5]]
    warnings = Counter(str(r.path).rsplit("#", 1)[-1] for r in found if r.severity == SH.Warning)
    assert warnings["leadAgency"] > 0  # seed 004's program items name no lead agency


def test_every_task_has_provenance(seeded) -> None:
    from plankg.store.read.records import Records

    settings, store, _, _ = seeded
    tasks = Records(store, settings).tasks()
    assert tasks and all(t["source"] and t["source"]["end"] > t["source"]["start"] for t in tasks)
