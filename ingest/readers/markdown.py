"""Markdown → plain text + tables, one output line per input line.

Why line-preserving: extractors anchor on line starts ("I. MỤC TIÊU", "1.", "- ")
and report line numbers; keeping line ``n`` of the rendered text on line ``n`` of the
.md file means those numbers (and every Span's ``line_start``) point into the file the
user edits. Markup that would break the anchors (``#`` heading marks, ``**bold**`` even
when it wraps over lines, links, ``>`` quotes) is removed. Tables — pipe tables and the
one-cell-per-line tables of legal portals (:mod:`.md_tables`) — are returned as
``list[rows][cells]`` and rendered one row per line, cells TAB-separated, on the row's
first line; the row's other lines (and the ``|---|`` row) become empty lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from plankg.ingest.readers.md_tables import (
    MdCell,
    MdTable,
    closes_row_above,
    has_delimiter_next,
    is_pipe,
    is_pipe_row,
    parse_cell_table,
    parse_pipe_table,
)
from plankg.ingest.readers.normalize import is_text_layer, rejoin_wrapped

_ATX = re.compile(r"^( {0,3})#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_HR = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_QUOTE = re.compile(r"^( {0,3})(?:>[ \t]?)+")
#: a "*" list marker reads as the plans' "- "; "+ " stays: plans print it for the level
#: under "- " ("- Ủy ban nhân dân … như sau:" then "+ …"), as their DOCX copies do
_BULLET = re.compile(r"^(\s*)[*][ \t]+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
#: Inline markup; a span may wrap over at most this many lines (a stray marker must not
#: pair with one pages away).
_MAX_WRAP = 6
_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → link text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"<br\s*/?>", re.I), " "),
    # a list marker emphasised alone at a line start, its closing mark after a space:
    # "*6.1. *Hàng năm …", "**a) **Sở …" (not emphasis in CommonMark, but meant as such)
    (re.compile(r"(?m)^([ \t]*)\*{1,2}((?:\d{1,2}\.)+\d{0,2}|[a-zđ]\)|[IVXLC]{1,6}\.)[ \t]+\*{1,2}[ \t]*(?=\S)"), r"\1\2 "),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"\*\*(.+?)\*\*", re.S), r"\1"),
    (re.compile(r"(?<!\w)__(.+?)__(?!\w)", re.S), r"\1"),
    (re.compile(r"~~(.+?)~~", re.S), r"\1"),
    (re.compile(r"(?<![\w*])\*([\s\-–]{0,3})\*(?!\*)"), r"\1"),  # "* *", "*- *": emphasis of nothing
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)\*(?![\w*])", re.S), r"\1"),
]
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _unwrap(repl: str) -> Callable[[re.Match[str]], str]:
    def sub(m: re.Match[str]) -> str:
        if m.group(0).count("\n") > _MAX_WRAP or "\n\n" in m.group(0):
            return m.group(0)
        return m.expand(repl)
    return sub


def strip_inline(s: str) -> str:
    """Remove inline Markdown markup; backslash escapes keep the escaped character."""
    escaped: list[str] = []

    def _hold(m: re.Match[str]) -> str:
        escaped.append(m.group(1))
        return f"\ue000{len(escaped) - 1}\ue001"

    s = _ESCAPE.sub(_hold, s)
    s = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), s)  # keep the line count
    for rx, repl in _INLINE:
        s = rx.sub(_unwrap(repl), s)
    return re.sub("\ue000(\\d+)\ue001", lambda m: escaped[int(m.group(1))], s)


def cell_text(cell: MdCell) -> str:
    """A cell's text: its lines joined with spaces, inline markup removed, spaces collapsed."""
    return " ".join(strip_inline(" ".join(cell.parts)).split())


@dataclass
class RenderedMarkdown:
    text: str  # exactly as many lines as the input
    tables: list[list[list[str]]]  # rows of cell texts, header rows first
    row_lines: list[list[int]]  # for each table, the 0-based line each row is written on


