"""The alignment score: one documented combination of text and agreement evidence.

Why a module of its own: the candidates (which documents a task may carry out) and the
graph plumbing (``ingest/build/alignment.py``) change for other reasons than the score; the
score's weights are the one thing tuned on the development half of the gold
(``tests/gold/alignment/ward002_province000.json``), so they live together, with the
reasons, here.

For a lower task L and a candidate higher task H::

    score = (1 - W_EMB) * lexical + W_EMB * embedding      # text, both in [0, 1]
          + PILLAR_BONUS   if both serve the same pillar of 57-NQ/TW
          + YEAR_BONUS     if both are due the same year
          - AGENCY_PENALTY if their agencies do not agree (see :func:`agencies_agree`)
          - LATE_PENALTY   if L is due after H (a share of a task due after the task itself
                           is weaker evidence that it carries it out)

* ``lexical``: the share of the shorter text's accent-folded word pairs found in the other
  (:func:`text_similarity`; rapidfuzz's token-set ratio rewards the family's stock phrases).
* ``embedding``: the cosine of the two texts' vectors from the search index's embedder
  (``PLANKG_EMBEDDER``, default multilingual-e5-small), rescaled from
  ``[EMB_FLOOR, 1]`` to ``[0, 1]``: e5 puts any two texts of this family above 0.8, so
  the raw cosine would drown the lexical part. Without an embedder the text part is the
  lexical similarity alone (``METHOD_LEXICAL``).

A link is kept when its score reaches ``THRESHOLD`` (``THRESHOLD_LEXICAL`` without an
embedder) and lies within ``MARGIN`` of the lower task's best candidate (a ward row may do
its share of two province rows). With an embedder, the lower task's best candidate is also
kept when it *stands out* (:func:`stands_out`): its score lies ``STANDOUT_Z`` standard
deviations or more above the mean score of the tasks of its document (at least
``STANDOUT_MIN_POOL`` of them; the other candidate documents do not count, so an unrelated
plan of the province among the candidates changes nothing). Why: the threshold is calibrated on rows that restate their
province row; a row that carries one out in its own words ("rà soát, đánh giá hiệu quả …
Trung tâm điều hành thông minh (IOC)" for "duy trì, nâng cấp Trung tâm điều hành thông minh
tỉnh") scores low in absolute terms, since few word pairs are shared and e5 puts every pair
of this family close, yet far above the other candidates. Such links say so in their
method (``METHOD_STANDOUT``).

Tuning (development half only, 15 ward rows, 17 links; grid over the weights, floor,
threshold and margin, chosen for the highest recall at precision ≥ 0.9): lexical only gave
P 1.00 / R 0.76 (threshold 0.6; 0.93 / 0.82 at best with other weights), lexical +
embedding 1.00 / 0.88 (threshold 0.55; 0.525 admits a wrong link, 0.575 loses two). The agency and deadline terms
changed nothing on the development half (every province row a ward row carries out assigns
work to local governments, but so do 89 % of the others; ward rows are often due later than
the province row they restate); they are kept at small weights because they are the
evidence the issue asks for and they separate candidates of equal text score.

The standout rule (#14, tuned on the same development half): the two development misses of
the threshold were each their row's best candidate, at z = 2.98 and 4.38 (scores 0.39 and
0.27), while the best candidates of the three rows with no province counterpart stood at
z = 2.52, 2.11 and 4.05 (the last one, V.4 → 60, is among the gold's doubtful calls);
``STANDOUT_Z`` = 2.75 lies midway between 2.52 and 2.98. Development half: P 1.00 / R 0.88
→ P 0.94 / R 1.00. Lexically alone the best candidate is too often wrong (4 of the 12
development rows with a counterpart) for a relative rule, so it applies with an embedder
only. Checked on documents it was not tuned on: with the Đồng Nai plans 179/KH-UBND
(digital economy) and 182/KH-UBND (drug prevention, tests/data/corpus) among the ward's
candidates, the links to the province plan stay the same (the rule measured over all
candidates had lost one development link to that pool change); ``MIN_PAIRS`` (4, the least that does it; 4 to 8 give
the same results) came from the same check: 182's fragment "Chủ trì, phối hợp" matched two
ward tasks fully.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

METHOD = "lexical-bigram+embedding+pillar+deadline+agency/v2"
METHOD_LEXICAL = "lexical-bigram+pillar+deadline+agency/v2"
METHOD_STANDOUT = "lexical-bigram+embedding+pillar+deadline+agency+standout/v3"
THRESHOLD = 0.55
THRESHOLD_LEXICAL = 0.6
MARGIN = 0.3
W_EMB = 0.5
EMB_FLOOR = 0.85
PILLAR_BONUS = 0.05
YEAR_BONUS = 0.03
AGENCY_PENALTY = 0.05
LATE_PENALTY = 0.03
STANDOUT_Z = 2.75
STANDOUT_MIN_POOL = 10
MIN_PAIRS = 4


@dataclass(frozen=True)
class Evidence:
    """What a task says besides its text, resolved against the registry.

    ``agencies``: its lead and cooperating agencies, the members of the groups among them
    and their successors (2025 mergers), as IRIs. ``delegates``: one of
    them lies at a lower administrative level than the task's document (the task assigns a
    share to lower governments: "UBND các huyện, thị xã, thành phố"). ``due``: its
    earliest due date (ISO), if any."""

    agencies: frozenset[str] = frozenset()
    delegates: bool = False
    due: str | None = None


def _bigrams(folded: str) -> set[tuple[str, str]]:
    words = folded.split()
    return set(zip(words, words[1:]))


def text_similarity(a: str, b: str) -> float:
    """Share of the shorter text's word pairs found in the other (accent-folded): a ward row
    that restates a province row, shortened or with its own additions, scores high; two rows
    that only share the family's stock words ("chuyển đổi số", "đổi mới sáng tạo") do not.
    The shorter text counts as at least ``MIN_PAIRS`` word pairs: a fragment ("Chủ trì, phối
    hợp", a cell an extraction cut short) is contained in any task that assigns work, which
    says nothing about what the task does."""
    ba, bb = _bigrams(a), _bigrams(b)
    return len(ba & bb) / max(MIN_PAIRS, min(len(ba), len(bb)))


def embedding_similarity(cosine: float) -> float:
    """The cosine rescaled from ``[EMB_FLOOR, 1]`` to ``[0, 1]`` (below the floor: 0)."""
    return max(0.0, (cosine - EMB_FLOOR) / (1.0 - EMB_FLOOR))


def agencies_agree(lower: Evidence, higher: Evidence) -> bool:
    """The higher task names an agency the lower one names (after groups and successions
    are resolved), or assigns work to lower governments, whose share the lower task is.
    Tasks that name no agency at all are not held against (nothing to disagree with)."""
    if not lower.agencies or not higher.agencies:
        return True
    return higher.delegates or bool(lower.agencies & higher.agencies)


def due_after(lower: Evidence, higher: Evidence) -> bool:
    """The lower task is due after the higher task (both dates known)."""
    return bool(lower.due and higher.due and lower.due > higher.due)


def combine(lexical: float, cosine: float | None, same_pillar: bool, same_year: bool,
            agency_agrees: bool, late: bool) -> float:
    """The score of one candidate pair (see the module docstring); ``cosine`` is None when
    no embedder is available."""
    text = lexical if cosine is None else (1 - W_EMB) * lexical + W_EMB * embedding_similarity(cosine)
    s = text + PILLAR_BONUS * same_pillar + YEAR_BONUS * same_year
    s -= AGENCY_PENALTY * (not agency_agrees) + LATE_PENALTY * late
    return round(s, 4)


def stands_out(best: float, scores: Sequence[float], z: float = STANDOUT_Z,
               min_pool: int = STANDOUT_MIN_POOL) -> bool:
    """``best`` (the highest of ``scores``, a lower task's scores against all its candidates)
    lies ``z`` standard deviations or more above their mean. Fewer than ``min_pool``
    candidates give no stable mean and spread, so never."""
    if len(scores) < min_pool:
        return False
    mean = statistics.fmean(scores)
    spread = statistics.pstdev(scores, mean)
    return spread > 0 and (best - mean) / spread >= z
