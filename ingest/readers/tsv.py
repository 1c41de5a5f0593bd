"""Tables in plain text whose rows are lines of TAB-separated cells.

Why a rule and not every TAB: a spreadsheet or a word processor saved "as text" writes a
table row per line, cells joined by TAB; but TABs also indent ordinary text, and the
DOCX-to-text rendering of the seeds writes one cell per line behind a leading TAB
("\\tSở Y tế"). So a table is a run of at least two *row lines* — lines with the same
number (at least :data:`MIN_CELLS`) of TAB-separated cells whose first cell is not
empty — that may hold, between two row lines, up to :data:`MAX_GAP` lines without that
shape: the merged section rows ("I. NÂNG CAO NHẬN THỨC") of the same table, kept as
short rows. A blank line ends a table.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_CELLS = 3
MAX_GAP = 2


@dataclass
class TextTables:
    tables: list[list[list[str]]]
    row_lines: list[list[int]]  # the 0-based line of each row


def _width(line: str) -> int:
    """Cells of a row line, 0 when the line is not one."""
    cells = line.split("\t")
    if len(cells) < MIN_CELLS or not cells[0].strip():
        return 0
    return len(cells)


def find_tab_tables(text: str) -> TextTables:
    lines = text.split("\n")
    found = TextTables([], [])
    i = 0
    while i < len(lines):
        width = _width(lines[i])
        if not width:
            i += 1
            continue
        rows = [i]
        j = i + 1
        while j < len(lines):
            gap = j
            while gap < len(lines) and gap - j < MAX_GAP and lines[gap].strip() and not _width(lines[gap]):
                gap += 1
            if gap < len(lines) and _width(lines[gap]) == width:
                rows.extend(range(j, gap + 1))
                j = gap + 1
            else:
                break
        if sum(_width(lines[k]) == width for k in rows) >= 2:
            found.tables.append([[c.strip() for c in lines[k].split("\t")] for k in rows])
            found.row_lines.append(rows)
        i = rows[-1] + 1
    return found
