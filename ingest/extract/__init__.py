"""One source file → one :class:`Extraction`: the extractors run in a fixed order.

Each extractor owns one layout feature (title block, citations, section tree, narrative
items, appendix tables); this module only composes them and links narrative items to
the appendix rows that restate them.

Tables come two ways: real tables the reader found (``SourceText.tables``: DOCX, Markdown,
PDF, XLSX) are read by their header (:mod:`grid`); appendix text without such a table (the
interleaved PDF text, TAB text and OCR text of the seeds) is read by the text-layout
extractors, which skip every appendix a header-read table already covers.
"""

from __future__ import annotations

import re

from plankg.folding import fold
from plankg.ingest.extract.appendix_targets import extract_appendix_targets
from plankg.ingest.extract.appendix_tasks import extract_appendix_tasks
from plankg.ingest.extract.articles import extract_article_tasks
from plankg.ingest.extract.citations import extract_citations
from plankg.ingest.extract.deadlines import drop_past_deadlines
from plankg.ingest.extract.document_meta import extract_document
from plankg.ingest.extract.grid import read_grids
from plankg.ingest.extract.narrative import drop_unassigned, extract_narrative_targets, extract_narrative_tasks
from plankg.ingest.extract.plan_kind import is_plan, own_header
from plankg.ingest.extract.structure import extract_sections
from plankg.ingest.extract.target_checks import (
    drop_forecasts,
    drop_general_aims,
    drop_unmeasured,
    drop_unmeasured_headings,
)
from plankg.ingest.extract.target_horizons import lead_in_horizons
from plankg.ingest.extract.task_checks import drop_non_tasks
from plankg.ingest.extract.title_line import read_title_line
from plankg.ingest.model import Extraction, SourceText


def extract(source: SourceText) -> Extraction:
    document = read_title_line(source, extract_document(source))
    document.plan = is_plan(document)
    ex = Extraction(source=source, document=document)
    ex.citations = extract_citations(source, document)
    ex.sections = extract_sections(source)
    ex.tasks = extract_narrative_tasks(source, ex.sections, ex.warnings)
    ex.targets = drop_forecasts(drop_unmeasured(extract_narrative_targets(source, ex.sections), ex.warnings),
                                ex.sections, ex.warnings)
    ex.targets = drop_general_aims(drop_unmeasured_headings(ex.targets, ex.sections, ex.warnings),
                                   ex.sections, ex.warnings)
    lead_in_horizons(source, ex.sections, ex.targets)
    art_sections, art_tasks = extract_article_tasks(source)
    ex.sections += art_sections
    ex.tasks += art_tasks
    grids = read_grids(source)
    everything = set(range(source.text.count("\n") + 1))
    a_sections, a_tasks, w1 = extract_appendix_tasks(
        source, everything if "task" in grids.unplaced else grids.covered["task"])
    t_sections, a_targets, w2 = extract_appendix_targets(
        source, everything if "target" in grids.unplaced else grids.covered["target"])
    a_tasks = grids.tasks + a_tasks
    a_targets = grids.targets + a_targets
    known = {s.path for s in ex.sections}
    for s in grids.sections + a_sections + t_sections:
        if s.path not in known:
            ex.sections.append(s)
            known.add(s.path)
    ex.tasks = drop_unassigned(ex.tasks + a_tasks, ex.sections, ex.warnings)
    ex.tasks = drop_non_tasks(ex.tasks, source, document, ex.sections, ex.warnings)
    drop_past_deadlines(ex.tasks, document.date)
    ex.targets += a_targets
    ex.warnings += grids.warnings + w1 + w2
    _restated_last(ex)
    _dedupe_paths(ex)
    _quoted_only(ex)
    return ex


def _quoted_only(ex: Extraction) -> None:
    """A page with no header of its own (an article, a Q&A page) only quotes the tasks and
    targets it shows: they are not read as its own (plan_kind.own_header), and it says so."""
    if own_header(ex.document) or not (ex.tasks or ex.targets):
        return
    ex.warnings.append(
        f"trang không có khối tiêu đề văn bản (loại, số ký hiệu, cơ quan ban hành, ngày); {len(ex.tasks)} nhiệm vụ và "
        f"{len(ex.targets)} chỉ tiêu nó trích không được đọc là của nó (page has no document header — kind, symbol, "
        f"issuer, date; the {len(ex.tasks)} tasks and {len(ex.targets)} targets it quotes are not read as its own)")
    ex.tasks, ex.targets = [], []


def _key(text: str) -> str:
    """Folded words: the form in which a narrative item and a table row are compared."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _restates(narrative: str, row: str, least: int = 30) -> bool:
    """The narrative text and the table text start alike (one is a prefix of the other,
    over at least ``least`` characters), or one holds the other whole."""
    a, b = _key(narrative), _key(row)
    n = min(len(a), len(b), 80)
    return n >= least and (a[:n] == b[:n] or (len(a) >= least and a in b) or (len(b) >= least and b in a))


def _restated_last(ex: Extraction) -> None:
    """A plan often lists its tasks and targets in the text and again in an appendix table.
    Both copies are kept (competency question 13 compares them), but the table row — which
    carries the agency, deadline, output and monitoring columns — is put first, and its
    narrative restatements after every table row, so a consumer taking the first item for
    a text gets the complete one. Targets restate only with the same value."""
    rows = [t for t in ex.tasks if t.origin == "appendix"]
    if rows:
        restated = [t for t in ex.tasks if t.origin != "appendix" and any(_restates(t.text, r.text) for r in rows)]
        ids = {id(t) for t in restated}
        ex.tasks = [t for t in ex.tasks if id(t) not in ids] + restated
    trows = [t for t in ex.targets if t.origin == "appendix"]
    if trows:
        trestated = [
            t for t in ex.targets
            if t.origin != "appendix" and any(
                (t.value_min, t.value_max) == (r.value_min, r.value_max) and _restates(t.indicator, r.indicator, 15)
                for r in trows)
        ]
        tids = {id(t) for t in trestated}
        ex.targets = [t for t in ex.targets if id(t) not in tids] + trestated


def _dedupe_paths(ex: Extraction) -> None:
    """Paths must be unique within a document; a clash is an extractor bug, kept visible."""
    for kind, items in (("task", ex.tasks), ("target", ex.targets)):
        seen: dict[str, int] = {}
        for item in items:
            if item.path in seen:
                seen[item.path] += 1
                new = f"{item.path}~{seen[item.path]}"
                ex.warnings.append(f"{kind} path {item.path} printed twice; second kept as {new}")
                item.path = new
            else:
                seen[item.path] = 1
