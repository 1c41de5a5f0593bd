"""Profile add-one, change-one and remove-one on a copy of an ingested home (issue #11).

Why a separate script: ``scale_series.py`` times the steps at each size but a profile needs
many runs of one step on one fixed corpus. This copies a home that ``scale_series.py
--keep`` left (``<work>/home``), so the kept home is never changed, and runs each step
under cProfile, split like the series: the graph side (``Workspace.ingest``/``remove``)
and the index side (``after_change``). It prints each step's wall time and its top
functions by cumulative time.

Run: ``nice -n 10 python benchmarks/profile_one_doc.py --home /tmp/plankg-scale-XXXX/home
--file /work/corpus/src/etl/dataset/<some>.md --top 25``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _profiled(label: str, fn: Any, top: int, restrict: str) -> float:
    if top <= 0:  # timing only (cProfile slows Python-heavy steps more than store calls)
        t = time.perf_counter()
        result = fn()
        wall = time.perf_counter() - t
        timings = result.get("timings") if isinstance(result, dict) else None
        print(f"===== {label}: {wall:.2f} s (load {os.getloadavg()[0]:.1f}) {timings or ''}", flush=True)
        return wall
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    fn()
    prof.disable()
    wall = time.perf_counter() - t
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(restrict, top)
    print(f"\n===== {label}: {wall:.2f} s (load {os.getloadavg()[0]:.1f})\n{out.getvalue()}", flush=True)
    return wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True, help="an ingested PLANKG_HOME (copied, never changed)")
    ap.add_argument("--file", required=True, help="the document to add, change and remove")
    ap.add_argument("--embedder", default="hash")
    ap.add_argument("--top", type=int, default=25, help="functions listed per step (0: time only, no profile)")
    ap.add_argument("--restrict", default="plankg", help="only functions whose path matches (pstats regex)")
    args = ap.parse_args(argv)

    from benchmarks.scale_series import change_one
    from plankg.search.index.embedders import register_backend
    from tests.fake_embedders import HashEmbedder

    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
    os.environ["PLANKG_EMBEDDER"] = args.embedder
    work = Path(tempfile.mkdtemp(prefix="plankg-profile-"))
    try:
        shutil.copytree(args.home, work / "home", symlinks=True)
        os.environ["PLANKG_HOME"] = str(work / "home")
        from plankg.config import load_settings
        from plankg.ingest.pipeline import Workspace
        from plankg.search.index.upkeep import after_change
        from plankg.store.open import open_store

        settings = load_settings()
        store = open_store(settings)
        ws = Workspace(settings, store)
        extra = work / f"changed-{Path(args.file).name}"
        shutil.copyfile(args.file, extra)
        for label, step in (("add", lambda: ws.ingest([str(extra)])),
                            ("change", lambda: (change_one(extra, random.Random(7)), ws.ingest([str(extra)]))),
                            ("remove", lambda: ws.remove([extra.name]))):
            _profiled(f"{label}: graph side", step, args.top, args.restrict)
            if ws.last_build is not None and args.top > 0:
                print(f"build timings: {dict(ws.last_build.timings)}")
            _profiled(f"{label}: index side", lambda: after_change(settings, store), args.top, args.restrict)
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
