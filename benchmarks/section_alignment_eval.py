"""Precision and recall of the task → 57-NQ/TW item alignment against the hand-read gold.

Run: ``nice -n 10 python benchmarks/section_alignment_eval.py`` (the pipeline's scoring, as
ingest scores: the stored default model — the embedder's since stop 21, lexical at stop 20 —
with the configured embedder when the default is the embedder's; ``--lexical`` adds the other stored model;
``--home DIR`` reuses an ingested home). Ingests the
full text of 57-NQ/TW (``../shared/reference/57-NQ-TW.md``) and the plans of
``tests/gold/section_alignment/57-nq-tw.json`` (seed 002 and corpus plans) into a fresh
temporary PLANKG_HOME, then compares the links of
:func:`plankg.ingest.build.section_alignment.align_sections` with the gold on its dev and
held-out halves (the split rule is in the gold file, fixed before tuning). A link to a dash
sub-item (III.3.i5) counts for its item (III.3): the gold is at item level.

Splits (``--half``): ``dev`` and ``heldout`` are the two halves of the first five documents
(``both``, the default, reports the two); the old held-out half has been run about five times
across rounds, so it is development data now and ``dev2`` names it too. ``heldout2`` is the
three documents held out in whole since 2026-12-06 (``split_rule_heldout2`` in the gold): run it
once, at the end (``--half heldout2``, or ``all``), never with ``--misses``. ``dev3`` and
``heldout3`` are the two halves of the round-3 documents (``split_rule_round3``, one file each under
``tests/gold/section_alignment/more/``): dev3 is training data; heldout3 was run once by the lead
(stop 18) and is training data since. ``heldout4`` (``split_rule_round4``: documents held out in
whole) is the held-out set: run once by the lead at the end (``--half heldout4``, never with
``--misses``). Only the documents
of the splits asked for are ingested, so a development run never aligns a heldout2 document.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold" / "section_alignment" / "57-nq-tw.json"
#: one file per document labelled after 2026-12-07 (split_rule_round3 in GOLD): an entry of GOLD's "documents"
MORE = GOLD.parent / "more"


def load_gold() -> dict:
    """The section gold: GOLD's documents followed by those of ``MORE/*.json`` (in name order)."""
    gold = json.loads(GOLD.read_text("utf-8"))
    gold["documents"] += [json.loads(p.read_text("utf-8")) for p in sorted(MORE.glob("*.json"))]
    return gold
#: the shared folder beside the repository (seeds, reference facts); a worktree elsewhere names
#: its seeds with PLANKG_SEEDS, as the tests do (tests/conftest.py)
SHARED = Path(os.environ.get("PLANKG_SEEDS", REPO.parent / "shared" / "seeds")).parent
REFERENCE = SHARED / "reference" / "57-NQ-TW.md"


def source_path(source: str) -> Path:
    """A gold document's file: "../shared/…" under :data:`SHARED`, else under the repository."""
    if source.startswith("../shared/"):
        return SHARED / source.removeprefix("../shared/")
    return (REPO / source).resolve()


def item_of(path: str) -> str:
    """"III.3.i5" → "III.3": the item a sub-item belongs to."""
    return ".".join(path.split(".")[:2])


#: --half → the gold's split keys it reports (dev2 is the old held-out half, now development data)
HALVES = {"dev": ("dev",), "heldout": ("heldout",), "dev2": ("heldout",), "heldout2": ("heldout2",),
          "dev3": ("dev3",), "heldout3": ("heldout3",), "heldout4": ("heldout4",), "heldout5": ("heldout5",),
          "heldout6": ("heldout6",), "both": ("dev", "heldout"), "all": ("dev", "heldout", "heldout2")}
#: every split key a gold document may hold
HALVES_ALL = ("dev", "heldout", "heldout2", "dev3", "heldout3", "heldout4", "heldout5", "heldout6")


