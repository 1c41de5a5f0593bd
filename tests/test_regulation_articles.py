"""Regulations' duty articles and the articles around them (issue #10, branch h10f).

The rules (ingest/extract/articles.py, structure.text_lines, paragraphs.after_opener,
grid/appendix_tasks ``not_task_tables``, assignment_cues.yaml ``non_duty_article_headings``,
``person_posts``, ``composition_words``) were written while reading round-4 development
documents (051c596134cabb79, 322358d6040a153b, 640111ea8077e047, 5b692e230f990be5,
1f9faa032326f975, 639c24e1a9c3f20c, db769f685bf6bb23, d71b3a48efad6d2c, de16a702fae1465d,
ac0f18a2d1b4fb56, e598d95fb5f390a4 and 80bb1f677e7d4d75 in Markdown). Each is checked here on a
document, or a rendition, it was not written on; expected values come from the round-4 gold
(written by reading) or from the document's text.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from plankg.ingest.extract import extract
from plankg.ingest.extract.articles import extract_article_tasks
from plankg.ingest.extract.narrative import paragraph_agencies
from plankg.ingest.extract.structure import text_lines
from plankg.ingest.model import TaskRecord
from plankg.ingest.readers import read_bytes, read_source
from plankg.ingest.readers.noise import noise_lines

TESTS = Path(__file__).resolve().parent
GOLD = TESTS / "gold" / "corpus"


@cache
def _tasks(stem: str, fmt: str = "md") -> tuple[TaskRecord, ...]:
    folder = {"md": "corpus", "docx": "corpus_docx", "pdf": "corpus_pdf"}[fmt]
    return tuple(extract(read_source(TESTS / "data" / folder / f"{stem}.{fmt}", on_warning=lambda _m: None)).tasks)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[*_]", " ", text).split()).casefold()[:50]


def _found(stem: str, fmt: str = "md") -> tuple[int, int, int]:
    """(required gold tasks, those extracted with the gold's text start, those with its lead too)."""
    gold = [t for t in json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))["tasks"] if not t.get("optional")]
    tasks = list(_tasks(stem, fmt))
    found = led = 0
    for g in gold:
        keys = [_key(g["text_start"])] + ([_key(g["text_start_alt"])] if g.get("text_start_alt") else [])
        hit = next((t for t in tasks if any(_key(t.text).startswith(k[:40]) for k in keys)), None)
        if hit is not None:
            tasks.remove(hit)
            found += 1
            led += {x.casefold() for x in hit.lead} == {x.casefold() for x in g["lead"]}
    return len(gold), found, led


@pytest.mark.parametrize("stem", ["abc00053e9811268", "e5fc434ba0580ac0", "73a5c09dc805432d"])
def test_duty_articles_of_unread_regulations(stem: str) -> None:
    """Three round-4 regulations never opened while the rules were written: their "Trách nhiệm
    của <X>" articles (wrapped "Điều" / "N. …" headings in the Markdown) give the gold's tasks.
    Before this branch abc00053e9811268 gave none."""
    total, found, led = _found(stem)
    assert found >= 0.95 * total
    assert led >= 0.8 * found


def test_wrapped_article_heading_is_one_line() -> None:
    md = ("**Điều\n12. Trách nhiệm của Sở Tài chính**\n\n1. Chủ trì thẩm định dự toán.\n\n"
          "**Điều 13.\nTổ chức thực hiện**\n\nGiao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính hướng dẫn thực hiện.\n")
    src = read_bytes(md.encode("utf-8"), "quy_che.md", on_warning=lambda _m: None)
    heads = [ln.text for ln in text_lines(src) if ln.text.lstrip("*").startswith("Điều")]
    assert [re.sub(r"\*", "", h) for h in heads] == ["Điều 12. Trách nhiệm của Sở Tài chính",
                                                    "Điều 13. Tổ chức thực hiện"]
    tasks = {t.path: t for t in extract_article_tasks(src)[1]}
    assert list(tasks) == ["Điều12.1", "Điều13.p1"]
    assert tasks["Điều12.1"].lead == ["Sở Tài chính"]
    assert tasks["Điều13.p1"].lead == ["Sở Nội vụ"]


def test_subject_sentences_of_an_article() -> None:
    """5884aa6f293e9bc0 Điều 3 (written on 640111ea8077e047): three paragraphs, each with its
    own subject ("Sở Văn hóa, Thể thao và Du lịch có trách nhiệm …", "Văn phòng Ủy ban nhân dân
    tỉnh có trách nhiệm chủ trì …", "Sở Khoa học và Công nghệ có trách nhiệm …")."""
    leads = [t.lead for t in _tasks("5884aa6f293e9bc0") if t.path.startswith("Điều3")]
    assert leads == [["Sở Văn hóa, Thể thao và Du lịch"], ["Văn phòng Ủy ban nhân dân tỉnh"], ["Sở Khoa học và Công nghệ"]]


