"""Competency-query latency on an existing PLANKG_HOME, read-only: each query of
``plankg.ontology.competency_queries`` once, in milliseconds, then median, max and the load.

Run: ``nice -n 5 python benchmarks/competency_on_home.py /tmp/plankg-scale-…/home`` (a home the
scale series kept with ``--keep``; the series itself skips these queries above
``--competency-max-size``).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time


def main(home: str) -> None:
    os.environ["PLANKG_HOME"] = home
    from plankg.config import load_settings
    from plankg.ontology import competency_queries
    from plankg.store.open import open_store
    from plankg.store.read.queries import run_query

    settings = load_settings()
    store = open_store(settings, read_only=True)
    times: dict[str, float] = {}
    for name, query in competency_queries().items():
        t = time.perf_counter()
        run_query(store, settings, query)
        times[name] = round((time.perf_counter() - t) * 1000, 1)
        print(name, times[name], flush=True)
    values = list(times.values())
    print(json.dumps({"queries": len(values), "median_ms": statistics.median(values), "max_ms": max(values),
                      "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    main(sys.argv[1])
