"""parse_value / parse_unit: printed target values and units (cells copied from the seeds)."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path

import pytest

from plankg.ingest.extract.values import Unit, parse_number, parse_unit, parse_value

CASES = [
    # printed, comparator, min, max
    ("≥ 45", "ge", 45, None),
    (">= 45", "ge", 45, None),
    ("≥70", "ge", 70, None),
    ("≥ 2", "ge", 2, None),
    ("> 0,7", "gt", 0.7, None),
    ("≤ 10", "le", None, 10),
    ("<= 25", "le", None, 25),
    ("< 5", "lt", None, 5),
    ("2 - 5", "range", 2, 5),
    ("25-30", "range", 25, 30),
    ("25 – 30", "range", 25, 30),
    ("20-30%", "range", 20, 30),
    ("01 - 02 thành phố", "range", 1, 2),
    ("từ 20 đến 30%", "range", 20, 30),
    ("1,5", "eq", 1.5, 1.5),
    ("100", "eq", 100, 100),
    ("99", "eq", 99, 99),
    ("70%", "eq", 70, 70),
    ("8.5%", "eq", 8.5, 8.5),  # seed 003 prints a decimal point
    ("1.000", "eq", 1000, 1000),  # thousands dot
    ("1.000,5", "eq", 1000.5, 1000.5),
    ("Tiên tiến, hiện đại", "text", None, None),
    ("Hoàn thành", "text", None, None),
    ("trên 30%", "gt", 30, None),
    ("Trên 90%", "gt", 90, None),
    ("từ 45% trở lên", "ge", 45, None),
    ("30% trở lên", "ge", 30, None),
    ("từ 1,5% GRDP trở lên", "ge", 1.5, None),
    ("tối thiểu 30%", "ge", 30, None),
    ("tối thiểu 30% GRDP", "ge", 30, None),
    ("không thấp hơn 5%", "ge", 5, None),
    ("không dưới 10", "ge", 10, None),
    ("đạt 1,5%", "eq", 1.5, 1.5),
    ("dưới 10", "lt", None, 10),
    ("tối đa 20", "le", None, 20),
    ("ít nhất 01", "ge", 1, None),
    ("ít nhất 01 doanh nghiệp", "ge", 1, None),
    # no number to compare with, or a qualitative result: text (as in the gold files)
    ("không thấp hơn", "text", None, None),
    ("Bố trí kinh phí không thấp hơn số kinh phí Trung ương giao cho địa phương", "text", None, None),
    ("Đạt mức trên khá của cả nước; phấn đầu có ít nhất 01 doanh nghiệp đạt trình độ tiên tiến.", "text", None, None),
    ("Xếp hạng ở nhóm 05 tỉnh, thành dẫn đầu cả nước", "text", None, None),
    ("Cấp tỉnh đạt 100%, cấp huyện đạt 95%, cấp xã đạt 80%", "text", None, None),
    # OCR without diacritics
    ("tren 30%", "gt", 30, None),
    ("toi thieu 30%", "ge", 30, None),
]


@pytest.mark.parametrize(("text", "comparator", "lo", "hi"), CASES, ids=[c[0] for c in CASES])
def test_parse_value(text: str, comparator: str, lo: float | None, hi: float | None) -> None:
    assert parse_value(text) == (comparator, lo, hi, text)


def test_value_text_is_whitespace_collapsed() -> None:
    assert parse_value("Tiên tiến, \nhiện  đại") == ("text", None, None, "Tiên tiến, hiện đại")
    assert parse_value(" ≥ 45 ")[3] == "≥ 45"


@pytest.mark.parametrize(("text", "value"), [("1,5", 1.5), ("0,75", 0.75), ("1.000", 1000), ("1.000.000", 1e6),
                                             ("8.5", 8.5), ("0.7", 0.7), ("01", 1), ("12,5", 12.5), ("abc", None)])
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


UNITS = [
    ("%", "%", "percent"),
    ("% GRDP", "% GRDP", "percent-grdp"),
    ("%GDP", "% GDP", "percent-gdp"),
    ("% dân số", "% dân số", "percent-population"),
    ("%/năm", "%/năm", "percent-per-year"),
    ("Thứ bậc", "Thứ bậc", "rank"),
    ("thứ bậc", "Thứ bậc", "rank"),
    ("Doanh nghiệp", "Doanh nghiệp", "enterprise"),
    ("Thành phố, \nThị xã", "Thành phố, Thị xã", "city-or-town"),
    ("Trung tâm  \ndữ liệu", "Trung tâm dữ liệu", "data-centre"),
    ("Chỉ số phát \ntriển con người \n(HDI)", "HDI", "hdi"),
    ("Quyết định", "Quyết định", "decision"),
    ("Lít", "Lít", None),
]


@pytest.mark.parametrize(("text", "normalized", "code"), UNITS, ids=[u[0] for u in UNITS])
def test_parse_unit(text: str, normalized: str, code: str | None) -> None:
    u = parse_unit(text)
    assert isinstance(u, Unit) and isinstance(u, str)
    assert u == " ".join(text.split()) == u.raw  # the printed unit is kept
    assert (u.normalized, u.code) == (normalized, code)


@pytest.mark.parametrize("text", ["", "  ", "-", None])
def test_empty_unit_is_none(text: str | None) -> None:
    assert parse_unit(text) is None


def test_unit_survives_copy_and_pickle() -> None:
    u = parse_unit("%GDP")
    for other in (copy.deepcopy(u), pickle.loads(pickle.dumps(u))):
        assert other == "%GDP" and other.code == "percent-gdp"
    assert json.dumps({"unit": u}) == '{"unit": "%GDP"}'


def test_gold_values_and_units() -> None:
    """Every value and unit the gold files hand-read (seeds 000, 002, 003) parses as the gold says."""
    gold = Path(__file__).parent / "gold"
    seen = 0
    for name, key in (("seed000.json", "appendix_targets"), ("seed002.json", "targets"), ("seed003.json", "targets")):
        for t in json.loads((gold / name).read_text(encoding="utf-8"))[key]:
            assert parse_value(t["value_text"]) == (t["comparator"], t["min"], t["max"], t["value_text"]), t["path"]
            if t.get("unit"):
                assert parse_unit(t["unit"]) == t["unit"]
            seen += 1
    assert seen >= 45