def evaluate(links: dict[str, list[str]], gold: dict, half: str, present: set[str],
             names: set[str] | None = None) -> tuple[int, int, int, int, int]:
    """(links, correct links, gold tasks with items, of them found, tasks with no item given a link),
    over the gold tasks that are ``pk:Task``s (``present``: a narrative item restating an appendix
    row is a ``pk:TaskMention`` and is aligned through its row); ``names``: only these documents."""
    n_links = correct = wanted = found = spurious = 0
    for doc in gold["documents"]:
        if names is not None and doc["name"] not in names:
            continue
        for path in doc.get(half, ()):
            if f"{doc['name']}|{path}" not in present:
                continue
            expected = set(doc["labels"][path])
            got = {item_of(p) for p in links.get(f"{doc['name']}|{path}", [])}
            n_links += len(got)
            correct += len(got & expected)
            if expected:
                wanted += 1
                found += bool(got & expected)
            elif got:
                spurious += 1
    return n_links, correct, wanted, found, spurious


@dataclass
class Loaded:
    """An ingested home with the gold's documents: what the evaluation and the training read."""

    settings: Any
    store: Any
    gold: dict
    items: list
    tasks: list
    keys: dict[str, str]  # gold key "<document name>|<path>" → task IRI
    headings: Any


#: splits no training, tuning or development run may read (``split_rule_round4``: run once by
#: the lead, ``--half heldout4`` of this script, run at stop 19; heldout3 was run once at stop 18
#: and is training data since; ``split_rule_round5``: heldout5, labelled at stop 19, run twice at
#: stop 20; ``split_rule_round6``: heldout6, labelled at stop 20, run twice at stop 21,
#: ``split_rule_round6_runs``: heldout4 and heldout5 are spent and training data since);
#: :func:`loaded` with ``training=True`` refuses them
HELD_OUT = ("heldout6",)


def training_gold(gold: dict, halves: Sequence[str]) -> dict:
    """``gold`` with only the splits ``halves``: every other split's task list and the labels of
    its tasks removed, so nothing downstream can read a held-out label. Refuses ``HELD_OUT``."""
    refused = [h for h in halves if h in HELD_OUT]
    if refused:
        raise ValueError(f"split(s) {refused} are held out (split_rule_round4): never trained or tuned on")
    out = dict(gold)
    docs = []
    for d in gold["documents"]:
        kept = {h: d[h] for h in halves if d.get(h)}
        if not kept:
            continue
        paths = {p for ps in kept.values() for p in ps}
        docs.append({**{k: v for k, v in d.items() if k not in (*HALVES_ALL, "labels")}, **kept,
                     "labels": {p: v for p, v in d["labels"].items() if p in paths}})
    out["documents"] = docs
    return out


