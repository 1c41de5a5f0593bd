"""What the background merge costs against the index size, without a home of that size
(issue #11 item 3; docs/benchmarks.md, "The update that crosses the merge threshold").

Why synthetic: the merge touches only the two search indexes (BM25 from saved tokens, the
vector main index), whose costs depend on the item count, not on the graph. As in
``index_delta_cost.py``, the passages are a real home's analysed tokens repeated under new
ids, the vectors random unit vectors of 384 dimensions. At each size it writes an index
folder as the builder does (meta.json naming one generation), applies a change of
``--share`` of the items as updates in background mode would leave it (half removed from
the main part, half added as delta parts), then runs :func:`merge_index` and prints its
seconds outside and under the index lock, with the load average.

    nice -n 10 python benchmarks/merge_cost.py --home /tmp/some-home --sizes 12000,48000
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
IRI = "https://plankg.example.org/eli/tinh-synthetic/ubnd/kh/2025"


def one_size(size: int, base: list[Any], work: Path, share: float) -> dict[str, Any]:
    from plankg.config import load_settings
    from plankg.search.index.builder import INDEX_VERSION, delta_state, new_generation_name, publish_generation
    from plankg.search.index.lexical import LexicalIndex
    from plankg.search.index.merge import merge_index
    from plankg.search.index.vectors import VectorIndex
    from plankg.search.text import analyzer_fingerprint

    os.environ["PLANKG_HOME"] = str(work / f"home-{size}")
    os.environ["PLANKG_INDEX_MERGE"] = "background"
    settings = load_settings()
    rng = np.random.default_rng(size)
    ids = sorted(f"{IRI}/{n // 16:06d}/task/{n % 16:02d}" for n in range(size))
    tokens = [(t[0], t[1]) for t in (base[n % len(base)] for n in range(size))]
    lexical = LexicalIndex.from_tokens(ids, tokens)
    vectors = VectorIndex.build(ids, rng.normal(size=(size, 384)).astype(np.float32), "bench")
    lexical.merge_fraction = vectors.merge_fraction = None  # background mode: updates never merge
    gone = ids[: int(size * share / 2)]
    new = [f"{IRI}/new/{n:06d}" for n in range(int(size * share / 2))]
    vectors.remove(gone)
    vectors.add(new, rng.normal(size=(len(new), 384)).astype(np.float32), "bench")
    order = sorted(vectors.ids)
    vectors.reorder(order)
    lexical.update(gone, new, [" ".join(tokens[k % len(tokens)][1]) for k in range(len(new))], order)
    gen = new_generation_name()
    folder = settings.index_path / gen
    lexical.save(folder / "lexical")
    vectors.save(folder / "vectors")
    (folder / "items.json").write_text("{}", "utf-8")
    meta = {"format": "plankg-search-index", "version": INDEX_VERSION, "embedder": "bench", "lineage": "bench",
            "analyzer": analyzer_fingerprint(), **delta_state(settings, lexical, vectors)}
    publish_generation(settings, gen, meta)
    load_before = round(os.getloadavg()[0], 2)
    t = time.perf_counter()
    result = merge_index(settings)
    wall = time.perf_counter() - t
    after = json.loads((settings.index_path / "meta.json").read_text("utf-8"))
    shutil.rmtree(settings.home, ignore_errors=True)
    return {"items": size, "changed_share": share, "vector_kind": after.get("vector_kind"), "status": result.status,
            "outside_lock_s": result.outside_lock_s, "under_lock_s": result.under_lock_s, "wall_s": round(wall, 2),
            "load_before": load_before, "load_after": round(os.getloadavg()[0], 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", required=True, help="a home whose index gives the passages' tokens")
    ap.add_argument("--sizes", default="12000,48000")
    ap.add_argument("--share", type=float, default=0.11, help="items changed since the main part was built")
    args = ap.parse_args()
    gen = json.loads((Path(args.home) / "index" / "meta.json").read_text("utf-8"))["generation"]
    base = json.loads((Path(args.home) / "index" / gen / "lexical" / "tokens.json").read_text("utf-8"))
    work = Path(tempfile.mkdtemp(prefix="plankg-mergecost-"))
    try:
        for size in (int(s) for s in args.sizes.split(",") if s):
            print(json.dumps(one_size(size, base, work, args.share)), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
