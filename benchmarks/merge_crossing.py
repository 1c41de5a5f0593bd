"""The update that crosses the merge threshold, in background and in inline merge mode, on a
copy of an existing home (issue #11 item 3; docs/benchmarks.md, "The update that crosses
the merge threshold").

Why a script: at 3,000 documents (48k items) the threshold (``PLANKG_INDEX_MERGE_FRACTION``,
10 % of the main index part) is crossed once per ~300 one-document changes, so waiting for
it is not practical. Instead, for the one update timed, the fraction is set just above the
current delta share of the main part, so that this update (adding one fresh document)
crosses it; every other update runs with the default fraction. What crossing costs — the
merge: BM25 from saved tokens, the vector main index from the live vectors — depends on the
number of live items, not on how large the delta was, so the figures stand for a crossing
at 10 %; a real crossing also carries a larger delta (up to 10 % of the items) in the
updates before it, which ``one_change_on_home.py`` times separately. Production never sets
the fraction this way; the setting exists for tuning and for this benchmark.

Per mode it prints one JSON line per step, with the load average: a warm-up add and remove
(what a process pays once), the crossing add (total,
own = its extraction + embedding, grows = the rest), then an ordinary change of that
document and its removal. In background mode the change runs while the merge is running
(an update during a merge: carried by the rebase), and the merge's own seconds (outside
the lock, under it, wall) come from the index meta once it has finished.

    nice -n 5 python benchmarks/merge_crossing.py --home /tmp/plankg-scale-XXXX/home \\
        --file /tmp/plankg-scale-XXXX/files/synthetic-02841.md [--modes background,inline]

The home is copied (never written); the copy is deleted at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _delta_share(settings: Any) -> tuple[float, dict[str, Any]]:
    """(delta + removed) / main of the lexical index now (read from the index itself: a home
    built by older code has no ``lexical_removed`` in its meta)."""
    from plankg.search.index.builder import read_meta
    from plankg.search.index.lexical import LexicalIndex

    meta = read_meta(settings) or {}
    lexical = LexicalIndex.load(settings.index_path / meta["generation"] / "lexical", lazy=True)
    main = max(1, len(lexical._main_ids))
    pending = lexical.delta_size + lexical.removed_main
    return pending / main, {"main": main, "pending": pending, "items": len(lexical)}


def _step(label: str, m: dict[str, Any], extra: dict[str, Any] | None = None) -> None:
    from benchmarks.scale_series import load

    row = {"step": label, "load": load(), "total_s": round(m["total"], 2),
           "own_s": round(m["own_extraction"] + m["own_embedding"], 2), "grows_s": round(m["grows"], 2),
           "graph_s": round(m["graph"], 2), "index_s": round(m["index"], 2)}
    print(json.dumps(row | (extra or {}), ensure_ascii=False), flush=True)


def _wait_merge(settings: Any, since: float, seconds: float) -> dict[str, Any]:
    from plankg.search.index.builder import read_meta
    from plankg.search.index.merge import merge_running

    time.sleep(1.0)  # the detached process takes its lock within its start-up
    while time.monotonic() - since < seconds:
        if not merge_running(settings):
            break
        time.sleep(0.2)
    meta = read_meta(settings) or {}
    return {"merge": meta.get("merge"), "merge_wall_s": round(time.monotonic() - since, 1),
            "merge_due_after": meta.get("merge_due"), "lexical_delta_after": meta.get("lexical_delta")}


def run_mode(mode: str, home: Path, source: Path, original: Path, wait: float) -> None:
    from benchmarks.scale_series import Bench, change_one, load
    from plankg.config import load_settings
    from plankg.search.index.builder import read_meta

    os.environ["PLANKG_INDEX_MERGE"] = mode
    os.environ.pop("PLANKG_INDEX_MERGE_FRACTION", None)
    bench = Bench(home)
    try:
        # warm-up: what a process pays once (imports, registry, segmenter) stays out of the
        # crossing update; the default threshold is not crossed by one document
        shutil.copyfile(original, source)
        warm = bench.ingest([source])
        _step(f"{mode}: warm-up add", warm)
        _step(f"{mode}: warm-up remove", bench.remove(source.name))
        _wait_merge(bench.settings, time.monotonic(), wait)
        share, state = _delta_share(bench.settings)
        # half an item: the next update crosses whatever it leaves pending (an add may replace
        # pending entries instead of adding to them: "just above the present share" was missed)
        fraction = 0.5 / state["main"]
        os.environ["PLANKG_INDEX_MERGE_FRACTION"] = repr(fraction)
        bench.settings = load_settings()
        shutil.copyfile(original, source)
        print(json.dumps({"mode": mode, "load": load(), "delta_share_before": round(share, 5), **state,
                          "fraction_for_this_update": round(fraction, 6)}), flush=True)
        t0 = time.monotonic()
        added = bench.ingest([source])
        meta = read_meta(bench.settings) or {}
        _step(f"{mode}: crossing add", added, {"update": added.get("update"),
                                               "merged_inline": meta.get("lexical_merged"),
                                               "merge_due": meta.get("merge_due"), "index_update": {k: meta.get(k) for k in ("update", "lexical_merged", "lexical_delta", "lexical_removed", "vectors_delta", "items_added", "documents_updated")}})
        # the change keeps the lowered threshold: with the default one its update would record
        # "no merge due" before the detached merge reads meta.json, and that merge would stop
        change_one(source, random.Random(7))
        changed = bench.ingest([source])
        _step(f"{mode}: change (after the crossing)", changed)
        if mode == "background":
            print(json.dumps({"step": "background merge", "load": load()} | _wait_merge(bench.settings, t0, wait),
                             ensure_ascii=False), flush=True)
        os.environ.pop("PLANKG_INDEX_MERGE_FRACTION")
        bench.settings = load_settings()  # later updates: the default threshold
        removed = bench.remove(source.name)
        _step(f"{mode}: remove", removed)
        _wait_merge(bench.settings, time.monotonic(), wait)  # one the last updates may have started
    finally:
        bench.store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", required=True, help="a home left by scale_series.py --keep (copied, never written)")
    ap.add_argument("--file", required=True, help="a fresh document (not in the home) to add, change and remove")
    ap.add_argument("--modes", default="background,inline")
    ap.add_argument("--embedder", default="hash", help="the embedder the home was built with")
    ap.add_argument("--wait", type=float, default=600.0, help="seconds to wait for the background merge")
    args = ap.parse_args()

    from plankg.search.index.embedders import register_backend
    from tests.fake_embedders import HashEmbedder

    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
    os.environ["PLANKG_EMBEDDER"] = args.embedder
    work = Path(tempfile.mkdtemp(prefix="plankg-crossing-"))
    try:
        shutil.copytree(args.home, work / "home", symlinks=True)
        source = work / "files" / Path(args.file).name
        source.parent.mkdir(parents=True)
        for mode in args.modes.split(","):
            run_mode(mode, work / "home", source, Path(args.file), args.wait)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