@contextmanager
def loaded(home: Path | None, halves: Sequence[str], training: bool = False) -> Iterator[Loaded]:
    """Ingest 57-NQ/TW and the gold documents of the splits ``halves`` (only those: a
    development run never aligns a heldout2 document) into ``home`` (a temporary one when
    None; a reused home gets what it lacks) and read the items, the tasks and the gold keys.
    ``training``: the gold keeps the labels of ``halves`` only, and a held-out split
    (``HELD_OUT``) is refused (:func:`training_gold`)."""
    gold = load_gold()
    if training:
        gold = training_gold(gold, halves)
    gold["documents"] = [d for d in gold["documents"] if any(d.get(h) for h in halves)]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PLANKG_HOME"] = str(home or tmp)
        from plankg.config import load_settings
        from plankg.ingest.build import section_alignment as sa
        from plankg.ingest.build.alignment import read_tasks
        from plankg.ingest.pipeline import Workspace
        from plankg.store import iris
        from plankg.store.open import open_store
        from plankg.store.read.queries import PREFIXES, run_query

        settings = load_settings()
        files = [str(REFERENCE)] + [str(source_path(d["source"])) for d in gold["documents"]]
        with open_store(settings) as store:
            if store.graph_names():  # a reused home: ingest what it lacks (heldout2's documents, say)
                held = {str(r["f"]) for r in run_query(store, settings, PREFIXES + """SELECT DISTINCT ?f WHERE {
                    ?r pk:sourceFile ?f }""").records()}
                files = [f for f in files if Path(f).name not in held]
            if files:
                Workspace(settings, store).ingest(files)
            base = settings.base_iri
            docs = {}
            for d in gold["documents"]:
                name = Path(d["source"]).name
                rows = run_query(store, settings, PREFIXES + f"""SELECT DISTINCT ?d WHERE {{ ?d pk:hasRendition ?r .
                    ?r pk:sourceFile "{name}" }}""").records()
                docs[str(rows[0]["d"])] = d["name"]
            items = sa.read_items(store, base, base + sa.policy_config()[0][0])
            tasks = [t for doc, ts in read_tasks(store, base).items() if doc in docs for t in ts]
            keys = _gold_keys(gold, docs, tasks, iris)
            yield Loaded(settings, store, gold, items, tasks, keys, sa.task_headings(store, base))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--home", type=Path, help="an ingested PLANKG_HOME to reuse (ingested when empty)")
    ap.add_argument("--lexical", action="store_true",
                    help="also report the other stored model: the embedder's when the default is lexical (since stop 20), "
                         "else the lexical one")
    ap.add_argument("--second", action="store_true", help="also report the variant that links both items of a near tie")
    ap.add_argument("--threshold", type=float)
    ap.add_argument("--margin", type=float)
    ap.add_argument("--half", choices=tuple(HALVES), default="both",
                    help="which split to report: dev, heldout (= dev2, the old held-out half), both (the two), "
                         "heldout2, dev3, heldout3 (development data), heldout4 (held out in whole: once, at the end), all")
    ap.add_argument("--misses", action="store_true",
                    help="list the errors of the development splits asked for (dev, dev2, dev3, heldout3; never "
                         "heldout4)")
    args = ap.parse_args()
    halves = HALVES[args.half]
    with loaded(args.home, halves) as ld:
        from plankg.ingest.build import section_alignment as sa

        gold, tasks, keys, items, headings = ld.gold, ld.tasks, ld.keys, ld.items, ld.headings
        present = set(keys)
        key_of = {iri: key for key, iri in keys.items()}
        for half in halves:
            total = sum(len(d.get(half, ())) for d in gold["documents"])
            kept = sum(1 for d in gold["documents"] for p in d.get(half, ()) if f"{d['name']}|{p}" in present)
            print(f"{half}: {kept} of {total} gold tasks are pk:Task (the rest are mentions of a row)")
        print(f"items of 57-NQ/TW: {len(items)}; tasks of the gold plans: {len(tasks)}")
        # (label, similarity, second): each at its own operating point unless --threshold/--margin
        # the default pipeline first (the stored default model: the embedder's since stop 21; lexical at stop 20, which loads
        # no embedder); --lexical adds the other stored model (the name predates stop 20)
        embedder = sa.embedder_similarity(ld.settings)
        default = sa.default_variant()
        similarity = embedder if default == "embedding" else None
        other = ("embedder", embedder) if default == "lexical" else ("lexical (no embedder)", None)
        variants: list[tuple[str, Any, bool]] = [(f"pipeline ({default}, the default)", similarity, False)]
        if args.second:
            variants.append(("pipeline, near ties twice", similarity, True))
        if args.lexical:
            variants.append((other[0], other[1], False))
        for label, sim, second in variants:
            found = sa.align_sections(tasks, items, headings=headings, similarity=sim, second=second,
                                      threshold=args.threshold, margin=args.margin)
            by_task = links_by_key(found, key_of)
            for half in halves:
                _report(label, half, by_task, gold, present)
            if args.misses and label.startswith("pipeline ("):
                _misses(by_task, gold, present, tasks, keys, sa, ld.store, ld.settings.base_iri, sim,
                        [h for h in halves if h not in ("heldout2", *HELD_OUT)])


def links_by_key(found: Sequence[Any], key_of: dict[str, str]) -> dict[str, list[str]]:
    """Gold key → the paths of the items (or dash items) its task is linked to."""
    by_task: dict[str, list[str]] = {}
    for link in found:
        if link.task not in key_of:
            continue  # a task of a gold plan that the gold does not list
        section_path = link.section.rsplit("/section/", 1)[1].upper().replace("-", ".")
        by_task.setdefault(key_of[link.task], []).append(section_path.replace(".I", ".i"))
    return by_task


