"""Agency splitting, round 2: lists of levels without "các", registered names with commas,
the public "inside a registered name?" helper, and the grammar used for narrative headings.

The rules were written while reading dev documents 001c610b2efdcf0c, 24c7124ec6b2bf61 and
62f25a030c183151; they are tested here on other documents (other dev gold, the seeds) and on
the registry as a whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plankg.folding import fold
from plankg.ingest.extract.agencies import (
    clean_name,
    in_registered_name,
    load_registry,
    looks_like_agency,
    registered_name_mask,
    split_agencies,
)

ROOT = Path(__file__).resolve().parent
GOLD = ROOT / "gold" / "corpus"
SEEDS = ROOT.parent.parent / "shared" / "seeds"


def _lists(node: Any) -> Iterator[list[str]]:
    """Every non-empty lead / cooperating list of a gold file."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("lead", "cooperating") and isinstance(v, list):
                if v:
                    yield v
            else:
                yield from _lists(v)
    elif isinstance(node, list):
        for x in node:
            yield from _lists(x)


@pytest.mark.parametrize("stem", ["8e9a425dd83e56b3", "09daab284f92e2dd", "8718801c503045f9"])
def test_gold_lists_round_trip(stem: str) -> None:
    """Each hand-split gold list, printed back with commas, splits into the same names: it
    includes "UBND xã, phường" (levels without "các") and "Báo và Phát thanh, Truyền hình
    tỉnh" (a registered name with a comma) in documents the rules were not written on."""
    lists = list(_lists(json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))))
    assert lists
    for names in lists:
        got = split_agencies(", ".join(names))
        assert [g.lower() for g in got] == [clean_name(n).lower() for n in names], names


def test_level_list_without_cac_on_gold() -> None:
    """The gold of 8e9a425dd83e56b3 keeps "UBND xã, phường" whole: the rule is what makes it so."""
    names = [n for L in _lists(json.loads((GOLD / "8e9a425dd83e56b3.json").read_text(encoding="utf-8")))
             for n in L]
    levels = [n for n in names if "xã, phường" in n and "các" not in n.lower()]
    assert levels
    for n in levels:
        assert split_agencies(n) == [n]


def test_level_list_stops_at_a_new_agency_in_seed() -> None:
    """Seed 002 prints "Ủy ban nhân dân phường, Chủ tịch Ủy ban nhân dân phường": two bodies —
    the level rule only continues a list with bare level nouns."""
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    i = text.index("Ủy ban nhân dân phường, Chủ tịch")
    phrase = text[i:].split("\n", 1)[0].split(";")[0]
    pieces = split_agencies(phrase)
    assert pieces[0] == "Ủy ban nhân dân phường"
    assert pieces[1].startswith("Chủ tịch Ủy ban nhân dân phường")


def test_every_registered_name_with_a_comma_stays_whole() -> None:
    """Registry names are protected generally: no list of names in code."""
    reg = load_registry()
    names = {n for a in reg.agencies.values() if a.kind == "agency" for n in (a.name, *a.alt) if "," in n}
    assert len(names) >= 3
    for n in names:
        assert split_agencies(n) == [clean_name(n)], n
        assert split_agencies(f"Sở Tài chính, {n}") == ["Sở Tài chính", clean_name(n)], n


def test_registered_name_with_comma_in_a_seed_sentence() -> None:
    """Seed 000 prints "Sở Văn hóa, Thể thao và Du lịch" inside its lists: the comma and the
    " và " in it are inside a registered name, the helper says so."""
    raw = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    i = raw.index("Sở \n\nVăn hóa, Thể thao")  # a table cell wrapped over lines
    cell = raw[i: raw.index(";", i)]
    comma = cell.index(",")
    assert in_registered_name(cell, comma)
    assert registered_name_mask(cell)[comma]
    assert split_agencies(cell) == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert not in_registered_name("Giao Sở Tài chính, Sở Y tế", len("Giao Sở Tài chính"))
    assert not in_registered_name("Sở Y tế", 99)


def test_two_collectives_in_a_row() -> None:
    """The seed convention (tests/gold/README.md): a collective of departments, then a
    collective of people's committees, are two — with levels listed with or without "các"."""
    assert split_agencies("Các sở, ban, ngành, UBND các huyện, thị xã, thành phố") == [
        "Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]
    assert split_agencies("Các Sở, ngành, UBND thị xã, thành phố") == ["Các Sở, ngành", "UBND thị xã, thành phố"]
    assert split_agencies("Sở Y tế, UBND huyện, Sở Nội vụ") == ["Sở Y tế", "UBND huyện", "Sở Nội vụ"]
    assert split_agencies("UBND tỉnh, Công an tỉnh") == ["UBND tỉnh", "Công an tỉnh"]


def test_grammar_heads_for_headings() -> None:
    """Narrative headings are judged by the one grammar (no second head list in narrative.py)."""
    assert looks_like_agency("Các bộ, ngành, địa phương có trách nhiệm:")
    assert looks_like_agency("Sở Văn hóa, Thể thao và Du lịch")
    assert not looks_like_agency("Nâng cao chất lượng dịch vụ công")
    src = (ROOT.parent / "ingest" / "extract" / "narrative.py").read_text(encoding="utf-8")
    assert "_AGENCY_HEAD" not in src and "_protect" not in fold(src)

