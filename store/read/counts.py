"""The triple counts ``plankg info``, ``/api/stats`` and VoID report, defined once.

Two numbers, because the store holds more than a query sees:

* **triples** — what ``SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`` answers at ``/sparql``
  with no dataset given: the default dataset (merged view, registry, ontology and the
  inferred graph). It is computed by running exactly that query, so the three places and
  a user's own ``COUNT(*)`` agree by construction. Oxigraph evaluates a default graph made
  of several graphs as their bag union: a triple stated in two of them (an agency's label
  in the merged view and in the registry) is counted once per graph, as ``COUNT(*)`` does.
* **quads** — every quad stored, in all named graphs: the per-source graphs (each file as
  read, renditions included) as well as the derived ones. This is what the dumps
  (``/dumps/plankg.nq.gz``) hold, and the sum of VoID's per-graph ``void:subset`` counts.
"""

from __future__ import annotations

from plankg.config import Settings
from plankg.store.base import GraphStore
from plankg.store.read.queries import run_query

#: The query whose answer ``triples`` is (docs/linked-data.md "Counts").
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def dataset_triples(store: GraphStore, settings: Settings, *, infer: bool = True) -> int:
    """Triples of the default dataset, as ``COUNT(*)`` at the endpoint counts them."""
    rows = run_query(store, settings, COUNT_QUERY, infer=infer).records()
    return int(rows[0]["n"]) if rows else 0


def stored_quads(store: GraphStore) -> int:
    """Quads in every named graph of the store (what the N-Quads dump holds)."""
    return store.triple_count()
