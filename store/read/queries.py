"""The query service between the API/CLI and the store.

It fixes the dataset every query sees by default (the merged view, the agency registry,
the ontology and the inferred graph), refuses SERVICE (:mod:`.inspect`, the same check as the endpoint; user text gets the full ``inspect_query``), and is where extension functions (search scoring) are
registered, so the store never imports the search index and data flows one way.
"""

from __future__ import annotations

from plankg.config import Settings
from plankg.store import extensions, iris
from plankg.store.base import CustomFunction, GraphStore, QueryAnswer
from plankg.store.read.inspect import QueryRefused, guard_query

PREFIXES = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

#: Kept for callers that caught the old name: the refusal is :class:`inspect.QueryRefused`.
UpdateRefused = QueryRefused


def default_graphs(settings: Settings, *, infer: bool = True) -> list[str]:
    """The graphs a query sees when it names none: merged view, registry, ontology, the links
    across levels of government (``graph/alignment``) and —
    unless ``infer`` is False — the entailments of the ontology's axioms
    (``{base}graph/inferred``, docs/ontology.md "Inference")."""
    base = settings.base_iri
    graphs = [iris.merged_graph_iri(base), iris.registry_graph_iri(base), iris.ontology_graph_iri(base),
              iris.alignment_graph_iri(base), iris.section_alignment_graph_iri(base)]
    return graphs + [iris.inferred_graph_iri(base)] if infer else graphs


def run_query(store: GraphStore, settings: Settings, sparql: str, *, default_graph_uris: list[str] | None = None,
              named_graph_uris: list[str] | None = None, custom_functions: dict[str, CustomFunction] | None = None,
              infer: bool = True) -> QueryAnswer:
    sparql = guard_query(sparql)  # refuses SERVICE and remote FROM (parsed when they could be there)
    if custom_functions is None and extensions.FUNCTION_NAMESPACE in sparql:
        custom_functions = search_functions(store, settings)
    return store.query(
        sparql, default_graphs=default_graph_uris or default_graphs(settings, infer=infer),
        named_graphs=named_graph_uris, custom_functions=custom_functions,
    )




def search_functions(store: GraphStore, settings: Settings) -> dict[str, CustomFunction] | None:
    """The registered extension functions (``pkf:score``), built for this store."""
    extensions.load_entry_modules(settings.extension_modules)
    return extensions.build_functions(settings, store) or None
