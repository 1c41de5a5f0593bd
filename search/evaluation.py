"""Retrieval metrics over the graded evaluation set (``tests/search_eval.json``).

Shared by ``benchmarks/search_eval.py`` (the table in docs/search.md) and the quality
floor tests, so both measure the same thing:

* nDCG@10 — gain ``2^grade - 1``, discount ``log2(rank + 1)``, ideal from all judged items;
* Recall@10 — judged relevant items (grade ≥ 1) in the top 10, divided by
  ``min(10, number judged relevant)`` (so a query with 20 relevant items can reach 1.0);
* MRR — reciprocal rank of the first relevant item (0 when none in the top 10);
* accent gap — mean over accented/accent-free twin pairs of nDCG@10(accented) −
  nDCG@10(accent-free); also the largest absolute pair difference.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["EvalQuery", "evaluate", "load_eval_set", "mrr", "ndcg_at", "recall_at"]

K = 10


@dataclass(frozen=True)
class EvalQuery:
    id: str
    query: str
    category: str
    relevant: dict[str, int]
    twin_of: str | None = None


def load_eval_set(path: str | Path) -> list[EvalQuery]:
    data = json.loads(Path(path).read_text("utf-8"))
    return [EvalQuery(q["id"], q["query"], q["category"], {k: int(v) for k, v in q["relevant"].items()},
                      q.get("twin_of")) for q in data["queries"]]


def ndcg_at(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** relevant.get(iri, 0) - 1) / math.log2(i + 2) for i, iri in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    rel = {iri for iri, g in relevant.items() if g > 0}
    if not rel:
        return 0.0
    return len(rel & set(ranked[:k])) / min(k, len(rel))


def mrr(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    for i, iri in enumerate(ranked[:k]):
        if relevant.get(iri, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(queries: Sequence[EvalQuery], run: Callable[[str], Sequence[str]], k: int = K) -> dict[str, Any]:
    """Run every query (``run(query) -> ranked IRIs``) and average the metrics."""
    per: dict[str, dict[str, float]] = {}
    for q in queries:
        ranked = list(run(q.query))
        per[q.id] = {"ndcg": ndcg_at(ranked, q.relevant, k), "recall": recall_at(ranked, q.relevant, k),
                     "mrr": mrr(ranked, q.relevant, k)}
    n = len(per) or 1
    out: dict[str, Any] = {m: sum(v[m] for v in per.values()) / n for m in ("ndcg", "recall", "mrr")}
    pairs = [(q.twin_of, q.id) for q in queries if q.twin_of and q.twin_of in per]
    gaps = [per[a]["ndcg"] - per[b]["ndcg"] for a, b in pairs]
    out["accent_gap"] = sum(gaps) / len(gaps) if gaps else 0.0
    out["accent_gap_max"] = max((abs(g) for g in gaps), default=0.0)
    out["accented_ndcg"] = sum(per[a]["ndcg"] for a, _b in pairs) / len(pairs) if pairs else 0.0
    out["accent_free_ndcg"] = sum(per[b]["ndcg"] for _a, b in pairs) / len(pairs) if pairs else 0.0
    out["per_query"] = per
    out["queries"] = len(per)
    return out


# --------------------------------------------------------------------------- questions

@dataclass(frozen=True)
class EvalQuestion:
    """A question of ``tests/search_questions.json``: judgements plus the expected direct answer."""

    id: str
    query: str
    intent: str
    split: str  # "tuning" | "heldout"
    relevant: dict[str, int]
    answer: dict[str, Any] | None = None


def load_question_set(path: str | Path) -> tuple[str | None, list[EvalQuestion]]:
    """``(today, questions)``: the reference day relative periods are judged against."""
    data = json.loads(Path(path).read_text("utf-8"))
    qs = [EvalQuestion(q["id"], q["query"], q["intent"], q["split"], {k: int(v) for k, v in q["relevant"].items()},
                       q.get("answer")) for q in data["queries"]]
    return data.get("today"), qs


def _folded_names(names: Sequence[str]) -> set[str]:
    from plankg.folding import fold

    return {" ".join(fold(n).lower().replace(",", " ").split()) for n in names if n}


def _words(names: Sequence[str]) -> list[str]:
    """The folded words of a set of agency names, "và" and punctuation aside, sorted: how a
    collective cell splits into agencies ("Các sở, ban, ngành, UBND các huyện" as one or two)
    is the extraction's choice, not a different answer."""
    import re

    from plankg.folding import fold

    return sorted(w for n in names for w in re.findall(r"[a-z0-9]+", fold(n).lower()) if w != "va")


