"""Targets that share a sentence or a table row with others (issue #10, targets).

Two rules, each checked on documents other than the one it was written for:

* a sentence stating several figures of different indicators gives one target per figure
  (``narrative._clauses``; written on 24c7124ec6b2bf61 and f1e0981425ec38be, checked on
  f069c23c942c1ec6 and 646f0a00d4174382 against their hand-written gold, and on seed 003,
  whose list of one indicator's levels must stay one text value);
* a figures row of a one-cell-per-line Markdown table whose every other cell is empty (a
  year table's total row) is joined back into one row (``md_tables._figure_run``; written on
  f1e0981425ec38be and checked there in Markdown and DOCX against the gold, and on
  9b7eebadf7081069, whose budget rows with a number in the first cell must keep it).

Expected values come from the gold files (written by reading the documents) or, where a
test reads a row, from the printed document.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from plankg.folding import fold
from plankg.ingest.extract import extract
from plankg.ingest.model import TargetRecord
from plankg.ingest.readers import read_source
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
GOLD = ROOT / "tests" / "gold" / "corpus"


def _gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.json").read_text("utf-8"))


def _key(text: str) -> str:
    return " ".join(fold(text).lower().replace("*", " ").split())


def _found(gold: dict, targets: list[TargetRecord]) -> bool:
    """A target whose indicator holds the gold indicator and whose value is the gold value."""
    want = _key(gold["indicator"])
    for t in targets:
        if fuzz.partial_ratio(want, _key(t.indicator)) < 85:
            continue
        lo = None if gold.get("min") is None else float(gold["min"])
        hi = None if gold.get("max") is None else float(gold["max"])
        if t.comparator == gold["comparator"] and t.value_min == lo and t.value_max == hi:
            return True
    return False


@pytest.mark.parametrize(("stem", "prefixes"), [
    ("f069c23c942c1ec6", ("II.6.1.2", "II.6.2.", "II.6.4.", "II.6.5.", "II.6.9")),
    ("646f0a00d4174382", ("I.2.g.2", "I.2.g.3", "I.2.h.3")),
])
def test_each_figure_of_a_sentence_is_a_target(stem: str, prefixes: tuple[str, ...]) -> None:
    targets = extract(read_source(DATA / "corpus" / f"{stem}.md")).targets
    wanted = [g for g in _gold(stem)["targets"] if g["path"].startswith(prefixes) and not g.get("optional")]
    assert len(wanted) >= 3
    missing = [g["path"] for g in wanted if not _found(g, targets)]
    assert missing == []


def test_a_list_of_one_indicators_levels_stays_one_text_value() -> None:
    """Seed 003: "… Cấp tỉnh đạt 100%, cấp huyện đạt 95%, cấp xã …" is one target."""
    seed = next(SEEDS.glob("003_*.txt"))
    targets = extract(read_source(seed)).targets
    levels = [t for t in targets if "cấp huyện" in t.value_text]
    assert len(levels) == 1 and levels[0].comparator == "text"


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_total_rows_of_a_year_table_keep_their_figures(fmt: str) -> None:
    """f1e0981425ec38be, Phụ lục 02: "Tổng I + II", "I", "II" and items without a quantity
    print a value every other column; each year's values are the gold's."""
    stem = "f1e0981425ec38be"
    folder = {"md": "corpus", "docx": "corpus_docx"}[fmt]
    targets = extract(read_source(DATA / folder / f"{stem}.{fmt}")).targets
    want: dict[str, list[float]] = defaultdict(list)
    for g in _gold(stem)["targets"]:
        if g["path"].startswith("PL02.") and ".v." in g["path"]:
            want[g["horizon"]].append(float(g["min"]))
    got: dict[str, list[float]] = defaultdict(list)
    for t in targets:
        if _key(t.indicator) == _key("Giá trị tham gia xuất khẩu") and t.horizon and t.value_min is not None:
            got[t.horizon.text].append(t.value_min)
    assert len(want) == 5 and sum(map(len, want.values())) >= 100
    assert {y: sorted(v) for y, v in got.items()} == {y: sorted(v) for y, v in want.items()}


def test_rows_with_their_own_number_are_not_shifted() -> None:
    """9b7eebadf7081069: "| **6** | **Chi tạo nguồn cải cách tiền lương** | **145.141** |"
    followed by single figures is a budget row with its number, not a merged total row."""
    source = read_source(DATA / "corpus" / "9b7eebadf7081069.md")
    rows = [r for t in source.tables for r in t if any(c.startswith("Chi tạo nguồn cải cách") for c in r)]
    assert rows and all(r[0] == "6" and r[1].startswith("Chi tạo nguồn") for r in rows)


@pytest.mark.parametrize(("stem", "prefix"), [
    ("448306af3d3a91f7", "II.1.a."),  # "1. Mục tiêu phát triển và tầm nhìn đến năm 2045" / "a) Mục tiêu phát triển"
    ("85ff77cbda28ffbb", "I.2."),  # no horizon printed; the title ends "… năm 2026", issued in 2025
])
def test_horizons_of_targets_as_the_gold_reads_them(stem: str, prefix: str) -> None:
    targets = extract(read_source(DATA / "corpus" / f"{stem}.md")).targets
    wanted = [g for g in _gold(stem)["targets"] if g["path"].startswith(prefix)]
    assert len(wanted) >= 3
    for g in wanted:
        hit = next(t for t in targets if fuzz.partial_ratio(_key(g["indicator"]), _key(t.indicator)) >= 85)
        assert hit.horizon is not None and g["horizon"] in hit.horizon.text, (g["path"], hit.horizon)


def test_a_vision_heading_alone_keeps_its_year() -> None:
    """Seed 004 "2.2. Tầm nhìn đến năm 2045": the rule above leaves a vision-only heading alone."""
    seed = next(SEEDS.glob("004_*.txt"))
    vision = [t for t in extract(read_source(seed)).targets if t.path.startswith("I.2.2")]
    assert vision and all(t.horizon is not None and "2045" in t.horizon.text for t in vision)
