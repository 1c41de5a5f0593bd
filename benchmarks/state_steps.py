"""Time the build-state part of one add, change and remove on a copy of a kept home (issue #11).

Why: the growing part of a change moves by ±1 s between runs on a shared machine (the
index side alone does), which hides a 0.1-0.5 s change in the build state. This times only
the incremental builder's own steps, without cProfile's overhead: each step of
``IncrementalBuilder`` found in the code under test (old or new names alike) is wrapped in a
wall-clock timer, and ``update`` minus ``_rebuild`` — facts, clustering, citation tables,
dependents, the dirty list, reading and writing the state and the journal; everything but
the graphs and the merged view — is printed per step as ``state_part``.

Run from the checkout (or staged site) under test: ``nice -n 5 python benchmarks/state_steps.py
--home /tmp/plankg-scale-XXXX/home --file /tmp/plankg-scale-XXXX/files/synthetic-02841.md``
(the home is copied by ``profile_one_doc.py`` unless ``--no-copy``).
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: Builder steps timed when the code under test has them.
STEPS = ("update", "_read_state", "_recluster", "_dependents", "_tables", "_rebuild", "_merge_all", "_mark_dirty")
#: State-store calls timed when the code under test has them (ingest/build/state_store.py).
STORE_STEPS = ("migrate", "commit", "graphs", "candidates", "citing")


def _timed(cls: Any, name: str, totals: dict[str, float]) -> None:
    raw = cls.__dict__.get(name)
    if raw is None:
        return
    static = isinstance(raw, staticmethod)
    fn = raw.__func__ if static else raw

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - t

    setattr(cls, name, staticmethod(wrapper) if static else wrapper)


def main() -> int:
    from benchmarks import profile_one_doc
    from plankg.ingest.build import incremental

    totals: dict[str, float] = {}
    for name in STEPS:
        _timed(incremental.IncrementalBuilder, name, totals)
    store_cls = getattr(incremental, "StateStore", None)
    for name in STORE_STEPS if store_cls is not None else ():
        _timed(store_cls, name, totals)
    original = profile_one_doc._profiled

    def profiled(label: str, fn: Any, top: int, restrict: str) -> float:
        totals.clear()
        wall = original(label, fn, top, restrict)
        if "update" in totals:
            part = totals["update"] - totals.get("_rebuild", 0.0) - totals.get("_merge_all", 0.0)
            print(f"state_part {label}: {part:.3f} s " + str({k: round(v, 4) for k, v in totals.items()}), flush=True)
        return wall

    profile_one_doc._profiled = profiled
    return profile_one_doc.main([*sys.argv[1:], "--top", "0"])


if __name__ == "__main__":
    sys.exit(main())
