"""Registers ``pkf:score`` with the HTTP endpoint's extension registry (``plankg.api.extensions``).

The endpoint runs queries in worker processes and imports this module there (its
``ENTRY_MODULES``); a factory gets only the settings, so the function reads the index
already built under ``PLANKG_HOME/index`` (``plankg index``) and never builds it inside a
query. Without the registry (CLI only) this module does nothing: ``run_query`` adds the
function itself (:mod:`plankg.search.sparql_function`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plankg.search.sparql_function import SCORE, score_functions

from plankg.config import Settings

__all__ = ["score_factory"]


def score_factory(settings: Settings) -> Callable[..., Any]:
    """``pkf:score`` for a worker: no store, the saved index only."""
    return score_functions(settings, None)[SCORE]  # type: ignore[arg-type]


try:
    from plankg.api.extensions import register_function
except ImportError:  # the registry is not part of this installation
    pass
else:
    register_function(SCORE, score_factory)
