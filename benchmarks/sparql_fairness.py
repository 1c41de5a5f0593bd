"""Latency of a cheap SPARQL query while another client runs heavy ones (issue 12, goal p95 < 1 s).

One service over the seeds (``create_app``, FastAPI TestClient in this process, the real
worker pool). A "heavy" client (10.0.0.1) keeps ``--heavy`` cartesian queries running, each
killed at ``--timeout``; a "cheap" client (10.0.0.2) sends small SELECTs one after the other
(a different LIMIT each time, so no parse cache helps) for ``--seconds``. Printed: p50/p95/max
of the cheap queries and the status counts of both clients, for

* ``fair``: the defaults (a client holds at most workers - 1 workers, query-time budget);
* ``unfair``: ``client_slots = workers``, budget off — what the service did before.

``--fuzz`` also runs ``tests/security/test_security_fuzz.py`` and prints how many fuzz cases it ran.

    nice -n 10 python benchmarks/sparql_fairness.py --seeds ../shared/seeds --home /tmp/plankg-fairness [--fuzz]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?s ?t WHERE {{ ?s a ?t }} LIMIT {n}"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p * (len(xs) - 1))))]


def seeded_settings(seeds: Path, home: Path) -> Any:
    os.environ["PLANKG_HOME"] = str(home)
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.store.open import open_store

    settings = load_settings()
    if not (home / "store").exists():
        store = open_store(settings)
        Workspace(settings, store).ingest([str(seeds)])
        store.close()
    return settings


def run_mode(settings: Any, fair: bool, args: argparse.Namespace) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from plankg.api.http.service_config import PoolConfig, ServiceConfig
    from plankg.api.server import create_app

    workers = args.workers
    pool = PoolConfig(workers=workers, timeout_s=args.timeout, client_slots=0 if fair else workers,
                      client_budget_s=60.0 if fair else 0.0)
    app = create_app(settings, ServiceConfig(pool=pool))
    stop = threading.Event()
    heavy_status: Counter[int] = Counter()
    with TestClient(app, client=("10.0.0.1", 1000)) as heavy, TestClient(app, client=("10.0.0.2", 1000)) as cheap:
        app.state.pool.start()
        while app.state.pool.size < workers:
            time.sleep(0.1)
        assert cheap.get("/sparql", params={"query": "ASK {}"}).status_code == 200

        def hammer() -> None:
            while not stop.is_set():
                heavy_status[heavy.get("/sparql", params={"query": HEAVY}).status_code] += 1

        threads = [threading.Thread(target=hammer, daemon=True) for _ in range(args.heavy)]
        for t in threads:
            t.start()
        time.sleep(1.0)  # the heavy queries are running
        latencies, cheap_status, n = [], Counter(), 0
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            n += 1
            t0 = time.perf_counter()
            r = cheap.get("/sparql", params={"query": CHEAP.format(n=n % 97 + 1)})
            latencies.append(time.perf_counter() - t0)
            cheap_status[r.status_code] += 1
        stop.set()
        app.state.pool.close()  # kills the running heavy queries
        for t in threads:
            t.join(args.timeout + 5)
    ms = [1000 * x for x in latencies]
    return {"mode": "fair" if fair else "unfair", "workers": workers, "heavy_clients_queries": args.heavy,
            "timeout_s": args.timeout, "cheap_n": len(ms), "cheap_p50_ms": round(statistics.median(ms), 1),
            "cheap_p95_ms": round(pct(ms, 0.95), 1), "cheap_max_ms": round(max(ms), 1),
            "cheap_status": dict(cheap_status), "heavy_status": dict(heavy_status)}


def fuzz_cases() -> dict[str, int]:
    """Run the fuzz tests and read their ``FUZZ-CASES name n`` lines."""
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-m", "slow or not slow",
                          "tests/security/test_security_fuzz.py"], cwd=REPO, capture_output=True, text=True, check=False)
    counts = {m.group(1): int(m.group(2)) for m in re.finditer(r"FUZZ-CASES (\S+) (\d+)", out.stdout)}
    tail = out.stdout.strip().splitlines()[-1:] or ["(no output)"]
    print(f"fuzz tests: {tail[0]}", file=sys.stderr)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--home", type=Path, default=Path("/tmp/plankg-fairness"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--heavy", type=int, default=2, help="heavy queries the heavy client keeps running")
    ap.add_argument("--timeout", type=float, default=10.0, help="PLANKG_QUERY_TIMEOUT of the service")
    ap.add_argument("--seconds", type=float, default=25.0, help="how long the cheap client measures, per mode")
    ap.add_argument("--fuzz", action="store_true", help="also run the fuzz tests and count their cases")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    settings = seeded_settings(args.seeds, args.home)
    print(f"load average: {os.getloadavg()[0]:.1f} (other processes change the figures)")
    results = [run_mode(settings, True, args), run_mode(settings, False, args)]
    for r in results:
        print(f"{r['mode']:7s} cheap p50 {r['cheap_p50_ms']} ms  p95 {r['cheap_p95_ms']} ms  max {r['cheap_max_ms']} ms  "
              f"(n={r['cheap_n']}, statuses {r['cheap_status']}; heavy statuses {r['heavy_status']})")
    out: dict[str, Any] = {"modes": results}
    if args.fuzz:
        out["fuzz_cases"] = counts = fuzz_cases()
        print(f"fuzz cases: {sum(counts.values())} {counts}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
