"""Index upkeep: the search index follows every change of the store.

Why here and not in the CLI: every writer (``plankg ingest``, ``remove``, ``rebuild``, and
any future API or scheduler) must leave the index in step with the graph, so the rule
lives once, in the search layer, and callers only say what they changed.
"""

from __future__ import annotations

from typing import Any

from plankg.config import Settings
from plankg.ingest.check import Finding
from plankg.ingest.pipeline import IngestReport
from plankg.ingest.rebuild import rebuild_store
from plankg.search.index.builder import index_info, store_fingerprint, update_index
from plankg.search.index.merge import merge_running, start_background
from plankg.store.base import GraphStore
from plankg.store.open import open_store

__all__ = ["after_change", "check_index", "rebuild_store_and_index"]


def after_change(settings: Settings, store: GraphStore) -> dict[str, Any]:
    """Bring the index in step after an ingest or remove (cheap when nothing changed); in
    background merge mode, start the merge in a detached process when the deltas passed
    the threshold (:mod:`plankg.search.index.merge`), and return without waiting for it."""
    info = update_index(settings, store)
    if info.get("merge_due"):
        info = {**info, "merge_started": start_background(settings)}
    return info


def rebuild_store_and_index(settings: Settings) -> IngestReport:
    """Re-read every recorded source into a fresh store, then bring the index in step."""
    report = rebuild_store(settings)
    with open_store(settings, read_only=False) as store:
        after_change(settings, store)
    return report


def check_index(settings: Settings, store: GraphStore, *, notices: bool = False) -> list[Finding]:
    """Is the search index in step with the store (``plankg check``)? ``after_change`` repairs it.
    ``notices``: also say what is worth knowing but not damage (a background merge running);
    readiness (``/readyz``) leaves them out, since a merge never makes the index unusable."""
    info = index_info(settings)
    if not info.get("exists"):
        if store.read_meta().get("sources"):
            return [Finding("index-missing", f"Chưa có chỉ mục tìm kiếm ({settings.index_path}); chạy plankg index "
                            "(the search index is missing)")]
        return []
    if info.get("store_fingerprint") != store_fingerprint(store):
        return [Finding("index-stale", "Chỉ mục tìm kiếm không khớp với kho (được dựng từ một trạng thái khác) "
                        "(the search index is not in step with the store)")]
    if notices and merge_running(settings):  # the merge publishes a complete generation or nothing: no damage
        return [Finding("index-merging", "Chỉ mục tìm kiếm đang được hợp nhất ở nền; tìm kiếm vẫn chạy trên bản hiện tại "
                        "(a background merge of the search index is running; search uses the current generation)",
                        damage=False)]
    return []
