"""Which narrative items of a plan restate one of its appendix rows (the rule of "a task").

Why in extract/: the extractor needs the rule too — a body section whose items name no
agency is left out only where its items do not restate a row (those stay, as mentions of
the row, :func:`plankg.ingest.extract.narrative.drop_unassigned`) — and the graph builder
(``ingest/build/renditions.py``, ``assemble``) builds such items as pk:TaskMention of the
row. One definition for both, in the lower layer.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from plankg.folding import fold_words as fold
from plankg.ingest.model import TaskRecord

#: Levenshtein ratio on folded text above which a narrative item that names its own lead
#: agency still restates a table row: the same words in the same order, only retouched.
#: Dev documents: real restatements 74-100; assignments under an agency heading that merely
#: share a row's vocabulary ("Phối hợp thu thập, … chuẩn hóa dữ liệu quy hoạch.") 13-58.
SAME_WORDING_RATIO = 80.0


def link_narrative_to_appendix(tasks: list[TaskRecord], threshold: float = 70.0) -> list[tuple[str, str]]:
    """Pairs (narrative path, appendix path) describing the same task within one document.

    A bare item ("- Xây dựng Bộ tiêu chí …" in "Nhiệm vụ, giải pháp") needs the table row for
    its agency and deadline, so sharing the row's words (token-set similarity) is enough. An
    item that names its own lead ("Sở Tài chính: …", "X chủ trì …" in "Tổ chức thực hiện")
    is an assignment in its own right: it restates a row only when worded like it
    (:data:`SAME_WORDING_RATIO`), not because a short row's words all occur in it."""
    narrative = [t for t in tasks if t.origin == "narrative"]
    appendix = [(t, fold(t.text)) for t in tasks if t.origin == "appendix"]
    pairs = []
    for n in narrative:
        fn = fold(n.text)
        best, best_fold, best_score = None, "", threshold
        for a, fa in appendix:
            score = fuzz.token_set_ratio(fn, fa)
            if score > best_score:
                best, best_fold, best_score = a, fa, score
        if best is not None and (not n.lead or fuzz.ratio(fn, best_fold) >= SAME_WORDING_RATIO):
            pairs.append((n.path, best.path))
    return pairs


__all__ = ["SAME_WORDING_RATIO", "link_narrative_to_appendix"]