def _same_agencies(want: Sequence[str], have: Sequence[dict[str, Any]]) -> bool:
    """Does the answer's agency list name exactly ``want``? Each agency matches by its name or
    as printed (case, marks and commas ignored); failing that, the printed cells hold the
    same words (a collective cell split otherwise)."""
    wanted = _folded_names(want)
    if len(have) == len(wanted) and all(_folded_names([a.get("name") or "", a.get("raw") or ""]) & wanted
                                        for a in have):
        return True
    return any(_words([str(a.get(k) or "") for a in have]) == _words(want) for k in ("raw", "name"))


def grade_answer(expected: dict[str, Any] | None, got: dict[str, Any] | None, lead_only: bool = False) -> bool:
    """Is the direct answer right? No answer expected: right when none is given. Agency: the
    lead set and the cooperating set equal the expected ones (``lead_only``: the lead set
    alone, the measure before the cooperating sets were judged); an agency matches by its
    name or as printed (case, marks and commas ignored). Deadline: the same last day, or the
    same text when the deadline has no date. Value: the printed value holds the expected
    number and the horizon ends in the expected year."""
    if not expected:
        return got is None
    if got is None:
        return False
    if "lead" in expected:
        if not _same_agencies(expected["lead"], got.get("lead") or []):
            return False
        return lead_only or "cooperating" not in expected or \
            _same_agencies(expected["cooperating"], got.get("cooperating") or [])
    deadline = got.get("deadline") or got.get("horizon") or {}
    if "deadline_end" in expected:
        return got.get("kind") == "deadline" and deadline.get("end") == expected["deadline_end"]
    if "deadline_text" in expected:
        return got.get("kind") == "deadline" and _folded_names([str(deadline.get("text", ""))]) == \
            _folded_names([expected["deadline_text"]])
    if "value" in expected:
        text = str((got.get("value") or {}).get("text") or "")
        number = str(expected["value"])
        horizon_end = str((got.get("horizon") or {}).get("end") or "")
        return got.get("kind") == "value" and number in text.replace(" ", "") and \
            horizon_end.startswith(str(expected.get("horizon", "")))
    return False


def evaluate_questions(questions: Sequence[EvalQuestion],
                       run: Callable[[str], tuple[Sequence[str], dict[str, Any] | None]],
                       k: int = K) -> dict[str, Any]:
    """Retrieval metrics and answer accuracy per split (``tuning``, ``heldout``, ``all``).

    ``answer_accuracy``: share of the questions that expect an answer (who / when / how
    much) answered rightly (who: lead and cooperating sets); ``answer_accuracy_lead_only``:
    the same with who-answers graded on the lead set alone; ``wrong_answers``: answers given that are wrong, including any
    answer to a question that expects none (the costly error); ``unanswered``: expected but
    not given."""
    per: dict[str, dict[str, Any]] = {}
    for q in questions:
        ranked, answer = run(q.query)
        ranked = list(ranked)
        right = grade_answer(q.answer, answer)
        right_lead = grade_answer(q.answer, answer, lead_only=True)
        per[q.id] = {"ndcg": ndcg_at(ranked, q.relevant, k), "recall": recall_at(ranked, q.relevant, k),
                     "mrr": mrr(ranked, q.relevant, k), "answer_right": right, "answer_right_lead": right_lead, "answered": answer is not None,
                     "expects_answer": bool(q.answer), "split": q.split, "intent": q.intent,
                     "answer": (answer or {}).get("text")}
    out: dict[str, Any] = {}
    for split in ("tuning", "heldout", "all"):
        rows = [v for v in per.values() if split == "all" or v["split"] == split]
        n = len(rows) or 1
        expecting = [v for v in rows if v["expects_answer"]]
        out[split] = {
            "questions": len(rows), **{m: sum(v[m] for v in rows) / n for m in ("ndcg", "recall", "mrr")},
            "answer_questions": len(expecting),
            "answer_accuracy": sum(v["answer_right"] for v in expecting) / (len(expecting) or 1),
            "answer_accuracy_lead_only": sum(v["answer_right_lead"] for v in expecting) / (len(expecting) or 1),
            "wrong_answers": sum(1 for v in rows if v["answered"] and not v["answer_right"]),
            "unanswered": sum(1 for v in expecting if not v["answered"]),
        }
    out["per_query"] = per
    return out
