"""What ``plankg info`` and ``/api/stats`` report: counts, locations and versions."""

from __future__ import annotations

from typing import Any

from plankg.config import Settings
from plankg.ontology import ONTOLOGY_VERSION
from plankg.store.base import GraphStore
from plankg.store.read.counts import dataset_triples, stored_quads
from plankg.store.read.queries import PREFIXES, run_query


def collect_info(settings: Settings, store: GraphStore) -> dict[str, Any]:
    row = run_query(store, settings, PREFIXES + """
        SELECT (COUNT(DISTINCT ?d) AS ?documents) (COUNT(DISTINCT ?t) AS ?tasks)
               (COUNT(DISTINCT ?g) AS ?targets) (COUNT(DISTINCT ?a) AS ?agencies) WHERE {
          { ?d pk:hasRendition ?r } UNION { ?t a pk:Task } UNION { ?g a pk:Target }
          UNION { ?x pk:leadAgency|pk:cooperatingAgency|pk:monitoringAgency ?a } }""").records()[0]
    meta = store.read_meta()
    from plankg.search.index.builder import index_info

    index_meta = index_info(settings)
    return {
        "documents": int(row.get("documents", 0)), "tasks": int(row.get("tasks", 0)),
        "targets": int(row.get("targets", 0)), "agencies": int(row.get("agencies", 0)),
        # definitions: store/read/counts.py (docs/linked-data.md "Counts")
        "triples": dataset_triples(store, settings), "quads": stored_quads(store), "sources": len(meta.get("sources", {})),
        "store_path": str(settings.store_path), "store_backend": store.name,
        "index_path": str(settings.index_path), "ontology_version": ONTOLOGY_VERSION,
        "store_ontology_version": meta.get("ontology_version"), "store_version": meta.get("store_format"),
        "index_version": index_meta.get("version"), "base_iri": settings.base_iri,
    }
