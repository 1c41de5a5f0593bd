"""The version in force: align to the amending document's task, not the amended one's.

When a document A is amended ("sửa đổi, bổ sung": ``B eli:amends A``, recorded from the
citations, e.g. Nghị quyết 71/NQ-CP amends the action program of 03/NQ-CP) and both are
ingested with their tasks, a lower task carries out the task *as amended*. So:

* B's tasks join every candidate set that holds A (a plan implementing A now implements A
  as amended by B);
* a task of A that a task of B restates (text score at least the link threshold: B prints
  the amended wording, or the same task with a new deadline or lead) is superseded by it and
  leaves the candidates; A's tasks that B does not touch stay in force;
* B's tasks never "carry out" A's: amending is not implementing, so A leaves B's own
  candidates.

Everything is decided from what is ingested (the amendment relation and the tasks of both
documents), so the result does not depend on which of A and B came first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from plankg.store.base import GraphStore

PREFIXES = "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"

Score = Callable[[str, str], float]
"""``score(amending task IRI, amended task IRI)``: how well the first restates the second."""


def amended_by(store: GraphStore, graphs: list[str]) -> dict[str, set[str]]:
    """Amended document → the documents amending it (``eli:amends``), from ``graphs``."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in store.query(PREFIXES + "SELECT ?b ?a WHERE { ?b eli:amends ?a . FILTER(?a != ?b) }",
                         default_graphs=graphs).records():
        out[str(r["a"])].add(str(r["b"]))
    return dict(out)


def in_force_candidates(candidates: Mapping[str, set[str]], amended: Mapping[str, set[str]],
                        with_tasks: set[str]) -> dict[str, set[str]]:
    """Candidate documents with every ingested amending document added beside the document
    it amends, and no amending document aligned to what it amends."""
    out: dict[str, set[str]] = {}
    amends: dict[str, set[str]] = {}  # amending document → what it amends (not a scan of ``amended`` per document)
    for a, bs in amended.items():
        for b in bs:
            amends.setdefault(b, set()).add(a)
    for doc, highs in candidates.items():
        extended = set(highs)
        for h in highs:
            extended |= amended.get(h, set()) & with_tasks
        extended -= amends.get(doc, set())
        extended.discard(doc)
        out[doc] = extended
    return out


def _best(pairs: list[tuple[float, str]]) -> tuple[float, str] | None:
    return max(pairs, key=lambda x: (x[0], x[1]), default=None)


def superseded_tasks(tasks_by_doc: Mapping[str, list[str]], amended: Mapping[str, set[str]],
                     score: Score, threshold: float) -> dict[str, str]:
    """Task of an amended document → the amending document's task that restates it: the two
    are each other's best match (ties broken by IRI) and score at least ``threshold``. Mutual,
    so one reprinted row supersedes one row, not also its near-duplicate neighbours."""
    out: dict[str, str] = {}
    for a_doc in sorted(amended):
        amending = [t for b in sorted(amended[a_doc]) for t in tasks_by_doc.get(b, [])]
        olds = tasks_by_doc.get(a_doc, [])
        if not amending or not olds:
            continue
        table = {(new, old): score(new, old) for new in amending for old in olds}
        best_old = {new: _best([(table[new, old], old) for old in olds]) for new in amending}
        for old in olds:
            best = _best([(table[new, old], new) for new in amending])
            if best is not None and best[0] >= threshold:
                back = best_old[best[1]]
                if back is not None and back[1] == old:
                    out[old] = best[1]
    return out
