"""Document metadata (kind, symbol, date, issuer) on corpus pages against hand-read gold.

Run: ``python benchmarks/metadata_eval.py --corpus /work/corpus/src/etl/dataset
[--gold round2|round4] [--split dev|heldout|all] [--misses]``.

Gold: ``tests/gold/corpus/metadata_round2.json`` — 59 state and party documents of the corpus
(a systematic sample, split dev/held-out in ``round2.json`` before any gold was written), read
from each page's header block by hand. The pages themselves stay in the corpus (never
committed): ``--corpus`` names the folder that holds them. ``--gold round4`` reads
``tests/gold/corpus/metadata_round4.json`` instead — 46 more pages (a systematic sample fixed
before reading, every 7th page that no other gold round reads; all development data).

Each page is read and extracted as ingest does (``read_source`` + ``extract``, today's code,
called only), and ``Extraction.document`` is compared per field:

- kind: normalised equality with the gold kind (the name in the table of kinds);
- symbol: normalised, whitespace removed ("9476 /BNNMT-CNTY" is "9476/BNNMT-CNTY"); a gold
  ``null`` (the page has no "Số:" line) must be extracted empty, or equal the ``symbol_alt``
  the text gives elsewhere (an attached regulation's "Kèm theo Quyết định số …");
- date: ISO equality; where the header lacks a date (gold ``null``) an empty date or the
  ``date_alt`` the text gives elsewhere (an adoption line) is right;
- issuer: normalised, abbreviations expanded, equal to ``issuer`` or ``issuer_as_printed``;
  where the header lacks the issuer (gold ``null``) empty or one of ``issuer_alt`` is right.

``--misses`` lists what was wrong, for the dev half only: held-out misses are never shown
(do not tune on them; issue #10's rule).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.corpus_extraction import Tally, norm, norm_agency  # noqa: E402

GOLDS = {name: REPO / "tests" / "gold" / "corpus" / f"metadata_{name}.json" for name in ("round2", "round4")}
GOLD = GOLDS["round2"]
FIELDS = ("kind", "symbol", "date", "issuer")


def load_gold(split: str, gold: Path = GOLD) -> dict[str, dict[str, Any]]:
    """The gold documents of one half (``all``: both), by file name."""
    docs: dict[str, dict[str, Any]] = json.loads(gold.read_text("utf-8"))["documents"]
    return {name: g for name, g in docs.items() if split in ("all", g["split"])}


def _symbol_key(text: Any) -> str:
    return re.sub(r"\s+", "", norm(text))


def judge(g: dict[str, Any], doc: Any) -> dict[str, tuple[bool, str]]:
    """Per field: (right?, what was extracted vs wanted) for one extracted DocumentRecord."""
    got_date = doc.date.isoformat() if doc.date else None
    dates = {g.get("date")} if g.get("date") else {None, g.get("date_alt")}
    symbols = {_symbol_key(g.get("symbol"))} | ({_symbol_key(g.get("symbol_alt"))} if g.get("symbol_alt") and not g.get("symbol") else set())
    if g.get("issuer"):
        issuers = {norm_agency(g["issuer"]), norm_agency(g.get("issuer_as_printed"))} - {""}
    else:
        issuers = {""} | {norm_agency(x) for x in g.get("issuer_alt", [])}
    return {
        "kind": (norm(doc.kind) == norm(g.get("kind")), f"{doc.kind!r} ≠ {g.get('kind')!r}"),
        "symbol": (_symbol_key(doc.symbol) in symbols, f"{doc.symbol!r} ≠ {g.get('symbol') or g.get('symbol_alt')!r}"),
        "date": (got_date in dates, f"{got_date} ≠ {g.get('date') or g.get('date_alt')}"),
        "issuer": (norm_agency(doc.issuer) in issuers, f"{doc.issuer!r} ≠ {g.get('issuer') or g.get('issuer_alt')!r}"),
    }


def extract_document(path: Path) -> Any:
    from plankg.ingest.extract import extract
    from plankg.ingest.readers import read_source

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract(read_source(path, on_warning=lambda _m: None)).document


def evaluate(corpus: Path, split: str, gold: Path = GOLD) -> tuple[dict[tuple[str, str], Tally], list[str]]:
    """Tallies per (split, field) and the crashes (a crash counts as every field missed)."""
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    crashes: list[str] = []
    for name, g in load_gold(split, gold).items():
        path = corpus / name
        try:
            verdicts = judge(g, extract_document(path))
        except Exception as e:  # noqa: BLE001 - a crash is a result, never a stop
            crashes.append(f"{name}: {type(e).__name__}: {str(e)[:200]}")
            verdicts = {f: (False, "crash") for f in FIELDS}
        for f, (ok, what) in verdicts.items():
            tallies[(g["split"], f)].add(ok, f"{name}: {what}")
    return tallies, crashes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True, help="folder of the corpus pages (src/etl/dataset)")
    ap.add_argument("--gold", choices=sorted(GOLDS), default="round2",
                    help="metadata gold: round2 (59 pages, dev/held-out) or round4 (46 pages, all dev)")
    ap.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    ap.add_argument("--misses", action="store_true", help="list the misses (dev only)")
    args = ap.parse_args()
    if args.misses and args.split != "dev":
        ap.error("--misses is for --split dev only (held-out misses are not shown)")
    if not args.corpus.is_dir():
        ap.error(f"no corpus folder at {args.corpus}")
    t0 = time.perf_counter()
    gold = GOLDS[args.gold]
    tallies, crashes = evaluate(args.corpus, args.split, gold)
    for split in ("dev", "heldout"):
        rows = [(f, tallies.get((split, f))) for f in FIELDS]
        if not any(t for _f, t in rows):
            continue
        n = max(t.total for _f, t in rows if t)
        print(f"\n== {split}: {n} documents (gold {gold.relative_to(REPO)})")
        for f, t in rows:
            if t:
                print(f"document.{f:10} {t.right:>3}/{t.total:<3} ({t.rate:.0%})")
    print(f"\nseconds: {time.perf_counter() - t0:.1f}")
    print("crashes: " + ("none" if not crashes else "\n  " + "\n  ".join(crashes)))
    if args.misses:
        for f in FIELDS:
            t = tallies.get(("dev", f))
            if t and t.misses:
                print(f"\n-- misses dev document.{f} ({t.total - t.right}):")
                for m in t.misses:
                    print(f"     {m}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
