"""Main + delta: how the BM25 and the vector index take in one change without rewriting the corpus.

Why one home: both indexes keep a *main* part built in one go (bm25s cannot add documents;
an HNSW graph cannot delete) plus a small *delta* of what changed since — items added, and
main items removed (marked). The main files are hard-linked from one index generation to
the next, so an update writes what it changed; once the delta and the removed items pass
:data:`MERGE_FRACTION` of the main part, the main part is rebuilt from what is live (the
*merge*). One threshold for both, so one change never merges one index and not the other
for a different reason.

Where the merge runs (``PLANKG_INDEX_MERGE``): *inline*, inside the update that crosses the
threshold (15-90 s at 48k items), or *background* (the default): the update only records
that a merge is due and :mod:`plankg.search.index.merge` rebuilds the main parts in a
detached process, outside the index lock, never in a request. The objects carry the
fraction they merge at (``merge_fraction``; None: never inline, except into an empty main
part, which costs only the delta).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["MERGE_FRACTION", "link_copy", "merge_due", "should_merge"]

#: The delta (items added since the main part was built) plus the removed main items are
#: merged into a rebuilt main part once they pass this share of it.
MERGE_FRACTION = 0.10


def should_merge(delta: int, removed: int, main: int, fraction: float | None = MERGE_FRACTION) -> bool:
    """Is it time to rebuild the main part here and now? ``delta``: items held outside it,
    ``removed``: its items marked removed, ``main``: its size (an empty main part always
    takes the delta); ``fraction`` None: merges are left to the background merge."""
    return main == 0 or (fraction is not None and merge_due(delta, removed, main, fraction))


def merge_due(delta: int, removed: int, main: int, fraction: float = MERGE_FRACTION) -> bool:
    """Have the delta and the removed items passed ``fraction`` of the main part?"""
    return delta + removed > fraction * main


def link_copy(src: Path, dst: Path) -> None:
    """Hard-link ``src`` (a file or folder) at ``dst``; copy where links are not possible."""
    if src.is_dir():
        dst.mkdir(parents=True, exist_ok=True)
        for child in src.iterdir():
            link_copy(child, dst / child.name)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
