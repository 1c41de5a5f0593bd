"""Synthetic plan *files* made from real ones, for the scale series (issue #11).

``benchmarks/synthetic.py`` generates a graph for the store benchmark; this module writes
source files instead, so the scale series measures the real extractor, graph builder and
index on them. Each synthetic file is one real plan (a seed or a corpus document, same
format and layout) with:

* its **localities** moved: every province or city name of ``document_meta.PROVINCES`` is
  mapped to another one of the same kind (a centrally-run city to a city, a province to a
  province), upper-case forms included, so issuers, agencies and places stay consistent;
* its **agencies** swapped: names of the agency registry (``ontology/registry/agencies.yaml``)
  printed in the text are permuted among names of the same kind (first word: "Sở", "Ban",
  "Văn phòng", ...), so lead and cooperating agencies differ while every name is still one the
  registry resolves;
* its own **symbol** renumbered (unique per generated file, so two synthetic files are never
  renditions of one document) and its **dates** ("ngày 19 tháng 11 năm 2025", "19/11/2025")
  moved by one offset per file; cited central documents (57-NQ/TW, 03/NQ-CP, …) keep theirs,
  so the citation links stay real;
* its **numbers** (percentages of targets) nudged and some **wording** replaced by synonyms.

Everything is drawn from ``random.Random(f"{seed}:{index}")``: the same real files, seed and
index give byte-identical output, and file ``i`` does not depend on how many are generated.

Usage::

    python benchmarks/synthetic_plans.py --real ../shared/seeds --n 20 --out /tmp/synth
    from benchmarks.synthetic_plans import generate_plans
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

#: (plain, synonym) pairs of plan wording; each pair is swapped with probability one half.
WORDING = [("triển khai", "thực hiện"), ("đẩy mạnh", "tăng cường"), ("nâng cao", "cải thiện"),
           ("xây dựng", "hình thành"), ("hoàn thành", "hoàn tất"), ("chủ động", "tích cực"),
           ("kịp thời", "đúng hạn"), ("hiệu quả", "thiết thực")]
_DATE_VI = re.compile(r"ngày(\s+)(\d{1,2})(\s+)tháng(\s+)(\d{1,2})(\s+)năm(\s+)(20\d\d)")
_DATE_NUM = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(20\d\d)(?![\d/])")
_PERCENT = re.compile(r"(?<![\d,.])(\d{1,2})(\s?%)")
# what ends the text right before a cited document's date: its symbol ("57-NQ/TW", "31/2024/QH15")
# or a law's name ("Luật Quy hoạch"), then only spaces, a comma or "ngày"
_CITED_BEFORE = re.compile(r"(?:\d+[/-][^\s,;]*[A-ZĐ][^\s,;]*|Luật\s[^;.\d]{0,60}?)\s*,?\s*(?:ngày\s*)?$")
_OWN_SYMBOL = re.compile(r"S[^\s:]{0,2}\s*:\s*\**\s*(\d{1,5})(\s*/\s*(?:\d{4}/)?[A-ZĐ][A-ZĐa-z&]*-[A-ZĐ][A-ZĐa-z&.]*)")


def _flex(name: str) -> str:
    """A regex for a printed name: whole words, any whitespace (line breaks included) between them."""
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?!\w)"


def _substitute(text: str, mapping: dict[str, str]) -> str:
    """Replace every printed ``mapping`` key (longest first, one pass) by its value."""
    if not mapping:
        return text
    keys = sorted(mapping, key=len, reverse=True)
    pattern = re.compile("|".join(f"({_flex(k)})" for k in keys))

    def repl(m: re.Match[str]) -> str:
        return mapping[keys[(m.lastindex or 1) - 1]]

    return pattern.sub(repl, text)


@lru_cache(maxsize=1)
def _localities() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(centrally-run cities, provinces) from the extractor's province list."""
    from plankg.ingest.extract.document_meta import PROVINCES

    cities = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
    return (tuple(p for p in PROVINCES if p in cities),
            tuple(p for p in PROVINCES if p not in cities and p != "Thừa Thiên Huế"))


@lru_cache(maxsize=1)
def _agency_groups() -> tuple[tuple[str, ...], ...]:
    """Names of the registry's subordinate local units (three words or more: "Sở Y tế", "Ban Dân vận
    Tỉnh ủy") grouped by their first word. Central bodies and the heads of a locality (Ủy ban nhân
    dân, Tỉnh ủy: any unit that others belong to) are left out: they issue the plans and the central documents they cite."""
    from plankg.ingest.extract.agencies import load_registry

    agencies = load_registry().agencies.values()
    heads = {a.parent for a in agencies}
    groups: dict[str, set[str]] = {}
    for agency in agencies:
        if (agency.kind == "agency" and agency.level != "central" and agency.parent is not None
                and agency.id not in heads and len(agency.name.split()) >= 3):
            groups.setdefault(agency.name.split()[0], set()).add(agency.name)
    return tuple(tuple(sorted(g)) for _k, g in sorted(groups.items()) if len(g) >= 2)


