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
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parent
GOLD = ROOT / "gold" / "corpus"


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



def _phrase(stem: str, start: str, stop: str = r"[:;*\n]| trong | căn cứ | triển khai ") -> str:
    """The printed phrase of a dev document (its Markdown, wraps joined) from ``start`` to the
    first ``stop``: the rules below are checked on text they were not written on."""
    import re

    text = " ".join((ROOT / "data" / "corpus" / f"{stem}.md").read_text(encoding="utf-8").split())
    i = text.index(start)
    return re.split(stop, text[i:], maxsplit=1)[0].strip(" .,")


def test_collective_of_ministries_and_ministry_level_agencies() -> None:
    """"Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ" is one collective ("ngang bộ" is a
    qualifier of the grammar); written on ec00bd6f58be7864, checked on 646f0a00d4174382."""
    phrase = _phrase("646f0a00d4174382", "các bộ, cơ quan ngang bộ, cơ quan trực thuộc Chính phủ", r"[;:\n]| và ")
    assert split_agencies(phrase) == [phrase]


def test_level_list_goes_on_with_levels_only() -> None:
    """After "UBND xã, phường" a "và các cơ quan, tổ chức có liên quan" is a second body (the
    list of levels does not take other nouns); written on f1e0981425ec38be, checked on
    8e9a425dd83e56b3 and 69db23c781b2e9aa."""
    phrase = _phrase("8e9a425dd83e56b3", "Các Sở, ban, ngành, UBND xã, phường và các cơ quan")
    assert split_agencies(phrase) == ["Các Sở, ban, ngành", "UBND xã, phường", "các cơ quan, tổ chức có liên quan"]
    phrase = _phrase("69db23c781b2e9aa", "UBND các xã, phường và các cơ quan có liên quan", r" xây dựng | trong ")
    assert split_agencies(phrase) == ["UBND các xã, phường", "các cơ quan có liên quan"]
    # "địa phương" folds to a word ending in "phuong" but is not the level "phường"
    assert split_agencies("Các sở, ngành, địa phương và đơn vị liên quan") == [
        "Các sở, ngành, địa phương và đơn vị liên quan"]


def test_head_after_a_title_word_is_not_a_second_agency() -> None:
    """"Chỉ huy Công an cấp xã" (b3a4b2605f9a281f) is one title: a capitalised head starts a
    second agency only after a piece that is itself an agency; "… đặc khu Sở Tài chính"
    (a cell broken over lines, 001c610b2efdcf0c) still splits after the list of levels."""
    phrase = _phrase("b3a4b2605f9a281f", "Chỉ huy Công an cấp xã", r" kiểm tra|[|\n]")
    assert split_agencies(phrase) == ["Chỉ huy Công an cấp xã"]
    assert split_agencies("UBND xã, phường, đặc khu Sở Tài chính") == ["UBND xã, phường, đặc khu", "Sở Tài chính"]
    assert split_agencies("Sở Tài chính Sở Xây dựng") == ["Sở Tài chính", "Sở Xây dựng"]


def test_lower_case_piece_without_a_head_ends_the_name_before_it() -> None:
    """"Trung tâm Xúc tiến đầu tư, thương mại và du lịch" (f1e0981425ec38be) is one name: a
    short lower-case piece naming no body continues it; a piece that is a body still splits."""
    assert split_agencies("Trung tâm Xúc tiến đầu tư, thương mại và du lịch") == [
        "Trung tâm Xúc tiến đầu tư, thương mại và du lịch"]
    assert split_agencies("Sở Y tế, các đơn vị liên quan") == ["Sở Y tế", "các đơn vị liên quan"]
    assert split_agencies("Sở Tài chính, Công an tỉnh") == ["Sở Tài chính", "Công an tỉnh"]


def test_corrected_gold_two_collectives() -> None:
    """"Các sở, ngành, UBND xã, phường, đặc khu" is two agencies (reason in
    ontology/registry/agency_grammar.yaml): a comma before a new head ends a collective."""
    assert split_agencies("Các sở, ngành, UBND xã, phường, đặc khu") == ["Các sở, ngành", "UBND xã, phường, đặc khu"]
