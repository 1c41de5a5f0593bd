"""What is not a task (issue #10, precision; ingest/extract/task_checks.py).

The rules were written while reading the round-4 extras of 80bb1f677e7d4d75, d3d459d0a856471f,
c49a5afadf61b342, d2ab0055765c27e8 (procedure, catalogue and form tables), 994dfbc3967e5ebf
(closing formula, "không chịu trách nhiệm"), 73a5c09dc805432d (duties of "các tổ chức, cá nhân
khác"), the DOCX renditions of 4672020dbba893fb and d2ab0055765c27e8 (spending norms) and the
round-1 extras of 6a406c1f9dfed9c3 and c5d930a5fc8373cd (exhortations), all in
Markdown. They are tested here on other documents or other renditions: the DOCX/PDF renditions
of those files, the round-4 regulations 3928ef06a8929828 and cdb6ad27b3c3f13b, and the round-1
documents b3a4b2605f9a281f, ceb89a53c7b93f00, 85ff77cbda28ffbb and the round-4 45cc2b3cda45b66c
for what must stay. Each document is extracted once with the rules off, then the rules are
applied, so a test sees exactly what they drop.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import plankg.ingest.extract.task_checks as task_checks
from plankg.folding import fold_words
from plankg.ingest.extract import extract
from plankg.ingest.model import Extraction, TaskRecord
from plankg.ingest.readers import read_source

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
GOLD = ROOT / "tests" / "gold" / "corpus"
FOLDERS = {"md": "corpus", "docx": "corpus_docx", "pdf": "corpus_pdf"}

DOCS = [
    ("80bb1f677e7d4d75", "docx"), ("d3d459d0a856471f", "pdf"), ("994dfbc3967e5ebf", "docx"),
    ("6a406c1f9dfed9c3", "docx"), ("c5d930a5fc8373cd", "docx"), ("3928ef06a8929828", "md"),
    ("cdb6ad27b3c3f13b", "md"), ("b3a4b2605f9a281f", "md"), ("ceb89a53c7b93f00", "md"),
    ("85ff77cbda28ffbb", "md"), ("45cc2b3cda45b66c", "md"), ("d2ab0055765c27e8", "pdf"),
    ("c49a5afadf61b342", "docx"), ("72f18ee047b71e9a", "md"), ("5b692e230f990be5", "md"),
]


class Checked:
    """One document: its extraction with the rules off, and what the rules keep and drop."""

    def __init__(self, ex: Extraction) -> None:
        self.ex = ex
        self.warnings: list[str] = []
        self.kept = task_checks.drop_non_tasks(list(ex.tasks), ex.source, ex.document, ex.sections, self.warnings)
        kept = {id(t) for t in self.kept}
        self.dropped = [t for t in ex.tasks if id(t) not in kept]


@pytest.fixture(scope="module")
def docs() -> Iterator[dict[tuple[str, str], Checked]]:
    rules = task_checks.RULES
    task_checks.RULES = ()
    try:
        raw = {(stem, fmt): extract(read_source(DATA / FOLDERS[fmt] / f"{stem}.{fmt}")) for stem, fmt in DOCS}
    finally:
        task_checks.RULES = rules
    yield {key: Checked(ex) for key, ex in raw.items()}


def _starting(tasks: list[TaskRecord], words: str) -> list[TaskRecord]:
    return [t for t in tasks if fold_words(t.text).startswith(fold_words(words))]


def test_agencyless_rows_of_procedure_and_catalogue_tables_are_dropped(docs: dict[tuple[str, str], Checked]) -> None:
    """Since the merge with h10f's table reader (not_task_tables), most procedure and spending
    tables give no row at all; what still reaches the rules is dropped, and nothing of such a
    table is kept."""
    steps = docs["80bb1f677e7d4d75", "docx"]  # "QUY TRÌNH NỘI BỘ …": Bước 1 … Bước 14
    assert not [t for t in steps.kept if t.origin == "appendix"]
    forms = docs["c49a5afadf61b342", "docx"]  # its Phụ lục 2 prints forms: rows reach the rules
    assert len([t for t in forms.dropped if t.origin == "appendix"]) >= 3
    assert any("bước thủ tục" in w and "not read as tasks" in w for w in forms.warnings)
    catalogue = docs["d3d459d0a856471f", "pdf"]  # "DANH MỤC THỦ TỤC HÀNH CHÍNH …": Tên TTHC | Thời hạn giải quyết
    assert not [t for t in catalogue.kept if t.origin == "appendix"]
    # the decisions' own assignments stay
    assert _starting(catalogue.kept, "Giao Sở Khoa học và Công nghệ")


def test_rows_of_spending_norm_tables_are_dropped(docs: dict[tuple[str, str], Checked]) -> None:
    """d2ab0055765c27e8's appendices ("TỔNG MỨC CHI …", "NỘI DUNG CHI, MỨC CHI …") print
    expense items; the PDF reader took the money column for a lead. None stays; the
    resolution's own Điều 7 assignments do."""
    doc = docs["d2ab0055765c27e8", "pdf"]
    assert not [t for t in doc.kept if t.origin == "appendix"]
    assert _starting(doc.kept, "Giao Ủy ban nhân dân Thành phố tổ chức thực hiện")


