"""Row tables of an opened index: which rows hold a fact, built once per index generation.

Why: ranking asks, on every query, "which items are led by this agency, are of this type,
belong to this document, lie in this place", and which appendix row a narrative item counts
for. Answered by a loop over every item, that made a query's time grow with the corpus
(3,000 documents, 41,618 items: p95 481 ms on 2 cores, docs/benchmarks.md). These tables
answer it by lookup, so a query touches only the rows that hold what it names; they are
built when the index is opened (the service's warm-up, before ``/readyz`` answers ready),
never read from disk per query, and replaced with the index generation.

Every table is a *superset* test for the score it serves: the caller still computes the
exact boost on the rows found (:func:`plankg.search.query.ranking.graph_scores`), so the
tables change how many rows are visited, never a result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from plankg.search.index.items import MENTION, Item

__all__ = ["RowTables"]


def _add(table: dict[str, list[int]], key: str | None, row: int) -> None:
    if key:
        rows = table.setdefault(key, [])
        if not rows or rows[-1] != row:  # rows come in order: one entry per row
            rows.append(row)


@dataclass
class RowTables:
    """Fact → rows for the items of one index (rows are positions in ``items``)."""

    #: Row → the rows it counts for when nothing is filtered: a narrative item → its
    #: appendix rows (collapse), any other item → itself; a task mention without a row → none.
    target: dict[int, list[int]] = field(default_factory=dict)
    #: The reverse of ``target``: row → the rows that count for it.
    sources: dict[int, list[int]] = field(default_factory=dict)
    by_type: dict[str, list[int]] = field(default_factory=dict)
    #: Agency IRI → rows it leads or cooperates on.
    by_agency: dict[str, list[int]] = field(default_factory=dict)
    #: Document IRI → rows of its items (``item.document``).
    by_document: dict[str, list[int]] = field(default_factory=dict)
    #: Document IRI → rows of the documents that implement or cite it.
    by_implements: dict[str, list[int]] = field(default_factory=dict)
    by_locality: dict[str, list[int]] = field(default_factory=dict)
    #: Year → rows whose effective years hold it (deadline years, else the document's year).
    by_year: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, items: list[Item], row: dict[str, int]) -> RowTables:
        """One pass over ``items``; ``row``: item IRI → row (:attr:`SearchIndex.row`)."""
        t = cls()
        for r, it in enumerate(items):
            parts = [row[p] for p in it.partners if p in row]
            t.target[r] = parts or ([r] if it.type != MENTION else [])
            for s in t.target[r]:
                t.sources.setdefault(s, []).append(r)
            _add(t.by_type, it.type, r)
            for a in it.lead + it.cooperating:
                _add(t.by_agency, a.get("iri"), r)
            _add(t.by_document, (it.document or {}).get("iri"), r)
            if it.type == "Document":
                for d in it.implements:
                    _add(t.by_implements, d, r)
            for x in it.localities:
                _add(t.by_locality, x, r)
            for y in it.effective_years():
                t.by_year.setdefault(y, []).append(r)
        return t

    # ------------------------------------------------------------------ lookups
    @staticmethod
    def _union(table: dict[str, list[int]], keys: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for k in keys:
            out.update(table.get(k, ()))
        return out

    def with_type(self, types: Iterable[str]) -> set[int]:
        return self._union(self.by_type, types)

    def with_agency(self, agencies: Iterable[str]) -> set[int]:
        return self._union(self.by_agency, agencies)

    def with_locality(self, localities: Iterable[str]) -> set[int]:
        return self._union(self.by_locality, localities)

    def with_year(self, years: Iterable[int]) -> set[int]:
        out: set[int] = set()
        for y in years:
            out.update(self.by_year.get(y, ()))
        return out

    def in_document(self, documents: Iterable[str], row: dict[str, int]) -> set[int]:
        """Rows of the documents' items and the documents themselves (the document filter)."""
        docs = list(documents)
        return self._union(self.by_document, docs) | {row[d] for d in docs if d in row}

    def about_document(self, documents: Iterable[str], row: dict[str, int]) -> set[int]:
        """Rows a document boost can reach: :meth:`in_document` plus the documents that
        implement or cite one of them."""
        docs = list(documents)
        return self.in_document(docs, row) | self._union(self.by_implements, docs)
