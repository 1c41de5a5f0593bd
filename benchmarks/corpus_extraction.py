"""Field-level extraction accuracy on real documents against the corpus gold (tests/gold/corpus/).

Run: ``python benchmarks/corpus_extraction.py [--round 1|2|3|4|5|6|7|8|all] [--split dev|heldout|reserve|all]
[--formats md,docx,pdf] [--markdown FILE] [--misses] [--dry-run]``.

Every gold document ``tests/gold/corpus/<stem>.json`` is read from
``tests/data/corpus/<stem>.md``, ``tests/data/corpus_docx/<stem>.docx`` and
``tests/data/corpus_pdf/<stem>.pdf`` with ``read_source`` + ``extract`` (today's extractor,
called only) and scored per field, pooled over the documents of a split, per format. A
rendition that does not exist (round 3 has no PDF) is listed as not rendered and left out of
that format's figures. ``--dry-run`` lists the gold documents, their counts and renditions and
extracts nothing. Round 3 (round3.json) was held out in whole (``--round 3 --split heldout``,
run three times by the lead) and is retired to development data since stop 19; round 5
(round5.json, gold files marked ``"round": 5``, run twice at stop 19) likewise since stop 20.
Round 6's held-out half (round6.json) was the held-out set of stop 20 and is retired since stop
21. Round 7 (round7.json, gold files marked ``"round": 7``: central documents from a second
public source, the Official Gazette texts of hrmaster1982-dev/phapluat-8chude-data) is split by
position before reading: ``--round 7 --split heldout`` is the held-out set, run only by the lead,
without ``--misses``/``--per-doc``; ``--split reserve`` is kept unseen for a later stop.
Round 8 (round8.json, ``"round": 8``: Lào Cai provincial originals from Trangsct/skill-sct) is
split the same way; there the original DOCX or PDF is itself one of the renditions (the others
were made from it by tests/data/round8_import.py), so a PDF original has no DOCX rendition.

Matching and comparison rules
- Texts are normalised: NFC + one tone style (``normalize_string``), ``*``/``_``/``#``/``|``
  markup removed, whitespace collapsed, case and surrounding punctuation ignored, a leading
  list marker (``-``, ``+``, ``1.``, ``a)``, ``1.2.``, ``ii.``, ``(ii)``) dropped.
- Tasks are what the graph calls a task: a narrative item that restates an appendix row of
  the same document is built as a pk:TaskMention of that row (issue #14), not a pk:Task, so it
  is not scored (neither a match nor an extra); the rule is the build code's own
  (``plankg.ingest.build.renditions.task_mention_paths``), never a copy.
- Tasks: a gold task matches an extracted task when the extracted text starts with the gold
  ``text_start`` (or ``text_start_alt``) cut to its first 60 normalised characters at a word
  boundary. One-to-one, gold in order, first free candidate. Recall = matched required gold /
  required gold; precision = matched / (extracted − extracted matched to optional gold).
  Optional gold tasks are neither misses nor, when matched, false positives.
- On matched tasks (optional ones included): lead and cooperating as sets of normalised
  names (abbreviations UBND/HĐND/MTTQ/... expanded on both sides; ``lead_alt`` accepted),
  deadline and output by normalised equality (``deadline_alt`` accepted; gold null must be
  extracted empty).
- Targets: a gold target matches the extracted target whose indicator (plus value) is most
  similar (rapidfuzz partial ratio ≥ 85 on normalised text), one-to-one. Recall as for tasks;
  on matched targets: value = comparator (or ``comparator_alt``) and (min, max) equal; unit
  normalised equality; horizon = gold horizon contained in the extracted horizon text (both
  empty counts right); monitoring as name sets.
- Document: kind, symbol (normalised), date (ISO), issuer (normalised, abbreviations expanded,
  ``issuer`` or ``issuer_as_printed``).
- A document whose read or extract raises counts as all-missed; the error is listed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "gold" / "corpus"
DATA = {
    "md": REPO / "tests" / "data" / "corpus",
    "docx": REPO / "tests" / "data" / "corpus_docx",
    "pdf": REPO / "tests" / "data" / "corpus_pdf",
}
GOLD_NAME = re.compile(r"[0-9a-f]{16}\.json")  # <stem>.json; the other files hold splits, labels, inventories
PREFIX_CHARS = 60

TASK_FIELDS = ["task.recall", "task.precision", "task.lead", "task.cooperating", "task.deadline", "task.output"]
TARGET_FIELDS = ["target.recall", "target.precision", "target.value", "target.unit", "target.horizon", "target.monitoring"]
DOC_FIELDS = ["document.kind", "document.symbol", "document.date", "document.issuer"]
FIELDS = TASK_FIELDS + TARGET_FIELDS + DOC_FIELDS

_ABBREV = [
    (r"\bubnd\b", "ủy ban nhân dân"),
    (r"\bhđnd\b", "hội đồng nhân dân"),
    (r"\bmttq\b", "mặt trận tổ quốc"),
    (r"\bubmttq\b", "ủy ban mặt trận tổ quốc"),
    (r"\btp\.?\s", "thành phố "),
    (r"\bkh&cn\b|\bkhcn\b", "khoa học và công nghệ"),
    (r"\bubtvqh\b", "ủy ban thường vụ quốc hội"),
]
_MARKER = re.compile(r"^(?:[-+•–*]\s*|\(?\d+(?:\.\d+)*[.)]\s+|\(?[a-zđ]\)\s*|\(?[ivxlc]+[.)]\s+)")


def norm(text: Any) -> str:
    from plankg.ingest.readers.normalize import normalize_string

    s = normalize_string(str(text or ""))
    s = re.sub(r"[*_#|`]", " ", s)
    s = " ".join(s.split()).casefold()
    s = s.strip(" .;,:")
    for _ in range(2):
        s = _MARKER.sub("", s).strip(" .;,:")
    return s


def norm_agency(text: Any) -> str:
    s = norm(text)
    for pat, rep in _ABBREV:
        s = re.sub(pat, rep, s)
    return " ".join(s.split())


def agency_set(names: list[str] | None) -> frozenset[str]:
    return frozenset(n for n in (norm_agency(x) for x in (names or [])) if n)


def prefix_key(text_start: str) -> str:
    s = norm(text_start)
    if len(s) > PREFIX_CHARS:
        cut = s[:PREFIX_CHARS]
        s = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return s


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str = "") -> None:
        self.total += 1
        self.right += int(ok)
        if not ok and len(self.misses) < 15:
            self.misses.append(what)

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None


def round_members() -> dict[str, set[str]]:
    """Source files of each gold round: round 1 is split.json (2026-12-05), round 2 round2.json,
    round 3 round3.json (2026-12-07: held out in whole, its ``dev`` is empty; retired to
    development data at stop 19), round 4 and round 5 the gold files marked ``"round": 4``
    (round4.json: development data), ``"round": 5`` (round5.json: held out in whole),
    ``"round": 6`` (round6.json: pages without an assignment cue, split dev/heldout by position),
    ``"round": 7`` (round7.json: a second public source, split heldout/reserve by position) and
    ``"round": 8`` (round8.json: Lào Cai provincial originals, DOCX/PDF as issued, split likewise;
    the original is one of the renditions, so a PDF original has no DOCX and is scored as md+pdf)."""
    one = json.loads((GOLD_DIR / "split.json").read_text("utf-8"))
    two = json.loads((GOLD_DIR / "round2.json").read_text("utf-8"))["tasks"]
    three = json.loads((GOLD_DIR / "round3.json").read_text("utf-8"))["tasks"]
    marked: dict[int, set[str]] = {4: set(), 5: set(), 6: set(), 7: set(), 8: set()}
    for p in GOLD_DIR.glob("*.json"):
        if GOLD_NAME.fullmatch(p.name):
            number = json.loads(p.read_text("utf-8")).get("round")
            if number in marked:
                marked[number].add(f"{p.stem}.md")
    return {
        "1": set(one["dev"]) | set(one["heldout"]),
        "2": set(two["dev"]) | set(two["heldout"]),
        "3": set(three["dev"]) | set(three["heldout"]),
        "4": marked[4],
        "5": marked[5],
        "6": marked[6],
        "7": marked[7],
        "8": marked[8],
    }


def load_gold(split: str, rounds: str = "1") -> list[dict]:
    """Gold of one half (or both), of round 1 only by default so figures stay comparable
    across sessions; ``rounds="2"`` or ``"3"`` gives that round, ``"all"`` every round."""
    members = round_members()
    wanted = set().union(*members.values()) if rounds == "all" else members[rounds]
    golds = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        if not GOLD_NAME.fullmatch(path.name) or f"{path.stem}.md" not in wanted:
            continue
        g = json.loads(path.read_text("utf-8"))
        g["_stem"] = path.stem
        if split in ("all", g.get("split")):
            golds.append(g)
    return golds


def run_extract(path: Path):
    from plankg.ingest.extract import extract
    from plankg.ingest.readers import read_source

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract(read_source(path))


def graph_tasks(tasks: list) -> list:
    """The extracted tasks the graph builds as pk:Task, in extraction order: restatements of
    an appendix row (pk:TaskMention) left out by the build code's own rule."""
    from plankg.ingest.build.renditions import task_mention_paths

    mentions = task_mention_paths(tasks)
    return [t for t in tasks if t.path not in mentions]


