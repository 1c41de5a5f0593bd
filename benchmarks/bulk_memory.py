"""Where the memory of one bulk ingest goes, step by step (issue #11, item 3).

Makes ``--docs`` synthetic plans from the real corpus (:mod:`benchmarks.synthetic_plans`),
ingests ``--real`` real documents first (optional), then the synthetic ones in one
``Workspace.ingest`` and the index build after it, as ``plankg ingest`` does, in a fresh
PLANKG_HOME with the tests' hash embedder (no model). A background thread samples the RSS
summed over this process and its extraction workers every ``--interval`` seconds; the
ingest's crash points (:data:`plankg.ingest.pipeline.crash_hook`) and the entry and exit
of its big steps mark the phases. Prints, per phase, the peak RSS tree and the RSS of this
process when the phase ended, then the home's disk use by part (search index: bytes per item).

Run (under ``nice``)::

    nice -n 10 python benchmarks/bulk_memory.py --corpus /work/corpus/src/etl/dataset --docs 600
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.scale_series import _descendants, _rss_kb, load, real_documents  # noqa: E402


class PhaseRss:
    """RSS summed over the process tree, sampled in a thread; the peak is kept per phase."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.phase = "start"
        self.rows: list[dict[str, Any]] = []
        self._peak = 0
        self._t0 = time.perf_counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _sample(self) -> int:
        return sum(_rss_kb(p) for p in _descendants(os.getpid()))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            kb = self._sample()
            with self._lock:
                self._peak = max(self._peak, kb)

    def mark(self, phase: str) -> None:
        """End the current phase (its peak and this process's RSS now) and start ``phase``."""
        kb = self._sample()
        with self._lock:
            peak, self._peak = max(self._peak, kb), 0
            if phase != self.phase:
                self.rows.append({"phase": self.phase, "peak_tree_mb": round(peak / 1024),
                                  "main_mb_at_end": round(_rss_kb(os.getpid()) / 1024),
                                  "t_end_s": round(time.perf_counter() - self._t0, 1)})
            else:  # same phase again (a crash point passed many times): keep its peak
                self._peak = peak
            self.phase = phase

    def stop(self) -> None:
        self.mark("end")
        self._stop.set()


def _wrap(owner: Any, attr: str, rss: PhaseRss, label: str) -> None:
    fn: Callable[..., Any] = getattr(owner, attr)

    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        rss.mark(label)
        try:
            return fn(*args, **kwargs)
        finally:
            rss.mark(f"after {label}")

    setattr(owner, attr, wrapped)


def _instrument(rss: PhaseRss) -> None:
    from plankg.ingest import pipeline
    from plankg.ingest.build import derived, incremental
    from plankg.search.index import builder

    def hook(name: str) -> None:
        rss.mark(name.split(":", 1)[0])  # "graph-written:<key>" → one phase for all keys

    pipeline.crash_hook = hook
    for attr in ("_extract_waiting", "_commit", "_ensure_static_graphs"):
        _wrap(pipeline.Workspace, attr, rss, f"ingest.{attr}")
    for attr in ("_recluster", "_dependents", "_rebuild", "_merge_all", "merge_subjects", "_mark_dirty"):
        _wrap(incremental.IncrementalBuilder, attr, rss, f"build.{attr}")
    for attr in ("full_alignment", "update_alignment", "full_sections", "update_sections"):
        _wrap(derived.DerivedGraphs, attr, rss, f"derived.{attr}")
    for attr in ("materialise", "update_inferred"):
        _wrap(derived, attr, rss, f"derived.{attr}")
    for attr in ("_build", "_update", "_write_generation"):
        _wrap(builder, attr, rss, f"index.{attr}")


def _disk(home: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in home.rglob("*"):
        if f.is_file():
            rel = f.relative_to(home).parts
            part = "/".join(rel[:2]) if rel[0] in {"index", "build", "search"} else rel[0]
            out[part] = out.get(part, 0) + f.stat().st_size
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def index_bytes_per_item(home: Path, items: int) -> dict[str, Any]:
    """Bytes per search item of the current index generation, by part: BM25 (the two
    ``lexical`` indexes, their token lists and ids), vectors (FAISS and ids), the item store
    (``index/items/`` shards, the manifest and the lexicon), and the embedding cache beside the generations."""
    gens = sorted((home / "index").glob("gen-*"))
    if not gens or not items:
        return {}
    gen = gens[-1]

    def size(*paths: Path) -> int:
        return sum(f.stat().st_size for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())

    parts = {"bm25": size(gen / "lexical"), "vectors": size(gen / "vectors"),
             # item files: shared by generations (index/items), or the generation's own (older layout)
             "item_store": size(home / "index" / "items", gen / "items", gen / "items.json", gen / "lexicon.json"),
             "embedding_cache": size(home / "index" / "embeddings")}
    return {"items": items, "bytes": parts, "bytes_per_item": {k: round(v / items) for k, v in parts.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, help="the scraped corpus folder (templates of the synthetic plans)")
    ap.add_argument("--docs", type=int, default=600, help="synthetic plans in the bulk batch")
    ap.add_argument("--interval", type=float, default=0.25)
    ap.add_argument("--home", default=None, help="PLANKG_HOME to use (default: a fresh temporary one)")
    args = ap.parse_args(argv)

    from benchmarks.synthetic_plans import generate_plans
    from plankg.search.index.embedders import register_backend
    from tests.fake_embedders import HashEmbedder

    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
    work = Path(tempfile.mkdtemp(prefix="plankg-mem-"))
    home = Path(args.home) if args.home else work / "home"
    os.environ["PLANKG_HOME"] = str(home)
    os.environ["PLANKG_EMBEDDER"] = "hash"
    templates = [p for p in real_documents(REPO.parent / "shared" / "seeds", Path(args.corpus)) if p.suffix == ".md"]
    files = generate_plans(templates, args.docs, work / "files")

    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.search.index.upkeep import after_change
    from plankg.store.open import open_store

    settings = load_settings()
    rss = PhaseRss(args.interval)
    _instrument(rss)
    load_before = load()
    t0 = time.perf_counter()
    with open_store(settings) as store:
        report = Workspace(settings, store).ingest([str(p) for p in files])
        rss.mark("index (after_change)")
        info = after_change(settings, store)
        triples = store.triple_count()
    rss.stop()
    items = int((info.get("counts") or {}).get("items", 0))
    print(json.dumps({"docs": args.docs, "failed": len(report.failed), "wall_s": round(time.perf_counter() - t0, 1),
                      "triples": triples, "items": items, "load": [load_before, load()], "home": str(home)}))
    print(f"{'phase':40} {'peak tree MB':>12} {'main MB at end':>14} {'t_end s':>8}")
    for r in rss.rows:
        print(f"{r['phase'][:40]:40} {r['peak_tree_mb']:>12} {r['main_mb_at_end']:>14} {r['t_end_s']:>8}")
    print(json.dumps({"disk_bytes": _disk(home), "index_info": {k: v for k, v in info.items() if k != "timings"}},
                     ensure_ascii=False, default=str))
    print(json.dumps({"index_growth": index_bytes_per_item(home, items)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
