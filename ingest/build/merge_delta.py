"""The merged view of a widely stated subject, patched by the change's own statements.

Why: an agency, a locality or a document every plan cites is the subject of triples in
thousands of per-source graphs. Recomputing its merged triples from all of them (what
:meth:`IncrementalBuilder.merge_subjects` does for a subject the change touched) read every
one of those triples on every add, change or remove: 1.5 s of one change at 3,000 documents,
growing with the corpus. The precedence rule of :mod:`plankg.ingest.build.merge` lets the
view be brought in step from the values the changed graphs stated (before or after) alone:

* a union property (types, spans, links) keeps a value while any source graph states it:
  one lookup on (subject, property, value), stopped at the first source graph found;
* any other property keeps the values of its best-ranked graphs. The candidates are the
  values the view holds now (the old best) and those the changed graphs state; each one's
  best rank is a lookup on the three terms, stopped at rank 0 (no rank is lower). When a
  candidate is stated at rank 0, no other value can be (an unchanged graph stating another
  value at rank 0 would have put it in the view already), so the view's values are the
  candidates at rank 0. Otherwise (only OCR copies state the property now) the property is
  read whole for that subject, as before.

Properties the changed graphs never stated are not touched: no source that states them
changed. Subjects that are qualified citations (repeated readings across renditions,
:func:`merge.repeated_citations`) or whose values are blank nodes are left to the full
recompute, which is local for them (one document's renditions). Results equal the full
recompute (``tests/test_incremental.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice

from rdflib import RDF, BNode, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from plankg.ingest.build.merge import PK, UNION_PREDICATES, Triple
from plankg.store.base import GraphStore

__all__ = ["WIDE_SUBJECT_QUADS", "Changes", "delta_patch", "is_wide"]

#: A subject with more quads than this (over all graphs) is patched by delta; smaller ones
#: (a document's own tasks and spans) are recomputed whole, one lookup each.
WIDE_SUBJECT_QUADS = 64
#: No graph ranks better than this (:func:`merge.rendition_rank`: a rendition's place, from 0).
BEST_RANK = 0

#: subject → property → the values the changed graphs stated about it, before or after.
Changes = dict[str, dict[Node, set[Node]]]


def is_wide(store: GraphStore, subject: str) -> bool:
    """More than :data:`WIDE_SUBJECT_QUADS` quads about ``subject`` (read lazily, stopped there)."""
    return len(list(islice(store.statements(subject), WIDE_SUBJECT_QUADS + 1))) > WIDE_SUBJECT_QUADS


def _needs_full(store: GraphStore, subject: str, props: Mapping[Node, set[Node]], merged: str) -> bool:
    if any(isinstance(o, BNode) for values in props.values() for o in values):
        return True
    if next(store.statements(subject, str(RDF.type), PK.Citation), None) is not None:
        return True
    return next(store.statements(subject, str(PROV.alternateOf), None, merged), None) is not None


def _best_rank(store: GraphStore, subject: str, p: Node, o: Node, ranks: Mapping[str, int]) -> int | None:
    best: int | None = None
    for _p, _o, g in store.statements(subject, str(p), o):
        r = ranks.get(g)
        if r is not None and (best is None or r < best):
            best = r
            if r <= BEST_RANK:
                break
    return best


def _property(store: GraphStore, subject: str, p: Node, values: set[Node], ranks: Mapping[str, int],
              merged: str) -> tuple[set[Node], set[Node]]:
    """(the view's values of ``p`` now, what they must be) for the candidates ``values``."""
    if p in UNION_PREDICATES:
        old = {o for o in values if next(store.statements(subject, str(p), o, merged), None) is not None}
        new = {o for o in values if any(g in ranks for _p, _o, g in store.statements(subject, str(p), o))}
        return old, new
    old = {o for _p, o, _g in store.statements(subject, str(p), None, merged)}
    best = {o: r for o in old | values if (r := _best_rank(store, subject, p, o, ranks)) is not None}
    if best and min(best.values()) <= BEST_RANK:
        return old, {o for o, r in best.items() if r <= BEST_RANK}
    stated = [(o, ranks[g]) for _p, o, g in store.statements(subject, str(p)) if g in ranks]  # read whole
    top = min((r for _o, r in stated), default=None)
    return old, {o for o, r in stated if r == top}


def delta_patch(store: GraphStore, subject: str, props: Mapping[Node, set[Node]], ranks: Mapping[str, int],
                merged: str, lost: bool = False) -> tuple[set[Triple], set[Triple]] | None:
    """(triples to remove from, to add to) the merged view about ``subject``, given what the
    changed graphs stated about it (``props``) and the ranks of the source graphs now; None
    when the subject needs the full recompute. ``lost``: a changed graph that stated it is
    gone unread (a removed source's graph is dropped before the build runs), so every value
    the view holds about it is a candidate too (a few: the view of a shared agency or a cited
    document is its types, labels and links, not the mentions)."""
    if lost:
        props = {p: set(v) for p, v in props.items()}
        for p, o, _g in store.statements(subject, None, None, merged):
            props.setdefault(p, set()).add(o)
    if not props or _needs_full(store, subject, props, merged):
        return None
    s = URIRef(subject)
    remove: set[Triple] = set()
    add: set[Triple] = set()
    for p in sorted(props, key=str):
        old, new = _property(store, subject, p, props[p], ranks, merged)
        remove.update((s, p, o) for o in old - new)
        add.update((s, p, o) for o in new - old)
    return remove, add
