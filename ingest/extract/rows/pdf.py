"""Cut a PDF-rendered appendix table into sections and numbered rows.

Why: before cells can be re-assembled (:mod:`interleaved`), the table must be split
into rows, and each row into page chunks.  Row starts are the Stt cells ("1.", "2.",
…) taken *in sequence* (a stray "9." inside a cell is not the next row unless it is the
expected number); section rows carry a Roman numeral; the header that repeats after
every page break and the page number before it are noise, but they mark where a row's
cells were cut.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from plankg.ingest.extract.rows.interleaved import (
    ColumnModel,
    Piece,
    modal_gap,
    refit_widths,
    segment_row,
    vis_width,
    word_pairs,
)
from plankg.ingest.extract.tables import (
    Layout,
    Line,
    collapse,
    header_extent,
    is_header_start,
    is_page_number,
    is_table_end,
    roman_value,
)

_ROW_RE = re.compile(r"^(\d{1,3})\.(?=\s|$)")
_SEC_RE = re.compile(r"^([IVXL]{1,5})\.?(?=\s|$)")


@dataclass
class RawSection:
    printed: str  # "I"
    number: int
    heading_lines: list[Line] = field(default_factory=list)
    start: int = 0
    end: int = 0


@dataclass
class RawRow:
    printed: str  # "12"
    number: int
    section: RawSection | None
    chunks: list[list[Line]] = field(default_factory=list)
    start: int = 0  # offsets of the whole row (number to last fragment)
    end: int = 0


def _tail(line: Line, skip: int) -> Line | None:
    """The part of ``line`` after its first ``skip`` stripped characters (the Stt cell)."""
    lead = len(line.text) - len(line.text.lstrip())
    rest = line.text[lead + skip :]
    if not rest.strip():
        return None
    return Line(line.idx, line.start + lead + skip, line.end, rest)


def split_rows(lines: list[Line], layout: Layout = "pdf") -> tuple[list[RawSection], list[RawRow], list[str]]:  # noqa: PLR0915 - replaced by the header-driven table reading of the extraction issue (#10)
    sections: list[RawSection] = []
    rows: list[RawRow] = []
    warnings: list[str] = []
    # skip everything before the first header (title, "(Kèm theo …)")
    i = next((k for k, ln in enumerate(lines) if is_header_start(ln)), None)
    if i is None:
        return sections, rows, warnings
    i = header_extent(lines, i)
    section: RawSection | None = None
    row: RawRow | None = None
    last_num = 0
    in_heading = False
    page_break = False

    def add(ln: Line) -> None:
        nonlocal page_break
        if in_heading and section is not None:
            section.heading_lines.append(ln)
            section.end = ln.end
            return
        if row is None:
            return
        if page_break or not row.chunks:
            row.chunks.append([])
        page_break = False
        row.chunks[-1].append(ln)
        row.end = ln.end

    while i < len(lines):
        ln = lines[i]
        s = ln.stripped
        if not s:
            i += 1
            continue
        if is_table_end(ln, layout):
            break
        if is_header_start(ln):
            i = header_extent(lines, i)
            page_break = True
            continue
        if is_page_number(lines, i):
            i += 1
            continue
        m_sec = _SEC_RE.match(s)
        if m_sec and roman_value(m_sec.group(1)) == (section.number + 1 if section else 1):
            section = RawSection(m_sec.group(1), roman_value(m_sec.group(1)) or 0, start=ln.start, end=ln.end)
            sections.append(section)
            rest = _tail(ln, m_sec.end())
            in_heading, row = True, None
            if rest is not None:
                add(rest)
            i += 1
            continue
        m_row = _ROW_RE.match(s)
        if m_row:
            n = int(m_row.group(1))
            fresh = in_heading and n == 1
            if n == last_num + 1 or fresh or last_num < n <= last_num + 3:
                if not fresh and n != last_num + 1:
                    warnings.append(f"row {n}: numbering gap after row {last_num}")
                row = RawRow(m_row.group(1), n, section, start=ln.start, end=ln.end)
                rows.append(row)
                last_num, in_heading, page_break = n, False, False
                rest = _tail(ln, m_row.end())
                if rest is not None:
                    add(rest)
                i += 1
                continue
        add(ln)
        i += 1
        if "./." in s:
            break
    for r in rows:
        r.chunks = [c for c in r.chunks if c]
    return sections, rows, warnings


def prior_widths(rows: list[RawRow], ratios: tuple[float, ...]) -> list[float]:
    """Column widths (ems) from the first column's width, which wrapped lines reveal: a
    line followed, in the same chunk, by one starting in lower case was wrapped."""
    wrapped: list[float] = []
    wide: list[float] = []
    for r in rows:
        for chunk in r.chunks:
            for a, b in itertools.pairwise(chunk):
                w = vis_width(collapse(a.text))
                wide.append(w)
                if b.stripped[:1].islower():
                    wrapped.append(w)
    pool = sorted(wrapped) if len(wrapped) >= 5 else sorted(x for x in wide if x >= 18) or [32.0]
    w0 = pool[int(0.9 * (len(pool) - 1))]
    return [w0 * r for r in ratios]


def segment_table(text: str, rows: list[RawRow], make_model, ratios: tuple[float, ...]) -> list[list[list[Piece]]]:
    """Column pieces of every row: a first pass with prior widths, a second with widths
    re-estimated from the first pass's wrapped lines."""
    widths = prior_widths(rows, ratios)
    gap = modal_gap([c for r in rows for c in r.chunks])
    pairs = word_pairs(text)
    model: ColumnModel = make_model(widths=list(widths), line_gap=gap, bigrams=pairs)
    cols = [segment_row(r.chunks, model) for r in rows]
    refit = refit_widths(cols, widths)
    if refit != widths:
        model = make_model(widths=refit, line_gap=gap, bigrams=pairs)
        cols = [segment_row(r.chunks, model) for r in rows]
    return cols


def join_pieces(pieces: list[Piece]) -> str:
    return collapse("\n".join(p.text for p in pieces))
