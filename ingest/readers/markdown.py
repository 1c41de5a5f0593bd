"""Markdown → plain text + tables, one output line per input line.

Why line-preserving: extractors anchor on line starts ("I. MỤC TIÊU", "1.", "- ")
and report line numbers; keeping line ``n`` of the rendered text on line ``n`` of the
.md file means those numbers point into the file the user edits. Markup that would
break the anchors (``#`` heading marks, ``**bold**``, links, ``>`` quotes) is removed;
pipe tables become TAB-separated rows (like tables from .docx) and are also returned as
``list[rows][cells]``; the ``|---|`` delimiter row becomes an empty line.
"""

from __future__ import annotations

import re

_ATX = re.compile(r"^( {0,3})#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_DELIM = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_HR = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_QUOTE = re.compile(r"^( {0,3})(?:>[ \t]?)+")
_BULLET = re.compile(r"^(\s*)[*+][ \t]+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → link text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"<br\s*/?>", re.I), " "),
    (re.compile(r"<!--.*?-->"), ""),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)__(.+?)__(?!\w)"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
]


def strip_inline(s: str) -> str:
    """Remove inline Markdown markup; backslash escapes keep the escaped character."""
    escaped: list[str] = []

    def _hold(m: re.Match[str]) -> str:
        escaped.append(m.group(1))
        return f"\ue000{len(escaped) - 1}\ue001"

    s = _ESCAPE.sub(_hold, s)
    for rx, repl in _INLINE:
        s = rx.sub(repl, s)
    return re.sub("\ue000(\\d+)\ue001", lambda m: escaped[int(m.group(1))], s)


def split_row(line: str) -> list[str]:
    """Cells of one pipe-table row (``\\|`` is a literal pipe inside a cell)."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [strip_inline(c.strip()).strip() for c in re.split(r"(?<!\\)\|", s)]


def render_markdown(md: str) -> tuple[str, list[list[list[str]]]]:
    """Return ``(text, tables)``; ``text`` has exactly as many lines as ``md``."""
    lines = md.split("\n")
    out: list[str] = []
    tables: list[list[list[str]]] = []
    in_code = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            in_code = not in_code
            out.append("")
            i += 1
            continue
        if in_code:
            out.append(line)
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if "|" in line and "|" in nxt and "-" in nxt and _DELIM.match(nxt):
            rows = [split_row(line)]
            out.append("\t".join(rows[0]))
            out.append("")  # the delimiter row
            i += 2
            while i < len(lines) and lines[i].strip() and "|" in lines[i]:
                rows.append(split_row(lines[i]))
                out.append("\t".join(rows[-1]))
                i += 1
            tables.append(rows)
            continue
        out.append(_render_line(line))
        i += 1
    return "\n".join(out), tables


def _render_line(line: str) -> str:
    if _HR.match(line):  # thematic break or setext underline
        return ""
    m = _ATX.match(line)
    if m:
        line = m.group(1) + m.group(2)
    line = _QUOTE.sub(r"\1", line)
    line = _BULLET.sub(r"\1- ", line)
    return strip_inline(line)
