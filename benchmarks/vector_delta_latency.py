"""Vector search latency with and without delta parts and deletion marks (issue #11: search
p95 < 50 ms; the vector index keeps up to MERGE_FRACTION of its items in delta parts,
scanned exactly, and as many marks, excluded by an ID selector).

Builds an index of ``--size`` of a home's own vectors (repeated with a little noise past
their count, as ``index_delta_cost.py``), times ``--queries`` searches (k 50) unfiltered
and with half the rows allowed, then removes ``--changed`` vectors and adds as many (kept
under the merge threshold: parts and marks) and times them again. Prints milliseconds.

    nice -n 10 python benchmarks/vector_delta_latency.py --home HOME --size 24000 --changed 2000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))


def _latency(index: object, queries: np.ndarray, allowed: set[int] | None) -> str:
    times = []
    for q in queries:
        t = time.perf_counter()
        index.search(q, 50, allowed=allowed)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t) * 1000)
    return f"p50 {np.percentile(times, 50):.2f} p95 {np.percentile(times, 95):.2f} ms"


def main(argv: list[str] | None = None) -> None:
    from benchmarks.index_delta_cost import _home_vectors, _vectors
    from plankg.search.index.vectors import VectorIndex

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True)
    ap.add_argument("--size", type=int, default=24000)
    ap.add_argument("--changed", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=60)
    args = ap.parse_args(argv)
    real = _home_vectors(Path(args.home))
    rng = np.random.default_rng(0)
    ids = [f"i{k:07d}" for k in range(args.size)]
    index = VectorIndex.build(ids, _vectors(rng, args.size, real.shape[1], real), "bench")
    queries = _vectors(rng, args.queries, real.shape[1], real)
    half = set(range(0, args.size, 2))
    print(f"{index.kind}, {len(index)} vectors: unfiltered {_latency(index, queries, None)}; "
          f"half the rows allowed {_latency(index, queries, half)}", flush=True)
    index.remove(ids[:args.changed])
    index.add([f"n{k:07d}" for k in range(args.changed)], _vectors(rng, args.changed, real.shape[1], real), "bench")
    print(f"{index.delta_size} in delta parts, {index.dead} marked: unfiltered {_latency(index, queries, None)}; "
          f"half the rows allowed {_latency(index, queries, half)}", flush=True)


if __name__ == "__main__":
    main()
