"""A sentence whose subject is a paper ("Các Báo cáo trên gửi Bộ Tư pháp trước ngày …") opens no
task of its own: it says where the task's output goes (branch h10x).

The rule (ontology/registry/assignment_cues.yaml ``document_nouns``, paragraphs.names_a_document,
narrative._clause_lead) was written on the Markdown of round-4 405a6cabda393030 item 1's fifth
dash; it is checked on that document's DOCX rendition, the expected deadline read from the
round-4 gold, and on phrases it was not written for.
"""

from __future__ import annotations

import json
from pathlib import Path

from plankg.ingest.extract import extract
from plankg.ingest.extract.narrative import _clause_lead
from plankg.ingest.extract.paragraphs import names_a_document
from plankg.ingest.readers import read_source

TESTS = Path(__file__).resolve().parent


def test_report_sentence_stays_with_its_task_in_docx() -> None:
    gold = json.loads((TESTS / "gold" / "corpus" / "405a6cabda393030.json").read_text(encoding="utf-8"))["tasks"]
    want = next(t for t in gold if t["text_start"].startswith("Khẩn trương chỉ đạo tập trung rà soát"))
    tasks = extract(read_source(TESTS / "data" / "corpus_docx" / "405a6cabda393030.docx",
                                on_warning=lambda _m: None)).tasks
    assert not any(t.text.startswith("Các Báo cáo trên") for t in tasks)
    hit = next(t for t in tasks if t.text.startswith(want["text_start"][:40]))
    assert "Các Báo cáo trên gửi Bộ Tư pháp" in hit.text
    assert hit.deadline is not None and hit.deadline.text == want["deadline"]


def test_document_nouns_are_no_subjects() -> None:
    assert names_a_document("Kết quả rà soát")
    assert names_a_document("các Hồ sơ đề nghị")
    assert not names_a_document("Báo Nhân dân")  # a newspaper is a body
    assert not names_a_document("Bộ Tư pháp")
    assert _clause_lead("Văn bản góp ý gửi Sở Tư pháp trước ngày 15 tháng 3 năm 2026.") == []
    assert _clause_lead("Sở Tư pháp tổng hợp, báo cáo Ủy ban nhân dân tỉnh.") == ["Sở Tư pháp"]