class Scorer:
    def __init__(self) -> None:
        # (split, fmt, field) -> Tally
        self.tallies: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
        self.errors: list[tuple[str, str, str]] = []
        self.absent: list[str] = []  # renditions that do not exist, left out of every figure
        self.seconds: dict[str, float] = defaultdict(float)
        self.per_doc: dict[tuple[str, str], dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))

    def tally(self, split: str, fmt: str, stem: str, f: str, ok: bool, what: str = "") -> None:
        self.tallies[(split, fmt, f)].add(ok, f"{stem}: {what}")
        self.per_doc[(stem, fmt)][f].add(ok, what)

    # -- tasks -----------------------------------------------------------------------
    def score_tasks(self, split: str, fmt: str, stem: str, gold: list[dict], tasks: list) -> None:
        ext = [(norm(t.text), t) for t in tasks]
        used: set[int] = set()
        matched_optional = 0
        matched = 0
        for g in gold:
            keys = [prefix_key(g["text_start"])] + ([prefix_key(g["text_start_alt"])] if g.get("text_start_alt") else [])
            hit = None
            for i, (txt, _t) in enumerate(ext):
                if i not in used and any(k and txt.startswith(k) for k in keys):
                    hit = i
                    break
            optional = bool(g.get("optional"))
            if not optional:
                self.tally(split, fmt, stem, "task.recall", hit is not None, f"{g['path']} {g['text_start'][:50]!r}")
            if hit is None:
                continue
            used.add(hit)
            matched += 1
            matched_optional += int(optional)
            t = ext[hit][1]
            for f in ("lead", "cooperating"):
                got = agency_set(getattr(t, f))
                ok = got == agency_set(g.get(f)) or (f == "lead" and "lead_alt" in g and got == agency_set(g["lead_alt"]))
                self.tally(split, fmt, stem, f"task.{f}", ok, f"{g['path']}: {sorted(getattr(t, f))} ≠ {g.get(f)}")
            got_dl = t.deadline.text if t.deadline else None
            ok = norm(got_dl) == norm(g.get("deadline")) or ("deadline_alt" in g and norm(got_dl) == norm(g["deadline_alt"]))
            self.tally(split, fmt, stem, "task.deadline", ok, f"{g['path']}: {got_dl!r} ≠ {g.get('deadline')!r}")
            self.tally(
                split,
                fmt,
                stem,
                "task.output",
                norm(t.output) == norm(g.get("output")),
                f"{g['path']}: {t.output!r} ≠ {g.get('output')!r}",
            )
        # precision: extracted tasks matched to required gold vs everything extracted that is not an optional match
        for i, (_txt, t) in enumerate(ext):
            if i in used:
                continue
            self.tally(split, fmt, stem, "task.precision", False, f"extra {t.path} {t.text[:50]!r}")
        for _ in range(matched - matched_optional):
            self.tally(split, fmt, stem, "task.precision", True)

    # -- targets ---------------------------------------------------------------------
    def score_targets(self, split: str, fmt: str, stem: str, gold: list[dict], targets: list) -> None:
        from rapidfuzz import fuzz

        ext = [(norm(t.indicator), norm(f"{t.indicator} {t.value_text}"), t) for t in targets]
        pairs = []
        for gi, g in enumerate(gold):
            gi_text = norm(g["indicator"])
            for ei, (ind, full, _t) in enumerate(ext):
                if not gi_text or not ind:
                    continue
                score = max(fuzz.partial_ratio(gi_text, ind), fuzz.partial_ratio(gi_text, full))
                if min(len(gi_text), len(ind)) < 8:
                    score = 100 if gi_text == ind else 0
                if score >= 85:
                    pairs.append((score, -gi, -ei, gi, ei))
        pairs.sort(reverse=True)
        g2e: dict[int, int] = {}
        used: set[int] = set()
        for _s, _a, _b, gi, ei in pairs:
            if gi not in g2e and ei not in used:
                g2e[gi] = ei
                used.add(ei)
        matched_required = 0
        for gi, g in enumerate(gold):
            optional = bool(g.get("optional"))
            ei = g2e.get(gi)
            if not optional:
                self.tally(split, fmt, stem, "target.recall", ei is not None, f"{g['path']} {g['indicator'][:50]!r}")
            if ei is None:
                continue
            matched_required += int(not optional)
            t = ext[ei][2]
            comps = {g.get("comparator"), g.get("comparator_alt")}
            ok = t.comparator in comps and _num(t.value_min) == _num(g.get("min")) and _num(t.value_max) == _num(g.get("max"))
            self.tally(
                split,
                fmt,
                stem,
                "target.value",
                ok,
                f"{g['path']}: {t.comparator} {t.value_min}-{t.value_max} ≠ {g.get('comparator')} {g.get('min')}-{g.get('max')}",
            )
            self.tally(
                split,
                fmt,
                stem,
                "target.unit",
                norm(t.unit) == norm(g.get("unit")),
                f"{g['path']}: {t.unit!r} ≠ {g.get('unit')!r}",
            )
            h = t.horizon.text if t.horizon else None
            gh = norm(g.get("horizon"))
            ok = (gh in norm(h)) if gh else not norm(h)
            self.tally(split, fmt, stem, "target.horizon", ok, f"{g['path']}: {h!r} ≠ {g.get('horizon')!r}")
            self.tally(
                split,
                fmt,
                stem,
                "target.monitoring",
                agency_set(t.monitoring) == agency_set(g.get("monitoring")),
                f"{g['path']}: {t.monitoring} ≠ {g.get('monitoring')}",
            )
        for ei, (_i, _f, t) in enumerate(ext):
            if ei not in used:
                self.tally(split, fmt, stem, "target.precision", False, f"extra {t.path} {t.indicator[:50]!r}")
        for _ in range(matched_required):
            self.tally(split, fmt, stem, "target.precision", True)

    # -- document --------------------------------------------------------------------
    def score_document(self, split: str, fmt: str, stem: str, g: dict, d) -> None:
        self.tally(split, fmt, stem, "document.kind", norm(d.kind) == norm(g.get("kind")), f"{d.kind!r} ≠ {g.get('kind')!r}")
        self.tally(
            split, fmt, stem, "document.symbol", norm(d.symbol) == norm(g.get("symbol")), f"{d.symbol!r} ≠ {g.get('symbol')!r}"
        )
        got = d.date.isoformat() if d.date else None
        self.tally(split, fmt, stem, "document.date", got == g.get("date"), f"{got} ≠ {g.get('date')}")
        wanted = {norm_agency(g.get("issuer")), norm_agency(g.get("issuer_as_printed"))} - {""}
        ok = norm_agency(d.issuer) in wanted if wanted else not d.issuer
        self.tally(split, fmt, stem, "document.issuer", ok, f"{d.issuer!r} ≠ {g.get('issuer')!r}")

    def score_missing(self, split: str, fmt: str, stem: str, g: dict, why: str) -> None:
        for t in g.get("tasks", []):
            if not t.get("optional"):
                self.tally(split, fmt, stem, "task.recall", False, f"{t['path']} ({why})")
        for t in g.get("targets", []):
            if not t.get("optional"):
                self.tally(split, fmt, stem, "target.recall", False, f"{t['path']} ({why})")
        for f in DOC_FIELDS:
            self.tally(split, fmt, stem, f, False, why)

    def run(self, golds: list[dict], formats: list[str]) -> None:
        for g in golds:
            stem, split = g["_stem"], g.get("split", "?")
            for fmt in formats:
                path = DATA[fmt] / f"{stem}.{fmt}"
                if not path.is_file():  # not rendered in this format (round 3 has no PDF): not scored
                    self.absent.append(f"{stem}.{fmt}")
                    continue
                t0 = time.perf_counter()
                try:
                    ex = run_extract(path)
                except Exception as e:  # noqa: BLE001 - a crash is a result, never a stop
                    self.seconds[fmt] += time.perf_counter() - t0
                    tb = traceback.extract_tb(e.__traceback__)
                    where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
                    self.errors.append((stem, fmt, f"{type(e).__name__}: {str(e)[:200]} [{where}]"))
                    self.score_missing(split, fmt, stem, g, "crash")
                    continue
                self.seconds[fmt] += time.perf_counter() - t0
                self.score_document(split, fmt, stem, g["document"], ex.document)
                self.score_tasks(split, fmt, stem, g.get("tasks", []), graph_tasks(ex.tasks))
                self.score_targets(split, fmt, stem, g.get("targets", []), ex.targets)


