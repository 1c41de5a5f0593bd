"""Cut a DOCX-rendered appendix table (TAB-prefixed cells) into sections and rows.

Why: the DOCX rendition writes every cell on its own line behind a TAB, rows separated
by blank lines — but not reliably: a cell may carry two TABs ("\\t\\tTrung tâm …"), its
text may spill onto following lines without a TAB (even after blank lines), and a blank
line may sit inside a row.  So the stream of cells is rebuilt first (a TAB opens a cell,
untabbed text continues the open one), then rows are cut at the Stt cells taken in
sequence, and section rows at Roman numerals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plankg.folding import fold
from plankg.ingest.extract.tables import Line, collapse, is_headerish, roman_value


@dataclass
class Cell:
    start: int  # offsets in SourceText.text (start == end for an empty cell)
    end: int
    parts: list[str] = field(default_factory=list)
    blank_before: bool = False  # a blank line precedes the cell (row boundary hint)

    @property
    def text(self) -> str:
        return collapse(" ".join(self.parts))


@dataclass
class TsvSection:
    printed: str
    number: int
    heading: str
    start: int
    end: int


@dataclass
class TsvRow:
    printed: str
    number: int
    section: TsvSection | None
    cells: list[Cell]  # the cells after the Stt cell
    start: int
    end: int


def cells_of(lines: list[Line]) -> list[Cell]:
    cells: list[Cell] = []
    blank = True
    for ln in lines:
        if not ln.stripped and "\t" not in ln.text:
            blank = True
            continue
        pieces: list[tuple[int, str]] = []  # (offset in line, text) of each TAB-separated part
        pos = 0
        for part in ln.text.split("\t"):
            pieces.append((pos, part))
            pos += len(part) + 1
        off0, head = pieces[0]
        tabbed = pieces[1:]
        if head.strip() and len(tabbed) >= 2 and _row_opener(head):
            # a real table rendered one row per line (DOCX/Markdown readers): "1\tText\t…"
            c = Cell(ln.start + off0, ln.start + off0, blank_before=True)
            _extend(c, ln.start + off0, head)
            cells.append(c)
            head = ""
        if head.strip() and cells:  # untabbed text continues the open cell
            _extend(cells[-1], ln.start + off0, head)
        # leading TABs ("\t\tX") open a single cell
        while len(tabbed) > 1 and not tabbed[0][1].strip():
            tabbed = tabbed[1:]
        for off, part in tabbed:
            c = Cell(ln.start + off, ln.start + off, blank_before=blank)
            if part.strip():
                _extend(c, ln.start + off, part)
            cells.append(c)
            blank = False
        if head.strip() and not cells:
            c = Cell(ln.start, ln.start, blank_before=blank)
            _extend(c, ln.start, head)
            cells.append(c)
        blank = False
    return cells


def _row_opener(head: str) -> bool:
    """The first cell of a row printed on one line: a Stt number, a Roman numeral or the header."""
    t = head.strip().rstrip(".")
    return bool(re.fullmatch(r"\d{1,3}|[IVXL]{1,5}", t)) or fold(t) in ("stt", "tt")


def _extend(cell: Cell, offset: int, part: str) -> None:
    lead = len(part) - len(part.lstrip())
    s, e = offset + lead, offset + len(part.rstrip())
    if not cell.parts:
        cell.start = s
    cell.parts.append(part.strip())
    cell.end = max(cell.end, e)


def split_rows(lines: list[Line], ncols: int) -> tuple[list[TsvSection], list[TsvRow], list[str]]:
    """Rows of a table with ``ncols`` columns (Stt included)."""
    cells = cells_of(lines)
    warnings: list[str] = []
    # skip the header: the cells up to and including the last header word before a Stt
    k = next((i for i, c in enumerate(cells) if fold(c.text) in ("stt", "tt")), None)
    if k is None:
        return [], [], warnings
    k += 1
    while k < len(cells) and (not cells[k].text or is_headerish(fold(cells[k].text))):
        k += 1
    sections: list[TsvSection] = []
    rows: list[TsvRow] = []
    section: TsvSection | None = None
    row: TsvRow | None = None
    last = 0
    while k < len(cells):
        c = cells[k]
        t = c.text.rstrip(".")
        rv = roman_value(t) if re.fullmatch(r"[IVXL]{1,5}", t) else None
        opens = c.blank_before or row is None or len(row.cells) >= ncols - 1
        if rv is not None and rv == (section.number + 1 if section else 1) and opens:
            head = cells[k + 1] if k + 1 < len(cells) else None
            section = TsvSection(t, rv, head.text if head else "", c.start, head.end if head else c.end)
            sections.append(section)
            row = None
            k += 2
            continue
        if re.fullmatch(r"\d{1,3}", t) and opens:
            n = int(t)
            fresh = row is None and section is not None and n == 1
            if n == last + 1 or fresh or last < n <= last + 3:
                if not fresh and n != last + 1:
                    warnings.append(f"row {n}: numbering gap after row {last}")
                row = TsvRow(t, n, section, [], c.start, c.end)
                rows.append(row)
                last = n
                k += 1
                continue
        if row is not None:
            row.cells.append(c)
            row.end = max(row.end, c.end)
        k += 1
    return sections, rows, warnings
