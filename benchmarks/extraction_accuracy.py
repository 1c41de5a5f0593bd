"""Field-level extraction accuracy against the hand-checked gold files (tests/gold/).

Run: ``python benchmarks/extraction_accuracy.py [--seeds ../shared/seeds] [--markdown]``.
Agencies are compared by registry identity (the same id after resolution in the
document's locality), texts by normalised equality (NFC, one tone style, collapsed
whitespace, case and trailing punctuation ignored); task texts by the gold's 80-character
prefix (and its last 40 characters where the gold gives them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold"


def norm(text: Any) -> str:
    from plankg.ingest.readers.normalize import normalize_string

    s = " ".join(normalize_string(str(text or "")).split())
    return s.strip(" .;,:").casefold()


def bullet_path(gold_item: dict) -> str:
    """The gold numbers unnumbered "-" bullets by ordinal ("IV.1.3"); our paths mark them
    "i3" ("IV.1.i3") so a bullet never collides with a printed number."""
    path = gold_item["path"]
    head, _, last = path.rpartition(".")
    if gold_item.get("number") is None and last.isdigit() and head:
        return f"{head}.i{last}"
    return path


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.right += int(ok)
        if not ok and len(self.misses) < 12:
            self.misses.append(what)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0


class Scorer:
    def __init__(self, seeds: Path) -> None:
        from plankg.ingest.extract.agencies import load_registry

        self.seeds = seeds
        self.registry = load_registry()
        self.tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
        self.extractions: dict[str, Any] = {}

    def extraction(self, name: str):
        from plankg.ingest.extract import extract
        from plankg.ingest.readers import read_source

        if name not in self.extractions:
            self.extractions[name] = extract(read_source(self.seeds / name))
        return self.extractions[name]

    def ids(self, names: list[str], doc) -> set[str]:
        out = set()
        for n in names:
            m = self.registry.resolve(n, locality=doc.locality, level=doc.locality_level, as_of=doc.date)
            if m is not None:
                out.add(m.id)
        return out

    def tally(self, seed: str, fieldname: str, ok: bool, what: str) -> None:
        self.tallies[(seed, fieldname)].add(ok, what)

    # -- per kind ----------------------------------------------------------------------
    def score_document(self, seed: str, gold: dict, ex) -> None:
        d = ex.document
        g = gold["document"]
        if "issuer" in g:
            same = self.ids([d.issuer or ""], d) == self.ids([g["issuer"]], d) or norm(d.issuer) == norm(g["issuer"])
            self.tally(seed, "document.issuer", same, f"{d.issuer!r} ≠ {g['issuer']!r}")
        for f in ("kind", "symbol", "locality", "locality_level"):
            if f in g:
                self.tally(seed, f"document.{f}", norm(getattr(d, f)) == norm(g[f]), f"{getattr(d, f)!r} ≠ {g[f]!r}")
        if "date" in g:
            self.tally(seed, "document.date", (d.date.isoformat() if d.date else None) == g["date"], f"{d.date} ≠ {g['date']}")
        if "title" in g:
            ok = norm(d.title) == norm(g["title"]) or ("title_alt" in g and norm(d.title) == norm(g["title_alt"]))
            self.tally(seed, "document.title", ok, f"{d.title!r}")
        if "inferred" in g:
            self.tally(seed, "document.inferred", set(d.inferred) >= set(g["inferred"]), f"{d.inferred} vs {g['inferred']}")

    def score_citations(self, seed: str, gold: dict, ex) -> None:
        found: dict[tuple[str, str | None], set[str]] = defaultdict(set)
        for c in ex.citations:
            found[(norm(c.symbol), c.date.isoformat() if c.date else None)].add(c.relation)
        for gc in gold.get("citations", []):
            key = (norm(gc["symbol"]), gc.get("date"))
            relations = found.get(key) or (found.get((key[0], None)) if key[1] is None else None)
            if not relations and gc.get("optional"):
                continue
            self.tally(seed, "citation.found", bool(relations), f"{gc['symbol']} {gc.get('date')}")
            if relations:
                best = "implements" if "implements" in relations else ("amends" if "amends" in relations else ("basis" if "basis" in relations else "mention"))
                ok = best in {gc["relation"], gc.get("relation_alt")}
                self.tally(seed, "citation.relation", ok, f"{gc['symbol']}: {best} ≠ {gc['relation']}")

    def score_tasks(self, seed: str, gold_tasks: list[dict], ex) -> None:
        by_path = {t.path: t for t in ex.tasks}
        doc = ex.document
        for g in gold_tasks:
            t = by_path.get(bullet_path(g))
            self.tally(seed, "task.found", t is not None, g["path"])
            if t is None:
                continue
            if g.get("number") is not None:
                self.tally(seed, "task.number", norm(t.number) == norm(g["number"]), f"{g['path']}: {t.number!r}")
            text = norm(t.text)
            # the gold cuts at 80 characters, possibly inside a syllable whose tone mark the
            # normaliser would move: compare up to the last whole word
            prefix = norm(g["text_start"]).rsplit(" ", 1)[0]
            ok = text.startswith(prefix)
            if g.get("text_end"):
                ok = ok and text.endswith(norm(g["text_end"]))
            self.tally(seed, "task.text", ok, f"{g['path']}: {t.text[:60]!r}")
            for f in ("lead", "cooperating"):
                if f in g:
                    a, b = self.ids(getattr(t, f), doc), self.ids(g[f], doc)
                    self.tally(seed, f"task.{f}", a == b, f"{g['path']}: {sorted(a)} ≠ {sorted(b)}")
            if "output" in g:
                self.tally(seed, "task.output", norm(t.output) == norm(g["output"]), f"{g['path']}: {t.output!r} ≠ {g['output']!r}")
            if "deadline" in g:
                got = t.deadline.text if t.deadline else None
                self.tally(seed, "task.deadline", norm(got) == norm(g["deadline"]), f"{g['path']}: {got!r} ≠ {g['deadline']!r}")

    def score_targets(self, seed: str, gold_targets: list[dict], ex) -> None:
        by_path = {t.path: t for t in ex.targets}
        doc = ex.document
        for g in gold_targets:
            t = by_path.get(bullet_path(g))
            self.tally(seed, "target.found", t is not None, g["path"])
            if t is None:
                continue
            self.tally(seed, "target.indicator", norm(t.indicator) == norm(g["indicator"]), f"{g['path']}: {t.indicator!r}")
            self.tally(seed, "target.unit", norm(t.unit) == norm(g.get("unit")), f"{g['path']}: {t.unit!r} ≠ {g.get('unit')!r}")
            self.tally(seed, "target.value_text", norm(t.value_text) == norm(g["value_text"]), f"{g['path']}: {t.value_text!r}")
            self.tally(seed, "target.comparator", t.comparator == g["comparator"], f"{g['path']}: {t.comparator} ≠ {g['comparator']}")
            self.tally(seed, "target.value", (t.value_min, t.value_max) == (g.get("min"), g.get("max")), f"{g['path']}: {(t.value_min, t.value_max)}")
            h = t.horizon.text if t.horizon else None
            self.tally(seed, "target.horizon", norm(g["horizon"]) in norm(h), f"{g['path']}: {h!r} ≠ {g['horizon']!r}")
            a, b = self.ids(t.monitoring, doc), self.ids(g.get("monitoring", []), doc)
            self.tally(seed, "target.monitoring", a == b, f"{g['path']}: {sorted(a)} ≠ {sorted(b)}")

    def score_alignment(self, gold: dict) -> None:
        from plankg.ingest.build.renditions import align_tasks

        primary = self.extraction(gold["same_document_as"])
        copy = self.extraction(gold["source"])
        mapping = align_tasks(primary.tasks, copy.tasks)
        by_number = {t.number.strip(". "): t.path for t in copy.tasks if t.origin == "appendix"}
        primary_paths = {t.number.strip(". "): t.path for t in primary.tasks if t.origin == "appendix"}
        for a in gold["appendix_task_alignment"]:
            p001 = by_number.get(str(a["number_in_001"]).strip(". "))
            target = primary_paths.get(str(a["number_in_000"]).strip(". "))
            self.tally("001", "alignment", p001 is not None and mapping.get(p001) == target, f"001 #{a['number_in_001']} → {mapping.get(p001) if p001 else None}")
        d, g = copy.document, gold["document"]
        self.tally("001", "document.symbol", norm(d.symbol) == norm(g["symbol"]), f"{d.symbol!r}")
        self.tally("001", "document.date", (d.date.isoformat() if d.date else None) == g["date"], f"{d.date}")

    def run(self) -> None:
        for path in sorted(GOLD.glob("seed*.json")):
            gold = json.loads(path.read_text("utf-8"))
            seed = path.stem.replace("seed", "")
            if "same_document_as" in gold:
                self.score_alignment(gold)
                continue
            ex = self.extraction(gold["source"])
            self.score_document(seed, gold, ex)
            self.score_citations(seed, gold, ex)
            self.score_tasks(seed, gold.get("appendix_tasks", []) + gold.get("tasks", []), ex)
            self.score_targets(seed, gold.get("appendix_targets", []) + gold.get("targets", []), ex)

    def table(self) -> list[tuple[str, str, int, int, float]]:
        return [(s, f, t.right, t.total, t.rate) for (s, f), t in sorted(self.tallies.items())]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default=os.environ.get("PLANKG_SEEDS", str(REPO.parent / "shared" / "seeds")))
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table for docs/extraction.md")
    ap.add_argument("--misses", action="store_true", help="print the first misses of each field")
    args = ap.parse_args()
    scorer = Scorer(Path(args.seeds))
    scorer.run()
    if args.markdown:
        print("| seed | field | right | total | accuracy |\n|---|---|---:|---:|---:|")
    for seed, f, right, total, rate in scorer.table():
        if args.markdown:
            print(f"| {seed} | {f} | {right} | {total} | {rate:.1%} |")
        else:
            print(f"{seed:4} {f:22} {right:4}/{total:<4} {rate:7.1%}")
        if args.misses and rate < 1:
            for m in scorer.tallies[(seed, f)].misses:
                print(f"        miss: {m}")
    overall = sum(t.right for t in scorer.tallies.values()) / max(1, sum(t.total for t in scorer.tallies.values()))
    print(f"overall field accuracy: {overall:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