def _num(x: Any) -> float | None:
    return None if x is None else round(float(x), 6)


def _cell(t: Tally | None) -> str:
    if t is None or not t.total:
        return "–"
    return f"{t.right}/{t.total} ({t.rate:.0%})"


def tables(scorer: Scorer, splits: list[str], formats: list[str], golds: list[dict]) -> tuple[str, str]:
    """(plain text, Markdown)."""
    plain, md = [], []
    for split in splits:
        docs = [g["_stem"] for g in golds if g.get("split") == split]
        if not docs:
            continue
        n_tasks = sum(1 for g in golds if g.get("split") == split for t in g.get("tasks", []) if not t.get("optional"))
        n_opt = sum(1 for g in golds if g.get("split") == split for t in g.get("tasks", []) if t.get("optional"))
        n_tg = sum(1 for g in golds if g.get("split") == split for t in g.get("targets", []) if not t.get("optional"))
        head = f"{split}: {len(docs)} documents, {n_tasks} required gold tasks (+{n_opt} optional), {n_tg} required gold targets"
        plain.append(f"\n== {head}")
        plain.append(f"{'field':20}" + "".join(f"{f:>18}" for f in formats))
        md.append(f"\n#### {split} ({len(docs)} documents)\n\n{head}: {', '.join(docs)}.\n")
        md.append("| field | " + " | ".join(formats) + " |")
        md.append("|---|" + "---:|" * len(formats))
        for f in FIELDS:
            cells = [_cell(scorer.tallies.get((split, fmt, f))) for fmt in formats]
            plain.append(f"{f:20}" + "".join(f"{c:>18}" for c in cells))
            md.append(f"| {f} | " + " | ".join(cells) + " |")
    return "\n".join(plain), "\n".join(md)


