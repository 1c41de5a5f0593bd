"""Filters of the JSON API over the export objects (plain dicts from ``api/records.py``).

Names are matched accent- and case-insensitively ("so y te" finds "Sở Y tế"), an IRI may
be given in full or as this server's path (``/agency/binh-phuoc/so-y-te``), and a document
by IRI or printed symbol ("57/KH-UBND"). Dates are ISO strings, so they compare as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from plankg.folding import fold, slugify


def as_iri(value: str, base: str) -> str | None:
    v = value.strip()
    if v.startswith(("http://", "https://")):
        return v
    if v.startswith("/"):
        return base + v.lstrip("/")
    return None


def agency_matches(value: str, refs: Iterable[dict[str, Any]], base: str) -> bool:
    iri = as_iri(value, base)
    if iri:
        return any(r.get("iri") == iri for r in refs)
    want = fold(value).strip()
    return any(want and (want in fold(r.get("name") or "") or want in fold(r.get("raw") or "")) for r in refs)


def document_matches(value: str, doc: dict[str, Any], base: str) -> bool:
    iri = as_iri(value, base)
    if iri:
        return doc.get("iri") == iri
    return bool(doc.get("identifier")) and slugify(doc["identifier"]) == slugify(value)


def document_year(doc: dict[str, Any]) -> int | None:
    if doc.get("date"):
        return int(str(doc["date"])[:4])
    m = re.search(r"/(\d{4})/", doc.get("iri", ""))
    return int(m.group(1)) if m else None


def _end_year(interval: dict[str, Any] | None) -> int | None:
    end = (interval or {}).get("end")
    return int(end[:4]) if end else None


def _in_range(interval: dict[str, Any] | None, before: str | None, after: str | None) -> bool:
    end = (interval or {}).get("end")
    if before and (not end or end > before):
        return False
    if after and (not end or end < after):
        return False
    return True


def tasks(items: list[dict[str, Any]], base: str, *, agency: str | None = None, role: str = "any",
          year: int | None = None, document: str | None = None, due_before: str | None = None,
          due_after: str | None = None) -> list[dict[str, Any]]:
    out = []
    for t in items:
        refs = {"lead": t["lead"], "cooperating": t["cooperating"]}.get(role, t["lead"] + t["cooperating"])
        if agency and not agency_matches(agency, refs, base):
            continue
        if year and _end_year(t.get("deadline")) != year:
            continue
        if document and not document_matches(document, t["document"], base):
            continue
        if not _in_range(t.get("deadline"), due_before, due_after):
            continue
        out.append(t)
    return out


def targets(items: list[dict[str, Any]], base: str, *, agency: str | None = None, year: int | None = None,
            document: str | None = None, due_before: str | None = None, due_after: str | None = None) -> list[dict[str, Any]]:
    out = []
    for t in items:
        if agency and not agency_matches(agency, t["monitoring"], base):
            continue
        if year and _end_year(t.get("horizon")) != year:
            continue
        if document and not document_matches(document, t["document"], base):
            continue
        if not _in_range(t.get("horizon"), due_before, due_after):
            continue
        out.append(t)
    return out


def documents(items: list[dict[str, Any]], base: str, *, agency: str | None = None, year: int | None = None,
              document: str | None = None) -> list[dict[str, Any]]:
    out = []
    for d in items:
        if agency and fold(agency).strip() not in fold(d.get("issuer") or ""):
            continue
        if year and document_year(d) != year:
            continue
        if document and not document_matches(document, d, base):
            continue
        out.append(d)
    return out


def agencies(items: list[dict[str, Any]], base: str, *, agency: str | None = None, locality: str | None = None,
             involved_in: set[str] | None = None) -> list[dict[str, Any]]:
    out = []
    for a in items:
        if agency and not agency_matches(agency, [a], base):
            continue
        if locality and fold(locality).strip() not in fold(a.get("locality") or ""):
            continue
        if involved_in is not None and a["iri"] not in involved_in:
            continue
        out.append(a)
    return out
