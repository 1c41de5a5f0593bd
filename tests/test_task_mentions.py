"""Which narrative items restate an appendix row (pk:TaskMention, #14) and which are tasks.

The rule lives in ingest/extract/mentions.py (``link_narrative_to_appendix``, re-exported by
ingest/build/renditions.py; the extractor uses it too); the corpus
benchmark counts tasks by the same rule (``benchmarks/corpus_extraction.graph_tasks``). It
was tuned on corpus dev documents; the seeds below were not looked at while writing it.
Seed 000 (57/KH-UBND) and seed 002 (the ward plan) restate every appendix row as a bullet of
"III. NHIỆM VỤ, GIẢI PHÁP" and assign the work in "IV. TỔ CHỨC THỰC HIỆN" by name
("Sở Khoa học và Công nghệ chủ trì, phối hợp với …").
"""

from __future__ import annotations

from functools import cache

import pytest

from benchmarks.corpus_extraction import graph_tasks
from plankg.ingest.build.renditions import link_narrative_to_appendix, task_mention_paths
from plankg.ingest.extract import extract
from plankg.ingest.model import Extraction
from plankg.ingest.readers import read_source
from tests.conftest import seed_path


@cache
def _extraction(prefix: str) -> Extraction:
    return extract(read_source(seed_path(prefix)))


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_named_assignments_are_tasks_bullets_restating_rows_are_mentions(prefix: str) -> None:
    ex = _extraction(prefix)
    mentions = task_mention_paths(ex.tasks)
    narrative = [t for t in ex.tasks if t.origin == "narrative"]
    implementation = [t for t in narrative if (t.section or "").split(".")[0] == "IV"]
    assert implementation and all(t.lead for t in implementation)
    # an assignment naming its lead is a task even when a short row's words all occur in it
    assert not mentions & {t.path for t in implementation}
    # every other narrative item restates a row of the appendix
    assert {t.path for t in narrative} - {t.path for t in implementation} == mentions


def test_mentions_point_at_appendix_rows() -> None:
    ex = _extraction("000")
    origin = {t.path: t.origin for t in ex.tasks}
    pairs = link_narrative_to_appendix(ex.tasks)
    assert len(pairs) > 25
    assert all(origin[n] == "narrative" and origin[a] == "appendix" for n, a in pairs)


def test_benchmark_counts_what_the_graph_calls_a_task() -> None:
    ex = _extraction("000")
    counted = graph_tasks(ex.tasks)
    mentions = task_mention_paths(ex.tasks)
    assert {t.path for t in counted} == {t.path for t in ex.tasks} - mentions
    # a bare narrative item (no agency of its own) is never counted beside the row it restates
    assert [t for t in counted if t.origin == "narrative" and not t.lead] == []
