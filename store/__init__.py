"""Graph store layer: one interface (:class:`GraphStore`), backends registered by name."""

from plankg.store.backends import oxigraph as _oxigraph  # noqa: F401  (registers "oxigraph")
from plankg.store.backends import rdflib_memory as _rdflib  # noqa: F401  (registers "rdflib-memory")
from plankg.store.backends import remote_sparql as _remote  # noqa: F401  (registers "remote-sparql")
from plankg.store.base import (
    DATASET_FORMATS,
    GRAPH_FORMATS,
    RESULT_FORMATS,
    GraphStore,
    QueryAnswer,
    QuerySyntaxError,
    StoreError,
    backend_names,
    open_backend,
)

__all__ = [
    "DATASET_FORMATS", "GRAPH_FORMATS", "RESULT_FORMATS", "GraphStore", "QueryAnswer",
    "QuerySyntaxError", "StoreError", "backend_names", "open_backend",
]
