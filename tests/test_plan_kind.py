"""What makes a file a plan, and a page without a header of its own (ingest/extract/plan_kind.py).

Expected answers come from hand labels written by reading the files
(tests/gold/corpus/labels_57.json, ``is_plan_like``) and from the seeds' gold kinds — the
rule was written while looking at the 66 labelled corpus pages, and is checked here also on
the seeds and on a development document that is not labelled (b3a4b2605f9a281f).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plankg.ingest.extract import extract
from plankg.ingest.extract.articles import extract_article_tasks
from plankg.ingest.extract.document_meta import extract_document
from plankg.ingest.extract.plan_kind import is_plan
from plankg.ingest.extract.title_line import read_title_line
from plankg.ingest.model import DocumentRecord
from plankg.ingest.readers import read_source
from plankg.ontology.kinds import load_kinds
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
LABELS = json.loads((ROOT / "tests" / "gold" / "corpus" / "labels_57.json").read_text("utf-8"))["files"]
IN_REPO = [lab for lab in LABELS if (DATA / "corpus" / lab["file"]).exists()]
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def _document(path: Path) -> DocumentRecord:
    source = read_source(path)
    return read_title_line(source, extract_document(source))


@pytest.mark.parametrize("label", IN_REPO, ids=lambda lab: f"{lab['file'][:8]}-{lab['label']}")
def test_labelled_documents(label: dict) -> None:
    """Plans, decisions that issue or approve a plan (plan-like) and a resolution (not)."""
    assert is_plan(_document(DATA / "corpus" / label["file"])) == label["is_plan_like"]


def test_labelled_set_covers_both_answers_and_decisions() -> None:
    assert {lab["is_plan_like"] for lab in IN_REPO} == {True, False}
    assert any(lab["label"] == "decision" and lab["is_plan_like"] for lab in IN_REPO)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seeds_with_a_plan_kind_are_plans(seed: Path) -> None:
    gold = json.loads((ROOT / "tests" / "gold" / f"seed{seed.name[:3]}.json").read_text("utf-8"))
    kind = load_kinds().from_name(gold["document"]["kind"])
    assert kind is not None
    assert is_plan(_document(seed)) == kind.plan


def test_a_decision_that_publishes_procedures_is_not_a_plan() -> None:
    """b3a4b2605f9a281f: "QUYẾT ĐỊNH VỀ VIỆC CÔNG BỐ DANH MỤC … THỦ TỤC HÀNH CHÍNH …" — a
    decision whose title issues no plan, though "ban hành" and "phê duyệt" appear later in it."""
    doc = _document(DATA / "corpus" / "b3a4b2605f9a281f.md")
    assert doc.kind == "Quyết định" and not is_plan(doc)


def test_extraction_records_the_decision() -> None:
    ex = extract(read_source(DATA / "corpus" / "ec00bd6f58be7864.md"))
    assert ex.document.plan and ex.tasks


def test_a_page_without_a_header_quotes_tasks_it_does_not_own() -> None:
    """Articles of a decision cut from their page, with no kind, symbol, issuer or date: what
    they assign is quoted, not the file's own — no task, and a warning that says why."""
    source = read_source(DATA / "corpus_articles" / "5298da2adb9eb4fe_articles.md")
    assert extract_article_tasks(source)[1], "the excerpt does assign a task"
    ex = extract(source)
    assert not ex.document.plan
    assert ex.tasks == [] and ex.targets == []
    assert any("page has no document header" in w for w in ex.warnings)
