"""The store's errors: problems a user can act on (bad query, locked store, wrong version)."""

from __future__ import annotations

__all__ = ["QuerySyntaxError", "StoreError"]


class StoreError(Exception):
    """A problem the user can act on (bad query, locked store, wrong version)."""


class QuerySyntaxError(StoreError):
    """The SPARQL text does not parse; the message carries the parser's position."""
