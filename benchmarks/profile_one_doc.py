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


class StoreCalls:
    """Times every store call (query, quads_about, …) by its caller: which scoped read still
    grows with the store shows here, where cProfile only shows ``query``."""

    METHODS = ("query", "quads_about", "subjects_of", "graph_names", "get_graph", "triple_count", "patch_graph",
               "replace_graph", "drop_graph", "pairs_of", "quads_about_in", "neighbourhood", "statements")
    #: lazy lookups read by their callers a few rows at a time: timed as they are consumed
    LAZY = ("statements",)
    #: generators read whole by their callers: consumed here
    CONSUMED = ("quads_about", "pairs_of", "quads_about_in")

    def __init__(self, store: Any) -> None:
        self.store = store
        self.calls: list[tuple[float, str, str]] = []
        for name in self.METHODS:
            self._wrap(name)

    def _wrap(self, name: str) -> None:
        inner = getattr(self.store, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            out = inner(*args, **kwargs)
            if name in self.CONSUMED:  # a generator: time it consumed
                out = list(out)
            frame = sys._getframe(1)
            while frame.f_back is not None and frame.f_code.co_name in {"run_query", "_rows", "_records", "records"}:
                frame = frame.f_back  # the function that asked, not the helpers that pass the query on
            where = f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}"
            text = name
            if name == "query" and args:
                body = " ".join(line for line in str(args[0]).splitlines() if not line.lstrip().startswith("PREFIX"))
                text = " ".join(body.split())[:100]
            if name in self.LAZY:
                return self._lazy(out, t, where, text)
            self.calls.append((time.perf_counter() - t, where, text))
            return out

        setattr(self.store, name, timed)

    def _lazy(self, rows: Any, started: float, where: str, text: str) -> Any:
        spent = time.perf_counter() - started
        try:
            while True:
                t = time.perf_counter()
                try:
                    row = next(rows)
                except StopIteration:
                    return
                finally:
                    spent += time.perf_counter() - t
                yield row
        finally:  # the caller may stop early (islice, next): count what it read
            self.calls.append((spent, where, text))

    def report(self, label: str, top: int) -> None:
        total = sum(c[0] for c in self.calls)
        by_caller: dict[tuple[str, str], list[float]] = {}
        for secs, where, text in self.calls:
            by_caller.setdefault((where, text[:60]), []).append(secs)
        print(f"----- {label}: {len(self.calls)} store calls, {total:.2f} s; by caller (calls, s):")
        for (where, text), secs in sorted(by_caller.items(), key=lambda kv: -sum(kv[1]))[:top]:
            print(f"  {sum(secs):7.3f} {len(secs):6d}  {where:45s} {text}")
        print(f"----- {label}: slowest:")
        for secs, where, text in sorted(self.calls, reverse=True)[:top]:
            print(f"  {secs:7.3f}  {where:45s} {text}")
        self.calls.clear()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True, help="an ingested PLANKG_HOME (copied, never changed)")
    ap.add_argument("--file", required=True, help="the document to add, change and remove")
    ap.add_argument("--embedder", default="hash")
    ap.add_argument("--top", type=int, default=25, help="functions listed per step (0: time only, no profile)")
    ap.add_argument("--restrict", default="plankg", help="only functions whose path matches (pstats regex)")
    ap.add_argument("--store-calls", type=int, default=0, help="also list the N slowest store calls of each step")
    ap.add_argument("--no-copy", action="store_true",
                    help="work on --home itself (a disposable copy: add, change, remove leave it as it was, bar logs)")
    ap.add_argument("--steps", default="add,change,remove", help="which steps to run, in order")
    args = ap.parse_args(argv)

    from benchmarks.scale_series import change_one
    from plankg.search.index.embedders import register_backend
    from tests.fake_embedders import HashEmbedder

    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
    os.environ["PLANKG_EMBEDDER"] = args.embedder
    work = Path(tempfile.mkdtemp(prefix="plankg-profile-"))
    try:
        home = Path(args.home) if args.no_copy else work / "home"
        if not args.no_copy:
            shutil.copytree(args.home, home, symlinks=True)
        os.environ["PLANKG_HOME"] = str(home)
        from plankg.config import load_settings
        from plankg.ingest.pipeline import Workspace
        from plankg.search.index.upkeep import after_change
        from plankg.store.open import open_store

        settings = load_settings()
        store = open_store(settings)
        calls = StoreCalls(store) if args.store_calls else None
        ws = Workspace(settings, store)
        extra = work / f"changed-{Path(args.file).name}"
        shutil.copyfile(args.file, extra)
        steps = {"add": lambda: ws.ingest([str(extra)]),
                 "change": lambda: (change_one(extra, random.Random(7)), ws.ingest([str(extra)])),
                 "remove": lambda: ws.remove([extra.name])}
        for label in args.steps.split(","):
            _profiled(f"{label}: graph side", steps[label], args.top, args.restrict)
            if ws.last_build is not None:
                print(f"build timings: {dict(ws.last_build.timings)}")
            if calls:
                calls.report(f"{label}: graph side", args.store_calls)
            _profiled(f"{label}: index side", lambda: after_change(settings, store), args.top, args.restrict)
            if calls:
                calls.report(f"{label}: index side", args.store_calls)
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
