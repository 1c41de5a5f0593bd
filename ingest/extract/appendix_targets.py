"""Targets from the appendix table "Các chỉ tiêu cụ thể" (usually Phụ lục I).

Columns: Stt | Chỉ tiêu | Đơn vị tính | Kết quả | Cơ quan chủ trì theo dõi, đánh giá,
grouped under section rows that give the horizon ("I Đến năm 2030", "Đến ngày
31/7/2025"); the Stt numbering restarts in each section, so paths are
``PL1.<Roman>.<Stt>``.  Renditions as for tasks (:mod:`appendix_tasks`): PDF text with
interleaved cells, DOCX text with TAB cells, OCR text.
"""

from __future__ import annotations

from dataclasses import dataclass

from plankg.folding import fold
from plankg.ingest.extract.rows import pdf as pdf_rows
from plankg.ingest.extract.rows import tsv as tsv_rows
from plankg.ingest.extract.rows.interleaved import ColumnModel
from plankg.ingest.extract.tables import (
    Appendix,
    agencies_of,
    appendices_to_read,
    appendix_sections,
    collapse,
    horizon_of,
    unit_of,
    value_of,
)
from plankg.ingest.extract.vocab import (
    AGENCY_HEAD,
    UNIT_RE,
    VALUE_RE,
    agency_coverage,
    is_dateish,
)
from plankg.ingest.model import SectionRecord, SourceText, TargetRecord

IND, UNIT, VALUE, MON = range(4)
#: widths relative to the indicator column (seed 000: ≈ 57, 12, 33, 31 characters)
RATIOS = (1.0, 0.28, 0.6, 0.56)


def is_target_table(app: Appendix) -> bool:
    if "chi tieu" in app.title:
        return True
    head = " ".join(fold(ln.stripped) for ln in app.lines[:40])
    return "chi tieu" in head and "don vi" in head


def _unit_like(text: str) -> bool:
    """A unit, or the first line of one that wraps ("Chỉ số phát / triển con người")."""
    words = text.split()
    return text in ("-", "–") or any(UNIT_RE.match(" ".join(words[:k])) for k in (1, 2, len(words)))


@dataclass
class TargetColumns(ColumnModel):
    """Cues of the target table's four content columns."""

    max_pieces: int = 4  # "Quy mô kinh tế số  % GRDP ≥ 30 Sở …" is one line
    _skip = (10.0, 1.0, 3.0, 3.0)

    def vocab_cost(self, col: int, text: str) -> float:
        dash = text in ("-", "–")
        is_value = bool(VALUE_RE.match(text))
        is_unit = bool(UNIT_RE.match(text))
        if col == IND:
            return 2.0 if is_value or dash else (1.0 if is_dateish(text) else 0.0)
        if col == UNIT:
            if is_unit or dash:
                return -0.3
            return 2.0 if is_value else 0.3
        if col == VALUE:
            if is_value:
                return -0.5
            if AGENCY_HEAD.match(text) and agency_coverage(text) == 1.0:
                return 2.0
            return 0.3
        if is_value or dash:
            return 3.0
        return 1.5 * (1.0 - agency_coverage(text))

    def start_cost(self, col: int, text: str) -> float:
        cost = super().start_cost(col, text)
        if col == UNIT and not _unit_like(text):
            cost += 0.7
        if col == MON and not AGENCY_HEAD.match(text):
            cost += 1.5
        if col == VALUE and AGENCY_HEAD.match(text) and not VALUE_RE.match(text):
            cost += 1.5
        return cost

    def wrap_cost(self, col: int, prev: str, nxt: str, page_break: bool = False) -> float:
        cost = super().wrap_cost(col, prev, nxt, page_break)
        if col == VALUE and VALUE_RE.match(prev):
            cost += 1.0  # a numeric value ("> 0,7") is complete: it does not go on
        return cost

    def skip_cost(self, col: int) -> float:
        return self._skip[col]


