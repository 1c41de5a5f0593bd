"""Target tables without a value column (issue #10 item 1; docs/extraction.md "targets and
document metadata on the retired round-1 held-out").

"TT | Chỉ tiêu | Chủ trì" prints each figure inside the indicator cell ("Tỷ lệ … đạt tối
thiểu 40%") and lets the monitoring cell go on into what the agency does ("Sở X thúc đẩy, theo
dõi, báo cáo chỉ tiêu"). The rules were written on the retired held-out plan ad5aff6c13929815;
here they are tested on another document: the target table of the round-1 dev plan
2edf5927c71bc4c1 (DOCX; TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi, đánh giá)
rewritten into that layout, and on the appendix titles of the seeds' and corpus plans.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.extract.grid import read_grids, read_header
from plankg.ingest.extract.target_horizons import phrase_horizon
from plankg.ingest.readers import read_source
from tests.test_table_subrows import _source

ROOT = Path(__file__).resolve().parents[1]
DOCX = ROOT / "tests" / "data" / "corpus_docx"


@pytest.fixture(scope="module")
def table() -> list[list[str]]:
    src = read_source(DOCX / "2edf5927c71bc4c1.docx")
    found = next(t for t in src.tables if (h := read_header(t)) is not None and h.kind == "target")
    return [list(r) for r in found]


def _stated(table: list[list[str]], role_words: str) -> list[list[str]]:
    """The table as "TT | Chỉ tiêu | Chủ trì": each percentage appended to its indicator
    ("… đạt 100%"), the unit and value columns dropped, the monitoring cell followed by what
    the agency does."""
    out = [["TT", "Chỉ tiêu", "Chủ trì"]]
    for number, indicator, _unit, value, monitoring in table[1:]:
        if value.strip():
            indicator = f"{indicator.rstrip(' .')} đạt {value.strip()}."
            monitoring = f"{monitoring} {role_words}" if monitoring.strip() else monitoring
        out.append([number, indicator, monitoring])
    return out


def test_figure_in_the_indicator_cell_and_monitoring_before_its_verbs(table: list[list[str]]) -> None:
    plain = read_grids(_source(table)).targets
    assert len(plain) >= 20 and all(t.comparator != "text" for t in plain)
    stated = read_grids(_source(_stated(table, "theo dõi, đánh giá, báo cáo kết quả"))).targets
    assert [t.path for t in stated] == [t.path for t in plain]
    for a, b in zip(stated, plain):
        assert (a.comparator, a.value_min, a.value_max) == (b.comparator, b.value_min, b.value_max), a.path
        assert a.unit == "%" and a.monitoring == b.monitoring, a.path
        assert (a.horizon and a.horizon.text) == (b.horizon and b.horizon.text), a.path


def test_a_cell_stating_several_figures_is_one_text_target(table: list[list[str]]) -> None:
    stated = _stated(table, "chủ trì hướng dẫn, tổng hợp")
    row = next(i for i, r in enumerate(stated) if r[0] == "1" and r[2].strip())
    agency = table[row][4]
    stated[row][1] = ("Phấn đấu mỗi năm hoàn thành từ 05 nền tảng số dùng chung; có tối thiểu 03 "
                      "kịch bản khai thác dữ liệu. Đến năm 2030, có ít nhất 20 nền tảng được đưa vào sử dụng.")
    stated[row][2] = f"{agency} chủ trì hướng dẫn, tổng hợp; Các bộ, ngành, địa phương thực hiện hằng năm."
    target = next(t for t in read_grids(_source(stated)).targets if t.indicator.startswith("Phấn đấu mỗi năm"))
    assert target.comparator == "text" and target.value_min is None
    assert target.monitoring == [agency]


def test_a_row_without_a_figure_still_warns(table: list[list[str]]) -> None:
    stated = _stated(table, "")
    row = next(i for i, r in enumerate(stated) if r[0] == "1" and r[2].strip())
    stated[row][1] = "Hoàn thiện thể chế về dữ liệu"
    res = read_grids(_source(stated))
    assert not any(t.indicator == "Hoàn thiện thể chế về dữ liệu" for t in res.targets)
    assert any("không có giá trị (target has no value)" in w for w in res.warnings)


@pytest.mark.parametrize(("title", "year"), [
    ("PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ SỐ, XÃ HỘI SỐ ĐẾN NĂM 2030", "2030"),
    ("Danh mục chỉ tiêu đến hết năm 2027 (Kèm theo Kế hoạch số 12/KH-UBND ngày 05/3/2025)", "2027"),
    ("CHỈ TIÊU GIAI ĐOẠN 2026 - 2030 (Ban hành kèm theo Quyết định số 5/QĐ-UBND ngày 2/1/2026)", "2030"),
    ("(Ban hành kèm theo Kế hoạch số 144/KH-UBND ngày 24 tháng 11 năm 2025)", None),
])
def test_title_horizon_never_an_issue_date(title: str, year: str | None) -> None:
    h = phrase_horizon(title)
    assert (h.end.year if h and h.end else None) == (int(year) if year else None)
