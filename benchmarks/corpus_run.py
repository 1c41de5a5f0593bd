"""Run today's reader + extractor over the real corpus: crashes, time, and plan/non-plan classification.

Run: ``python benchmarks/corpus_run.py --corpus /work/corpus/src/etl/dataset [--others 1000]
[--timeout 30] [--report FILE] [--exclude FILE]``.

Files: (a) every file in tests/gold/corpus/inventory.json (state/party documents), (b) the
first ``--others`` other ``.md`` files of the corpus in sorted name order, (c) any of the 66
files of tests/gold/corpus/labels_57.json not already in (a)/(b). Each file is read and
extracted inside try/except with a per-file time limit (SIGALRM, ``--timeout`` seconds); a
crash or timeout is recorded and the run goes on.

Plan classification on the 66 labelled files: a file is "taken for a plan" when the extractor
says so (``DocumentRecord.plan``, ingest/extract/plan_kind.py: a plan-like kind, or a title
that issues or approves one). This is compared with the label's ``is_plan_like``; every
article / qa taken for a plan is listed. The proxy used before the extractor decided
(kind Kế hoạch / Chương trình / Đề án, or at least one task) is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "gold" / "corpus"
PLAN_KINDS = {"kế hoạch", "chương trình", "đề án"}


class _Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Timeout()


def run_one(path: Path, timeout: int) -> dict:
    from plankg.ingest.extract import extract
    from plankg.ingest.readers import read_source

    rec: dict = {"file": path.name}
    t0 = time.perf_counter()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ex = extract(read_source(path))
        d = ex.document
        rec.update(
            kind=d.kind,
            symbol=d.symbol,
            plan=d.plan,
            date=d.date.isoformat() if d.date else None,
            issuer=d.issuer,
            tasks=len(ex.tasks),
            targets=len(ex.targets),
            citations=len(ex.citations),
            warnings=len(ex.warnings),
        )
    except _Timeout:
        rec["error"] = f"timeout after {timeout}s"
    except Exception as e:  # noqa: BLE001 - a crash is a result, never a stop
        tb = traceback.extract_tb(e.__traceback__)
        where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
        rec["error"] = f"{type(e).__name__}: {str(e)[:200]} [{where}]"
    finally:
        signal.alarm(0)
    rec["seconds"] = round(time.perf_counter() - t0, 3)
    return rec


def taken_for_plan(rec: dict) -> bool:
    return bool(rec.get("plan"))


def proxy_plan(rec: dict) -> bool:
    """The earlier proxy: a plan kind, or at least one task."""
    return (rec.get("kind") or "").strip().casefold() in PLAN_KINDS or (rec.get("tasks") or 0) > 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/work/corpus/src/etl/dataset")
    ap.add_argument("--others", type=int, default=1000, help="how many non-inventory .md files (sorted order)")
    ap.add_argument("--timeout", type=int, default=30, help="seconds per file")
    ap.add_argument("--report", metavar="FILE", help="write per-file results as JSON")
    ap.add_argument("--progress", type=int, default=200, help="print a line every N files (0: never)")
    ap.add_argument("--exclude", metavar="FILE",
                    help="leave out every corpus file named in FILE (any text or JSON naming '<stem>.md', e.g. the "
                         "output of tests/gold/corpus/round5_pool.py: a held-out set is never run)")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        ap.error(f"corpus not found: {corpus}")

    inventory = [e["file"] for e in json.loads((GOLD_DIR / "inventory.json").read_text("utf-8"))]
    labels = json.loads((GOLD_DIR / "labels_57.json").read_text("utf-8"))["files"]
    inv_set = set(inventory)
    others = [p.name for p in sorted(corpus.glob("*.md")) if p.name not in inv_set][: args.others]
    groups: dict[str, str] = {f: "inventory" for f in inventory}
    for f in others:
        groups.setdefault(f, "other")
    for lab in labels:
        groups.setdefault(lab["file"], "labels_57")
    excluded: set[str] = set()
    if args.exclude:
        excluded = set(re.findall(r"[0-9a-f]{16}\.md", Path(args.exclude).read_text("utf-8")))
        labels = [lab for lab in labels if lab["file"] not in excluded]
    files = [f for f in groups if f not in excluded]
    if excluded:
        print(f"excluded: {len(set(groups) & excluded)} files named in {args.exclude}")

    results: dict[str, dict] = {}
    t_all = time.perf_counter()
    for i, name in enumerate(files, 1):
        path = corpus / name
        if not path.exists():
            results[name] = {"file": name, "error": "missing from corpus", "seconds": 0.0}
        else:
            results[name] = run_one(path, args.timeout)
        results[name]["group"] = groups[name]
        if args.progress and i % args.progress == 0:
            print(f"  … {i}/{len(files)} files, {time.perf_counter() - t_all:.0f}s", flush=True)
    total_s = time.perf_counter() - t_all

    # -- summary -----------------------------------------------------------------------
    print(f"\ncorpus: {corpus}")
    counts = Counter(groups[f] for f in files)
    print(
        f"files: {len(files)} (inventory {counts['inventory']}, others {counts['other']} of --others {args.others}, "
        f"extra labelled {counts['labels_57']})"
    )
    print(f"seconds: {total_s:.1f} total, {total_s / max(1, len(files)):.3f} per file")
    slow = sorted(results.values(), key=lambda r: -r["seconds"])[:5]
    print("slowest: " + ", ".join(f"{r['file']} {r['seconds']:.1f}s" for r in slow))
    crashed = [r for r in results.values() if "error" in r]
    print(f"crashes/timeouts: {len(crashed)}")
    err_kinds = Counter(r["error"].split(":")[0] for r in crashed)
    for k, n in err_kinds.most_common():
        print(f"  {n:4} {k}")
    for r in crashed[:15]:
        print(f"  {r['file']} [{r['group']}]: {r['error']}")
    for grp in ("inventory", "other"):
        rs = [r for r in results.values() if r["group"] == grp and "error" not in r]
        with_tasks = sum(1 for r in rs if r["tasks"])
        with_targets = sum(1 for r in rs if r["targets"])
        with_symbol = sum(1 for r in rs if r["symbol"])
        kinds = Counter(r["kind"] for r in rs)
        print(
            f"{grp}: {len(rs)} read; with symbol {with_symbol}, with tasks {with_tasks} "
            f"(tasks {sum(r['tasks'] for r in rs)}), with targets {with_targets} (targets {sum(r['targets'] for r in rs)}); "
            f"kinds {dict(kinds.most_common(8))}"
        )

    # -- the 66 labelled files ------------------------------------------------------------
    right = 0
    confusion: Counter = Counter()
    wrong_non_plans: list[str] = []
    missed_plans: list[str] = []
    for lab in labels:
        r = results.get(lab["file"], {})
        taken = "error" not in r and taken_for_plan(r)
        truth = bool(lab.get("is_plan_like"))
        right += int(taken == truth)
        confusion[(truth, taken)] += 1
        if taken and lab["label"] in ("article", "qa"):
            wrong_non_plans.append(
                f"{lab['file']} ({lab['label']}): kind={r.get('kind')!r}, tasks={r.get('tasks')}, targets={r.get('targets')}"
            )
        if truth and not taken:
            missed_plans.append(
                f"{lab['file']} ({lab['label']}): kind={r.get('kind')!r}, tasks={r.get('tasks')}, error={r.get('error')}"
            )
    n = len(labels)
    by_label = Counter(lab["label"] for lab in labels)
    proxy_right = sum(
        int(("error" not in results.get(lab["file"], {}) and proxy_plan(results[lab["file"]])) == bool(lab.get("is_plan_like")))
        for lab in labels
    )
    print(f"\nlabels_57: {n} files {dict(by_label)}")
    print(f"plan classification accuracy: {right}/{n} ({right / max(1, n):.0%})")
    print(f"  (proxy 'plan kind or >= 1 task': {proxy_right}/{n})")
    print(
        f"  plan-like taken for plan {confusion[(True, True)]}, plan-like missed {confusion[(True, False)]}, "
        f"non-plan taken for plan {confusion[(False, True)]}, non-plan rejected {confusion[(False, False)]}"
    )
    taken_by_label = Counter(
        lab["label"] for lab in labels if "error" not in results.get(lab["file"], {}) and taken_for_plan(results[lab["file"]])
    )
    print(f"  taken for a plan, by label: {dict(taken_by_label)}")
    print(f"articles/qa taken for a plan ({len(wrong_non_plans)}):")
    for w in wrong_non_plans:
        print(f"  {w}")
    print(f"plan-like files not taken for a plan ({len(missed_plans)}):")
    for w in missed_plans:
        print(f"  {w}")

    if args.report:
        Path(args.report).write_text(
            json.dumps(
                {
                    "corpus": str(corpus),
                    "others": args.others,
                    "seconds": round(total_s, 1),
                    "crashes": len(crashed),
                    "labels_57_accuracy": [right, n],
                    "files": list(results.values()),
                },
                ensure_ascii=False,
                indent=1,
            ),
            "utf-8",
        )
        print(f"\nreport written to {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