def _record(num: str, path: str, section: str | None, horizon_text: str, indicator: str, unit: str,
            value: str, monitoring: str, span, method: str, warnings: list[str]) -> TargetRecord:
    if not indicator:
        warnings.append(f"row {path}: no indicator")
    if not collapse(value):
        warnings.append(f"row {path}: no value")
    comparator, vmin, vmax, vtext = value_of(value)
    return TargetRecord(
        number=num, path=path, indicator=indicator, comparator=comparator,  # type: ignore[arg-type]
        value_min=vmin, value_max=vmax, value_text=vtext, unit=unit_of(unit),
        horizon=horizon_of(horizon_text), monitoring=agencies_of(monitoring), span=span,
        origin="appendix", method=method, section=section,
    )


def _path(app: Appendix, section_printed: str | None, num: str) -> str:
    return f"{app.path}.{section_printed}.{num}" if section_printed else f"{app.path}.{num}"


def _from_pdf(source: SourceText, app: Appendix) -> tuple[list[SectionRecord], list[TargetRecord], list[str]]:
    raw_secs, rows, warnings = pdf_rows.split_rows(app.lines)
    if not rows:
        return [], [], warnings
    cols = pdf_rows.segment_table(source.text, rows, TargetColumns, RATIOS)
    headings = {id(s): collapse("\n".join(ln.text for ln in s.heading_lines)) for s in raw_secs}
    targets = []
    for r, c in zip(rows, cols):
        sp = r.section.printed if r.section else None
        path = _path(app, sp, r.printed)
        indicator, unit, value, monitoring = (pdf_rows.join_pieces(c[k]) for k in range(4))
        targets.append(_record(
            r.printed, path, f"{app.path}.{sp}" if sp else app.path,
            headings.get(id(r.section), ""), indicator, unit, value, monitoring,
            span=source.span(r.start, r.end), method="appendix-table-pdf-interleaved", warnings=warnings))
    secs = appendix_sections(source, app, [(s.printed, headings[id(s)], s.start, s.end) for s in raw_secs])
    return secs, targets, warnings


def _from_tsv(source: SourceText, app: Appendix) -> tuple[list[SectionRecord], list[TargetRecord], list[str]]:
    raw_secs, rows, warnings = tsv_rows.split_rows(app.lines, ncols=5)
    targets = []
    for r in rows:
        sp = r.section.printed if r.section else None
        path = _path(app, sp, r.printed)
        cells = [c.text for c in r.cells]
        if len(cells) != 4:
            warnings.append(f"row {path}: {len(cells)} cells instead of 4")
        if len(cells) > 4:
            cells = [collapse(" ".join(cells[: len(cells) - 3]))] + cells[-3:]
        cells += [""] * (4 - len(cells))
        targets.append(_record(
            r.printed, path, f"{app.path}.{sp}" if sp else app.path, r.section.heading if r.section else "",
            cells[0], cells[1], cells[2], cells[3], span=source.span(r.start, r.end), method="appendix-table-tsv", warnings=warnings))
    secs = appendix_sections(source, app, [(s.printed, s.heading, s.start, s.end) for s in raw_secs])
    return secs, targets, warnings


def extract_appendix_targets(source: SourceText, covered: set[int] | None = None,
                             ) -> tuple[list[SectionRecord], list[TargetRecord], list[str]]:
    """Sections, target rows and warnings of every target appendix of ``source`` read from
    its text layout; an appendix holding a line of ``covered`` (a table already read by its
    header, :mod:`grid`) is left alone so its rows are not extracted twice."""
    sections: list[SectionRecord] = []
    targets: list[TargetRecord] = []
    warnings: list[str] = []
    for app, layout in appendices_to_read(source, is_target_table, covered):
        if layout == "tsv":
            s, t, w = _from_tsv(source, app)
        elif layout == "ocr":
            s, t, w = [], [], ["target table in OCR text: not extracted"]
        else:
            s, t, w = _from_pdf(source, app)
        sections += s
        targets += t
        warnings += [f"{app.path}: {x}" for x in w]
    return sections, targets, warnings


__all__ = ["TargetColumns", "extract_appendix_targets", "is_target_table"]