def gold_counts(g: dict) -> dict[str, int]:
    """Required and optional tasks and targets of one gold file, counted from its lists."""
    out = {}
    for key in ("tasks", "targets"):
        items = g.get(key, [])
        out[f"{key}_required"] = sum(1 for t in items if not t.get("optional"))
        out[f"{key}_optional"] = sum(1 for t in items if t.get("optional"))
    return out


def dry_run(golds: list[dict], formats: list[str]) -> str:
    """What a run would score — documents, counts, renditions found — without extracting
    anything (so a held-out round can be checked without looking at the extractor's output)."""
    lines = [f"gold documents: {len(golds)} (nothing extracted)"]
    totals: dict[str, int] = defaultdict(int)
    for g in golds:
        counts = gold_counts(g)
        for k, v in counts.items():
            totals[k] += v
        found = [f for f in formats if (DATA[f] / f"{g['_stem']}.{f}").is_file()]
        lines.append(
            f"  {g['_stem']} [{g.get('split')}] {g['document'].get('kind')} {g['document'].get('symbol')}: "
            f"tasks {counts['tasks_required']}+{counts['tasks_optional']} optional, "
            f"targets {counts['targets_required']}+{counts['targets_optional']} optional; "
            f"renditions {','.join(found) or 'none'}"
        )
    lines.append(
        f"total: tasks {totals['tasks_required']} required + {totals['tasks_optional']} optional, "
        f"targets {totals['targets_required']} required + {totals['targets_optional']} optional"
    )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "heldout", "reserve", "all"], default="all",
                    help="half of the gold: dev, heldout, reserve (round 7's unseen half) or all")
    ap.add_argument("--formats", default="md,docx,pdf")
    ap.add_argument("--round", dest="rounds", choices=["1", "2", "3", "4", "5", "6", "7", "8", "all"], default="1",
                    help="gold round: 1 (split.json, the figures reported so far), 2 (round2.json), "
                    "3 (round3.json, held out until stop 18, now development), 4 (round4.json, all "
                    "development), 5 (round5.json, all held out), 6 (round6.json, dev and heldout halves), "
                    "7 (round7.json, heldout and reserve halves), 8 (round8.json, provincial originals, "
                    "heldout and reserve halves) or all")
    ap.add_argument("--dry-run", action="store_true",
                    help="list the gold documents, their task/target counts and renditions; extract nothing")
    ap.add_argument("--markdown", metavar="FILE", help="write the tables as Markdown to FILE")
    ap.add_argument("--misses", action="store_true", help="print the first misses of each field")
    ap.add_argument("--per-doc", action="store_true", help="print task recall per document and format")
    args = ap.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    bad = [f for f in formats if f not in DATA]
    if bad:
        ap.error(f"unknown format(s): {bad}")
    golds = load_gold(args.split, args.rounds)
    reserve = ["reserve"] if any(g.get("split") == "reserve" for g in golds) else []  # round 7's unseen half
    splits = ["heldout", "dev", *reserve] if args.split == "all" else [args.split]
    if args.dry_run:
        print(dry_run(golds, formats))
        return 0
    scorer = Scorer()
    scorer.run(golds, formats)
    plain, md = tables(scorer, splits, formats, golds)
    print(f"gold documents: {len(golds)} ({', '.join(g['_stem'] for g in golds)})")
    print(plain)
    print("\nseconds per format: " + ", ".join(f"{f} {scorer.seconds[f]:.1f}" for f in formats))
    if scorer.errors:
        print(f"\ncrashes ({len(scorer.errors)}):")
        for stem, fmt, err in scorer.errors:
            print(f"  {stem}.{fmt}: {err}")
    else:
        print("\ncrashes: none")
    if scorer.absent:
        print(f"\nnot rendered, not scored ({len(scorer.absent)}): {', '.join(scorer.absent)}")
    if args.per_doc:
        print("\nper document (task recall / precision, target recall):")
        for g in golds:
            row = []
            for fmt in formats:
                t = scorer.per_doc[(g["_stem"], fmt)]
                row.append(
                    f"{fmt} {_cell(t.get('task.recall'))} p {_cell(t.get('task.precision'))} tg {_cell(t.get('target.recall'))}"
                )
            print(f"  {g['_stem']} [{g.get('split')}]: " + " | ".join(row))
    if args.misses:
        for (split, fmt, f), t in sorted(scorer.tallies.items()):
            if t.misses:
                print(f"\n-- misses {split} {fmt} {f} ({t.total - t.right}):")
                for m in t.misses:
                    print(f"     {m}")
    if args.markdown:
        err_md = "\n".join(f"- `{s}.{f}`: {e}" for s, f, e in scorer.errors) or "- none"
        Path(args.markdown).write_text(md.strip() + f"\n\nCrashes:\n{err_md}\n", "utf-8")
        print(f"\nMarkdown written to {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