def test_competence_articles_are_no_tasks_in_docx() -> None:
    """e598d95fb5f390a4 in DOCX (the rule was read on its Markdown): "Thẩm quyền quyết định …"
    articles (Điều 3–5, 7) name who may decide, not who must work; Điều 8 "Tổ chức thực hiện"
    keeps its tasks."""
    paths = [t.path for t in _tasks("e598d95fb5f390a4", "docx")]
    assert not [p for p in paths if re.match(r"Điều[3457]\b", p)]
    assert any(p.startswith("Điều8") for p in paths)
    total, found, _led = _found("e598d95fb5f390a4", "docx")
    assert found == total


@pytest.mark.parametrize("stem", ["d3d459d0a856471f", "4672020dbba893fb"])
def test_procedure_and_spending_tables_are_no_task_tables(stem: str) -> None:
    """An administrative-procedure catalogue ("Tên thủ tục hành chính | Thời hạn giải quyết |
    Phí, lệ phí | Căn cứ pháp lý", d3d459d0a856471f) and a table of spending norms ("STT | Nội
    dung | Mức chi", 4672020dbba893fb) in DOCX (the rule was written on 80bb1f677e7d4d75's
    procedure steps in Markdown) give no appendix task; the articles' tasks stay."""
    tasks = _tasks(stem, "docx")
    assert not [t for t in tasks if t.origin == "appendix"]
    total, found, _led = _found(stem, "docx")
    assert found == total


def test_rhythm_opener_before_the_subject() -> None:
    """5f041f5e6645b117 7.5 (the rule was written on ac0f18a2d1b4fb56 13.3 "Hằng năm, Ủy ban
    nhân dân cấp xã có trách nhiệm …"): "Định kỳ (trước ngày 31 tháng 10 hằng năm), Ủy ban
    nhân dân …" names its subject after the rhythm."""
    task = next(t for t in _tasks("5f041f5e6645b117") if t.text.startswith("Định kỳ (trước ngày 31 tháng 10"))
    assert task.lead and task.lead[0].startswith("Ủy ban nhân dân")
    lead, _ = paragraph_agencies("Hằng năm, Sở Tài chính có trách nhiệm tổng hợp báo cáo Ủy ban nhân dân tỉnh.")
    assert lead == ["Sở Tài chính"]


def test_ca_name_in_a_sentence_is_content() -> None:
    """A duty naming the Government CA ("… gửi Cục Chứng thực số và Bảo mật thông tin …") is
    text; the stamp the CA prints in capitals stays noise (the stamp rule of seed 000)."""
    md = ("Điều 5. Trách nhiệm của Sở Khoa học và Công nghệ\n\n"
          "1. Hướng dẫn các cơ quan làm hồ sơ gửi Cục Chứng thực số và Bảo mật thông tin thuộc Ban Cơ yếu Chính phủ.\n\n"
          "2. Tổ chức tập huấn sử dụng chữ ký số.\n\n\n"
          "\tCỤC CHỨNG THỰC SỐ VÀ BẢO MẬT THÔNG TIN - ĐT: 0243.7738668; Email: ca@bcy.gov.vn\n")
    src = read_bytes(md.encode("utf-8"), "quy_che.md", on_warning=lambda _m: None)
    noisy = noise_lines(src)
    lines = src.text.split("\n")
    assert not any("Hướng dẫn" in lines[n - 1] for n in noisy)
    assert any("CỤC CHỨNG THỰC SỐ" in lines[n - 1] for n in noisy)
    assert [t.path for t in extract_article_tasks(src)[1]] == ["Điều5.1", "Điều5.2"]


def test_members_of_a_steering_body_as_subject_in_docx() -> None:
    """322358d6040a153b in DOCX (``subject_heads`` "thành viên ban" was added reading its
    Markdown; only this document of tests/data/corpus prints it): "Thành viên Ban Chỉ đạo có
    trách nhiệm tham gia …" (15.3) and "Thành viên Ban Chỉ đạo định kỳ 06 tháng … báo cáo …"
    (17.1) are tasks of the members."""
    tasks = _tasks("322358d6040a153b", "docx")
    for start in ("Thành viên Ban Chỉ đạo có trách nhiệm tham gia", "Thành viên Ban Chỉ đạo định kỳ 06 tháng"):
        task = next(t for t in tasks if t.text.startswith(start))
        assert task.lead == ["Thành viên Ban Chỉ đạo"]
