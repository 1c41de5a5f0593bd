"""Extraction accuracy on real documents (tests/gold/corpus) as a regression guard.

The limits sit about five points below the figures measured when they were set (session 9,
raised in the third round of 2026-12-06 — task precision since the benchmark counts what the
graph calls a task —, and re-set for task recall/precision and target recall when seven more
development documents got hand-read gold at the end of that session: the 22-document half
measured recall 90/90%, precision 90/91%, target recall 81/81% (md/docx); target recall and
value re-set after the targets work of branch h10g (98/98% and 99/99%, md/docx); task recall and
precision raised again with EXTRACTOR_VERSION 2025.4 (h10t: 98/98% md and docx). The
cooperating limit was lowered 0.93 → 0.89 then: 44 more tasks are scored (686 right of 736,
was 642 of 684), among them table sub-rows whose partner lists the gold splits otherwise,
so the rate is 93.2%, four points above the new limit;
docs/extraction.md: `python benchmarks/corpus_extraction.py --split dev`), so a change that
loses ground fails here while the goal (95% on every held-out field, issue #10) is still
ahead. Only the development half has accuracy limits: a test that failed on held-out figures
would steer development by the held-out half, which is there to be reported, not tuned on
(the held-out documents are still run, to catch crashes). Markdown and DOCX only (PDF
reading is slow; the benchmark covers it).
"""

from __future__ import annotations

import pytest

from benchmarks.corpus_extraction import Scorer, load_gold

pytestmark = pytest.mark.slow

#: (split, format, field) → lowest accepted rate. Measured: see the module docstring.
LIMITS = {
    ("dev", "md", "task.recall"): 0.94, ("dev", "docx", "task.recall"): 0.94,
    ("dev", "md", "task.precision"): 0.94, ("dev", "docx", "task.precision"): 0.94,
    ("dev", "md", "task.lead"): 0.93, ("dev", "docx", "task.lead"): 0.93,
    ("dev", "docx", "task.cooperating"): 0.89, ("dev", "docx", "task.output"): 0.94,
    ("dev", "docx", "task.deadline"): 0.93, ("dev", "docx", "target.horizon"): 0.94,
    ("dev", "md", "target.recall"): 0.94, ("dev", "docx", "target.recall"): 0.94,
    ("dev", "md", "target.value"): 0.94, ("dev", "docx", "target.value"): 0.94,
    ("dev", "md", "document.date"): 0.9, ("dev", "docx", "document.issuer"): 0.9,
}


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    golds = load_gold("all")
    assert len(golds) >= 20 and {g["split"] for g in golds} == {"dev", "heldout"}
    s = Scorer()
    s.run(golds, ["md", "docx"])
    return s


def test_no_document_crashes_the_extractor(scorer: Scorer) -> None:
    assert scorer.errors == []


@pytest.mark.parametrize(("key", "limit"), sorted(LIMITS.items()), ids=lambda v: "-".join(v) if isinstance(v, tuple) else str(v))
def test_field_accuracy_holds(scorer: Scorer, key: tuple[str, str, str], limit: float) -> None:
    tally = scorer.tallies[key]
    assert tally.total > 0, f"no gold for {key}"
    assert tally.rate >= limit, f"{key}: {tally.right}/{tally.total} = {tally.rate:.1%} < {limit:.0%}; misses: {tally.misses[:5]}"
