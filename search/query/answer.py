"""The direct answer above the result list: who, by when, how much.

Why: a question such as "cơ quan nào chủ trì triển khai bệnh án điện tử" wants an agency,
not ten passages. When the question's intent asks for a fact (``who`` → the lead and
cooperating agencies, ``when`` → the deadline, ``value`` → a target's value and horizon)
the best result that carries that fact answers it — the appendix row the ranking already
collapsed narrative restatements into, so the agencies and deadline are the assignment's —
with its source passage. When unsure, no answer: a wrong answer above the list costs more
than none. Unsure means: nothing was asked but the interrogative (no topic words, agency or
document), no result among the first ``LOOK`` carries the fact, or the runner-up carrying
the same kind of fact scores within ``MARGIN`` of the best and answers differently, or the
answering passage holds less than ``COVERAGE`` of the question's topic syllables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from plankg.folding import fold
from plankg.search.index.items import Item
from plankg.search.query.understanding import Interpretation

__all__ = ["LOOK", "MARGIN", "direct_answer"]

#: How many results (best first) may hold the answer.
LOOK = 3
#: A runner-up within this share of the best score that answers differently makes it unsure.
MARGIN = 0.005
#: The answering passage (or a narrative restatement of it) must hold at least this share of
#: the question's topic syllables: an answer from a passage that shares only a few words
#: with the question ("công dân số" answered by "dân số trưởng thành") is a guess.
COVERAGE = 0.67

#: Target facts the value answer needs but the index does not keep: IRI → {"value", "unit", "comparator"}.
TargetFacts = Callable[[str], dict[str, Any] | None]


def _names(agents: list[dict[str, Any]]) -> list[str]:
    return [str(a.get("name") or a.get("raw") or "") for a in agents if a.get("name") or a.get("raw")]


def _agency_fact(item: Item, kind: str | None) -> tuple[Any, dict[str, Any]] | None:
    if item.type not in ("Task", "Target") or not item.lead:
        return None
    lead, coop = _names(item.lead), _names(item.cooperating)
    if kind and not any(fold(n).lower().startswith(kind + " ") for n in lead):
        return None  # "Sở nào …" and the lead is no Sở
    text = "Chủ trì: " + "; ".join(lead) + (" · Phối hợp: " + "; ".join(coop) if coop else "")
    key = tuple(sorted(fold(n).lower() for n in lead))
    return key, {"kind": "agency", "text": text, "lead": item.lead, "cooperating": item.cooperating}


def _deadline_fact(item: Item) -> tuple[Any, dict[str, Any]] | None:
    d = item.deadline or {}
    if item.type not in ("Task", "Target") or not d.get("text"):
        return None
    label = "Thời hạn" if item.type == "Task" else "Mốc thời gian"
    return (d.get("end") or fold(str(d["text"])).lower()), {"kind": "deadline", "text": f"{label}: {d['text']}",
                                                              "deadline": d}


def _value_fact(item: Item, facts: TargetFacts | None) -> tuple[Any, dict[str, Any]] | None:
    if item.type != "Target" or facts is None:
        return None
    value = facts(item.iri)
    if not value or not value.get("text"):
        return None
    shown = str(value["text"])
    if value.get("unit") and fold(str(value["unit"])).lower() not in fold(shown).lower():
        shown = f"{shown} {value['unit']}"
    horizon = item.deadline or None
    text = shown + (f" ({horizon['text']})" if horizon and horizon.get("text") else "")
    numbers = tuple(re.findall(r"\d+(?:[.,]\d+)?", shown))  # "trên 90%" and "≥ 90 %" say the same
    return (numbers or fold(shown).lower(), (horizon or {}).get("end")), {"kind": "value", "text": text, "value": value,
                                                             "horizon": horizon}


def _fact(intent: str, item: Item, facts: TargetFacts | None, kind: str | None) -> tuple[Any, dict[str, Any]] | None:
    if intent == "who":
        return _agency_fact(item, kind)
    if intent == "when":
        return _deadline_fact(item)
    return _value_fact(item, facts)


def coverage(text_query: str, passages: list[str]) -> float:
    """Share of the topic's syllables (folded, function words aside) found in the best passage."""
    words = [w for w in re.findall(r"[a-z0-9]+", fold(text_query).lower()) if w not in _FUNCTION]
    if not words:
        return 1.0
    best = 0.0
    for p in passages:
        have = set(re.findall(r"[a-z0-9]+", fold(p).lower()))
        best = max(best, sum(w in have for w in words) / len(words))
    return best


_FUNCTION = {"cua", "cac", "nhung", "ve", "cho", "va", "voi", "trong", "tai", "o", "la", "duoc", "co"}


def direct_answer(items: list[Item], rows: list[tuple[int, float]], interp: Interpretation, text_query: str,
                  facts: TargetFacts | None = None,
                  passages: Callable[[int], list[str]] | None = None) -> dict[str, Any] | None:
    """The answer object (see docs/api.md) or None when the question asks for no fact or the
    ranking does not settle it."""
    intent = interp.intent
    if intent not in ("who", "when", "value"):
        return None
    if not (text_query or interp.documents or interp.agencies):
        return None  # only the interrogative: nothing to answer about
    found: list[tuple[float, Item, Any, dict[str, Any]]] = []
    for r, score in rows[:LOOK]:
        got = _fact(intent, items[r], facts, interp.lead_kind)
        if got is not None:
            found.append((score, items[r], got[0], got[1]))
    if not found:
        return None
    score, item, key, answer = found[0]
    row = next(r for r, _s in rows[:LOOK] if items[r] is item)
    said = passages(row) if passages is not None else [item.text]
    if text_query and coverage(text_query, said) < COVERAGE:
        return None  # the passage does not say what was asked about
    for other_score, _other, other_key, _a in found[1:]:
        if other_key != key and other_score >= score * (1 - MARGIN):
            return None  # two results answer differently and the ranking cannot tell them apart
    return {**answer, "item": {"iri": item.iri, "type": item.type, "label": item.label},
            "document": item.document, "passage": item.text, "source": item.result()["source"]}
