"""Rebuilding the store after an upgrade: re-read every recorded source into a fresh store.

A failed rebuild never leaves the user with less than they had. It holds the ingest lock;
the sources of an interrupted ingest (its journal) are read too.

* A store in a local folder (embedded Oxigraph): the old folder is moved aside first and
  restored if nothing could be read.
* A store in a SPARQL server (``PLANKG_STORE=remote-sparql``): the server's data cannot be
  moved aside, so the sources are read into a staging store in memory, and only if
  something could be read are its graphs written to the server (one Graph Store Protocol
  ``PUT`` each, atomic per graph), the server's graphs that the rebuild no longer makes
  dropped, and the metadata written last. The change-log line that tells API processes
  the store changed is appended after that, so none of them reads a half-published store
  as the new state.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from plankg.config import Settings
from plankg.ingest import changelog
from plankg.ingest.pipeline import FileResult, IngestReport, Workspace, ingest_lock
from plankg.store.base import GraphStore, open_backend

#: The backend of the staging store of a rebuild on a SPARQL server (in memory).
STAGING_BACKEND = "oxigraph"


def rebuild_store(settings: Settings) -> IngestReport:
    with ingest_lock(settings):
        return _rebuild_store(settings)


def _in_a_server(store: GraphStore) -> bool:
    """Persistent without a local folder: its data lives in a server (the remote-sparql backend)."""
    return store.persistent and store.path is None


def _recorded(settings: Settings, old: GraphStore) -> dict[str, dict]:
    """The sources to read again: the store's, or those of an interrupted ingest (its journal)."""
    recorded = dict(old.read_meta().get("sources", {}))
    journal = Workspace(settings, old).journal_path()
    if journal.exists():  # an interrupted ingest: its sources are the newer set
        try:
            recorded = dict(json.loads(journal.read_text("utf-8"))["sources"])
        except (ValueError, KeyError):
            pass
    journal.unlink(missing_ok=True)  # everything is read again below
    return recorded


def _plan(recorded: dict[str, dict]) -> tuple[list[str], dict[str, str], list[FileResult]]:
    """The paths still there, each file's recorded key (and so its IRIs), and the files that are gone."""
    paths = [v["path"] for v in recorded.values() if Path(v["path"]).exists()]
    keys = {v["path"]: name for name, v in recorded.items()}
    missing = [FileResult(v["path"], name, "failed", error=f"Tệp nguồn không còn ở {v['path']} (source file is gone)")
               for name, v in recorded.items() if not Path(v["path"]).exists()]
    return paths, keys, missing


def _nothing_read(recorded: dict[str, dict], report: IngestReport) -> bool:
    """There were sources to read and none could be read (gone or failing): keep the old store."""
    return bool(recorded) and len(report.failed) == len(report.files)


def _rebuild_store(settings: Settings) -> IngestReport:
    old = open_backend(settings.store_backend, settings.store_path, read_only=False, settings=settings)
    try:
        recorded = _recorded(settings, old)
        if _in_a_server(old):
            return _rebuild_in_server(settings, old, recorded)
    finally:
        old.close()
    return _rebuild_in_folder(settings, recorded)


def _rebuild_in_folder(settings: Settings, recorded: dict[str, dict]) -> IngestReport:
    from plankg.store.open import open_store

    backup = settings.store_path.with_name("store.before-rebuild")
    if backup.exists():
        shutil.rmtree(backup)
    if settings.store_path.exists():
        settings.store_path.rename(backup)
    paths, keys, missing = _plan(recorded)
    store = open_store(settings)
    with store:
        report = Workspace(settings, store).ingest(paths, keys=keys)
    report.files = missing + report.files
    if _nothing_read(recorded, report) and backup.exists():
        shutil.rmtree(settings.store_path)
        backup.rename(settings.store_path)
    elif backup.exists():
        shutil.rmtree(backup)
    return report


def _rebuild_in_server(settings: Settings, server: GraphStore, recorded: dict[str, dict]) -> IngestReport:
    from plankg.store.open import new_store_meta

    paths, keys, missing = _plan(recorded)
    with open_backend(STAGING_BACKEND, None) as staging:
        staging.write_meta(new_store_meta(server.name))
        report = Workspace(settings, staging).ingest(paths, keys=keys, record_changes=False)
        report.files = missing + report.files
        if _nothing_read(recorded, report):
            return report  # nothing could be read: the server keeps what it had
        publish(staging, server)
        changelog.record_ingest(settings, server, report.files)
    return report


def publish(staging: GraphStore, target: GraphStore) -> None:
    """Make ``target`` hold exactly ``staging``'s graphs and metadata: every graph replaced
    (one ``replace_graph`` each: readers see each graph old or new, never half-written and
    never an empty store), the target's other graphs dropped, the metadata last."""
    names = staging.graph_names()
    for name in names:
        target.replace_graph(name, staging.get_graph(name))
    for name in sorted(set(target.graph_names()) - set(names)):
        target.drop_graph(name)
    target.write_meta(staging.read_meta())
