"""Narrative tasks and targets: which items count, who leads, what value and horizon."""

from __future__ import annotations

import json
from datetime import date

import pytest

from plankg.folding import fold
from plankg.ingest.extract.narrative import extract_narrative_targets, extract_narrative_tasks
from plankg.ingest.extract.structure import extract_sections
from plankg.ingest.model import TargetRecord, TaskRecord
from plankg.ingest.readers import read_bytes, read_source
from tests.conftest import GOLD, seed_path


def _tasks(prefix: str) -> dict[str, TaskRecord]:
    src = read_source(seed_path(prefix))
    return {t.path: t for t in extract_narrative_tasks(src, extract_sections(src))}


def _targets(prefix: str) -> dict[str, TargetRecord]:
    src = read_source(seed_path(prefix))
    return {t.path: t for t in extract_narrative_targets(src, extract_sections(src))}


def _ours(gold_path: str, number: str | None) -> str:
    """Gold numbers unnumbered bullets by ordinal ("IV.6.6"); we prefix it ("IV.6.i6")."""
    if number is not None:
        return gold_path
    head, _, last = gold_path.rpartition(".")
    return f"{head}.i{last}"


def _norm(s: str) -> str:
    return " ".join(fold(s).split())


def test_seed004_has_28_numbered_tasks() -> None:
    t = {p: x for p, x in _tasks("004").items() if p.startswith("II.")}  # III: assignments with leads
    numbers = [x.number for x in t.values()]
    assert len(t) == 28 and numbers[0] == "1.1" and numbers[-1] == "7.2"
    assert numbers == [f"{a}.{b}" for a, n in enumerate((4, 5, 6, 4, 3, 4, 2), 1) for b in range(1, n + 1)]
    assert all(x.origin == "narrative" and x.lead == [] and x.deadline is None for x in t.values())
    assert t["II.3.3"].section == "II.3" and t["II.3.3"].span.line_start == 329


def test_seed000_tasks_are_the_lettered_items_and_their_dashes() -> None:
    t = _tasks("000")
    assert "III.1" not in t  # a theme heading, not a task
    assert t["III.5.o"].text.startswith("Triển khai Đề án chuyển đổi số, bệnh án điện tử")
    assert "III.2.a" in t and "III.2.a.i3" in t  # a task with sub-tasks, and its sub-tasks
    assert not any(p.startswith(("I.", "II.")) for p in t)
    # IV "TỔ CHỨC THỰC HIỆN": only the sentences that assign ("Sở Tài chính chủ trì, …")
    assert all(x.lead for p, x in t.items() if p.startswith("IV.")) and t["IV.5"].lead == ["Sở Tài chính"]
    assert not t["III.7.c"].text.endswith("kèm theo).")  # the appendix pointer is not task text


def test_seed003_agency_headings_lead_their_items() -> None:
    t = _tasks("003")
    assert t["IV.6.i6"].lead == ["Sở Kế hoạch và Đầu tư"] and t["IV.6.i6"].cooperating == ["Sở Thông tin và Truyền thông"]
    assert t["IV.7.i1"].text.startswith("Căn cứ vào khả năng cân đối")  # a paragraph under "7. Sở Tài chính"
    assert t["IV.7.i1"].section == "IV.7" and t["IV.7.i1"].lead == ["Sở Tài chính"]
    assert t["IV.2.i2"].deadline is not None and t["IV.2.i2"].deadline.text == "trước tháng 9/2023"
    assert t["IV.2.i2"].deadline.end == date(2023, 9, 1)
    assert t["V.1.i1"].lead == ["Sở Thông tin và Truyền thông"]  # "(Cơ quan Thường trực …)" dropped


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_tasks_against_gold(prefix: str) -> None:
    gold = json.loads((GOLD / f"seed{prefix}.json").read_text("utf-8"))
    mine = _tasks(prefix)
    for g in gold["tasks"]:
        t = mine.get(_ours(g["path"], g["number"]))
        assert t is not None, g["path"]
        assert _norm(t.text).startswith(_norm(g["text_start"])), g["path"]
        assert [_norm(x) for x in t.lead] == [_norm(x) for x in g["lead"]], g["path"]
        assert [_norm(x) for x in t.cooperating] == [_norm(x) for x in g["cooperating"]], g["path"]
        assert (t.deadline is None) == (g["deadline"] is None), g["path"]
        if g["deadline"]:
            assert _norm(g["deadline"]) in _norm(t.deadline.text), g["path"]  # type: ignore[union-attr]
        if g["number"] is not None:
            assert t.number == g["number"]
        assert t.section == g["section"]
    allowed = {_ours(g["path"], g["number"]) for g in gold["tasks"] + gold.get("optional_tasks", [])}
    assert set(mine) <= allowed


def test_seed003_targets_against_gold() -> None:
    gold = json.loads((GOLD / "seed003.json").read_text("utf-8"))["targets"]
    mine = _targets("003")
    assert len(mine) == len(gold) == 26
    for g in gold:
        t = mine[_ours(g["path"], g["number"])]
        assert _norm(t.indicator) == _norm(g["indicator"]), g["path"]
        assert (t.comparator, t.value_min, t.value_max) == (g["comparator"], g["min"], g["max"]), g["path"]
        assert _norm(t.value_text) == _norm(g["value_text"]), g["path"]
        assert t.unit == g["unit"] and t.horizon is not None and t.horizon.text == g["horizon"]