def _permutation(names: Sequence[str], rng: random.Random) -> dict[str, str]:
    """A random cycle through ``names``: every name maps to another one (no fixed point)."""
    shuffled = list(names)
    rng.shuffle(shuffled)
    return dict(zip(shuffled, shuffled[1:] + shuffled[:1], strict=True))


def move_localities(text: str, rng: random.Random) -> str:
    """Map every city to another city and every province to another province (upper case too)."""
    mapping: dict[str, str] = {}
    for group in _localities():
        mapping |= _permutation(group, rng)
    mapping = {k: v for k, v in mapping.items() if k != v}
    mapping |= {k.upper(): v.upper() for k, v in mapping.items()}
    return _substitute(text, mapping)


def swap_agencies(text: str, rng: random.Random) -> str:
    """Permute the registry's agency names of each kind that the text prints."""
    mapping: dict[str, str] = {}
    for group in _agency_groups():
        mapping |= {k: v for k, v in _permutation(group, rng).items() if k != v}
    return _substitute(text, mapping)


def renumber_symbol(text: str, number: int) -> tuple[str, str | None]:
    """Give the document's own symbol (the first "Số: N/…") ``number``, everywhere it is printed;
    returns the text and the new symbol (None when the text prints none)."""
    m = _OWN_SYMBOL.search(text)
    if not m:
        return text, None
    old_number, tail = m.group(1), m.group(2)
    own = re.compile(r"(?<![\d/])" + re.escape(old_number) + r"(" + r"\s*".join(map(re.escape, tail.split())) + ")")
    return own.sub(lambda x: f"{number}{x.group(1)}", text), f"{number}{tail.strip()}"


def _shifted(day: int, month: int, year: int, offset: int) -> date | None:
    try:
        return date(year, month, day) + timedelta(days=offset)
    except ValueError:
        return None


def shift_dates(text: str, offset: int, own: str | None = None) -> str:
    """Move the document's dates by ``offset`` days. A date printed shortly after another
    document's symbol or a law's name ("57-NQ/TW ngày 22/12/2024", "Luật Quy hoạch ngày …") is
    that document's and stays; ``own`` (the document's own symbol) does not count."""

    def cited(m: re.Match[str]) -> bool:
        before = text[max(0, m.start() - 80):m.start()]
        if own and own in before:
            return False
        return bool(_CITED_BEFORE.search(before))

    def vi(m: re.Match[str]) -> str:
        d = None if cited(m) else _shifted(int(m.group(2)), int(m.group(5)), int(m.group(8)), offset)
        if d is None:
            return m.group(0)
        g = m.groups()
        return f"ngày{g[0]}{d.day:02d}{g[2]}tháng{g[3]}{d.month:02d}{g[5]}năm{g[6]}{d.year}"

    def num(m: re.Match[str]) -> str:
        d = None if cited(m) else _shifted(int(m.group(1)), int(m.group(2)), int(m.group(3)), offset)
        return m.group(0) if d is None else f"{d.day:02d}/{d.month:02d}/{d.year}"

    return _DATE_NUM.sub(num, _DATE_VI.sub(vi, text))


def nudge_numbers(text: str, rng: random.Random) -> str:
    """Move percentages below 100 by up to ±10 points (kept within 1..99)."""
    return _PERCENT.sub(lambda m: f"{min(99, max(1, int(m.group(1)) + rng.randint(-10, 10)))}{m.group(2)}", text)


def reword(text: str, rng: random.Random) -> str:
    for plain, other in WORDING:
        if rng.random() < 0.5:
            text = text.replace(plain, other)
    return text


def synthetic_plan(text: str, rng: random.Random, number: int) -> str:
    """Another plausible plan from a real one (see the module's docstring)."""
    text = swap_agencies(move_localities(text, rng), rng)
    text, own = renumber_symbol(text, number)
    text = shift_dates(text, rng.randint(-200, 200), own)
    return reword(nudge_numbers(text, rng), rng)


def generate_plans(real: Sequence[Path], n: int, out: Path, seed: int = 57, start: int = 0) -> list[Path]:
    """Write synthetic plans ``start`` … ``start + n - 1`` under ``out`` (``synthetic-00042.md``,
    the suffix of the real file it comes from); returns their paths in order."""
    if not real:
        raise ValueError("no real plan files to vary (no real files given)")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + n):
        rng = random.Random(f"{seed}:{index}")
        src = real[rng.randrange(len(real))]
        text = src.read_text("utf-8", errors="replace")
        dest = out / f"synthetic-{index:05d}{src.suffix}"
        dest.write_text(synthetic_plan(text, rng, number=1000 + index), "utf-8")
        paths.append(dest)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real", action="append", required=True, help="a folder of real plans (.md/.txt), repeatable")
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=57)
    args = ap.parse_args(argv)
    real = sorted(p for folder in args.real for p in Path(folder).iterdir() if p.suffix in (".md", ".txt"))
    for p in generate_plans(real, args.n, Path(args.out), args.seed):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
