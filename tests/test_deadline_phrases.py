"""The prose deadline grammar (``deadlines.deadline_phrase``, its one home since stop 21), each
new phrase class checked on a document or rendition it was not written for.

- "chậm nhất N ngày, trước ngày <event>" (written for be5392d4f50c27a6 Điều 15, round 3): read on
  two procedure decisions, adc1d34379e9829f and d6cbe14c6f6cf724 ("… chậm nhất 01 ngày trước ngày
  hết hạn xử lý, cơ quan …").
- the event of "kể từ …" ends before "theo quy định" (written for 994dfbc3967e5ebf 12, round 4):
  read on 0abcf1a5292b31ec ("kể từ ngày nhận đủ hồ sơ hợp lệ theo quy định, Phòng …").
- "trước 19h00’ hằng ngày" (62f25a030c183151 IV.1.3), "trước ngày 01/6 và 15/11 hằng năm"
  (8718801c503045f9 IV.7.1) and "hoàn thành … vào năm 2026" (91035abb77ae0a1b): no other test
  document prints them, so they are read on the DOCX renditions (tests/data/make_formats.py), whose
  paragraphs and lines differ from the Markdown the rules were written on; a rate reached by a
  year ("hoàn thành giáo dục tiểu học đạt trên 90% vào năm 2025", 31fb08f34535fce3) is a target
  and gives no deadline.
Expected phrases are read from the documents (and match their gold where one exists).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plankg.ingest.extract import extract
from plankg.ingest.extract.deadlines import deadline_phrase
from plankg.ingest.readers import read_source

DATA = Path(__file__).resolve().parent / "data"


def _sentence(stem: str, words: str) -> str:
    """The 300 characters of a corpus page around the first place it prints ``words``."""
    text = re.sub(r"\s+", " ", (DATA / "corpus" / f"{stem}.md").read_text(encoding="utf-8"))
    at = text.index(words)
    return text[max(0, at - 150): at + 150]


@pytest.mark.parametrize("stem", ["adc1d34379e9829f", "d6cbe14c6f6cf724"])
def test_period_before_an_event(stem: str) -> None:
    d = deadline_phrase(_sentence(stem, "chậm nhất 01 ngày"))
    assert d is not None and d.text == "chậm nhất 01 ngày trước ngày hết hạn xử lý"


def test_counted_event_ends_before_a_reference() -> None:
    d = deadline_phrase(_sentence("0abcf1a5292b31ec", "kể từ ngày nhận đủ hồ sơ hợp lệ theo quy định"))
    assert d is not None and d.text == "Trong thời hạn 05 ngày làm việc, kể từ ngày nhận đủ hồ sơ hợp lệ"


def test_a_rate_reached_by_a_year_is_no_deadline() -> None:
    d = deadline_phrase(_sentence("31fb08f34535fce3", "hoàn thành giáo dục tiểu học"))
    assert d is None or "vào năm" not in d.text


@pytest.mark.parametrize(("stem", "start", "deadline"), [
    ("62f25a030c183151", "Phối hợp Bộ Chỉ huy Quân sự tỉnh", "trước 19h00’ hằng ngày"),
    ("8718801c503045f9", "Trên cơ sở Kế hoạch này", "trước ngày 01/6 và 15/11 hằng năm"),
    ("91035abb77ae0a1b", "Trên cơ sở Báo cáo số 1052", "vào năm 2026"),
])
def test_dated_phrases_in_docx_renditions(stem: str, start: str, deadline: str) -> None:
    doc = extract(read_source(DATA / "corpus_docx" / f"{stem}.docx", on_warning=lambda _m: None))
    found = [t.deadline.text for t in doc.tasks if t.deadline and t.text.lstrip("-+ ").startswith(start)]
    assert deadline in found


def test_lead_in_dates_its_items_in_the_pdf() -> None:
    """A clause lead-in that dates its items ("1. Định kỳ (trước ngày 30 tháng 6 hằng năm), Ủy
    ban nhân dân cấp xã có trách nhiệm:" / "a) Rà soát …" / "b) Có văn bản …", 5f041f5e6645b117
    Điều 7, round 4 dev) gives each item its deadline (``articles._lead_in_deadline``, written on
    the Markdown page; read here on its PDF rendition); the next clause's items keep their own."""
    doc = extract(read_source(DATA / "corpus_pdf" / "5f041f5e6645b117.pdf", on_warning=lambda _m: None))
    by_path = {t.path: t for t in doc.tasks}
    for path in ("Điều7.1.a", "Điều7.1.b"):
        assert by_path[path].deadline is not None
        assert by_path[path].deadline.text == "trước ngày 30 tháng 6 hằng năm"
    assert not [t for t in doc.tasks if t.path.startswith("Điều7.2") and t.deadline
                and t.deadline.text == "trước ngày 30 tháng 6 hằng năm"]


def test_a_date_long_past_is_a_reference() -> None:
    """"… đã được cấp Giấy chứng nhận một phần diện tích vào loại đất ở trước ngày 01/7/2004"
    in a procedure signed in 2025 is no deadline (``deadlines.drop_past_deadlines``, written on
    994dfbc3967e5ebf's Markdown page; read here on its PDF rendition, in both clauses that print
    it); a plan signed on 21 November 2025 keeps its "Trước ngày 15/11/2025" (4e39af96b6891368)."""
    doc = extract(read_source(DATA / "corpus_pdf" / "994dfbc3967e5ebf.pdf", on_warning=lambda _m: None))
    quoting = [t for t in doc.tasks if "01/7/2004" in t.text]
    assert len(quoting) >= 2 and all(t.deadline is None for t in quoting)
    plan = extract(read_source(DATA / "corpus" / "4e39af96b6891368.md", on_warning=lambda _m: None))
    assert plan.document.date is not None and plan.document.date.isoformat() > "2025-11-15"
    assert [t for t in plan.tasks if t.deadline and t.deadline.text == "Trước ngày 15/11/2025"]
