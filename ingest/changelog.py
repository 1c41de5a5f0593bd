"""The append-only change log of ingest: ``PLANKG_HOME/changes.jsonl``.

Why a log beside the store: the HTTP service publishes an Atom feed of ingested, changed and
removed documents, and it needs to know *when the store changed* without holding the store's
write lock. Ingest appends one JSON line per changed source file *after* its graphs are
written, so the log doubles as a commit marker: a reader that sees a new line knows the
store holds a complete, consistent state and reopens its read-only snapshot
(``plankg.api.http.snapshot``). Lines are only ever appended, in one ``write`` each.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from plankg.config import Settings

FILE_NAME = "changes.jsonl"

_DOCS = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?doc ?id ?title WHERE { GRAPH <%s> { ?r pk:renditionOf ?doc }
  OPTIONAL { GRAPH <%s> { ?doc eli:id_local ?id } } OPTIONAL { GRAPH <%s> { ?doc eli:title ?title } } }"""


def log_path(settings: Settings) -> Path:
    return settings.home / FILE_NAME


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _append(settings: Settings, events: list[dict[str, Any]]) -> None:
    if not events:
        return
    path = log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events).encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:  # the store is already written; a full disk must not fail the ingest
        pass


def read_events(settings: Settings) -> list[dict[str, Any]]:
    """All events, oldest first; a torn last line (crash mid-write) is skipped."""
    path = log_path(settings)
    if not path.exists():
        return []
    out = []
    for line in path.read_text("utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def documents_of(settings: Settings, store: Any, name: str) -> list[dict[str, Any]]:
    """The documents a source file is a rendition of, as recorded in its named graph."""
    from plankg.store import iris
    g = iris.source_graph_iri(settings.base_iri, name)
    merged = iris.merged_graph_iri(settings.base_iri)
    try:
        rows = store.query(_DOCS % (g, merged, merged)).to_python()
    except Exception:  # the log must never make ingest fail
        return []
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        seen.setdefault(r["doc"], {"iri": r["doc"], "identifier": r.get("id"), "title": r.get("title")})
    return sorted(seen.values(), key=lambda d: d["iri"])


def record_ingest(settings: Settings, store: Any, files: Iterable[Any]) -> None:
    """One event per added or changed file (``files``: ingest FileResults)."""
    now = _now()
    meta = store.read_meta().get("sources", {})
    events = []
    for f in files:
        if f.status not in ("added", "changed"):
            continue
        events.append({
            "time": now, "event": "ingested" if f.status == "added" else "changed", "source": f.name,
            "checksum": meta.get(f.name, {}).get("checksum"), "documents": documents_of(settings, store, f.name),
        })
    _append(settings, events)


def record_remove(settings: Settings, names: Iterable[str]) -> None:
    """One event per removed file; its documents are those of its last ingest event."""
    last_docs: dict[str, list[dict[str, Any]]] = {}
    for e in read_events(settings):
        if e.get("event") in ("ingested", "changed"):
            last_docs[e.get("source", "")] = e.get("documents", [])
    now = _now()
    _append(settings, [{"time": now, "event": "removed", "source": n, "checksum": None,
                        "documents": last_docs.get(n, [])} for n in names])
