"""Narrative deadlines missed on round 3 (issue #10, h10d; CONVENTIONS §3).

Each class of phrase was written on the round-3/round-4 items named in its test and is checked
on a document (or a rendition) it was not written for. Expected deadlines are the phrases as
the pages print them (the gold's where the item is in a gold file), never the extractor's.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

from plankg.ingest.extract import extract
from plankg.ingest.model import TaskRecord
from plankg.ingest.readers import read_source

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "data" / "corpus"
DOCX = HERE / "data" / "corpus_docx"


@cache
def _tasks(path: Path) -> tuple[TaskRecord, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(extract(read_source(path, on_warning=lambda _m: None)).tasks)


def _deadline_of(path: Path, opening: str) -> str | None:
    found = [t for t in _tasks(path) if t.text.startswith(opening)]
    assert len(found) == 1, f"{opening!r}: {len(found)} tasks"
    return found[0].deadline.text if found[0].deadline else None


def test_a_period_counted_from_an_event_without_thoi_han() -> None:
    """Written on "chậm nhất 05 ngày làm việc kể từ ngày ban hành Quyết định" (27cbc642, 8966c59f,
    8bb75249, f411a708) and "Trong 03 ngày làm việc kể từ ngày nhận được kiến nghị" (be5392d4);
    checked on a party decision's regulation (c49a5afa, round 4), Điều 7.2: "Giáo vụ có trách
    nhiệm công bố điểm bài thu hoạch, chậm nhất 03 ngày kể từ ngày nhận kết quả chấm bài thu
    hoạch." — "chậm nhất" needs no "sau" and "trong" no "thời hạn" before a count and "kể từ"."""
    got = _deadline_of(CORPUS / "c49a5afadf61b342.md", "Giáo vụ có trách nhiệm công bố điểm")
    assert got == "chậm nhất 03 ngày kể từ ngày nhận kết quả chấm bài thu hoạch"


def test_a_date_without_its_year_keeps_the_year_it_falls_in() -> None:
    """Written on "trước ngày 30/6 của năm" (fd4c4d6e), "trước ngày 30 tháng 01 năm sau"
    (73a5c09d), "trước ngày 31 tháng 01 của năm tiếp theo" (ac0f18a2), "trước 30/12 hằng năm"
    (72f18ee0); checked on a Prime Minister's decision (2edf5927, round 1): "… báo cáo Thủ tướng
    Chính phủ trước ngày 30 tháng 01 của năm tiếp theo." (its gold deadline)."""
    got = _deadline_of(CORPUS / "2edf5927c71bc4c1.md", "Bộ Khoa học và Công nghệ tổng hợp tình hình")
    assert got == "trước ngày 30 tháng 01 của năm tiếp theo"


def test_a_labelled_deadline_is_its_value() -> None:
    """Written on the Markdown of 4e39af96 ("… gửi Bộ Tài chính. Thời gian hoàn thành: Trước ngày
    31/5/2026.") and fa0dcc13 ("Thời hạn hoàn thành: …"); checked on the DOCX rendition of
    4e39af96 (another reader): the label is read like a table's column header, the value is
    the deadline (CONVENTIONS §3), both for "Thời gian" and "Thời hạn hoàn thành"."""
    path = DOCX / "4e39af96b6891368.docx"
    assert _deadline_of(path, "Tổng hợp kết quả kiểm kê, báo cáo kết quả kiểm kê gửi Bộ Tài chính") == "Trước ngày 31/5/2026"
    assert _deadline_of(path, "Thành lập Tổ kiểm kê") == "Trước ngày 30/11/2025"


def test_a_rhythm_keeps_the_date_it_gives_in_brackets() -> None:
    """Written on 24c7124e V.1.b (round 1: "b) Định kỳ hằng năm (trước ngày 15 tháng 12) báo cáo
    …", its gold deadline the whole phrase), checked on its DOCX rendition; a rhythm alone
    ("định kỳ hằng năm") stays as it was."""
    got = _deadline_of(DOCX / "24c7124ec6b2bf61.docx", "Định kỳ hằng năm (trước ngày 15 tháng 12)")
    assert got == "Định kỳ hằng năm (trước ngày 15 tháng 12)"
