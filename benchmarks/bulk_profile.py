"""Where a bulk ingest spends its time and memory (issue #11, item 4).

Makes ``--docs`` synthetic plans from the real corpus (:mod:`benchmarks.synthetic_plans`),
then runs one bulk ``Workspace.ingest`` of them and the index build after it, as
``plankg ingest`` does, in a fresh PLANKG_HOME with the tests' hash embedder (no model),
under cProfile. Prints: wall time of the graph side and the index side, the graph
builder's own timings (``IncrementalBuilder.timings``, the derived upkeep's), the index
timings, CPU seconds of this process and of its extraction workers (less sensitive to the
shared machine's load than wall time), the peak RSS summed over this process and its workers during each side
(:class:`benchmarks.scale_series.TreeRss`), and the ``--top`` functions by cumulative and by
own time.

Run (under ``nice``)::

    nice -n 10 python benchmarks/bulk_profile.py --corpus /work/corpus/src/etl/dataset --docs 100
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.scale_series import TreeRss, load, real_documents, rss_now_mb  # noqa: E402


def _stats(profile: cProfile.Profile, key: str, top: int) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(key).print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, help="the scraped corpus folder (templates of the synthetic plans)")
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--top", type=int, default=35)
    ap.add_argument("--profile-out", default=None, help="also write the raw cProfile stats here")
    args = ap.parse_args(argv)

    from benchmarks.synthetic_plans import generate_plans
    from plankg.search.index.embedders import register_backend
    from tests.fake_embedders import HashEmbedder

    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
    work = Path(tempfile.mkdtemp(prefix="plankg-bulk-"))
    os.environ["PLANKG_HOME"] = str(work / "home")
    os.environ["PLANKG_EMBEDDER"] = "hash"
    templates = [p for p in real_documents(REPO.parent / "shared" / "seeds", Path(args.corpus)) if p.suffix == ".md"]
    files = generate_plans(templates, args.docs, work / "files")

    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.search.index.upkeep import after_change
    from plankg.store.open import open_store

    settings = load_settings()
    tree = TreeRss(0.25).start()
    profile = cProfile.Profile()
    with open_store(settings) as store:
        ws = Workspace(settings, store)
        load_before = load()
        cpu0 = os.times()
        t0 = time.perf_counter()
        profile.enable()
        report = ws.ingest([str(p) for p in files])
        t1 = time.perf_counter()
        graph_peak = tree.take_peak_mb()
        info = after_change(settings, store)
        profile.disable()
        t2 = time.perf_counter()
        index_peak = tree.take_peak_mb()
        cpu1 = os.times()
        summary = {
            "docs": args.docs, "failed": len(report.failed), "graph_s": round(t1 - t0, 1), "index_s": round(t2 - t1, 1),
            "docs_per_s": round(args.docs / (t2 - t0), 3),
            # CPU seconds: less sensitive to the shared machine's load than wall time
            "cpu_s": {"main": round(cpu1.user + cpu1.system - cpu0.user - cpu0.system, 1),
                      "workers": round(cpu1.children_user + cpu1.children_system - cpu0.children_user
                                       - cpu0.children_system, 1)},
            "own_extraction_s (sum over workers)": round(sum(f.seconds for f in report.files), 1),
            "build_timings": {k: round(v, 2) if isinstance(v, float) else v
                              for k, v in (ws.last_build.timings if ws.last_build else {}).items()},
            "index_timings": info.get("timings"), "index_update": info.get("update"),
            "peak_rss_tree_mb": {"graph": graph_peak, "index": index_peak}, "rss_after_mb": rss_now_mb(),
            "triples": store.triple_count(), "load": [load_before, load()],
        }
    tree.stop()
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print(_stats(profile, "cumulative", args.top))
    print(_stats(profile, "tottime", args.top))
    if args.profile_out:
        profile.dump_stats(args.profile_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
