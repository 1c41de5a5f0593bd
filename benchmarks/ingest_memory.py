"""What holds memory as the corpus grows during ingest (issue #11).

Ingests real documents into a fresh PLANKG_HOME in batches, in one process (as
``plankg ingest`` runs one workspace), and after every batch and index update prints this
process's RSS, Python's traced memory (``tracemalloc``: current and peak of the step) and the
allocation sites that grew most since the previous batch (file:line, 1 frame), so what the
process *keeps* between steps shows up beside what a step needs while it runs.

``--keep-all`` sets ``pipeline.RECENT_EXTRACTIONS`` to a number larger than the corpus: the
workspace then keeps every extraction it has seen, as it did before #11 (the comparison).

``--store-writes N`` measures the store alone instead: N quads written through the Oxigraph
backend's ``replace_graph`` (graphs of 50k triples) and the RSS after, with the backend's
periodic flush (``FLUSH_EVERY_QUADS``) or, with ``--no-flush``, without it.

Run (under ``nice``; the hash embedder, no model)::

    nice -n 10 python benchmarks/ingest_memory.py --corpus /work/corpus/src/etl/dataset \\
        --docs 60 --batch 15 [--keep-all]
    nice -n 10 python benchmarks/ingest_memory.py --store-writes 400000 [--no-flush]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.scale_series import real_documents, rss_now_mb  # noqa: E402


def top_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, n: int) -> list[str]:
    stats = after.compare_to(before, "lineno")
    return [f"{s.size_diff / 1e6:+.1f} MB {s.traceback[0].filename.replace(str(REPO) + '/', '')}:"
            f"{s.traceback[0].lineno}" for s in stats[:n]]


def store_writes(quads: int, flush: bool) -> None:
    """RSS after writing ``quads`` quads through ``OxigraphStore.replace_graph``."""
    import rdflib

    from plankg.store.backends import oxigraph

    if not flush:
        oxigraph.FLUSH_EVERY_QUADS = 10**15
    store = oxigraph.OxigraphStore(Path(tempfile.mkdtemp(prefix="plankg-mem-")) / "store")
    at_open = rss_now_mb()
    per = 50_000
    for b in range(0, quads, per):
        g = rdflib.Graph()
        for i in range(min(per, quads - b)):
            g.add((rdflib.URIRef(f"https://example.org/s/{b}/{i}"), rdflib.URIRef(f"https://example.org/p/{i % 50}"),
                   rdflib.Literal(f"giá trị {i} value {i}")))
        store.replace_graph(f"https://example.org/g/{b}", g)
    print(f"flush every {oxigraph.FLUSH_EVERY_QUADS:,} quads: RSS {at_open} MB at open, {rss_now_mb()} MB after "
          f"{quads:,} quads written; load {os.getloadavg()[0]:.1f}")
    store.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=os.environ.get("PLANKG_SEEDS", str(REPO.parent / "shared" / "seeds")))
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--batch", type=int, default=15)
    ap.add_argument("--top", type=int, default=6)
    ap.add_argument("--keep-all", action="store_true", help="keep every extraction in memory (before #11)")
    ap.add_argument("--store-writes", type=int, default=0, help="measure the store alone: write N quads")
    ap.add_argument("--no-flush", action="store_true", help="with --store-writes: without the periodic flush")
    args = ap.parse_args(argv)
    if args.store_writes:
        store_writes(args.store_writes, flush=not args.no_flush)
        return 0

    from plankg.search.index.embedders import register_backend
    from tests.fake_embedders import HashEmbedder

    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
    os.environ["PLANKG_EMBEDDER"] = "hash"
    os.environ["PLANKG_HOME"] = tempfile.mkdtemp(prefix="plankg-mem-")
    from plankg.config import load_settings
    from plankg.ingest import pipeline
    from plankg.search.index.upkeep import after_change
    from plankg.store.open import open_store

    if args.keep_all:
        pipeline.RECENT_EXTRACTIONS = 10**9
    files = real_documents(Path(args.seeds), Path(args.corpus) if args.corpus else None)[:args.docs]
    settings = load_settings()
    store = open_store(settings)
    ws = pipeline.Workspace(settings, store)
    tracemalloc.start(1)
    last = tracemalloc.take_snapshot()
    print(f"keep all extractions: {args.keep_all}; RSS at start {rss_now_mb()} MB; load {os.getloadavg()[0]:.1f}")
    for start in range(0, len(files), args.batch):
        batch = files[start:start + args.batch]
        for step, run in (("ingest", lambda b=batch: ws.ingest([str(p) for p in b])),
                          ("index", lambda: after_change(settings, store))):
            tracemalloc.reset_peak()
            t = time.perf_counter()
            run()
            current, peak = tracemalloc.get_traced_memory()
            snap = tracemalloc.take_snapshot()
            print(f"{start + len(batch)} docs, {step}: {time.perf_counter() - t:.1f} s; RSS after {rss_now_mb()} MB; "
                  f"traced now {current / 1e6:.1f} MB, step peak {peak / 1e6:.1f} MB; kept extractions "
                  f"{len(ws._cache)}", flush=True)
            for line in top_growth(last, snap, args.top):
                print("   ", line)
            last = snap
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
