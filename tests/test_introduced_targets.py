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
