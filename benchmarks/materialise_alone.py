"""The full inference recompute alone, in this fresh process (issue #11): its memory and time.

Opens the store of ``--home`` and runs ``inference.materialise`` once; prints the entailments,
the rounds, a digest of the sorted inferred graph (to compare two codes' results), the RSS before
the call, ``ru_maxrss`` after it and their difference (the call's peak growth), and the seconds.
``--drop`` drops the inferred graph first (a first build) instead of recomputing over it.
Writes the store: run it on a copy of a home.

Run (under ``nice``)::

    nice -n 5 python benchmarks/materialise_alone.py --home /tmp/copy-of-a-home [--drop]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import time


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True, help="PLANKG_HOME whose store is recomputed (a copy: it is written)")
    ap.add_argument("--drop", action="store_true", help="drop the inferred graph first (a first build)")
    args = ap.parse_args(argv)
    os.environ["PLANKG_HOME"] = args.home

    from plankg.config import load_settings
    from plankg.ingest.build import inference
    from plankg.store import iris
    from plankg.store.open import open_store

    settings = load_settings()
    with open_store(settings) as store:
        target = iris.inferred_graph_iri(settings.base_iri)
        if args.drop:
            store.drop_graph(target)
        inference.ontology_rules()
        before = _rss_mb()
        start = time.perf_counter()
        report = inference.materialise(store, settings.base_iri)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines = sorted(store.dump("ntriples", target).decode().splitlines())
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    print(f"entailments={report.triples} rounds={report.rounds} graph={len(lines)} sha256={digest} "
          f"rss_before={before:.0f}MB ru_maxrss={peak:.0f}MB growth={peak - before:.0f}MB "
          f"seconds={seconds:.1f} load={os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
