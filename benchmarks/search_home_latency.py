"""Search latency on an existing home (issue 11: search p95 < 50 ms warm, < 300 ms for the
first query after ``/readyz``), with the time of each stage.

Runs the queries of the scale series (``benchmarks/scale_series.py`` ``QUERIES``) on a home
that is already ingested and indexed (a scale-series home: copy it first, this script only
reads it, but the store takes its lock):

* in-process: opening the index and preparing it (``prepare``: understander, row tables),
  then the first query, then warm p50/p95 over the other queries twice (as the scale
  series times them); with ``--stages``, the warm queries' time split by stage
  (understanding, BM25, query embedding, vector search, graph boosts, named-fact hits,
  response, direct answer) and the rest of ``rank``;
* with ``--http``: a fresh ``plankg serve`` app in a subprocess (``scale_series.http_search``):
  seconds until ``/readyz`` answers 200, the first ``/api/search`` after it, warm HTTP p50/p95;
* ``--profile N``: the N functions with most cumulative time over the warm queries (cProfile).

Prints one JSON object (load average before and after: the machine is shared). Homes built
with the test hash embedder (the scale series' bulk) are searched with it: registered here.

    nice -n 10 python benchmarks/search_home_latency.py --home /tmp/copy-of-home --stages --http
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.scale_series import QUERIES, http_search, load, pct  # noqa: E402


def _use_home(home: Path) -> None:
    """Point the settings at ``home`` and at the embedder its index was built with."""
    os.environ["PLANKG_HOME"] = str(home)
    meta = json.loads((home / "index" / "meta.json").read_text("utf-8"))
    os.environ.setdefault("PLANKG_EMBEDDER", str(meta.get("embedder_spec")))
    if meta.get("embedder_spec") == "hash":
        from plankg.search.index.embedders import register_backend
        from tests.fake_embedders import HashEmbedder

        register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))


class Stages:
    """Wall time per stage, by wrapping the service's stage functions while inside."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def _wrap(self, owner: Any, name: str, stage: str) -> Callable[[], None]:
        fn = getattr(owner, name, None)
        if fn is None:  # a stage the measured code does not have (an earlier version)
            return lambda: None

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - t

        setattr(owner, name, timed)
        return lambda: setattr(owner, name, fn)

    @contextmanager
    def timing(self) -> Iterator[None]:
        from plankg.search import service
        from plankg.search.index.lexical import LexicalIndex
        from plankg.search.index.vectors import VectorIndex
        from plankg.search.query.understanding import Understander

        undo = [self._wrap(Understander, "understand", "understanding"),
                self._wrap(LexicalIndex, "search", "bm25"),
                self._wrap(service, "_embed", "query_embedding"),
                self._wrap(VectorIndex, "search", "vector_search"),
                self._wrap(service, "_graph", "graph_boosts"),
                self._wrap(service, "_named_fact_hits", "named_fact_hits"),
                self._wrap(service, "rank", "rank_total"),
                self._wrap(service, "_response", "response"),
                self._wrap(service, "answer_of", "answer"),
                self._wrap(service, "search", "search_total")]
        try:
            yield
        finally:
            for u in reversed(undo):
                u()

    def per_query_ms(self, n: int) -> dict[str, float]:
        out = {k: round(v * 1000 / n, 2) for k, v in self.seconds.items()}
        # named-fact hits run BM25 again: counted in bm25 and inside their own stage
        inner = sum(out.get(k, 0.0) for k in ("understanding", "bm25", "query_embedding", "vector_search",
                                               "graph_boosts"))
        out["rank_rest"] = round(out.get("rank_total", 0.0) - inner, 2)
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def in_process(stages: bool, profile: int) -> dict[str, Any]:
    from plankg.config import load_settings
    from plankg.search import service
    from plankg.search.index.builder import index_info, load_index
    from plankg.search.service import search
    from plankg.store.open import open_store

    settings = load_settings()
    out: dict[str, Any] = {"items": (index_info(settings).get("counts") or {}).get("items")}
    with open_store(settings) as store:
        t = time.perf_counter()
        index = load_index(settings, store)
        out["open_index_ms"] = round((time.perf_counter() - t) * 1000, 1)
        t = time.perf_counter()
        prepare = getattr(service, "prepare", None)  # absent before #11's search work: built by the first query
        if prepare is not None:
            prepare(index)
        out["prepare_ms"] = round((time.perf_counter() - t) * 1000, 1)
        t = time.perf_counter()
        search(settings, store, QUERIES[0], k=10)
        out["first_query_ms"] = round((time.perf_counter() - t) * 1000, 1)
        warm_queries = QUERIES[1:] * 2
        warm = []
        for q in warm_queries:
            t = time.perf_counter()
            search(settings, store, q, k=10)
            warm.append(time.perf_counter() - t)
        out |= {"warm_n": len(warm), "p50_ms": round(pct(warm, 50) * 1000, 1),
                "p95_ms": round(pct(warm, 95) * 1000, 1), "max_ms": round(max(warm) * 1000, 1)}
        if stages:
            st = Stages()
            with st.timing():
                for q in QUERIES[1:]:
                    service.search(settings, store, q, k=10)
            out["stages_ms_per_query"] = st.per_query_ms(len(QUERIES) - 1)
        if profile:
            prof = cProfile.Profile()
            prof.enable()
            for q in QUERIES[1:]:
                search(settings, store, q, k=10)
            prof.disable()
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(profile)
            out["profile"] = buf.getvalue().splitlines()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="an ingested and indexed PLANKG_HOME (a copy)")
    ap.add_argument("--stages", action="store_true", help="time each stage of the warm queries")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile: the N top functions")
    ap.add_argument("--http", action="store_true", help="also time /readyz and /api/search in a fresh server")
    ap.add_argument("--port", type=int, default=8779)
    args = ap.parse_args(argv)
    _use_home(args.home.resolve())
    report: dict[str, Any] = {"home": str(args.home), "load_before": load()}
    report["in_process"] = in_process(args.stages, args.profile)
    if args.http:
        report["http"] = http_search(args.port, args.home.resolve().parent / "search-latency-server.log")
    report["load_after"] = load()
    profile = report["in_process"].pop("profile", None)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if profile:
        print("\n".join(profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