def _report(label: str, half: str, by_task: dict[str, list[str]], gold: dict, present: set[str]) -> None:
    """Pooled figures of one half, then each document's (the gold grows by documents; a pooled
    figure over plans of very different kinds hides where the errors are)."""
    groups: list[tuple[str, set[str] | None]] = [("all", None)]
    groups += [(d["name"], {d["name"]}) for d in gold["documents"] if d.get(half)]
    for name, names in groups:
        n, ok, wanted, got, spurious = evaluate(by_task, gold, half, present, names)
        print(f"{label:33} {half:8} {name[:24]:24} links {n:3}  precision {ok / n if n else 0:.2f} ({ok}/{n})  "
              f"recall {got / wanted if wanted else 0:.2f} ({got}/{wanted})  "
              f"links on tasks serving no item {spurious}")


def _misses(by_task: dict[str, list[str]], gold: dict, present: set[str], tasks: Sequence[Any],
            keys: dict[str, str], sa: Any, store: Any, base: str, similarity: Any,
            halves: Sequence[str] = ("dev",)) -> None:
    """Each task of the development splits ``halves`` whose link is wrong or missing, with its
    three best items."""
    headings = sa.task_headings(store, base)
    scorer, ranked, _ = sa.rank_items(tasks, sa.read_items(store, base, base + sa.policy_config()[0][0]),
                                      headings=headings, similarity=similarity)
    by_iri = {t.iri: (t, row) for t, row in zip(tasks, ranked)}
    by_key = {key: by_iri[iri] for key, iri in keys.items()}
    for doc in gold["documents"]:
        for path in (p for h in halves for p in doc.get(h, ())):
            key = f"{doc['name']}|{path}"
            if key not in present:
                continue
            expected = doc["labels"][path]
            got = {item_of(p) for p in by_task.get(key, [])}
            if (not expected and not got) or (got & set(expected)):
                continue
            task, row = by_key[key]
            top = "  ".join(f"{scorer.items[k].path}={s:.2f}" for s, k in row[:3])
            print(f"MISS {key} gold={expected} got={sorted(got)} [{top}] pillar={task.pillar}\n"
                  f"     head={headings.get(task.iri, '')[:90]!r}\n     text={task.text[:160]!r}")


def _gold_keys(gold: dict, docs: dict[str, str], tasks: Sequence[Any], iris: Any) -> dict[str, str]:
    """"<document name>|<gold path>" → the IRI of the ``pk:Task`` it is. The path names the task
    when the extraction numbers it the same way (``part_iri``); else the task whose text begins
    with the ``text_start`` the extraction gold file records for that path (the extraction names
    "VI.1.1" what its gold calls "VI.1.a", or a dash item "iv-1-i1"). A gold task found neither
    way is a mention of a row, or was not extracted: it is left out of the figures."""
    from plankg.folding import fold_words

    by_doc: dict[str, dict[str, str]] = {}
    for t in tasks:
        by_doc.setdefault(t.doc, {})[t.iri] = fold_words(t.text)
    name_to_doc = {name: iri for iri, name in docs.items()}
    out: dict[str, str] = {}
    for d in gold["documents"]:
        doc = name_to_doc[d["name"]]
        texts = by_doc.get(doc, {})
        extraction = json.loads((REPO / d["gold"]).read_text("utf-8"))["tasks"]
        starts = {t["path"]: fold_words(t.get("text_start") or "") for t in extraction}
        sections = {t["path"]: iris.part_iri(doc, "task", t["section"]) + "-" for t in extraction if t.get("section")}
        by_path = {p: iris.part_iri(doc, "task", p) for p in d["labels"]}
        found = {p: i for p, i in by_path.items() if i in texts}
        taken = set(found.values())
        for same_section in (True, False):  # two rows may begin alike ("Triển khai nhiệm vụ được giao…")
            for path in d["labels"]:
                start, prefix = starts.get(path, "")[:60], sections.get(path, "") if same_section else ""
                if path in found or not start:
                    continue
                iri = next((i for i, text in texts.items()
                            if text.startswith(start) and i.startswith(prefix) and i not in taken), None)
                if iri:
                    found[path] = iri
                    taken.add(iri)
        out.update({f"{d['name']}|{p}": i for p, i in found.items()})
    return out


if __name__ == "__main__":
    main()
