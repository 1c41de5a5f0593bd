"""Identifier IRIs: a printed symbol (and date or year) → the document IRI it names.

Like legislation.gov.uk's ``/id/`` IRIs, these name a document by how people cite it, and
answer ``303 See Other`` with the document's own (ELI-shaped) IRI. A symbol alone is not an
identity (``57/KH-UBND`` is a 2025 and a 2023 plan), so a year or a date narrows it; when
several documents still match, the answer is ``300 Multiple Choices`` listing them.

- ``/id/symbol/{symbol-slug}[/{year}]`` e.g. ``/id/symbol/57-kh-ubnd/2025``
- ``/id/{symbol as printed}[?date=YYYY-MM-DD | ?year=YYYY]`` e.g. ``/id/57/KH-UBND?date=2025-02-23``
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plankg.config import Settings
from plankg.folding import slugify
from plankg.store.base import GraphStore
from plankg.store.read.queries import PREFIXES, run_query


@dataclass(frozen=True)
class IndexedDocument:
    iri: str
    symbol: str
    slug: str
    date: str | None
    year: int | None


def build_index(store: GraphStore, settings: Settings) -> list[IndexedDocument]:
    rows = run_query(store, settings, PREFIXES + """SELECT ?d ?id ?date ?year WHERE { ?d eli:id_local ?id
        OPTIONAL { ?d eli:date_document ?date } OPTIONAL { ?d pk:year ?year } }""").records()
    out = {}
    for r in rows:
        date: Any = r.get("date")  # a datetime.date, or a string when the literal is not a valid date
        year = r.get("year") or (date.year if hasattr(date, "year") else None)
        key = (r["d"], r["id"])
        out[key] = IndexedDocument(r["d"], r["id"], slugify(r["id"]), date.isoformat() if hasattr(date, "isoformat") else None,
                                   int(year) if year is not None else None)
    return sorted(out.values(), key=lambda d: (d.slug, d.year or 0, d.iri))


def resolve(index: list[IndexedDocument], symbol: str, *, year: int | None = None, date: str | None = None) -> list[IndexedDocument]:
    """Documents printed with ``symbol`` (compared as slugs), narrowed by year or exact date."""
    slug = slugify(symbol)
    found = [d for d in index if d.slug == slug]
    if date:
        found = [d for d in found if d.date == date] or [d for d in found if d.date is None and d.year == _year(date)]
    if year:
        found = [d for d in found if d.year == year]
    seen: dict[str, IndexedDocument] = {}
    for d in found:
        seen.setdefault(d.iri, d)
    return list(seen.values())


def _year(date: str) -> int | None:
    try:
        return int(date[:4])
    except ValueError:
        return None
