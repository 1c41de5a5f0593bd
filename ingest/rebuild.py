"""Rebuilding the store after an upgrade: re-read every recorded source into a fresh store.

The old store is moved aside first and restored if nothing could be read, so a failed
rebuild never leaves the user with less than they had. It holds the ingest lock; the
sources of an interrupted ingest (its journal) are read too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from plankg.config import Settings
from plankg.ingest.pipeline import FileResult, IngestReport, Workspace, ingest_lock
from plankg.store.base import open_backend


def rebuild_store(settings: Settings) -> IngestReport:
    with ingest_lock(settings):
        return _rebuild_store(settings)


def _rebuild_store(settings: Settings) -> IngestReport:
    from plankg.store.open import open_store

    old = open_backend(settings.store_backend, settings.store_path, read_only=False, settings=settings)
    ws = Workspace(settings, old)
    recorded = dict(old.read_meta().get("sources", {}))
    if ws.journal_path().exists():  # an interrupted ingest: its sources are the newer set
        try:
            recorded = dict(json.loads(ws.journal_path().read_text("utf-8"))["sources"])
        except (ValueError, KeyError):
            pass
    old.close()
    ws.journal_path().unlink(missing_ok=True)  # everything is read again below
    backup = settings.store_path.with_name("store.before-rebuild")
    if backup.exists():
        shutil.rmtree(backup)
    if settings.store_path.exists():
        settings.store_path.rename(backup)
    paths = [v["path"] for v in recorded.values() if Path(v["path"]).exists()]
    keys = {v["path"]: name for name, v in recorded.items()}  # each file keeps its recorded key (and IRIs)
    missing = [FileResult(v["path"], name, "failed", error=f"Tệp nguồn không còn ở {v['path']} (source file is gone)")
               for name, v in recorded.items() if not Path(v["path"]).exists()]
    store = open_store(settings)
    with store:
        report = Workspace(settings, store).ingest(paths, keys=keys)
    report.files = missing + report.files
    if paths and len(report.failed) == len(report.files) and backup.exists():
        shutil.rmtree(settings.store_path)
        backup.rename(settings.store_path)
    elif backup.exists():
        shutil.rmtree(backup)
    return report
