"""Add-one, change-one and remove-one on an existing home, measured exactly as the scale series
measures them (issue #11).

Why: ``scale_series.py`` times one change only right after building each size, so a new
version of the code can be timed at 3,000 documents only by rebuilding the whole home (tens of
minutes). This reuses a home that ``scale_series.py --keep`` left: it copies it (unless
``--no-copy``), opens it in this process like the series' bench, and runs the series' own
``one_doc_steps`` on a fresh document ``--repeat`` times. The first round also pays what a
process pays once (imports, the registry, the segmenter, an index-layout migration on a home
built by older code), so later rounds are the warm figures; every round is printed.

Run: ``nice -n 5 python benchmarks/one_change_on_home.py --home /tmp/plankg-scale-XXXX/home
--file /tmp/plankg-scale-XXXX/files/synthetic-02841.md --repeat 3``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class OneFile:
    """The series' document source, reduced to one given file (``take`` returns it)."""

    def __init__(self, path: Path, folder: Path) -> None:
        self.path, self.folder = path, folder

    def take(self, n: int) -> list[Path]:
        return [self.path] * n


def summary(row: dict[str, Any]) -> dict[str, Any]:
    """The figures of one round: total, own and growing seconds per step, and the load."""
    out = {f"{s}_{k}": row[f"{s}_{k}_s"] for s in ("add", "change", "remove") for k in ("total", "own", "grows")}
    out["graph_index_s"] = {s: (row[f"{s}_detail"]["graph_s"], row[f"{s}_detail"]["index_s"])
                            for s in ("add", "change", "remove")}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", required=True, help="a home left by scale_series.py --keep (copied)")
    ap.add_argument("--file", required=True, help="the fresh document to add, change and remove")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-copy", action="store_true", help="work on --home itself (a disposable copy)")
    ap.add_argument("--embedder", default="hash", help="the embedder the home was built with")
    args = ap.parse_args()

    from benchmarks.scale_series import Bench, TreeRss, load, one_doc_steps
    from plankg.search.index.embedders import register_backend
    from tests.fake_embedders import HashEmbedder

    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
    os.environ["PLANKG_EMBEDDER"] = args.embedder
    work = Path(tempfile.mkdtemp(prefix="plankg-onechange-"))
    home = Path(args.home)
    if not args.no_copy:
        shutil.copytree(home, work / "home", symlinks=True)
        home = work / "home"
    source = work / "files" / Path(args.file).name
    source.parent.mkdir(parents=True)
    bench = Bench(home)
    tree = TreeRss().start()
    try:
        for i in range(args.repeat):
            shutil.copyfile(args.file, source)  # change_one rewrote the last round's copy
            row = one_doc_steps(bench, OneFile(source, source.parent), random.Random(7), tree)  # type: ignore[arg-type]
            print(json.dumps({"round": i + 1, "load": load()} | summary(row)), flush=True)
    finally:
        bench.store.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
