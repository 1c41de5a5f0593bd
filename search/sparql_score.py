"""SPARQL extension function ``pkf:score(?item, "query")``: search relevance inside SPARQL.

Why: a researcher can mix graph patterns with relevance ranking in one query::

    PREFIX pk:  <https://w3id.org/plankg/ontology#>
    PREFIX pkf: <https://w3id.org/plankg/function#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?task ?text ?score WHERE {
      ?task a pk:Task ; pk:text ?text ; pk:leadAgency/skos:prefLabel "Sở Khoa học và Công nghệ"@vi .
      BIND(pkf:score(?task, "ứng dụng trí tuệ nhân tạo") AS ?score)
      FILTER(?score > 0)
    } ORDER BY DESC(?score) LIMIT 10

The relevance of every item for a query string is computed once (the whole ranking of
:func:`plankg.search.service.relevance`) and cached per index generation, so calling the
function for each solution costs a dictionary lookup. Items the search does not return
score 0.0; a narrative task shares its appendix row's score. The result is an
``xsd:double``. A non-IRI first argument or a non-literal second argument leaves the
value unbound (SPARQL's error semantics).

Registered in the store's extension registry (:mod:`plankg.store.extensions`) when this
module is imported; the registry imports it by name, so the store never imports search.
:func:`plankg.store.read.queries.run_query` (CLI, search) and the endpoint's workers both
build the function from that registration.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from plankg.config import Settings
from plankg.store.base import GraphStore
from plankg.store.extensions import FUNCTION_NAMESPACE, register_function

__all__ = ["FUNCTION_NAMESPACE", "SCORE", "score_factory", "score_functions"]

SCORE = FUNCTION_NAMESPACE + "score"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
log = logging.getLogger(__name__)


def _value(term: Any) -> tuple[str, str] | None:
    """(kind, lexical value) of a pyoxigraph or rdflib term: kind "iri" or "literal"."""
    cls = type(term).__name__
    if cls in ("NamedNode", "URIRef"):
        return "iri", str(getattr(term, "value", term))
    if cls == "Literal":
        return "literal", str(getattr(term, "value", term))
    return None


def _double(term_like: Any, value: float) -> Any:
    if type(term_like).__module__.startswith("pyoxigraph"):
        import pyoxigraph as ox

        return ox.Literal(repr(float(value)), datatype=ox.NamedNode(XSD_DOUBLE))
    import rdflib

    return rdflib.Literal(float(value), datatype=rdflib.XSD.double)


def score_functions(settings: Settings, store: GraphStore | None) -> dict[str, Callable[..., Any]]:
    """Extension functions by IRI, for ``store.query(..., custom_functions=...)``.

    ``store``: used to build the index if there is none yet; None (an endpoint worker)
    uses the saved index only. A failure (no index, another embedder configured) leaves
    the value unbound and is logged once per query string.
    """

    def score(item: Any = None, query: Any = None, *_rest: Any) -> Any:
        it, q = _value(item), _value(query)
        if it is None or q is None or it[0] != "iri" or q[0] != "literal":
            return None
        from plankg.search.service import (
            relevance,  # lazily: loads the index on first use
        )

        try:
            scores = relevance(settings, store, q[1])
        except Exception as exc:  # noqa: BLE001 - SPARQL semantics: an error leaves the value unbound
            if q[1] not in _WARNED:
                _WARNED.add(q[1])
                log.warning("pkf:score(%r) unavailable: %s", q[1], exc)
            return None
        return _double(item, scores.get(it[1], 0.0))

    def ranking(text: str) -> dict[str, float]:
        """Every item's score for ``text`` at once (a remote store binds them with VALUES)."""
        from plankg.search.service import relevance

        return dict(relevance(settings, store, text))

    score.ranking = ranking  # type: ignore[attr-defined]  # read by store/backends/remote_functions.py
    return {SCORE: score}


_WARNED: set[str] = set()


def score_factory(settings: Settings, store: GraphStore | None = None) -> Callable[..., Any]:
    """``pkf:score`` for the registry: a module-level callable, so it pickles to workers."""
    return score_functions(settings, store)[SCORE]


register_function(SCORE, score_factory)
