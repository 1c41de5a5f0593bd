"""Precision and recall of the task → 57-NQ/TW item alignment against the hand-read gold.

Run: ``nice -n 10 python benchmarks/section_alignment_eval.py`` (add ``--embed`` to also
score with the index's embedder, ``--home DIR`` to reuse an ingested home). Ingests the
full text of 57-NQ/TW (``../shared/reference/57-NQ-TW.md``) and the plans of
``tests/gold/section_alignment/57-nq-tw.json`` (seed 002 and two corpus plans) into a fresh
temporary PLANKG_HOME, then compares the links of
:func:`plankg.ingest.build.section_alignment.align_sections` with the gold on its dev and
held-out halves (the split rule is in the gold file, fixed before tuning). A link to a dash
sub-item (III.3.i5) counts for its item (III.3): the gold is at item level.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold" / "section_alignment" / "57-nq-tw.json"
REFERENCE = REPO.parent / "shared" / "reference" / "57-NQ-TW.md"


def item_of(path: str) -> str:
    """"III.3.i5" → "III.3": the item a sub-item belongs to."""
    return ".".join(path.split(".")[:2])


def evaluate(links: dict[str, list[str]], gold: dict, half: str, present: set[str]) -> tuple[int, int, int, int, int]:
    """(links, correct links, gold tasks with items, of them found, tasks with no item given a link),
    over the gold tasks that are ``pk:Task``s (``present``: a narrative item restating an appendix
    row is a ``pk:TaskMention`` and is aligned through its row)."""
    n_links = correct = wanted = found = spurious = 0
    for doc in gold["documents"]:
        for path in doc[half]:
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


def _embedding_similarity(settings: object) -> object:
    import numpy as np

    from plankg.search.index.embedders import get_embedder

    embedder = get_embedder(settings.embedder)  # type: ignore[attr-defined]

    def similarity(tasks: Sequence[str], items: Sequence[Any]) -> np.ndarray:
        """Cosine of each task with each item: the best of the item's whole text and its dash items."""
        a = embedder.embed_queries(list(tasks))
        units = [(k, text) for k, item in enumerate(items) for text in (item.text, *(t for _, _, t in item.subs))]
        b = embedder.embed_documents([text for _, text in units])
        sims = a @ b.T
        out = np.full((len(tasks), len(items)), -1.0)
        for col, (k, _) in enumerate(units):
            out[:, k] = np.maximum(out[:, k], sims[:, col])
        return out

    return similarity


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--home", type=Path, help="an ingested PLANKG_HOME to reuse (ingested when empty)")
    ap.add_argument("--embed", action="store_true", help="also report lexical + embedder cosine")
    ap.add_argument("--threshold", type=float)
    ap.add_argument("--margin", type=float)
    args = ap.parse_args()
    gold = json.loads(GOLD.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp)
        os.environ["PLANKG_HOME"] = str(home)
        from plankg.config import load_settings
        from plankg.ingest.build import section_alignment as sa
        from plankg.ingest.build.alignment import read_tasks
        from plankg.ingest.pipeline import Workspace
        from plankg.store import iris
        from plankg.store.open import open_store
        from plankg.store.read.queries import PREFIXES, run_query

        settings = load_settings()
        files = [str(REFERENCE)] + [str((REPO / d["source"]).resolve()) for d in gold["documents"]]
        with open_store(settings) as store:
            if not store.graph_names():
                Workspace(settings, store).ingest(files)
            base = settings.base_iri
            docs = {}
            for d in gold["documents"]:
                name = Path(d["source"]).name
                rows = run_query(store, settings, PREFIXES + f"""SELECT DISTINCT ?d WHERE {{ ?d pk:hasRendition ?r .
                    ?r pk:sourceFile "{name}" }}""").records()
                docs[str(rows[0]["d"])] = d["name"]
            policy = base + sa.policy_config()[0][0]
            items = sa.read_items(store, base, policy)
            tasks = [t for doc, ts in read_tasks(store, base).items() if doc in docs for t in ts]
            present = {f"{docs[d]}|{_gold_path(t.iri, d, iris)}" for d in docs for t in tasks if t.doc == d}
            for half in ("dev", "heldout"):
                total = sum(len(d[half]) for d in gold["documents"])
                kept = sum(1 for d in gold["documents"] for p in d[half] if f"{d['name']}|{p}" in present)
                print(f"{half}: {kept} of {total} gold tasks are pk:Task (the rest are mentions of a row)")
            print(f"items of {policy}: {len(items)}; tasks of the gold plans: {len(tasks)}")
            # (label, similarity, threshold, margin): the embedder's operating point was chosen on dev
            variants: list[tuple[str, Any, float, float]] = [
                ("lexical+heading+pillar", None, args.threshold or sa.THRESHOLD, sa.MARGIN if args.margin is None else args.margin)]
            if args.embed:
                variants.append(("lexical+heading+pillar+embedder", _embedding_similarity(settings), 1.0, 0.1))
            for label, sim, threshold, margin in variants:
                found = sa.align_sections(tasks, items, headings=sa.task_headings(store, base), similarity=sim,
                                          threshold=threshold, margin=margin)
                by_task: dict[str, list[str]] = {}
                for link in found:
                    doc_iri, path = _split(link.task, docs, iris)
                    section_path = link.section.rsplit("/section/", 1)[1].upper().replace("-", ".")
                    by_task.setdefault(f"{docs[doc_iri]}|{path}", []).append(section_path.replace(".I", ".i"))
                for half in ("dev", "heldout"):
                    n, ok, wanted, got, spurious = evaluate(by_task, gold, half, present)
                    print(f"{label:33} {half:8} links {n:3}  precision {ok / n if n else 0:.2f}  "
                          f"recall {got / wanted if wanted else 0:.2f} ({got}/{wanted})  "
                          f"links on tasks serving no item {spurious}")


def _split(task_iri: str, docs: dict[str, str], iris: object) -> tuple[str, str]:
    """(document IRI, task path) of a task IRI: the path is read back from the gold paths."""
    for doc in docs:
        if task_iri.startswith(doc + "/task/"):
            return doc, _gold_path(task_iri, doc, iris)
    raise KeyError(task_iri)


def _gold_path(task_iri: str, doc: str, iris: object) -> str:
    gold = json.loads(GOLD.read_text("utf-8"))
    for d in gold["documents"]:
        for path in d["labels"]:
            if iris.part_iri(doc, "task", path) == task_iri:  # type: ignore[attr-defined]
                return path
    return task_iri.rsplit("/", 1)[1]


if __name__ == "__main__":
    main()
