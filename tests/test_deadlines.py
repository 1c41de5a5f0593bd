"""parse_deadline: printed deadlines (cells copied from the seeds) → intervals."""

from __future__ import annotations

from datetime import date

import pytest

from plankg.ingest.extract.deadlines import parse_deadline
from plankg.ingest.model import Deadline

D = date
CASES = [
    # text, start, end, recurrence, before
    ("12/2025", D(2025, 12, 1), D(2025, 12, 31), "none", False),  # a month is its whole interval
    ("3/2026", D(2026, 3, 1), D(2026, 3, 31), "none", False),
    ("6/2025", D(2025, 6, 1), D(2025, 6, 30), "none", False),
    ("Quý IV/2025", D(2025, 10, 1), D(2025, 12, 31), "none", False),
    ("Quý \nIV/2025", D(2025, 10, 1), D(2025, 12, 31), "none", False),  # line-broken PDF cell
    ("Quý I/2025", D(2025, 1, 1), D(2025, 3, 31), "none", False),
    ("Quý 2/2025", D(2025, 4, 1), D(2025, 6, 30), "none", False),
    ("Quý III năm 2025", D(2025, 7, 1), D(2025, 9, 30), "none", False),
    ("2026-2027", D(2026, 1, 1), D(2027, 12, 31), "none", False),
    ("2026 - 2027", D(2026, 1, 1), D(2027, 12, 31), "none", False),
    ("2025 -2026", D(2025, 1, 1), D(2026, 12, 31), "none", False),  # as printed in seed 000
    # two periods joined by a dash: one span (printed "Quý IV/2025- Quý II/2026" in Hà Nội 310/KH-UBND)
    ("Quý III/2025 – Quý I/2026", D(2025, 7, 1), D(2026, 3, 31), "none", False),
    ("Tháng 10/2025 - tháng 3/2026", D(2025, 10, 1), D(2026, 3, 31), "none", False),
    ("Năm 2025", D(2025, 1, 1), D(2025, 12, 31), "none", False),
    ("2025", D(2025, 1, 1), D(2025, 12, 31), "none", False),
    ("Trước \n20/3/2025", None, D(2025, 3, 20), "none", True),
    ("trước tháng 9/2023", None, D(2023, 9, 1), "none", True),  # before a month: its first day
    ("Tháng \n8/2025 và \nthường \nxuyên", D(2025, 8, 1), D(2025, 8, 31), "continuous", False),
    ("2025 và \nnhững năm \ntiếp theo", D(2025, 1, 1), None, "continuous", False),  # open-ended from 2025
    ("Từ năm 2026", D(2026, 1, 1), None, "none", False),
    ("Thường xuyên", None, None, "continuous", False),
    ("Thường \nxuyền", None, None, "continuous", False),  # typo printed in seed 000
    ("Nhiệm vụ \nthường \nxuyên", None, None, "continuous", False),
    ("Hằng năm", None, None, "annual", False),
    ("Hàng năm", None, None, "annual", False),
    ("31/7/2025", D(2025, 7, 31), D(2025, 7, 31), "none", False),
    ("ngày 31/7/2025", D(2025, 7, 31), D(2025, 7, 31), "none", False),
    ("ngày 22 tháng 12 năm 2024", D(2024, 12, 22), D(2024, 12, 22), "none", False),
    ("6 tháng đầu năm 2025", D(2025, 1, 1), D(2025, 6, 30), "none", False),
    ("6 tháng cuối năm 2025", D(2025, 7, 1), D(2025, 12, 31), "none", False),
    ("Giai đoạn 2025-2030", D(2025, 1, 1), D(2030, 12, 31), "none", False),
    ("giai đoạn 2026 - 2030", D(2026, 1, 1), D(2030, 12, 31), "none", False),
    ("Đến năm 2030", None, D(2030, 12, 31), "none", False),
    ("Đến ngày 31/7/2025", None, D(2025, 7, 31), "none", False),
    # OCR text without diacritics
    ("Thuong xuyen", None, None, "continuous", False),
    ("Quy IV/2025", D(2025, 10, 1), D(2025, 12, 31), "none", False),
    ("Quy 4/2025", D(2025, 10, 1), D(2025, 12, 31), "none", False),
    ("Hang nam", None, None, "annual", False),
    ("Truoc 20/3/2025", None, D(2025, 3, 20), "none", True),
    ("Thang 8/2025 va thuong xuyen", D(2025, 8, 1), D(2025, 8, 31), "continuous", False),
]


@pytest.mark.parametrize(("text", "start", "end", "recurrence", "before"), CASES, ids=[c[0] for c in CASES])
def test_parse_deadline(text: str, start: date | None, end: date | None, recurrence: str, before: bool) -> None:
    d = parse_deadline(text)
    assert d is not None
    assert (d.start, d.end, d.recurrence, d.before) == (start, end, recurrence, before)
    assert d.text == " ".join(text.split())  # printed text kept, whitespace collapsed


def test_end_marker_is_not_part_of_the_text() -> None:
    d = parse_deadline("Thường \nxuyên./.")
    assert d == Deadline("Thường xuyên", None, None, "continuous", False)


@pytest.mark.parametrize("text", ["chưa xác định", "trước ngày 25 của tháng cuối quý", "31/2/2025", "Quý II"])
def test_unparseable_keeps_the_text(text: str) -> None:
    d = parse_deadline(text)
    assert d is not None and d.text == text and d.start is None and d.end is None


def test_recurring_report_date_is_before_without_dates() -> None:
    d = parse_deadline("trước ngày 20 của tháng cuối quý")
    assert d is not None and d.before and d.end is None


@pytest.mark.parametrize("text", ["", "   ", "-", "–"])
def test_empty_cell_is_none(text: str) -> None:
    assert parse_deadline(text) is None


def test_default_year_completes_dates() -> None:
    assert parse_deadline("Quý II", default_year=2025) == Deadline("Quý II", D(2025, 4, 1), D(2025, 6, 30))
    assert parse_deadline("trước ngày 15/6", default_year=2025) == Deadline("trước ngày 15/6", None, D(2025, 6, 15), "none", True)
    assert parse_deadline("Tháng 9", default_year=2023) == Deadline("Tháng 9", D(2023, 9, 1), D(2023, 9, 30))
    assert parse_deadline("12/2025", default_year=2030).end == D(2025, 12, 31)  # a printed year wins


def test_every_deadline_in_the_gold_parses(seeds_dir) -> None:
    """Every deadline the gold files hand-read from the seeds yields dates or a recurrence."""
    import json
    from pathlib import Path

    gold = Path(__file__).parent / "gold"
    texts = set()
    for name in ("seed000.json", "seed002.json", "seed003.json"):
        data = json.loads((gold / name).read_text(encoding="utf-8"))
        for key in ("appendix_tasks", "tasks", "optional_tasks"):
            texts |= {t["deadline"] for t in data.get(key, []) if t.get("deadline")}
    assert len(texts) > 20
    for text in texts:
        d = parse_deadline(text)
        assert d is not None and d.text == text
        if "quý" not in text:  # "trước ngày 25 của tháng cuối quý" recurs quarterly: no dates
            assert d.end is not None or d.recurrence != "none", text
