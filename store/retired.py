"""The record of retired IRIs: data IRIs that were published and are gone, or moved.

Why: a published IRI is a promise (docs/vocabulary-contract.md, "Changed and retired
IRIs"). When a source is removed, or read again by a better extractor that no longer finds
a wrongly split task or a target that never was one, the IRIs only that source stated
disappear from the graph. A client that bookmarked one must learn that it is gone (410),
or where it went (301), never get the 404 of an IRI that never existed.

Where it lives: one JSON file, ``PLANKG_HOME/retired.json`` (:func:`record_path`), not a
named graph, because it must outlive the store: ``plankg rebuild`` makes a fresh store
(and so would drop a graph), while the home's files travel through backup and restore and
stay where they are during a rebuild. Each write goes to a temporary file renamed over the
old one, so a crash leaves the old record or the new one; every write the ingest makes is
idempotent (a rerun of a crashed change records the same entries, keeping the first
``since``), which is what the pipeline's journal needs.

An entry: the IRI, ``since`` (ISO date-time, UTC), ``reason`` (a code, :data:`REASONS`),
``source`` (the source key whose change retired it), ``extractor`` (the extractor version
at that time) and ``successor`` (the IRI to answer 301 with, or absent for 410). An IRI
that is stated again leaves the record (:meth:`RetiredRecord.revive`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["FILE_NAME", "KINDS", "REASONS", "Retirement", "RetiredRecord", "record_path"]

FILE_NAME = "retired.json"
FORMAT_VERSION = 1

#: Why an IRI was retired: code → (Vietnamese, English), the words of the 410 page.
REASONS: dict[str, tuple[str, str]] = {
    "source-removed": ("tệp nguồn {source} đã bị gỡ khỏi kho", "source {source} was removed"),
    "re-extracted": ("tệp nguồn {source} đã được đọc lại (bộ trích xuất {extractor}) và không còn nêu tài nguyên này",
                     "source {source} was read again (extractor {extractor}) and no longer states it"),
}


#: What a retired IRI named, read from its shape (``store/iris.py``: parts sit under their
#: document as ``{doc}/task/…``; agencies, groups and sources have a first segment of their
#: own): kind → (Vietnamese, English), the words of the 410 page.
KINDS: dict[str, tuple[str, str]] = {
    "task": ("nhiệm vụ", "task"), "target": ("chỉ tiêu", "target"), "section": ("mục", "section"),
    "agency": ("cơ quan", "agency"), "group": ("nhóm cơ quan", "group of agencies"),
    "source": ("tệp nguồn", "source file"), "document": ("văn bản", "document"),
}


def record_path(home: Path) -> Path:
    """The record's file in a PLANKG_HOME."""
    return Path(home) / FILE_NAME


@dataclass(frozen=True)
class Retirement:
    """One retired IRI: when, why, and where it went (``successor``) if anywhere."""

    iri: str
    since: str
    reason: str
    source: str = ""
    extractor: str = ""
    successor: str | None = None

    @property
    def status(self) -> int:
        """The HTTP status it answers with: 301 when it moved, 410 when it is gone."""
        return 301 if self.successor else 410

    def why(self) -> tuple[str, str]:
        """The reason in Vietnamese and English."""
        vi, en = REASONS.get(self.reason, (self.reason, self.reason))
        fill = {"source": self.source or "?", "extractor": self.extractor or "?"}
        return vi.format(**fill), en.format(**fill)

    def kind(self, base: str) -> str:
        """What it named (a key of :data:`KINDS`), from the IRI's shape under ``base``."""
        segments = self.iri[len(base):].split("/") if self.iri.startswith(base) else []
        if segments and segments[0] in ("agency", "group", "source"):
            return segments[0]
        part = next((k for k in ("task", "target", "section") if k in segments[1:-1]), None)
        return part or "document"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["iri"]
        if data["successor"] is None:
            del data["successor"]
        return data


class RetiredRecord:
    """The record in memory: read it, change it, :meth:`save` it (atomically)."""

    def __init__(self, path: Path, entries: Mapping[str, Retirement] | None = None) -> None:
        self.path = Path(path)
        self.entries: dict[str, Retirement] = dict(entries or {})

    @classmethod
    def load(cls, path: Path) -> RetiredRecord:
        """The record at ``path``; an absent file is an empty record. A file that cannot be
        read is an error: silently starting empty would turn 410s back into 404s."""
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text("utf-8"))
            entries = {iri: Retirement(iri=iri, **e) for iri, e in data["iris"].items()}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"Không đọc được danh sách IRI đã bỏ {path} (cannot read the retired-IRI record): {exc}") \
                from exc
        return cls(path, entries)

    def save(self) -> None:
        """Write the record: temporary file, flushed, renamed over the old one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        body = {"version": FORMAT_VERSION,
                "iris": {iri: self.entries[iri].to_json() for iri in sorted(self.entries)}}
        with tmp.open("w", encoding="utf-8") as f:
            json.dump(body, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def get(self, iri: str) -> Retirement | None:
        return self.entries.get(iri)

    def __len__(self) -> int:
        return len(self.entries)

    def retire(self, entries: Iterable[Retirement]) -> int:
        """Add entries; an IRI already retired keeps its first ``since`` (a rerun after a
        crash, or a second change that confirms it), its other fields take the newer value.
        Returns how many entries are new or changed."""
        changed = 0
        for e in entries:
            old = self.entries.get(e.iri)
            new = Retirement(e.iri, old.since if old else e.since, e.reason, e.source, e.extractor, e.successor)
            if new != old:
                self.entries[e.iri] = new
                changed += 1
        return changed

    def revive(self, iris: Iterable[str]) -> int:
        """Drop the entries of IRIs that are stated again; returns how many left."""
        gone = [i for i in iris if i in self.entries]
        for i in gone:
            del self.entries[i]
        return len(gone)

    def resolve(self, iri: str, limit: int = 16) -> Retirement | None:
        """The entry of ``iri`` with its successor followed to the last IRI of the chain (a
        task moved twice answers one 301 to where it is now); a chain that ends in a retired
        IRI with no successor answers 410 (the last entry's date and reason)."""
        first = self.entries.get(iri)
        if first is None or first.successor is None:
            return first
        seen, cur = {iri}, first
        while cur.successor is not None and cur.successor in self.entries and len(seen) < limit:
            nxt = self.entries[cur.successor]
            if nxt.iri in seen:
                break
            seen.add(nxt.iri)
            if nxt.successor is None:
                return Retirement(iri, nxt.since, nxt.reason, nxt.source, nxt.extractor, None)
            cur = nxt
        return Retirement(iri, first.since, first.reason, first.source, first.extractor, cur.successor)

    def counts(self) -> dict[str, int]:
        """Entries by status: ``moved`` (301) and ``gone`` (410)."""
        moved = sum(1 for e in self.entries.values() if e.successor)
        return {"moved": moved, "gone": len(self.entries) - moved}
