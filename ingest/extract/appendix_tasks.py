"""Tasks from the appendix table "Danh mục các nhiệm vụ" (usually Phụ lục II).

Columns: Stt | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Kết quả | Thời gian
hoàn thành, grouped under Roman-numbered section rows.  The rendition is detected from
the text (see :func:`tables.detect_layout`):

* ``pdf``  — cells interleaved column after column; re-assembled by :mod:`interleaved`;
* ``tsv``  — DOCX text with TAB-prefixed cells (:mod:`tsv_rows`);
* ``ocr``  — scanned copy, one visual line per text line (:mod:`ocr_rows`); the task text
  is what matters there (rows are aligned to a clean copy later).

Paths: ``PL2.<Stt>`` when the Stt numbering runs on across sections, else
``PL2.<Roman>.<Stt>``.
"""

from __future__ import annotations

from plankg.folding import fold
from plankg.ingest.extract.grid import names_no_task_table
from plankg.ingest.extract.rows import pdf as pdf_rows
from plankg.ingest.extract.rows import tsv as tsv_rows
from plankg.ingest.extract.rows.interleaved import ColumnModel, vis_width
from plankg.ingest.extract.tables import (
    Appendix,
    agencies_of,
    appendices_to_read,
    appendix_sections,
    collapse,
    deadline_of,
)
from plankg.ingest.extract.vocab import (
    AGENCY_HEAD,
    OUTPUT_HEAD,
    agency_coverage,
    deadline_coverage,
    is_dateish,
)
from plankg.ingest.model import SectionRecord, SourceText, TaskRecord

TEXT, LEAD, COOP, OUTPUT, DEADLINE = range(5)
#: column widths relative to the task-name column (seed 000: 27.7, 7.6, 13.7, 5.7, 4.5 ems)
RATIOS = (1.0, 0.27, 0.48, 0.2, 0.15)


def is_task_table(app: Appendix) -> bool:
    if names_no_task_table(" ".join(ln.stripped for ln in app.lines[:12])):
        return False  # "STT | Nội dung | Mức chi": spending norms, procedure steps (table_headers.yaml)
    if "nhiem vu" in app.title:
        return True
    head = " ".join(fold(ln.stripped) for ln in app.lines[:40])
    return "ten nhiem vu" in head or ("nhiem vu" in head and "chu tri" in head)


class TaskColumns(ColumnModel):
    """Cues of the task table's five content columns."""

    _skip = (10.0, 4.0, 0.8, 1.0, 3.0)

    def vocab_cost(self, col: int, text: str) -> float:
        dash = text in ("-", "–")
        if col == TEXT:
            cost = 2.0 if is_dateish(text) or dash else 0.0
            if vis_width(text) < 0.5 * self.widths[TEXT] and AGENCY_HEAD.match(text) and agency_coverage(text) == 1.0:
                cost += 1.0  # a short agency name is rarely a line of the task text
            return cost
        if col == DEADLINE:
            return 0.5 if dash else 3.0 * (1.0 - deadline_coverage(text))
        datey = 1.5 if deadline_coverage(text) == 1.0 and not dash else 0.0
        if col in (LEAD, COOP):
            if dash:
                return 2.0 if col == LEAD else 0.0
            return 1.5 * (1.0 - agency_coverage(text)) + datey
        return 0.3 if dash else datey

    def start_cost(self, col: int, text: str) -> float:
        cost = super().start_cost(col, text)
        dash = text in ("-", "–")
        if col in (LEAD, COOP) and not dash and not AGENCY_HEAD.match(text):
            cost += 1.5
        if col == OUTPUT and not dash:
            if text[:1] in "-–":
                cost += 1.0  # "- Kế hoạch": the dash is the empty cell before
            elif OUTPUT_HEAD.match(text):
                pass
            elif AGENCY_HEAD.match(text) or agency_coverage(text) == 1.0:
                cost += 1.5  # an agency name opening the output cell is the agency cell going on
            else:
                cost += 0.6
        if col == DEADLINE and text[:1] in "-–":
            cost += 1.5
        return cost

    def wrap_cost(self, col: int, prev: str, nxt: str, page_break: bool = False) -> float:
        cost = super().wrap_cost(col, prev, nxt, page_break)
        if col in (LEAD, COOP) and cost > 0 and AGENCY_HEAD.match(nxt) and not nxt.lower().startswith("các"):
            cost = min(cost, 0.3)  # one agency per line
        return cost

    def skip_cost(self, col: int) -> float:
        return self._skip[col]


