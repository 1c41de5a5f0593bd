"""Registry of SPARQL extension functions (``pkf:score`` from :mod:`plankg.search.sparql_score`).

Why it lives in the store layer: the store's query interface is what takes custom
functions, and a registry here lets upper layers (search) plug functions in by module
name (``ENTRY_MODULES``, like rdflib's plugin registry) without the store ever importing
them — data and imports flow one way.

Why factories, not functions: queries run in separate worker processes (see
``query_worker``), so a function that needs a loaded index must be built *in* the worker.
A module registers ``register_function(iri, factory)`` where ``factory(settings)`` (or
``factory(settings, store)``, to use the open store in-process) returns
the callable pyoxigraph will invoke with RDF terms. The registrations made in the server
process are handed to each worker (factories must be importable module-level callables),
and each worker also imports the known extension modules itself.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable, Iterable
from typing import Any

from plankg.config import Settings

Factory = Callable[..., Callable[..., Any]]
"""``factory(settings, store=None)`` → the callable; ``store`` is None in an endpoint worker."""

#: modules that register functions when imported (by name: the store never imports search).
ENTRY_MODULES = ("plankg.search.sparql_score",)

#: Namespace of plankg's extension functions (``pkf:score``): a query using it gets them.
FUNCTION_NAMESPACE = "https://w3id.org/plankg/function#"

_REGISTRY: dict[str, Factory] = {}
log = logging.getLogger(__name__)


def register_function(iri: str, factory: Factory) -> None:
    """Make ``<iri>(args…)`` callable in SPARQL queries served by the endpoint."""
    _REGISTRY[iri] = factory


def unregister_function(iri: str) -> None:
    _REGISTRY.pop(iri, None)


def registered() -> dict[str, Factory]:
    return dict(_REGISTRY)


def restore(registrations: dict[str, Factory]) -> None:
    """Install registrations received from the server process (in a worker)."""
    _REGISTRY.update(registrations)


def load_entry_modules(extra: Iterable[str] = ()) -> None:
    """Import the extension modules: the built-in list plus ``extra`` (``Settings.extension_modules``)."""
    for name in (*ENTRY_MODULES, *extra):
        importlib.import_module(name)  # a configured module that is missing is an error, not a silence


def _takes_store(factory: Factory) -> bool:
    """Factories written for the one-argument contract keep working."""
    try:
        return len(inspect.signature(factory).parameters) >= 2
    except (TypeError, ValueError):
        return False


def build_functions(settings: Settings, store: Any = None) -> dict[str, Callable[..., Any]]:
    """Instantiate every registered function; a failing factory is logged and left out."""
    out = {}
    for iri, factory in _REGISTRY.items():
        try:
            out[iri] = factory(settings, store) if _takes_store(factory) else factory(settings)
        except Exception as exc:  # an extension must not take the endpoint down
            log.warning("SPARQL extension %s unavailable: %s", iri, exc)
    return out
