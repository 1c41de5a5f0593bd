"""The direct answer above the result list: who, by when, how much.

Why: a question such as "cơ quan nào chủ trì triển khai bệnh án điện tử" wants an agency,
not ten passages. When the question's intent asks for a fact (``who`` → the lead and
cooperating agencies, ``when`` → the deadline, ``value`` → a target's value and horizon)
the best result that carries that fact answers it — the appendix row the ranking already
collapsed narrative restatements into, so the agencies and deadline are the assignment's —
with its source passage. When unsure, no answer: a wrong answer above the list costs more
than none. Unsure means: nothing was asked but the interrogative (no topic words, agency or
document); no result among the first ``LOOK`` carries the fact and agrees with the period
and document the question named ("… đến năm 2030" is not answered by a 2025 target); or the answer's **confidence** is below ``MIN_CONFIDENCE``. The confidence
(0-1, in the answer object) is the share of the question's topic syllables the answering
passage holds (an answer from a passage sharing a few words with the question is a guess)
times the separation from the best runner-up that answers differently (its score gap to
the answer's, as a share of ``SEPARATION`` of the answer's score: two results the ranking
cannot tell apart that answer differently make it a coin toss). A result ranked above the
answer that lacks the fact asked — the task asked about has no lead or deadline, a target
states its figure in another unit than asked ("bao nhiêu phần trăm") or no number at all,
or, for who does the work, a target (its agencies only monitor it) — counts as such a
runner-up: what the ranking found first does not answer, so a lower result is likely about
a neighbouring subject. ``MIN_CONFIDENCE`` was chosen on the tuning split of the question
set only (docs/search.md, "Abstention").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from plankg.folding import fold
from plankg.search.index.items import Item
from plankg.search.query.questions import vocabulary
from plankg.search.query.ranking import RankingConfig, graph_scores, period_match
from plankg.search.query.understanding import Interpretation
from plankg.search.text import analyze

__all__ = ["LOOK", "MIN_CONFIDENCE", "SEPARATION", "confidence", "direct_answer"]

#: How many results (best first) may hold the answer.
LOOK = 3
#: A runner-up answering differently this share (or more) below the answer's score leaves no
#: doubt; closer, the confidence falls in proportion (at equal scores it is 0).
SEPARATION = 0.02
#: Answers below this confidence are withheld. Chosen on the tuning split only
#: (``benchmarks/search_eval.py --questions … --calibrate``): the threshold that maximises
#: right − 2 × wrong answers there (right − wrong gives the same interval), in the middle of
#: the interval of equally good thresholds — (0.364, 0.704] on 2026-12-06, fourth round (66
#: tuning questions, five of them with no answer in the documents; the wrong answers left with
#: the threshold off: 0.0, 0.0 and 0.364; the lowest right one 0.704). Before: 0.49 on
#: (0.364, 0.624], 0.31 on (0, 0.625] (docs/search.md, "Abstention threshold").
MIN_CONFIDENCE = 0.53

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


#: The item type that carries each intent's fact: one of them ranked above the answer without
#: the fact makes the answer doubtful (see :func:`direct_answer`).
_ASKED_OF = {"who": "Task", "when": "Task", "value": "Target"}
#: The key of a target whose figure is stated in another unit than the one asked: never the
#: answer, but a doubt about any answer below it (see :func:`direct_answer`).
_OTHER_UNIT = ("other unit",)


def _in_unit(value: dict[str, Any], unit: str | None) -> bool:
    """Is the printed value stated in the unit the question asked ("bao nhiêu phần trăm" →
    "100%", "≥ 60 %", "80 phần trăm"; not "tối thiểu 1 trạm phát")? Any value when no unit
    was asked."""
    if unit is None:
        return True
    printed = fold(f"{value.get('text') or ''} {value.get('unit') or ''}").lower()
    return any(s in printed for s in vocabulary().unit_spellings.get(unit, ()))


def _value_fact(item: Item, facts: TargetFacts | None, unit: str | None = None) -> tuple[Any, dict[str, Any]] | None:
    if item.type != "Target" or facts is None:
        return None
    value = facts(item.iri)
    if not value or not value.get("text"):
        return None
    if not re.search(r"\d", str(value["text"])) or not _in_unit(value, unit):  # "bao nhiêu" asks a quantity
        return _OTHER_UNIT, {"kind": "value", "text": str(value["text"])}
    shown = str(value["text"])
    if value.get("unit") and fold(str(value["unit"])).lower() not in fold(shown).lower():
        shown = f"{shown} {value['unit']}"
    horizon = item.deadline or None
    text = shown + (f" ({horizon['text']})" if horizon and horizon.get("text") else "")
    numbers = tuple(re.findall(r"\d+(?:[.,]\d+)?", shown))  # "trên 90%" and "≥ 90 %" say the same
    return (numbers or fold(shown).lower(), (horizon or {}).get("end")), {"kind": "value", "text": text, "value": value,
                                                             "horizon": horizon}


def _asks_monitoring(interp: Interpretation) -> bool:
    """Does the who-question ask who monitors a target ("theo dõi", "tỷ lệ …": questions.yaml
    ``monitoring_words``)?"""
    words = " " + " ".join(fold(interp.query).lower().split()) + " "
    return any(f" {w} " in words for w in vocabulary().monitoring_words)


def _lacks(intent: str, item: Item, interp: Interpretation) -> bool:
    """Is the item of the type that carries the asked fact but without it (a task with no lead
    or no deadline, a target with no value; for who does the work, a target: its agencies
    only monitor it)? A lead of another kind than asked ("Sở nào …" and a Phòng leads) is a
    contradiction, not a lack: such an item is passed over."""
    if intent == "who" and item.type == "Target":
        return not _asks_monitoring(interp)
    if item.type != _ASKED_OF[intent]:
        return False
    if intent == "who":
        return not item.lead
    if intent == "when":
        return not (item.deadline or {}).get("text")
    return True


def _fact(intent: str, item: Item, facts: TargetFacts | None, interp: Interpretation) -> tuple[Any, dict[str, Any]] | None:
    if intent == "who":
        if item.type == "Target" and not _asks_monitoring(interp):
            return None  # a target's agencies monitor it; the question asks who does the work
        return _agency_fact(item, interp.lead_kind)
    if intent == "when":
        return _deadline_fact(item)
    return _value_fact(item, facts, interp.value_unit)


def coverage(text_query: str, passages: list[str]) -> float:
    """Share of the topic's syllables (folded, function words aside) found in the best passage,
    the passage's abbreviations read as their expansions (search/abbreviations.yaml: "DNNVV"
    holds "doanh nghiệp nhỏ và vừa") as the index reads them."""
    words = [w for w in re.findall(r"[a-z0-9]+", fold(text_query).lower()) if w not in _FUNCTION]
    if not words:
        return 1.0
    best = 0.0
    for p in passages:
        have = set(re.findall(r"[a-z0-9]+", fold(p).lower()))
        have.update(s for tok in analyze(p).folded_tokens for s in re.findall(r"[a-z0-9]+", tok))
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
    doubts: list[float] = []
    for r, score in rows[:LOOK]:
        if not _agrees(items[r], interp):
            continue
        got = _fact(intent, items[r], facts, interp)
        if got is None or got[0] == _OTHER_UNIT:
            if got is not None or _lacks(intent, items[r], interp):
                doubts.append(score)
            continue
        found.append((score, items[r], got[0], got[1]))
    if not found:
        return None
    score, item, key, answer = found[0]
    row = next(r for r, _s in rows[:LOOK] if items[r] is item)
    said = passages(row) if passages is not None else [item.text]
    # What the ranking put above the answer without holding the fact asked — the task asked
    # about has no deadline (a lower one is about something else), a target states its figure
    # in another unit — leaves the answer unsettled, as a runner-up answering differently.
    doubt = max((s for s in doubts if s >= score), default=None)
    runner_up = max((s for s in (next((s for s, _o, k, _a in found[1:] if k != key), None), doubt)
                     if s is not None), default=None)
    sure = confidence(coverage(text_query, said) if text_query else 1.0, score, runner_up)
    if sure < MIN_CONFIDENCE:
        return None
    return {**answer, "confidence": sure, "item": {"iri": item.iri, "type": item.type, "label": item.label},
            "document": item.document, "passage": item.text, "source": item.result()["source"]}


def confidence(covered: float, score: float, runner_up: float | None) -> float:
    """How sure the answer is, in [0, 1]: the topic share the passage holds (``covered``)
    times the separation from the best runner-up that answers differently (1 when there is
    none or it scores ``SEPARATION`` × the answer's score below)."""
    separation = 1.0
    if runner_up is not None and score > 0:
        separation = max(0.0, min(1.0, (score - runner_up) / (score * SEPARATION)))
    return round(covered * separation, 3)


def _agrees(item: Item, interp: Interpretation) -> bool:
    """Does the item hold the period and document the question named? An answer that
    contradicts the question ("… đến năm 2030" answered by a 2025 target) is no answer: the
    deadline or horizon must fit the period more than half (:func:`period_match`: an earlier
    deadline for "đến X", a recurring task or a document's year alone do not). Agencies and
    places are not checked: in a who-question the agency is the unknown, and a name inside
    the topic ("cán bộ y tế", "kế hoạch của UBND tỉnh") is read as one."""
    if interp.documents and graph_scores(item, interp, RankingConfig()).get("document", 0.0) <= 0:
        return False
    return not interp.period_asked or period_match(item, interp) > 0.5