def test_procedure_steps_go_even_with_a_named_agency(docs: dict[tuple[str, str], Checked]) -> None:
    """b3a4b2605f9a281f's "Quy trình nội bộ" table has a "Phân công nhiệm vụ" column naming who
    does each step; the steps of a published procedure are still no tasks (CONVENTIONS §1, the
    lead's decision of 2026-12-07), while the decision's own Điều 3 duties stay."""
    doc = docs["b3a4b2605f9a281f", "md"]
    steps = [t for t in doc.ex.tasks if fold_words(t.number).startswith("buoc")]
    assert len(steps) >= 6 and all(t.lead for t in steps)
    assert all(t in doc.dropped for t in steps)
    assert [t for t in doc.kept if t.origin != "appendix" and t.lead]


def test_duties_of_businesses_are_dropped_outside_plans_only(docs: dict[tuple[str, str], Checked]) -> None:
    regulation = docs["72f18ee047b71e9a", "md"]  # Điều 28-29: duties of organisations, persons, businesses
    assert not regulation.ex.document.plan
    dropped = [t for t in regulation.dropped if all(fold_words(x).startswith("doanh nghiep") for x in t.lead)]
    assert len(dropped) >= 3
    assert not [t for t in regulation.kept if t.lead and all(fold_words(x).startswith("doanh nghiep") for x in t.lead)]
    plan = docs["ceb89a53c7b93f00", "md"]  # a plan: "Các doanh nghiệp viễn thông: …" are its tasks
    assert plan.ex.document.plan
    businesses = [t for t in plan.ex.tasks if any("doanh nghiep" in fold_words(x) for x in t.lead)]
    assert businesses and all(t in plan.kept for t in businesses)


def test_closing_formula_and_exemption_are_dropped(docs: dict[tuple[str, str], Checked]) -> None:
    doc = docs["994dfbc3967e5ebf", "docx"]
    assert not [t for t in doc.kept if "chiu trach nhiem thi hanh" in fold_words(t.text)]
    assert not [t for t in doc.kept if "khong chiu trach nhiem" in fold_words(t.text[:80])]
    statements = docs["5b692e230f990be5", "md"]  # Điều 7: competences stated with a named subject
    assert statements.dropped and all(t.section.startswith("Điều") for t in statements.dropped)
    assert any("thẩm quyền" in w for w in statements.warnings)


def test_a_task_running_on_into_the_closing_formula_is_left_alone(docs: dict[tuple[str, str], Checked]) -> None:
    doc = docs["45cc2b3cda45b66c", "md"]  # "Phân công Phó Thủ tướng … chỉ đạo …. Bộ trưởng … chịu trách nhiệm thi hành"
    glued = _starting(doc.ex.tasks, "Phân công Phó Thủ tướng")
    assert glued and all(t in doc.kept for t in glued)


def test_one_sentence_exhortations_are_dropped_and_glued_ones_stay(docs: dict[tuple[str, str], Checked]) -> None:
    for stem in ("6a406c1f9dfed9c3", "c5d930a5fc8373cd"):
        doc = docs[stem, "docx"]
        asks = [t for t in doc.ex.tasks if fold_words(t.text).endswith("nghiem tuc")
                or fold_words(t.text).endswith("nghiem tuc trien khai thuc hien")]
        assert asks and all(t in doc.dropped for t in asks), stem
    glued = docs["85ff77cbda28ffbb", "md"]  # the last item of IV.4 runs on into "Yêu cầu … nghiêm túc …"
    item = _starting(glued.ex.tasks, "Theo dõi, giám sát môi trường tại cơ sở nuôi trồng")
    assert item and all(t in glued.kept for t in item)


def test_rights_are_dropped(docs: dict[tuple[str, str], Checked]) -> None:
    doc = docs["cdb6ad27b3c3f13b", "md"]
    rights = _starting(doc.ex.tasks, "Có quyền")
    assert rights and all(t in doc.dropped for t in rights)


def test_no_required_gold_task_is_dropped(docs: dict[tuple[str, str], Checked]) -> None:
    """What the rules drop never starts like a required gold task of the same document."""
    for (stem, _fmt), doc in docs.items():
        gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
        required = [fold_words(g["text_start"])[:40] for g in gold["tasks"] if not g.get("optional")]
        for t in doc.dropped:
            text = fold_words(t.text)
            assert not any(text.startswith(r) for r in required if r), (stem, t.path, t.text[:60])