def render_markdown(md: str, warn: Callable[[str], None] | None = None) -> RenderedMarkdown:
    """Render ``md``; ``text`` has exactly as many lines as ``md``.

    A table row is written on one line (its first line: the opening pipe line of a
    cell-per-line row, the row's own line of a pipe table) with its cells joined by TAB,
    exactly as the DOCX reader writes it, so extractors see one rendering of a table
    whatever the format; the other lines of the row become empty. Why not keep the cell
    lines in place: a cell spread over several lines, between lines holding only ``|``,
    reads as running text to every line-based extractor (the header block's "Số: …" and
    the place/date would not be seen as one row, a task's lead agency would look like a
    paragraph).
    """
    lines = md.split("\n")
    out: list[str] = [""] * len(lines)
    result = RenderedMarkdown("", [], [])
    no_blank = not any(not ln.strip() for ln in lines[:-1])
    # a text layer (paragraphs not separated by blank lines) is rejoined by the readers'
    # one rule for hard-wrapped text (normalize.rejoin_wrapped), not by the blank-line one
    text_layer = is_text_layer(lines)
    unwrap = not no_blank and not text_layer
    block: list[int] = []  # indices of the running-text lines not yet rendered
    in_code = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line) or in_code:
            _flush(block, lines, out, unwrap)
            if _FENCE.match(line):
                in_code = not in_code
            else:
                out[i] = line
            i += 1
            continue
        table: MdTable | None = None
        if is_pipe(line) and closes_row_above(lines, i):
            _flush(block, lines, out, unwrap)  # ends the paragraph, like a blank line
            i += 1
            continue
        if is_pipe(line):
            table, nxt = parse_cell_table(lines, i, no_blank, warn)
        elif has_delimiter_next(lines, i) or is_pipe_row(line):
            table = parse_pipe_table(lines, i)
            nxt = table.last + 1
        if table is None:
            block.append(i)
            i += 1
            continue
        _flush(block, lines, out, unwrap)
        _write_table(table, out, result)
        i = max(nxt, i + 1)
    _flush(block, lines, out, unwrap)
    if text_layer:  # the readers' one rule for hard-wrapped text (as DOCX and PDF get it)
        out = rejoin_wrapped(out, frozenset(k for rows in result.row_lines for k in rows))
    result.text = "\n".join(out)
    return result


def _write_table(table: MdTable, out: list[str], result: RenderedMarkdown) -> None:
    rows = [[cell_text(c) for c in r.cells] for r in table.rows]
    if not rows:
        return
    for r, cells in zip(table.rows, rows):
        out[r.anchor] = "\t".join(cells)
    result.tables.append(rows)
    result.row_lines.append([r.anchor for r in table.rows])


def _flush(block: list[int], lines: list[str], out: list[str], unwrap: bool) -> None:
    """Render a run of running-text lines together, so that bold or italic spans that
    wrap over several lines ("**I. MỤC\nĐÍCH**") lose their markers too. With ``unwrap``
    (a file whose paragraphs are separated by blank lines) a paragraph's wrapped lines
    are joined onto its first line (:func:`_unwrap_paragraph`)."""
    if not block:
        return
    runs: list[list[int]] = [[block[0]]]
    for k in block[1:]:  # consecutive, non-blank lines form a paragraph
        if k == runs[-1][-1] + 1 and lines[k].strip() and lines[runs[-1][-1]].strip():
            runs[-1].append(k)
        else:
            runs.append([k])
    for run in runs:
        rendered = _join_bare_markers(strip_inline("\n".join(_render_line(lines[k]) for k in run)).split("\n"))
        if unwrap:
            rendered = _unwrap_paragraph(rendered)
        for k, text in zip(run, rendered):
            out[k] = text
    block.clear()


#: A list or heading marker with nothing after it: "IV.", "2.", "1.2.", "a)".
_BARE_MARKER = re.compile(r"^\s*(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s*$")


#: A line that starts a block of its own inside a run of lines: a list item or a numbered
#: heading ("- …", "+ …", "1. …", "a) …", "IV. …"), which Markdown (and these plans) never
#: read as the continuation of the line above.
_STARTS_ITEM = re.compile(r"^\s*(?:[-+•–]\s|(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s)")


def _unwrap_paragraph(rendered: list[str]) -> list[str]:
    """Join the soft-wrapped lines of a paragraph onto the line that starts it.

    In Markdown a newline inside a paragraph is a space; the portal's scrape wraps every
    paragraph at a fixed width, in the middle of agency names ("1. Sở\nTài chính:") and
    of sentences, where DOCX and PDF readers give one line per paragraph. A line that
    starts a list item or a numbered heading starts a new block. The joined text goes on
    the block's first line and its other lines become empty, so the line count is kept
    and a Span's first line still points at the paragraph in the .md file.
    """
    out = list(rendered)
    head = -1
    for k, text in enumerate(out):
        if not text.strip():
            head = -1
            continue
        if head < 0 or _STARTS_ITEM.match(text):
            head = k
            continue
        out[head] = out[head].rstrip() + " " + text.strip()
        out[k] = ""
    return out


def _join_bare_markers(rendered: list[str]) -> list[str]:
    """Put a marker left alone on its line back in front of the text that follows it.

    The portal's scrape wraps lines at a fixed width, so "**IV.\nPHÂN CÔNG NHIỆM VỤ**"
    prints the heading's numeral alone on one line and its words on the next; every
    line-based extractor (section tree, agency sub-headings "1.\nSở Y tế:") expects
    marker and text on one line, as DOCX and PDF give them. The joined text goes on
    the marker's line and the next line becomes empty, so the line count is kept.
    """
    out = list(rendered)
    for k in range(len(out) - 1):
        if _BARE_MARKER.match(out[k]) and out[k + 1].strip():
            out[k] = out[k].rstrip() + " " + out[k + 1].strip()
            out[k + 1] = ""
    return out


def _render_line(line: str) -> str:
    if _HR.match(line):  # thematic break or setext underline
        return ""
    m = _ATX.match(line)
    if m:
        line = m.group(1) + m.group(2)
    line = _QUOTE.sub(r"\1", line)
    return _BULLET.sub(r"\1- ", line)
