"""Tables in Markdown: pipe tables and the legal portal's one-cell-per-line tables.

Both are parsed into :class:`MdTable` — rows of cells, each cell knowing the input lines
it came from — so that :mod:`.markdown` can render every row on one line (cells joined by
TAB, like the DOCX reader) while keeping line ``n`` of the output on line ``n`` of the
file.

One-cell-per-line tables (as scraped from the portal)
-----------------------------------------------------
A line holding only ``|`` is a *pipe line*; the lines between two pipe lines are a
*segment*. A row is ``| cell | cell | … |`` written vertically::

    |            <- opens the row
    cell 1 text  (zero or more lines)
    |
    cell 2 text
    |            <- closes the row; the next row opens on the following pipe line

so two pipe lines with nothing between them are a row boundary — or an empty cell: in
a run of ``k`` empty segments the first ``k - 1`` are empty cells ending the row and the
last is the boundary (at the end of the table all ``k`` are empty cells). Merged cells
are simply absent, so rows may be short. A table starts at a pipe line and ends at a
pipe line followed by a blank line (or the end of the file); one followed by a blank line
where no table is open opens none (:func:`closes_row_above`). Files without any blank
line cannot end a table that way; there a segment that is running text (it starts with
``PHỤ LỤC`` or is longer than :data:`LONG_SEGMENT` lines) ends the table before it.
Two repairs for boundaries the scrape lost (the same as the generator of
``tests/data/corpus_docx``, so that both formats read alike): a row at least twice as
wide as every other row is cut to that width, and a single "boundary" that splits a
row into two parts whose widths plus one make the table's width is an empty cell.

Pipe tables
-----------
A header line with ``|`` followed by a ``|---|`` delimiter row (GitHub style), or — as
scraped, often broken — a run of lines starting with ``|`` without a delimiter row:
lines holding only pipes and spaces carry nothing, a line not starting with ``|``
continues the last cell of the row before it, trailing empty cells are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from plankg.folding import fold
from plankg.ontology.kinds import load_kinds

#: A segment longer than this (in a file without blank lines) is running text, not a cell.
LONG_SEGMENT = 60
#: A segment of at least this many lines that closes with the terminator "./." is a short
#: body (a letter, a telegram) following the header block, not one of its cells (the same
#: rule as tests/data/make_formats.py, so Markdown and the DOCX made from it read alike).
SHORT_BODY = 10

_DELIM = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_RULE = re.compile(r"^\s*(?:(?:-\s*){3,}|(?:_\s*){3,}|(?:=\s*){3,})$")  # decorative rules under issuer/motto lines
_DOTS = re.compile(r"^[.…·\s]+$")
_EMPTY_MARKUP = ("** **", "**", "* *")


@dataclass
class MdCell:
    """One cell: the raw Markdown lines (indices into the file's lines) it was written on."""

    lines: list[int] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # raw text pieces, in order


@dataclass
class MdRow:
    anchor: int  # the input line the rendered row is written on
    cells: list[MdCell]


@dataclass
class MdTable:
    first: int  # first and last input line covered by the table
    last: int
    rows: list[MdRow]


def is_pipe(line: str) -> bool:
    return line.strip() == "|"


def closes_row_above(lines: list[str], i: int) -> bool:
    """Is the pipe line ``i`` the end of a row written across the lines above it rather than
    the opening of a cell-per-line table? A table ends at a pipe line followed by a blank
    line, so one followed by a blank line (or the end of the file) where no table is open
    opens nothing: it closes the header row the scrape printed on one or two lines
    ("… | CỘNG HÒA … |" / "Số: 1663/NQ-UBTVQH15 |" / "|"). Read as an opening, it made the
    whole document one cell of a table closed by the file's last pipe line."""
    return i + 1 >= len(lines) or not lines[i + 1].strip()


def is_pipe_row(line: str) -> bool:
    """A line of a (possibly broken) pipe table: starts with ``|`` and holds more than it."""
    s = line.strip()
    return s.startswith("|") and s != "|"


def has_delimiter_next(lines: list[str], i: int) -> bool:
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return "|" in lines[i] and "|" in nxt and "-" in nxt and bool(_DELIM.match(nxt))


# --- pipe tables --------------------------------------------------------------------------


def split_row(line: str) -> list[str]:
    """Raw cells of one pipe-table row (``\\|`` is a literal pipe inside a cell)."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


def parse_pipe_table(lines: list[str], i: int) -> MdTable:
    """The pipe table starting at line ``i`` (a header with a delimiter row, or a broken one)."""
    delimited = has_delimiter_next(lines, i)
    leading = lines[i].lstrip().startswith("|")
    raw: list[tuple[int, str]] = []  # (line, row text so far)
    j = i
    while j < len(lines) and lines[j].strip():
        s = lines[j].strip()
        if (j == i + 1 and delimited) or not s.replace("|", "").strip():
            pass  # the |---| row; "|", "| |||||": nothing in it
        elif (s.startswith("|") if leading else "|" in s) or not raw:
            raw.append((j, s))
        elif leading:  # a wrapped line continues the row (a "|" it ended with closed a cell)
            raw[-1] = (raw[-1][0], raw[-1][1] + " " + s)
        else:
            break  # GitHub table without leading pipes: a line without "|" ends it
        j += 1
    rows: list[MdRow] = []
    for anchor, text in raw:
        cells = split_row(text)
        if not delimited:
            while len(cells) > 1 and not cells[-1]:
                cells.pop()
        rows.append(MdRow(anchor, [MdCell([anchor], [c]) for c in cells]))
    return MdTable(i, j - 1, rows)


# --- one-cell-per-line tables ---------------------------------------------------------------


@dataclass
class _Seg:
    pipe: int  # the pipe line before the segment
    lines: list[int]


def _segment_is_text(lines: list[str], seg: _Seg, no_blank: bool = True) -> bool:
    """Is this segment running text after the table?

    It is when it opens the document's own title (an upper-case kind name alone on its line:
    "**NGHỊ QUYẾT**", "QUYẾT ĐỊNH:" — the title block comes after the two-column header
    table, never inside it), in any file: a scrape that closes the header table with a
    stray pipe line ("Số: 1663/NQ-UBTVQH15 |" / "|" / blank / "**NGHỊ QUYẾT**" … "|" at
    the end of the file) would otherwise read the whole document as one cell. In a file
    without blank lines it is also when it opens an appendix ("PHỤ LỤC") or a letter's body
    ("Kính gửi:", or :data:`SHORT_BODY` lines or more closed by "./."), or when it is too
    long to be a cell."""
    body = [lines[k] for k in seg.lines if lines[k].strip() and lines[k].strip() not in _EMPTY_MARKUP]
    if not body:
        return False
    first = re.sub(r"[*_`#]", "", body[0]).strip(" :")
    if first and first == first.upper() and load_kinds().from_name(first) is not None:
        return True
    if not no_blank:
        return False
    if first.upper().startswith("PHỤ LỤC") or len(seg.lines) > LONG_SEGMENT:
        return True
    if len(body) >= SHORT_BODY and any(ln.rstrip(" *_").endswith("./.") for ln in body):
        return True  # a letter's or telegram's body, closed by "./.", after the header block
    return fold(first).lower().startswith("kinh gui")


def parse_cell_table(lines: list[str], i: int, no_blank: bool,
                     warn: Callable[[str], None] | None = None) -> tuple[MdTable, int]:
    """The cell-per-line table opening at pipe line ``i``.

    Returns the table and the index of the first line after it (a pipe line left there
    opens the next table; segments found to be running text are left to the caller).
    """
    segs: list[_Seg] = []
    pipe = i
    cur: list[int] = []
    j = i + 1
    end = j
    while j < len(lines):
        if is_pipe(lines[j]):
            seg = _Seg(pipe, cur)
            if _segment_is_text(lines, seg, no_blank):
                end = seg.lines[0]
                break
            segs.append(seg)
            pipe, cur = j, []
            j += 1
            end = j
            if j >= len(lines) or not lines[j].strip():
                break
            continue
        cur.append(j)
        j += 1
    else:
        end = cur[0] if cur else j  # an unterminated final segment is running text
    rows = _rows_from_segments(segs)
    rows = _repair(rows, lines, warn)
    table_rows = [MdRow(r[0].pipe, [_cell(s, lines) for s in r]) for r in rows if r]
    return MdTable(i, max(end - 1, i), table_rows), end


def _cell(seg: _Seg, lines: list[str]) -> MdCell:
    keep = [k for k in seg.lines if lines[k].strip() and not _RULE.match(lines[k])]
    return MdCell(keep, [lines[k].strip() for k in keep])


def _rows_from_segments(segs: list[_Seg]) -> list[list[_Seg]]:
    rows: list[list[_Seg]] = []
    cur: list[_Seg] = []
    i, n = 0, len(segs)
    while i < n:
        if segs[i].lines:
            cur.append(segs[i])
            i += 1
            continue
        j = i
        while j < n and not segs[j].lines:
            j += 1
        if j == n:  # end of table: all empty cells
            cur.extend(segs[i:j])
        else:
            cur.extend(segs[i:j - 1])
            rows.append(cur)
            cur = []
        i = j
    if cur:
        rows.append(cur)
    return rows


def _is_empty(seg: _Seg) -> bool:
    return not seg.lines


def _repair(rows: list[list[_Seg]], lines: list[str], warn: Callable[[str], None] | None) -> list[list[_Seg]]:
    """Mend row boundaries the scrape lost (see the module docstring)."""
    if len(rows) < 2:
        return rows
    others = max(len(r) for r in rows[:-1])
    last = rows[-1]
    while len(last) > others and _is_empty(last[-1]):
        last.pop()
    out: list[list[_Seg]] = []
    for i, r in enumerate(rows):
        width = max((len(x) for j, x in enumerate(rows) if j != i), default=0)
        if width >= 2 and len(r) >= 2 * width:
            if warn:
                warn(f"dòng {r[0].pipe + 1}: hàng {len(r)} ô được tách thành các hàng {width} ô "
                     f"(row of {len(r)} cells split into rows of {width})")
            while len(r) > width:
                out.append(r[:width])
                r = r[width:]
                if r and r[0].lines and _DOTS.match(" ".join(lines[k] for k in r[0].lines)):
                    out.append(r[:1])
                    r = r[1:]
        if r:
            out.append(r)
    return _join_split_rows(out, lines)


def _join_split_rows(rows: list[list[_Seg]], lines: list[str]) -> list[list[_Seg]]:
    """An empty cell mid-row read as a boundary: join the parts around it.

    Two parts whose widths plus one make the table's width are one row. A figures row
    whose every other cell is empty (a year table with "Lượng | Giá trị" columns where a
    total row fills only the values) comes out as a label part followed by single-figure
    parts; ``_figure_run`` joins those back."""
    width = max(len(r) for r in rows)
    out = [rows[0]]
    i = 1
    while i < len(rows):
        r = rows[i]
        prev = out[-1]
        run = _figure_run(rows, i, width, lines) if len(out) > 1 else None
        if run is not None:
            out.append(run[0])
            i = run[1]
            continue
        if (len(out) > 1 and len(prev) < width and len(r) < width and len(prev) + 1 + len(r) == width
                and len(prev) != len(r) and not any(map(_is_empty, prev)) and not any(map(_is_empty, r))):
            out[-1] = [*prev, _Seg(r[0].pipe, []), *r]
        else:
            out.append(r)
        i += 1
    return out


_FIGURE = re.compile(r"^[\d.,%\s]+$")


def _is_figure_cell(rows: list[list[_Seg]], k: int, lines: list[str]) -> bool:
    """Is row ``k`` a single cell holding only a figure ("240.000", "95%")?"""
    if len(rows[k]) != 1 or _is_empty(rows[k][0]):
        return False
    text = re.sub(r"[*_`]", "", " ".join(lines[n] for n in rows[k][0].lines)).strip()
    return bool(text) and any(c.isdigit() for c in text) and bool(_FIGURE.match(text))


def _figure_run(rows: list[list[_Seg]], i: int, width: int,
                lines: list[str]) -> tuple[list[_Seg], int] | None:
    """Row ``i`` (a label part) and at least two single-figure rows after it that join,
    with one empty cell between parts, into a row of the table's width — or of one less
    when the label is a single cell, the label then spanning the first two columns (``TT`` and name merged: "Tổng I + II"),
    so an empty cell is put before it. Returns the joined row and the next row's index."""
    head = rows[i]
    if len(head) >= width - 2 or any(map(_is_empty, head)):
        return None
    total, j = len(head), i + 1
    while j < len(rows) and total + 2 <= width and _is_figure_cell(rows, j, lines):
        total += 2
        j += 1
    if j - i < 3 or total < width - (1 if len(head) == 1 else 0):
        return None
    joined = list(head)
    for k in range(i + 1, j):
        joined += [_Seg(rows[k][0].pipe, []), rows[k][0]]
    if total == width - 1:
        joined.insert(0, _Seg(head[0].pipe, []))
    return joined, j
