"""Recognising two files as renditions of one document, and aligning their parts.

A signed OCR copy (seed 001) and the clean PDF text (seed 000) of the same plan share no
file name and the OCR lost most diacritics, so identity is decided on content: word
trigram overlap of accent-folded text. Within a document the clean rendition wins and the
OCR copy only fills gaps (the precedence rule in docs/ingest.md); its tasks are aligned to
the clean copy's tasks by folded-text similarity so no task is created twice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from plankg.folding import fold_words
from plankg.ingest.extract.mentions import SAME_WORDING_RATIO as SAME_WORDING_RATIO  # re-exported
from plankg.ingest.extract.mentions import link_narrative_to_appendix  # the rule lives with the extractor
from plankg.ingest.model import Extraction, TargetRecord, TaskRecord

# Plans of this family quote each other at length, so identity needs order-sensitive
# similarity: a cheap trigram Jaccard prefilter, then a Levenshtein ratio on folded text.
# Seeds: OCR copy vs its clean text 0.23 / 79; the closest unrelated pair 0.24 / 53.
CANDIDATE_JACCARD = 0.15
SAME_DOCUMENT_RATIO = 70.0
TASK_ALIGN_THRESHOLD = 60.0  # rapidfuzz partial token ratio on folded text


#: Accent-free lower-case words: what OCR and the clean copy still have in common
#: (:func:`plankg.folding.fold_words`).
fold = fold_words


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = fold(text).split()
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def diacritic_ratio(text: str) -> float:
    """Share of letters carrying Vietnamese marks; clean Vietnamese text is well above 0.2."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    marked = sum(1 for c in letters if c in "đĐ" or len(unicodedata.normalize("NFD", c)) > 1)
    return marked / len(letters)


def looks_like_ocr(ex: Extraction) -> bool:
    return diacritic_ratio(ex.source.text) < 0.12


def content_similarity(a: Extraction, b: Extraction) -> float:
    """Jaccard overlap of folded word trigrams: renditions share most of their text and
    have similar length, so unlike containment it does not match a short plan that
    quotes a long one."""
    ta, tb = _trigrams(a.source.text), _trigrams(b.source.text)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def same_document(a: Extraction, b: Extraction) -> bool:
    if not _compatible(a, b) or content_similarity(a, b) < CANDIDATE_JACCARD:
        return False
    return fuzz.ratio(fold(a.source.text), fold(b.source.text)) >= SAME_DOCUMENT_RATIO


def precedence(ex: Extraction) -> tuple[int, int, str]:
    """Lower sorts first: clean text before OCR, then more content, then name (deterministic)."""
    return (1 if looks_like_ocr(ex) else 0, -len(ex.source.text), ex.source.name)


@dataclass
class DocumentCluster:
    """Renditions of one document, best first."""

    members: list[Extraction]

    @property
    def primary(self) -> Extraction:
        return self.members[0]


def cluster_documents(extractions: list[Extraction]) -> list[DocumentCluster]:
    """Group renditions; order-independent (input is sorted by name first)."""
    exs = sorted(extractions, key=lambda e: e.source.name)
    parent = list(range(len(exs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(exs)):
        for j in range(i + 1, len(exs)):
            if same_document(exs[i], exs[j]):
                parent[find(j)] = find(i)
    groups: dict[int, list[Extraction]] = {}
    for i, e in enumerate(exs):
        groups.setdefault(find(i), []).append(e)
    clusters = [DocumentCluster(sorted(g, key=precedence)) for g in groups.values()]
    return sorted(clusters, key=lambda c: c.primary.source.name)


def _compatible(a: Extraction, b: Extraction) -> bool:
    """Plans of this family copy whole paragraphs from the resolution they implement, so
    shared text alone is not identity: two files that print a different symbol, date,
    kind, issuer or year are different documents, however similar their text."""
    da, db = a.document, b.document
    if da.symbol and db.symbol and re.sub(r"\s", "", da.symbol) != re.sub(r"\s", "", db.symbol):
        return False
    for x, y in ((da.date, db.date), (da.year, db.year)):
        if x and y and x != y:
            return False
    for u, v in ((da.kind, db.kind), (da.issuer, db.issuer), (da.locality_level, db.locality_level)):
        if u and v and fold(u) != fold(v):
            return False
    return True


def _align(items_a: list, items_b: list, text_of) -> dict[str, str]:
    """Map paths of ``items_b`` (secondary) onto paths of ``items_a`` (primary), one to one."""
    scored = []
    folded_a = [(a, fold(text_of(a))) for a in items_a]
    for b in items_b:
        fb = fold(text_of(b))
        if not fb:
            continue
        for a, fa in folded_a:
            score = fuzz.token_set_ratio(fb, fa)
            if a.number.strip(". ") == b.number.strip(". "):
                score += 10
            scored.append((score, a.path, b.path))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_a: set[str] = set()
    out: dict[str, str] = {}
    for score, pa, pb in scored:
        if score < TASK_ALIGN_THRESHOLD or pa in used_a or pb in out:
            continue
        used_a.add(pa)
        out[pb] = pa
    return out


def _align_by_origin(primary: list, secondary: list, text_of) -> dict[str, str]:
    """secondary path → primary path, appendix rows with appendix rows, narrative with narrative."""
    out: dict[str, str] = {}
    for origin in ("appendix", "narrative"):
        pa = [t for t in primary if t.origin == origin]
        sb = [t for t in secondary if t.origin == origin]
        out.update(_align(pa, sb, text_of))
    return out


def align_tasks(primary: list[TaskRecord], secondary: list[TaskRecord]) -> dict[str, str]:
    return _align_by_origin(primary, secondary, lambda t: t.text)


def align_targets(primary: list[TargetRecord], secondary: list[TargetRecord]) -> dict[str, str]:
    return _align_by_origin(primary, secondary, lambda t: f"{t.indicator} {t.value_text}")


def task_mention_paths(tasks: list[TaskRecord]) -> set[str]:
    """Paths of the narrative items that restate an appendix row of the same document: the
    graph builds them as pk:TaskMention of that row (``assemble`` → ``mention_iris``), not
    as pk:Task. One definition of "a task" for the graph and for whoever counts tasks
    (benchmarks/corpus_extraction.py): a real task is an extracted task not listed here."""
    return {narrative for narrative, _row in link_narrative_to_appendix(tasks)}


def link_target_mentions(targets: list[TargetRecord], threshold: float = 70.0) -> list[tuple[str, str, str | None]]:
    """(narrative path, appendix path, discrepancy) for narrative targets restating a table row."""
    narrative = [t for t in targets if t.origin == "narrative"]
    appendix = [t for t in targets if t.origin == "appendix"]
    out = []
    for n in narrative:
        fn = fold(n.indicator)
        best, best_score = None, threshold
        for a in appendix:
            if n.horizon and a.horizon and n.horizon.end and a.horizon.end and n.horizon.end.year != a.horizon.end.year:
                continue
            score = fuzz.token_set_ratio(fn, fold(a.indicator))
            if score > best_score:
                best, best_score = a, score
        if best is None:
            continue
        diffs = []
        if (n.comparator, n.value_min, n.value_max) != (best.comparator, best.value_min, best.value_max):
            diffs.append(f"giá trị: “{n.value_text}” (văn bản) ≠ “{best.value_text}” (phụ lục)")
        if n.unit and best.unit and fold(n.unit) != fold(best.unit):
            diffs.append(f"đơn vị: “{n.unit}” ≠ “{best.unit}”")
        out.append((n.path, best.path, "; ".join(diffs) or None))
    return out
