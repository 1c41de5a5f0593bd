"""Registry of SPARQL extension functions (e.g. the search score the search work will add).

Why factories, not functions: queries run in separate worker processes (see
``query_worker``), so a function that needs a loaded index must be built *in* the worker.
A module registers ``register_function(iri, factory)`` where ``factory(settings)`` returns
the callable pyoxigraph will invoke with RDF terms. The registrations made in the server
process are handed to each worker (factories must be importable module-level callables),
and each worker also imports the known extension modules itself.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import Any, Callable

from plankg.config import Settings

Factory = Callable[[Settings], Callable[..., Any]]

#: modules that register functions when imported; missing ones are skipped.
ENTRY_MODULES = ("plankg.search.sparql_functions",)

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


def load_entry_modules() -> None:
    """Import the extension modules (built-in list plus ``PLANKG_SPARQL_EXTENSIONS``, comma-separated)."""
    extra = [m.strip() for m in os.environ.get("PLANKG_SPARQL_EXTENSIONS", "").split(",") if m.strip()]
    for name in (*ENTRY_MODULES, *extra):
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def build_functions(settings: Settings) -> dict[str, Callable[..., Any]]:
    """Instantiate every registered function; a failing factory is logged and left out."""
    out = {}
    for iri, factory in _REGISTRY.items():
        try:
            out[iri] = factory(settings)
        except Exception as exc:  # an extension must not take the endpoint down
            log.warning("SPARQL extension %s unavailable: %s", iri, exc)
    return out
