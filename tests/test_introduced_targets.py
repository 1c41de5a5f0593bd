"""Targets listed after a sentence that introduces them, outside a targets section (#10):
"1. Nội dung thi đua" / "… các nội dung này được cụ thể hóa bằng các chỉ tiêu cụ thể như sau:"
/ "(1) 100% số người …" (ingest/extract/narrative.py ``_introduced_targets``).

Written on 3a2db039af8c2d05 (dev), the only development document or seed that lists targets
this way; its hand gold is checked here, and a plan written for this test with other markers
("- ") and another wording ("sau đây:") checks that the rule is not that document's shape.
"""

from __future__ import annotations

import json
import warnings

from benchmarks.corpus_extraction import DATA, GOLD_DIR, norm
from plankg.ingest.extract import extract
from plankg.ingest.readers import read_bytes, read_source

PLAN = """ỦY BAN NHÂN DÂN
TỈNH A

Số: 12/KH-UBND

KẾ HOẠCH
Thi đua hoàn thành chuyển đổi số năm 2026

I. NỘI DUNG THI ĐUA

1. Nội dung

Các đơn vị thi đua hoàn thành kế hoạch, đạt các chỉ tiêu sau đây:

- 100% hồ sơ công việc được xử lý trên môi trường mạng;

- Ít nhất 90% thủ tục hành chính được giải quyết trực tuyến toàn trình.

2. Hình thức khen thưởng

Khen thưởng theo quy định.
"""


def test_gold_targets_of_the_document_it_was_written_on() -> None:
    gold = json.loads((GOLD_DIR / "3a2db039af8c2d05.json").read_text("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ex = extract(read_source(DATA["md"] / "3a2db039af8c2d05.md"))
    listed = [t for t in ex.targets if t.method == "narrative-introduced-list"]
    wanted = [g for g in gold["targets"] if g["path"].startswith("III.1.")]
    assert len(listed) == len(wanted) == 5
    for t, g in zip(listed, wanted):
        assert (t.comparator, t.value_min) == (g["comparator"], g["min"])
        assert norm(g["indicator"])[:40] in norm(t.indicator)
        assert t.span.start < t.span.end and t.section == "III.1"


def test_other_wording_and_markers() -> None:
    src = read_bytes(PLAN.encode("utf-8"), "ke-hoach.txt", on_warning=lambda _m: None)
    ex = extract(src)
    listed = [t for t in ex.targets if t.method == "narrative-introduced-list"]
    assert [(t.comparator, t.value_min) for t in listed] == [("eq", 100.0), ("ge", 90.0)]
    assert [src.text[t.span.start:t.span.end].lstrip("- ")[:4] for t in listed] == ["100%", "Ít n"]
    # "2. Hình thức khen thưởng" holds no introduced list: nothing from it
    assert all(t.section == "I.1" for t in listed)


def test_period_of_the_title_is_the_horizon_of_targets_without_one() -> None:
    """Targets that print no year take the period the plan's title names ("… GIAI ĐOẠN 2026 -
    2030"), else the plan's year. Written on 09daab284f92e2dd; checked on 646f0a00d4174382
    (dev, no gold: QĐ 2530/QĐ-TTg "… GIAI ĐOẠN 2026 - 2030, TẦM NHÌN ĐẾN NĂM 2045")."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ex = extract(read_source(DATA["md"] / "646f0a00d4174382.md"))
    assert "GIAI ĐOẠN 2026 - 2030" in (ex.document.title or "")
    narrative = [t for t in ex.targets if t.origin == "narrative" and t.path.startswith("I.2.")]
    assert narrative and all(t.horizon is not None and t.horizon.text == "2026-2030" for t in narrative)


NUMBERED = """ỦY BAN NHÂN DÂN
TỈNH A

Số: 15/KH-UBND
A, ngày 12 tháng 01 năm 2026

KẾ HOẠCH
Phát triển thương mại điện tử năm 2026

I. MỤC TIÊU

1. Mục tiêu cụ thể

a) Đến hết năm 2027: Có ≥ 40% doanh nghiệp bán hàng trực tuyến.

b) Đến hết năm 2030: 100% doanh nghiệp bán hàng trực tuyến.

II. CHỈ TIÊU

1. 90% hộ kinh doanh thanh toán không dùng tiền mặt.

2. Ít nhất 30% hợp tác xã có gian hàng trên sàn thương mại điện tử.
"""


def test_numbered_items_that_state_a_figure_and_horizon_lead_ins() -> None:
    """"1. 90% hộ kinh doanh …" in a targets section is a target (written on 09daab284f92e2dd);
    "b) Đến hết năm 2030: …" is that item's horizon (the issue's own example, 8718801c503045f9).
    A plan written for the test, with other figures and years."""
    src = read_bytes(NUMBERED.encode("utf-8"), "ke-hoach.txt", on_warning=lambda _m: None)
    got = {t.path: (t.comparator, t.value_min, t.horizon.text if t.horizon else None) for t in extract(src).targets}
    assert got["I.1.a"] == ("ge", 40.0, "Đến hết năm 2027")
    assert got["I.1.b"] == ("eq", 100.0, "Đến hết năm 2030")
    assert got["II.1"] == ("eq", 90.0, "2026") and got["II.2"] == ("ge", 30.0, "2026")
