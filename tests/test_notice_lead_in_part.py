"""A part of a notice of conclusions that turns from its assessment to the work (#10 item 3):
"I. ĐÁNH GIÁ CHUNG" / assessment paragraphs / "Để …, thành phố Đà Nẵng cần tập trung thực hiện
tốt một số nhiệm vụ, giải pháp sau đây:" / "1. …" — the lead-in right above the items names who
does them, whatever the part's heading says.

Written on the Markdown of abca9704d4c889cd (round 6 dev); tested on its PDF rendition, which
the rule was not written for (the reader splits lines and paragraphs differently), and on a
part about purposes, whose items stay no tasks (CONVENTIONS §1)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from benchmarks.corpus_extraction import DATA, GOLD_DIR, agency_set, norm, prefix_key
from plankg.ingest.extract import extract
from plankg.ingest.readers import read_source


def _tasks(path: Path) -> list:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract(read_source(path)).tasks


def test_lead_in_inside_an_assessment_part_leads_its_items_pdf() -> None:
    stem = "abca9704d4c889cd"
    gold = json.loads((GOLD_DIR / f"{stem}.json").read_text("utf-8"))
    tasks = _tasks(DATA["pdf"] / f"{stem}.pdf")
    wanted = [g for g in gold["tasks"] if g["path"] in {f"I.{n}" for n in range(2, 9)}]
    assert len(wanted) == 7
    for g in wanted:
        key = prefix_key(g["text_start"])
        found = [t for t in tasks if norm(t.text).startswith(key)]
        assert found, g["path"]
        assert agency_set(found[0].lead) == agency_set(g["lead"]), g["path"]


def test_purpose_part_items_stay_no_tasks(tmp_path: Path) -> None:
    text = ("**KẾ HOẠCH**\n\n**I. MỤC ĐÍCH, YÊU CẦU**\n\nKế hoạch nhằm triển khai kịp thời các nhiệm vụ.\n\n"
            "Để bảo đảm hiệu quả, các sở, ban, ngành cần quán triệt các yêu cầu sau đây:\n\n"
            "1. Bám sát chủ trương của Trung ương.\n\n2. Bảo đảm tiến độ và chất lượng.\n\n"
            "**II. NHIỆM VỤ**\n\n1. Sở Y tế chủ trì tổ chức tập huấn cho cán bộ y tế cơ sở.\n")
    p = tmp_path / "plan.md"
    p.write_text(text, encoding="utf-8")
    tasks = _tasks(p)
    assert not any(t.text.lstrip("12. ").startswith(("Bám sát", "Bảo đảm tiến độ")) for t in tasks)
    assert any(t.text.lstrip("1. ").startswith("Sở Y tế chủ trì") for t in tasks)
