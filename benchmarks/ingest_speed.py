"""How long `plankg ingest` takes on the seed corpus (no embedding: the search index is
built separately), cold, into a fresh PLANKG_HOME.

Run: ``python benchmarks/ingest_speed.py [--seeds ../shared/seeds] [--runs 3]``.
Prints the wall time of each run and of its phases (read + extract, assemble + store).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def one_run(seeds: Path) -> dict[str, float]:
    from plankg.config import load_settings
    from plankg.ingest import pipeline
    from plankg.store.open import open_store

    with tempfile.TemporaryDirectory() as home:
        os.environ["PLANKG_HOME"] = home
        settings = load_settings()
        store = open_store(settings)
        ws = pipeline.Workspace(settings, store)
        phases = {"extract": 0.0, "assemble+store": 0.0}
        real_rebuild = ws.rebuild_graphs

        def timed_rebuild(changed: set[str]) -> None:
            t = time.perf_counter()
            real_rebuild(changed)
            phases["assemble+store"] += time.perf_counter() - t

        ws.rebuild_graphs = timed_rebuild  # type: ignore[method-assign]
        start = time.perf_counter()
        report = ws.ingest([str(seeds)])
        total = time.perf_counter() - start
        store.close()
        if report.failed:
            raise SystemExit(f"ingest failed: {[f.error for f in report.failed]}")
        phases["extract"] = total - phases["assemble+store"]
        phases["total"] = total
        return phases


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default=os.environ.get("PLANKG_SEEDS", str(REPO.parent / "shared" / "seeds")))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    # import cost (rdflib, pyoxigraph, rapidfuzz) is paid once by the CLI too; measure it apart
    t = time.perf_counter()
    import plankg.ingest.pipeline  # noqa: F401

    print(f"imports: {time.perf_counter() - t:.2f} s")
    runs = [one_run(Path(args.seeds)) for _ in range(args.runs)]
    for i, r in enumerate(runs, 1):
        print(f"run {i}: total {r['total']:.2f} s (read+extract {r['extract']:.2f} s, assemble+store {r['assemble+store']:.2f} s)")
    print(f"median total: {statistics.median(r['total'] for r in runs):.2f} s over {len(runs)} runs, {len(list(Path(args.seeds).glob('*')))} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