def test_seed000_targets_from_phrasing() -> None:
    t = _targets("000")
    assert (t["II.1.d"].comparator, t["II.1.d"].value_min, t["II.1.d"].value_text) == ("ge", 45, "từ 45% trở lên")
    assert (t["II.1.đ"].comparator, t["II.1.đ"].value_min, t["II.1.đ"].unit) == ("ge", 30, "% GRDP")
    assert (t["II.1.e"].comparator, t["II.1.e"].value_min) == ("gt", 90)
    assert (t["II.1.k"].comparator, t["II.1.k"].value_min, t["II.1.k"].value_max) == ("range", 2, 5)
    assert (t["II.1.i"].comparator, t["II.1.i"].value_min) == ("eq", 1.5)
    assert t["II.1.p"].comparator == "text"
    assert t["II.1.a"].horizon is not None and t["II.1.a"].horizon.end == date(2030, 12, 31)
    lettered = [p for p in t if p.startswith("II.1.")]
    assert len(lettered) == 22  # a … w without j (the gold's count hint)
    paragraph = [x for p, x in t.items() if p.startswith("II.2.")]
    assert any(x.value_min == 40 and x.unit == "% GRDP" for x in paragraph)
    assert all(x.horizon is not None and x.horizon.end == date(2045, 12, 31) for x in paragraph)


def test_seed004_general_objectives_are_not_targets() -> None:
    t = _targets("004")
    assert not any(p.startswith("I.1.") for p in t)
    s = [x for p, x in t.items() if p.startswith("I.2.1.i4.")]  # two quantified sentences in one bullet
    assert [(x.comparator, x.value_min) for x in s] == [("ge", 45), ("ge", 30)]


def test_synthetic_lead_and_cooperating() -> None:
    src = read_bytes((
        "KẾ HOẠCH\nI. NHIỆM VỤ, GIẢI PHÁP\n1. Nhóm\n"
        "a) Sở Y tế chủ trì, phối hợp với Sở Tài chính, UBND các huyện, thị xã, thành phố triển khai hồ sơ sức "
        "khỏe điện tử, hoàn thành trong năm 2025.\n"
        "b) Giao Công an tỉnh chủ trì làm sạch dữ liệu; thời gian: Quý IV/2025.\n"
        "II. TỔ CHỨC THỰC HIỆN\n1. Sở X chủ trì.\n2. Kinh phí thực hiện từ ngân sách.\n").encode(), "plan.txt")
    t = {x.path: x for x in extract_narrative_tasks(src, extract_sections(src))}
    assert list(t) == ["I.1.a", "I.1.b", "II.1"]  # II.2 assigns nobody: an arrangement
    assert t["II.1"].lead == ["Sở X"]
    assert t["I.1.a"].lead == ["Sở Y tế"]
    assert t["I.1.a"].cooperating == ["Sở Tài chính", "UBND các huyện, thị xã, thành phố"]
    assert t["I.1.a"].deadline is not None and t["I.1.a"].deadline.end == date(2025, 12, 31)
    assert t["I.1.b"].lead == ["Công an tỉnh"]
    assert t["I.1.b"].deadline is not None and "Quý IV/2025" in t["I.1.b"].deadline.text


def test_targets_under_a_numbered_heading_of_another_section() -> None:
    """"II. NỘI DUNG TRỌNG TÂM" / "6. Chỉ tiêu chủ yếu đến năm 2030" / "6.1. … đạt ít nhất 50% …",
    "6.2. Phấn đấu 100% …" (f069c23c942c1ec6, read by hand): a numbered targets heading inside a
    section that does not name targets still holds targets, and its "6.1." items are items,
    not headings (written on 24c7124ec6b2bf61 "I. MỤC ĐÍCH, YÊU CẦU" / "4. Các chỉ tiêu …")."""
    from pathlib import Path

    from plankg.ingest.extract import extract

    path = Path(__file__).resolve().parent / "data" / "corpus" / "f069c23c942c1ec6.md"
    targets = [t for t in extract(read_source(path, on_warning=lambda _m: None)).targets if t.path.startswith("II.6.")]
    assert len(targets) >= 2
    # 6.1 states an aim ("Hằng năm, giảm …;") before its figure: the figure is its last clause
    first = [t for t in targets if t.path.startswith("II.6.1")][-1]
    second = next(t for t in targets if t.path.startswith("II.6.2"))
    assert (first.comparator, first.value_min) == ("ge", 50.0)
    assert (second.comparator, second.value_min, second.value_max) == ("eq", 100.0, 100.0)
    assert all(t.horizon is not None and "2030" in t.horizon.text for t in targets)


def test_horizons_written_on_the_item_or_as_den_het_nam() -> None:
    """Horizons as printed in two real plans, read by hand: Đồng Tháp 617/KH-UBND II.1
    ("a) Đến hết năm 2025: Có ≥ 30% …" … "đ) Đến hết năm 2045: 100% …": each item its own
    horizon) and Hà Nội 310/KH-UBND II.1 / II.2 (headings "Mục tiêu đến hết năm 2026",
    "Mục tiêu đến năm 2030"). Before, both fell back to the plan's year (2025)."""
    corpus = GOLD.parent / "data" / "corpus"

    def horizons(name: str) -> dict[str, int | None]:
        src = read_source(corpus / name)
        return {t.path: t.horizon.end.year if t.horizon and t.horizon.end else None
                for t in extract_narrative_targets(src, extract_sections(src))}

    dong_thap = horizons("8718801c503045f9.md")
    assert [dong_thap[p] for p in ("II.1.a", "II.1.b", "II.1.c", "II.1.d")] == [2025, 2030, 2035, 2040]
    ha_noi = horizons("31786b0833a4130d.md")
    assert {y for p, y in ha_noi.items() if p.startswith("II.1.")} == {2026}
    assert {y for p, y in ha_noi.items() if p.startswith("II.2.")} == {2030}
