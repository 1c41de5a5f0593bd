"""Precision and recall of the alignment across levels against the hand-read gold.

Run: ``python benchmarks/alignment_eval.py [--seeds ../shared/seeds]``. Ingests the ward plan
(seed 002) and the province plan (seeds 000 and its OCR copy 001) into a fresh temporary
PLANKG_HOME, then compares the ``pk:carriesOut`` links from ward rows to province rows with
``tests/gold/alignment/ward002_province000.json``, on its development and held-out halves
(the split is in the gold file, fixed before tuning) and on both pooled. Links to other documents are counted,
not judged (the gold covers this pair of plans only).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold" / "alignment" / "ward002_province000.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--half", choices=("dev", "heldout", "both"), default="both",
                    help="which half of the gold to score (tune on dev only; heldout is for reporting)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["PLANKG_HOME"] = home
        from plankg.config import load_settings
        from plankg.ingest.pipeline import Workspace
        from plankg.store import iris
        from plankg.store.open import open_store
        from plankg.store.read.queries import PREFIXES, run_query

        settings = load_settings()
        files = [str(p) for prefix in ("000", "001", "002") for p in sorted(args.seeds.glob(f"{prefix}_*"))]
        with open_store(settings) as store:
            Workspace(settings, store).ingest(files)
            gold = json.loads(GOLD.read_text("utf-8"))

            def doc(prefix: str) -> str:
                rows = run_query(store, settings, PREFIXES + f"""SELECT DISTINCT ?d WHERE {{ ?d pk:hasRendition ?r .
                    ?r pk:sourceFile ?f FILTER(STRSTARTS(?f, "{prefix}")) }}""").records()
                return str(rows[0]["d"])

            ward, prov = doc("002"), doc("000")
            links = {(str(r["t"]), str(r["h"])) for r in run_query(store, settings, PREFIXES + f"""SELECT ?t ?h WHERE {{
                ?t pk:carriesOut ?h ; pk:inDocument <{ward}> }}""").records()}
            methods = sorted({str(r["m"]) for r in run_query(store, settings, PREFIXES + """SELECT DISTINCT ?m WHERE {
                ?a pk:alignmentMethod ?m }""").records()})
        halves = {"dev": gold["dev"], "heldout": gold["heldout"]}
        if args.half == "both":
            halves["pooled"] = gold["dev"] + gold["heldout"]
        for half, half_rows in halves.items():
            if args.half != "both" and half != args.half:
                continue
            rows = set(half_rows)
            keep = {iris.part_iri(ward, "task", w) for w in rows}
            expected = {(iris.part_iri(ward, "task", w), iris.part_iri(prov, "task", p))
                        for w, ps in gold["links"].items() if w in rows for p in ps}
            found = {(t, h) for t, h in links if t in keep and h.startswith(prov + "/")}
            tp = len(found & expected)
            precision = tp / len(found) if found else 0.0
            print(f"{half:8} rows {len(rows):3}  gold links {len(expected):3}  found {len(found):3}  "
                  f"precision {precision:.2f}  recall {tp / len(expected):.2f}")
        print(f"method: {', '.join(methods)} (embedder {settings.embedder})")
        print(f"ward links to the province plan: {sum(1 for _, h in links if h.startswith(prov + '/'))}; "
              f"to other documents (not judged): {sum(1 for _, h in links if not h.startswith(prov + '/'))}")


if __name__ == "__main__":
    main()
