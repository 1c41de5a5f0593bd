"""One heavy stage of the bulk ingest alone, in this fresh process (issue #11): its peak memory.

Why: the 3,000-document bulk ingest peaks at the 2 GB goal, and the peak of one process that
runs every stage in turn does not say which stage makes it. Each stage is run here alone on a
copy of a home the bulk built, and the script prints the RSS before the stage, ``ru_maxrss``
after it (the process's peak), their difference (the stage's growth), the highest RSS seen by a
0.5 s sampler (with the moment it was seen), the seconds and the load.

Stages:

* ``index``: the full search-index rebuild (``build_index(rebuild=True)``, what ``plankg index
  --rebuild`` and a large bulk's ``after_change`` run); also prints the item count and a digest
  of the top hits of a few queries, to compare two codes' indexes.
* ``materialise``: the full inference recompute (as ``benchmarks/materialise_alone.py``).

The embedder is the scale series' hash embedder (``tests.fake_embedders.HashEmbedder``, 384
dimensions), whose vectors the home's embedding cache holds: no model is loaded.
Writes the home: run it on a copy (``cp -a HOME /tmp/copy``).

Run (under ``nice``)::

    nice -n 5 python benchmarks/stage_memory.py --home /tmp/copy-of-a-home --stage index
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERIES = ("kế hoạch phát triển kinh tế xã hội", "chuyển đổi số", "phòng chống thiên tai",
           "giáo dục đào tạo", "ủy ban nhân dân tỉnh")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Sampler(threading.Thread):
    """The highest RSS seen every ``interval`` seconds, and when (seconds from the start)."""

    def __init__(self, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.interval, self.peak, self.at = interval, 0.0, 0.0
        self._t0 = time.perf_counter()
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            rss = _rss_mb()
            if rss > self.peak:
                self.peak, self.at = rss, time.perf_counter() - self._t0

    def stop(self) -> None:
        self._done.set()
        self.join()


def _index(settings: object, store: object) -> dict[str, object]:
    from plankg.search.index.builder import build_index
    info = build_index(settings, store, rebuild=True)  # type: ignore[arg-type]
    return {"items": (info.get("counts") or {}).get("items"), "timings": info.get("timings")}


def _index_digest(settings: object) -> str:
    from plankg.search.index.builder import load_index
    index = load_index(settings)  # type: ignore[arg-type]
    hits = [[(r, round(s, 4)) for r, s in index.lexical.search(q, k=10)] for q in QUERIES]
    digest = hashlib.sha256(json.dumps([index.lexical.ids, hits, index.vectors.ids]).encode())
    for it in index.items:
        digest.update(json.dumps(it.to_dict(), sort_keys=True, default=str).encode())
    digest.update(index.vectors.vectors_of(index.vectors.ids[:5000]).round(5).tobytes())
    return digest.hexdigest()[:16]


def _materialise(settings: object, store: object) -> dict[str, object]:
    from plankg.ingest.build import inference
    from plankg.store import iris
    report = inference.materialise(store, settings.base_iri)  # type: ignore[arg-type, attr-defined]
    del iris
    return {"entailments": report.triples, "rounds": report.rounds}


STAGES = {"index": _index, "materialise": _materialise}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True, help="PLANKG_HOME (a copy: it is written)")
    ap.add_argument("--stage", required=True, choices=sorted(STAGES))
    ap.add_argument("--interval", type=float, default=0.5, help="RSS sampling interval (s)")
    args = ap.parse_args(argv)
    os.environ["PLANKG_HOME"] = args.home
    os.environ["PLANKG_EMBEDDER"] = "hash"  # the scale series' embedder (its vectors are cached)
    sys.path.insert(0, str(REPO))
    from plankg.config import load_settings
    from plankg.search.index.embedders import register_backend
    from plankg.store.open import open_store
    from tests.fake_embedders import HashEmbedder
    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))

    settings = load_settings()
    with open_store(settings, read_only=False) as store:
        if args.stage == "materialise":
            from plankg.ingest.build import inference
            inference.ontology_rules()
        before = _rss_mb()
        sampler = Sampler(args.interval)
        sampler.start()
        start = time.perf_counter()
        out = STAGES[args.stage](settings, store)
        seconds = time.perf_counter() - start
        sampler.stop()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        after = _rss_mb()
    if args.stage == "index":
        out["digest"] = _index_digest(settings)
    print(json.dumps({"stage": args.stage, **out, "rss_before_mb": round(before), "ru_maxrss_mb": round(peak),
                      "growth_mb": round(peak - before), "sampled_peak_mb": round(sampler.peak),
                      "sampled_peak_at_s": round(sampler.at, 1), "rss_after_mb": round(after),
                      "seconds": round(seconds, 1), "load": round(os.getloadavg()[0], 1)}, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
