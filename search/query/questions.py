"""The question frame of a query: what kind of answer is wanted, and relative periods.

Staff type questions ("Sở Y tế phải làm những việc gì", "ai chịu trách nhiệm về hạ tầng dữ
liệu", "nhiệm vụ quá hạn"). The interrogative says what the answer is (an agency, a
deadline, a value, a list of tasks or documents), never what it is about, so it must not
be ranked by: "những việc gì" would rank by the word "việc". This module finds the
interrogative (the *intent*), the polite frame and the question's filler words, and
periods relative to today ("năm nay", "quý này", "tháng tới", "sắp đến hạn", "quá hạn").
The phrases live in ``search/questions.yaml``; matching is on folded text (no marks, lower
case) with offsets aligned to the query, longest phrase first.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from plankg.folding import fold_aligned_blank

__all__ = ["INTENTS", "Phrase", "QuestionVocabulary", "find_phrases", "relative_period", "vocabulary"]

INTENTS = ("who", "when", "value", "tasks", "document")


@dataclass(frozen=True)
class Phrase:
    """One vocabulary phrase found in the query: ``[start, end)`` in the query's offsets."""

    start: int
    end: int
    role: str  # an intent name, "politeness", "filler" or "relative"
    entry: dict[str, Any] | None = None  # the relative-period entry


@dataclass(frozen=True)
class QuestionVocabulary:
    """``search/questions.yaml`` as folded phrase patterns."""

    phrases: tuple[tuple[str, str, dict[str, Any] | None], ...]  # folded phrase, role, entry; longest first
    answer_types: dict[str, tuple[str, ...]]
    due_soon_days: int
    overdue_note: str
    lead_kinds: dict[str, str]  # folded who-phrase → folded first word of the lead's name
    value_units: dict[str, str]  # folded value-phrase → the unit asked ("percent")
    unit_spellings: dict[str, tuple[str, ...]]  # unit → folded spellings of it in a printed value
    monitoring_words: tuple[str, ...]  # folded: a who-question with one asks who monitors a target


def _folded(phrase: str) -> str:
    return " ".join(fold_aligned_blank(phrase).split())


@lru_cache(maxsize=1)
def vocabulary() -> QuestionVocabulary:
    """The vocabulary, read once (package data; the source tree when not installed)."""
    try:
        raw = resources.files("plankg.search").joinpath("questions.yaml").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - source checkout without install
        raw = Path(__file__).parents[1].joinpath("questions.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    entries: list[tuple[str, str, dict[str, Any] | None]] = []
    for intent, phrases in data["intents"].items():
        if intent not in INTENTS:
            raise ValueError(f"questions.yaml: unknown intent {intent!r}")
        entries += [(_folded(p), intent, None) for p in phrases]
    entries += [(_folded(p), "politeness", None) for p in data.get("politeness", [])]
    entries += [(_folded(p), "filler", None) for p in data.get("filler", [])]
    entries += [(_folded(p), "particle", None) for p in data.get("particles", [])]
    entries += [(_folded(e["phrase"]), "relative", dict(e)) for e in data.get("relative", [])]
    entries.sort(key=lambda e: -len(e[0]))
    return QuestionVocabulary(
        phrases=tuple(entries),
        answer_types={k: tuple(v) for k, v in data.get("answer_types", {}).items()},
        due_soon_days=int(data.get("due_soon_days", 30)),
        overdue_note=" ".join(str(data.get("overdue_note", "")).split()),
        lead_kinds={_folded(k): _folded(v) for k, v in (data.get("lead_kinds") or {}).items()},
        value_units={_folded(k): str(v) for k, v in (data.get("value_units") or {}).items()},
        unit_spellings={str(k): tuple(fold_aligned_blank(str(x)).lower().strip() or str(x) for x in v)
                        for k, v in (data.get("unit_spellings") or {}).items()},
        monitoring_words=tuple(_folded(w) for w in data.get("monitoring_words") or ()))


def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"(?![a-z0-9])")


@lru_cache(maxsize=512)
def _compiled(phrase: str) -> re.Pattern[str]:
    return _pattern(phrase)


def find_phrases(query: str, folded: str, roles: set[str], free: Any) -> list[Phrase]:
    """Vocabulary phrases of the given roles in the query, longest first, not overlapping
    each other nor the spans ``free`` reports taken. "AI" in capitals is the abbreviation
    (trí tuệ nhân tạo), never the question word "ai"."""
    out: list[Phrase] = []
    taken: list[tuple[int, int]] = []
    for phrase, role, entry in vocabulary().phrases:
        if role not in roles:
            continue
        for m in _compiled(phrase).finditer(folded):
            s, e = m.start(), m.end()
            if not free(s, e) or any(s < te and ts < e for ts, te in taken):
                continue
            if phrase == "ai" and query[s:e] == "AI":
                continue
            if role == "particle" and folded[e:].strip(" ?.!…") != "":
                continue  # a particle ends the question; elsewhere it is a syllable of a word
            taken.append((s, e))
            out.append(Phrase(s, e, role, entry))
    return sorted(out, key=lambda p: p.start)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def relative_period(entry: dict[str, Any], today: date) -> dict[str, Any]:
    """The period an entry of ``relative`` means on ``today``: ``start``/``end`` (ISO) and the
    mode the ranking reads (``in``: the deadline lies in the period; ``due``: the deadline
    ends between today and ``due_soon_days`` later; ``overdue``: it ended before today)."""
    kind, offset = entry["kind"], int(entry.get("offset", 0))
    if kind == "year":
        y = today.year + offset
        start, end, mode = date(y, 1, 1), date(y, 12, 31), "in"
    elif kind == "quarter":
        q = (today.month - 1) // 3 + offset
        y, q = today.year + q // 4, q % 4
        start, end, mode = date(y, 3 * q + 1, 1), _month_end(y, 3 * q + 3), "in"
    elif kind == "month":
        m = today.month - 1 + offset
        y, m = today.year + m // 12, m % 12 + 1
        start, end, mode = date(y, m, 1), _month_end(y, m), "in"
    elif kind == "due_soon":
        start, end, mode = today, today + timedelta(days=vocabulary().due_soon_days), "due"
    elif kind == "overdue":
        return {"start": None, "end": (today - timedelta(days=1)).isoformat(), "mode": "overdue",
                "relative": kind, "today": today.isoformat(), "note": vocabulary().overdue_note}
    else:
        raise ValueError(f"questions.yaml: unknown relative kind {kind!r}")
    return {"start": start.isoformat(), "end": end.isoformat(), "mode": mode, "relative": kind,
            "today": today.isoformat()}
