"""Background merge of the index deltas: rebuild the main parts outside the index lock.

Why: the update that takes the delta past :data:`~plankg.search.index.delta.MERGE_FRACTION`
used to rebuild BM25 and the vector index inside itself, under the index lock: 15-90 s at
48k items, so one add, change or remove in ten blew the 3 s goal of an update. Now
(``PLANKG_INDEX_MERGE=background``, the default) the update only writes its delta, records
``merge_due`` in meta.json and starts this module in a detached process
(:func:`start_background`); ``plankg index --merge`` runs it in the foreground.

The merge, in three steps (:func:`merge_index`):

1. *Snapshot*, under the index lock: the current generation's ``lexical/`` and
   ``vectors/`` are hard-linked into ``index/merge-<stamp>/snapshot`` (updates never
   rewrite a file in place, and deleting the generation later leaves the links).
2. *Build*, outside the lock: BM25 from the snapshot's saved tokens, the vector main index
   from its live vectors (or, for HNSW with few marks, the parts' vectors inserted into it,
   as an inline merge does), saved under ``merge-<stamp>/lexical`` and ``.../vectors``.
   Updates and searches go on meanwhile, on the current generation.
3. *Rebase and publish*, under the lock again: items added or changed after the snapshot
   (delta entries the snapshot did not have) stay in the delta, items removed since are
   marked, the merged main files are linked into a new generation and meta.json switches
   to it (:func:`~plankg.search.index.builder.publish_generation`, as an update does). If
   the index was rebuilt meanwhile (another ``lineage``) or merged by someone else (another
   main part), the merge gives up and changes nothing.

A crash at any point leaves meta.json naming a complete generation (the old one before the
switch, the merged one after); ``merge-*`` folders left by a crash are removed by the next
merge. One merge at a time: the merge lock (``index.merge.lock``, an OS lock the kernel
releases if the holder dies) is tried without waiting, and a merge that finds it taken
returns at once. Searches never see a mixed state: a generation is opened whole from the
folder meta.json names.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from plankg.config import Settings, load_settings
from plankg.ingest.pipeline import crash_point
from plankg.search.index.builder import (
    delta_state,
    index_writer,
    new_generation_name,
    publish_generation,
    read_meta,
)
from plankg.search.index.delta import link_copy
from plankg.search.index.lexical import LexicalIndex, StaleIndexError
from plankg.search.index.vectors import VectorIndex
from plankg.store.locks import held_lock

__all__ = ["MergeBusy", "MergeResult", "merge_index", "merge_lock_path", "merge_running", "start_background"]

log = logging.getLogger(__name__)


class MergeBusy(RuntimeError):
    """Another merge of this index is running."""


@dataclass
class MergeResult:
    """What a merge did: ``status`` is ``merged``, ``nothing`` (no delta to merge, or not
    due when only due merges were asked for) or ``abandoned`` (the index was rebuilt or
    merged meanwhile: nothing changed)."""

    status: str
    reason: str = ""
    outside_lock_s: float = 0.0
    under_lock_s: float = 0.0
    items: int = 0
    carried: int = 0
    generation: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def merge_lock_path(settings: Settings) -> Path:
    """``<index folder>.merge.lock``: held by the running merge, beside the index lock."""
    return settings.index_path.with_name(settings.index_path.name + ".merge.lock")


def _busy(path: Path, _seconds: float) -> MergeBusy:
    return MergeBusy(f"Một tiến trình khác đang hợp nhất chỉ mục (khóa {path}) "
                     f"(another process is merging the search index: {path} is held)")


def merge_running(settings: Settings) -> bool:
    """Is a merge of this index running now (its lock held by a live process)?"""
    path = merge_lock_path(settings)
    if not path.exists():  # no merge ever ran here (and a read-only home gets no lock file)
        return False
    try:
        with held_lock(path, 0, _busy):
            return False
    except MergeBusy:
        return True
    except OSError:  # a lock file this process may not open: not ours to judge
        return False


def _has_delta(meta: dict[str, Any]) -> bool:
    return any(int(meta.get(k) or 0) for k in ("lexical_delta", "lexical_removed", "vectors_delta",
                                                "vectors_marked_deleted"))


def merge_index(settings: Settings, *, only_if_due: bool = False) -> MergeResult:
    """Merge the deltas into new main parts (the three steps of the module docstring).
    ``only_if_due``: do nothing unless meta.json says a merge is due (the background
    process). Raises :class:`MergeBusy` when another merge holds the merge lock."""
    with held_lock(merge_lock_path(settings), 0, _busy):
        for stale in settings.index_path.glob("merge-*"):  # a crashed merge's work folder
            shutil.rmtree(stale, ignore_errors=True)
        work = settings.index_path / ("merge-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f"))
        try:
            return _merge(settings, work, only_if_due)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _merge(settings: Settings, work: Path, only_if_due: bool) -> MergeResult:
    t0 = time.perf_counter()
    with index_writer(settings):
        before = read_meta(settings)
        if before is None or not (settings.index_path / str(before.get("generation"))).is_dir():
            return MergeResult("nothing", "no index")
        if not _has_delta(before) or (only_if_due and not before.get("merge_due")):
            return MergeResult("nothing", "no merge due")
        generation = settings.index_path / before["generation"]
        snapshot = work / "snapshot"
        for part in ("lexical", "vectors"):
            link_copy(generation / part, snapshot / part)
    t1 = time.perf_counter()
    crash_point("merge-snapshot")
    try:
        base_lexical = LexicalIndex.load(snapshot / "lexical", lazy=True)
    except StaleIndexError:
        return MergeResult("abandoned", "analyzer changed: the index needs a rebuild")
    base_vectors_meta = json.loads((snapshot / "vectors" / "meta.json").read_text("utf-8"))
    base_lexical.merged().save(work / "lexical")
    VectorIndex.load(snapshot / "vectors", lazy=True).merged(settings.index_merge_fraction).save(work / "vectors")
    items = len(base_lexical)
    t2 = time.perf_counter()
    crash_point("merge-built")
    with index_writer(settings):
        t3 = time.perf_counter()
        now = read_meta(settings)
        if now is None or now.get("lineage") != before.get("lineage") or now.get("version") != before.get("version") \
                or now.get("embedder") != before.get("embedder"):
            return MergeResult("abandoned", "the index was rebuilt during the merge")
        current = settings.index_path / now["generation"]
        try:
            lexical = LexicalIndex.rebased(work / "lexical", base_lexical,
                                           LexicalIndex.load(current / "lexical", lazy=True))
            vectors = VectorIndex.load(current / "vectors", lazy=True)
            vectors.rebase(work / "vectors", base_vectors_meta)
        except (ValueError, OSError, KeyError) as exc:
            return MergeResult("abandoned", f"the index changed under the merge: {exc}")
        gen = new_generation_name()
        folder = settings.index_path / gen
        folder.mkdir(parents=True)
        for entry in current.iterdir():  # item manifest, lexicon: as the current generation has them
            if entry.name not in ("lexical", "vectors"):
                link_copy(entry, folder / entry.name)
        lexical.save(folder / "lexical", previous=work / "lexical")
        vectors.save(folder / "vectors")
        crash_point("merge-written")
        result = MergeResult("merged", outside_lock_s=round(t2 - t1, 3),
                             under_lock_s=round(t1 - t0 + time.perf_counter() - t3, 3),
                             items=items, carried=lexical.delta_size, generation=gen)
        merged_at = datetime.now(UTC).isoformat(timespec="seconds")
        publish_generation(settings, gen, {**now, **delta_state(settings, lexical, vectors),
                                           "vector_kind": vectors.kind,
                                           "merge": {**result.to_json(), "merged_at": merged_at}})
        crash_point("merge-published")
    log.info("index merged: %d items, %.1f s outside the lock, %.2f s under it", items,
             result.outside_lock_s, result.under_lock_s)
    return result


#: merge.log is started afresh past this size.
LOG_MAX_BYTES = 1 << 20


def start_background(settings: Settings) -> bool:
    """Start a detached merge process if meta.json says one is due and none is running;
    returns whether one was started. Its output goes to ``index/merge.log``."""
    meta = read_meta(settings)
    if settings.index_merge != "background" or not meta or not meta.get("merge_due") or merge_running(settings):
        return False
    env = {**os.environ, "PLANKG_HOME": str(settings.home), "PLANKG_EMBEDDER": settings.embedder}
    log_path = settings.index_path / "merge.log"
    keep = log_path.exists() and log_path.stat().st_size < LOG_MAX_BYTES
    with open(log_path, "ab" if keep else "wb") as logfile:
        subprocess.Popen([sys.executable, "-m", "plankg.search.index.merge"], env=env, cwd=str(settings.home),
                         stdin=subprocess.DEVNULL, stdout=logfile, stderr=subprocess.STDOUT,
                         start_new_session=True, close_fds=True)
    return True


#: Merges one detached process runs at most: updates that passed the threshold again while
#: it ran (they found the merge lock taken and started none) are merged by the next one.
MAX_ROUNDS = 3


def main() -> int:
    """The detached process: merge while one is due; a merge already running is not an error."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = load_settings()
    for _ in range(MAX_ROUNDS):
        try:
            result = merge_index(settings, only_if_due=True)
        except MergeBusy:
            return 0
        print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
        if result.status != "merged":
            break
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
