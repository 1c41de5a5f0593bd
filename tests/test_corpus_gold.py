"""The corpus gold files (tests/gold/corpus/<stem>.json) are well-formed.

Data checks only — no extraction and no accuracy thresholds (those are reported by
benchmarks/corpus_extraction.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "gold" / "corpus"
DATA = REPO / "tests" / "data"
GOLD_NAME = re.compile(r"[0-9a-f]{16}\.json")  # <stem>.json; other files hold splits, labels, inventories

GOLD_FILES = sorted(p for p in GOLD_DIR.glob("*.json") if GOLD_NAME.fullmatch(p.name))
SPLIT = json.loads((GOLD_DIR / "split.json").read_text("utf-8"))
ROUND2 = json.loads((GOLD_DIR / "round2.json").read_text("utf-8"))
HALVES = {h: set(SPLIT[h]) | set(ROUND2["tasks"][h]) for h in ("dev", "heldout")}

DOC_KEYS = {"kind", "symbol", "date", "issuer"}
TASK_KEYS = {"path", "text_start", "lead", "cooperating", "output", "deadline"}
TARGET_KEYS = {"path", "indicator", "unit", "value_text", "comparator", "min", "max", "horizon", "monitoring"}
COMPARATORS = {"ge", "gt", "le", "lt", "eq", "range", "text"}


def _collapse(s: str) -> str:
    return " ".join(s.replace("*", "").split())


def _load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_there_is_gold() -> None:
    assert GOLD_FILES, "no gold files in tests/gold/corpus"


def test_split_is_a_partition() -> None:
    dev, heldout = set(SPLIT["dev"]), set(SPLIT["heldout"])
    assert not dev & heldout
    strata = set().union(*map(set, SPLIT["strata"].values()))
    assert strata == dev | heldout
    two = ROUND2["tasks"]
    assert not set(two["dev"]) & set(two["heldout"])
    assert set().union(*map(set, two["strata"].values())) == set(two["dev"]) | set(two["heldout"])
    assert not (dev | heldout) & (set(two["dev"]) | set(two["heldout"])), "a round-2 file was already in round 1"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file(path: Path) -> None:
    g = _load(path)
    stem = path.stem
    # identity and split membership
    assert g.get("source") == f"{stem}.md"
    assert g.get("split") in ("dev", "heldout")
    assert g["source"] in HALVES[g["split"]], f"{stem}: split {g['split']!r} disagrees with split.json/round2.json"
    # the document in all three formats
    for sub, ext in (("corpus", "md"), ("corpus_docx", "docx"), ("corpus_pdf", "pdf")):
        assert (DATA / sub / f"{stem}.{ext}").is_file(), f"{stem}.{ext} missing from tests/data/{sub}"
    # schema
    for key in ("document", "tasks", "targets"):
        assert key in g, f"{stem}: no {key!r}"
    assert DOC_KEYS <= set(g["document"]), f"{stem}: document lacks {DOC_KEYS - set(g['document'])}"
    date = g["document"]["date"]
    assert date is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", date), f"{stem}: date {date!r}"
    for t in g["tasks"]:
        assert TASK_KEYS <= set(t), f"{stem} task {t.get('path')}: lacks {TASK_KEYS - set(t)}"
        assert isinstance(t["lead"], list) and isinstance(t["cooperating"], list), f"{stem} {t['path']}: agencies not lists"
        assert isinstance(t["text_start"], str) and t["text_start"].strip(), f"{stem} {t['path']}: empty text_start"
        assert isinstance(t.get("optional", False), bool)
    for t in g["targets"]:
        assert TARGET_KEYS <= set(t), f"{stem} target {t.get('path')}: lacks {TARGET_KEYS - set(t)}"
        assert t["comparator"] in COMPARATORS, f"{stem} {t['path']}: comparator {t['comparator']!r}"
        assert isinstance(t["monitoring"], list)
        for k in ("min", "max"):
            assert t[k] is None or isinstance(t[k], int | float), f"{stem} {t['path']}: {k} {t[k]!r}"
    # unique task paths
    paths = [t["path"] for t in g["tasks"]]
    dupes = sorted({p for p in paths if paths.count(p) > 1})
    assert not dupes, f"{stem}: task paths printed twice: {dupes}"
    # every text_start is in the document (whitespace collapsed, '*' removed)
    text = _collapse((DATA / "corpus" / f"{stem}.md").read_text("utf-8"))
    missing = [
        t["path"]
        for t in g["tasks"]
        if _collapse(t["text_start"]) not in text and not (t.get("text_start_alt") and _collapse(t["text_start_alt"]) in text)
    ]
    assert not missing, f"{stem}: text_start not found in the document for {missing}"