def _record(num: str, path: str, section: str | None, text: str, lead: str, coop: str, output: str,
            deadline: str, span, method: str, warnings: list[str]) -> TaskRecord:
    if not text:
        warnings.append(f"row {path}: no task text")
    if not collapse(lead):
        warnings.append(f"row {path}: no lead agency")
    if not collapse(deadline):
        warnings.append(f"row {path}: no deadline")
    out = collapse(output)
    return TaskRecord(
        number=num, path=path, text=text, lead=agencies_of(lead), cooperating=agencies_of(coop),
        output=out if out and out not in ("-", "–") else None, deadline=deadline_of(deadline),
        section=section, span=span, origin="appendix", method=method,
    )


def _paths(app: Appendix, rows, continuous: bool) -> list[str]:
    return [
        f"{app.path}.{r.printed}" if continuous or r.section is None
        else f"{app.path}.{r.section.printed}.{r.printed}"
        for r in rows
    ]


def _continuous(rows) -> bool:
    """Numbering runs on across sections when a later section does not restart at 1."""
    firsts: dict[int, int] = {}
    for r in rows:
        if r.section is not None:
            firsts.setdefault(id(r.section), r.number)
    return any(n > 1 for n in list(firsts.values())[1:]) or len(firsts) <= 1


def _from_pdf(source: SourceText, app: Appendix) -> tuple[list[SectionRecord], list[TaskRecord], list[str]]:
    raw_secs, rows, warnings = pdf_rows.split_rows(app.lines)
    if not rows:
        return [], [], warnings
    cols = pdf_rows.segment_table(source.text, rows, TaskColumns, RATIOS)
    paths = _paths(app, rows, _continuous(rows))
    tasks = []
    for r, c, path in zip(rows, cols, paths):
        sec = f"{app.path}.{r.section.printed}" if r.section else app.path
        text, lead, coop, output, deadline = (pdf_rows.join_pieces(c[k]) for k in range(5))
        tasks.append(_record(r.printed, path, sec, text, lead, coop, output, deadline,
                             span=source.span(r.start, r.end), method="appendix-table-pdf-interleaved",
                             warnings=warnings))
    secs = appendix_sections(source, app, [(s.printed, collapse("\n".join(ln.text for ln in s.heading_lines)),
                                    s.start, s.end) for s in raw_secs])
    return secs, tasks, warnings


def _from_tsv(source: SourceText, app: Appendix) -> tuple[list[SectionRecord], list[TaskRecord], list[str]]:
    raw_secs, rows, warnings = tsv_rows.split_rows(app.lines, ncols=6)
    continuous = _continuous(rows)
    paths = _paths(app, rows, continuous)
    tasks = []
    for r, path in zip(rows, paths):
        cells = [c.text for c in r.cells]
        if len(cells) != 5:
            warnings.append(f"row {path}: {len(cells)} cells instead of 5")
        if len(cells) > 5:  # extra cells: keep the last four columns, the rest is task text
            cells = [collapse(" ".join(cells[: len(cells) - 4]))] + cells[-4:]
        cells += [""] * (5 - len(cells))
        sec = f"{app.path}.{r.section.printed}" if r.section else app.path
        text, lead, coop, output, deadline = cells
        tasks.append(_record(r.printed, path, sec, text, lead, coop, output, deadline, span=source.span(r.start, r.end),
                             method="appendix-table-tsv", warnings=warnings))
    secs = appendix_sections(source, app, [(s.printed, s.heading, s.start, s.end) for s in raw_secs])
    return secs, tasks, warnings


def extract_appendix_tasks(source: SourceText, covered: set[int] | None = None,
                           ) -> tuple[list[SectionRecord], list[TaskRecord], list[str]]:
    """Sections, task rows and warnings of every task appendix of ``source`` read from its
    text layout; an appendix holding a line of ``covered`` (a table already read by its
    header, :mod:`grid`) is left alone so its rows are not extracted twice."""
    sections: list[SectionRecord] = []
    tasks: list[TaskRecord] = []
    warnings: list[str] = []
    for app, layout in appendices_to_read(source, is_task_table, covered):
        if layout == "tsv":
            s, t, w = _from_tsv(source, app)
        elif layout == "ocr":
            from plankg.ingest.extract.rows.ocr import tasks_from_ocr

            s, t, w = tasks_from_ocr(source, app)
        else:
            s, t, w = _from_pdf(source, app)
        sections += s
        tasks += t
        warnings += [f"{app.path}: {x}" for x in w]
    return sections, tasks, warnings


__all__ = ["TaskColumns", "extract_appendix_tasks", "is_task_table"]
