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
