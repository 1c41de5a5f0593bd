"""The section tree of a plan's main body, and the small text helpers the narrative
extractors share.

Why a tree of *printed markers*: these plans number their body in a fixed hierarchy
(``I.`` → ``1.`` → ``1.1.`` → ``a)`` → ``(1)`` → ``-`` → ``+``). The number printed in front of an
item is what people quote ("mục III.5.o"), so paths are built from those numbers and
dash items get an ordinal (``i2`` = second dash under its parent).

The body starts at the first roman heading (``I.``; ``II.`` when no ``I.`` is printed) and stops at the closing formula
("Trên đây là …"), the recipients block ("Nơi nhận") or the first appendix ("Phụ lục"),
whichever comes first: appendix sections belong to the appendix extractors.

OCR copies (seed 001) lose diacritics and mangle markers (``Il.`` for ``II.``, ``¢)``
for ``c)``, ``0)`` for ``o)``); markers are therefore checked against the sequence the
list is expected to continue, and matching is done on an accent-folded copy of a line.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from plankg.folding import fold_cased
from plankg.ingest.model import SectionRecord, SourceText
from plankg.ingest.readers.noise import noise_lines
from plankg.ingest.readers.normalize import join_lines

# -- folding -------------------------------------------------------------------------

#: Accent-insensitive copy of a line with its case kept (OCR copies print no diacritics):
#: :func:`plankg.folding.fold_cased`, the one home of folding; kept under this name for
#: the extractors that import it from here.
fold = fold_cased


def clean_letters(s: str) -> str:
    """Repair the PDF font mapping that prints 'ƣ' for 'ư' (seed 004)."""
    return s.replace("ƣ", "ư").replace("Ƣ", "Ư")


def join(lines: list[str]) -> str:
    """Join wrapped lines into one paragraph, whitespace collapsed.

    A hyphen at a line end glued to the previous token ("346/TTr-" + "SKHCN") is a
    broken symbol, not a dash, so no space is put back there (``normalize.join_lines``).
    """
    return clean_letters(join_lines("\n".join(ln.strip() for ln in lines if ln.strip())))


# -- lines -----------------------------------------------------------------------------

@dataclass
class Line:
    """A non-blank line of ``SourceText.text``: [start, end) without the newline."""

    index: int  # 0-based line number in the text
    start: int
    end: int
    raw: str  # as in the text
    text: str  # stripped
    folded: str  # fold(text)


def text_lines(source: SourceText) -> list[Line]:
    """Non-blank lines, page numbers and (when the reader flags them) noise dropped."""
    noise = {n - 1 for n in noise_lines(source)}  # it reports 1-based line numbers
    out: list[Line] = []
    pos = 0
    for i, raw in enumerate(source.text.split("\n")):
        start, end = pos, pos + len(raw)
        pos = end + 1
        stripped = raw.strip()
        if not stripped or i in noise or re.fullmatch(r"\d{1,3}", stripped):
            continue
        lead = len(raw) - len(raw.lstrip())
        s = start + lead
        e = s + len(stripped)
        out.append(Line(i, s, e, raw, stripped, fold(stripped)))
    return _join_article_headings(out)


#: "**Điều" alone on a line: a Markdown page wrapped an article heading after its first word
_BARE_ARTICLE_WORD = re.compile(r"^[*_\s]*[ĐD]i[êeề]u[*_\s]*$")
_ARTICLE_NUMBER = re.compile(r"^[*_\s]*\d{1,3}\s*[.:]")


_CLAUSE_START = re.compile(r"^[*_]*(?:\d{1,2}\.|[a-zđ]\)|[-–+•])\s")


def _title_line(text: str) -> bool:
    """A line that can be an article's title: short, capitalised, no list marker, no closing
    punctuation ("Tổ chức thực hiện", "Hiệu lực thi hành"); a sentence ends with one."""
    t = text.strip(" *_")
    return (0 < len(t) <= 120 and t[:1].isupper() and t[-1:] not in ".;:,!?…"
            and not _CLAUSE_START.match(t) and not ARTICLE.match(t))


#: A title cut after the first word of its owner's name ("Trách nhiệm của Sở" / "Công Thương"
#: with the reader's bold dropped): one capitalised word after "của" cannot end a body's name.
_DANGLING_OWNER = re.compile(r"\bcủa\s+(\w+)$")


def _join_article_headings(lines: list[Line]) -> list[Line]:
    """Article headings that a Markdown page wrapped over lines, as one line.

    Why: a hard-wrapped page prints "**Điều" / "12. Trách nhiệm của Sở Tài chính**" or
    "**Điều 3." / "Tổ chức thực hiện**"; a heading is read from one line, so the article was
    lost (the first) or lost its title (the second). A bare "Điều" joins the number line after
    it; an article line with no title joins a title line under it ("Điều 3." / "Tổ chức thực
    hiện", the reader having dropped the bold that joined them); an article line whose bold
    span is still open joins the next lines (three at most) up to the one that closes it. DOCX
    and PDF renditions print the heading as one paragraph.
    """
    out: list[Line] = []
    k = 0
    while k < len(lines):
        group = [lines[k]]
        if _BARE_ARTICLE_WORD.match(lines[k].text) and k + 1 < len(lines) and _ARTICLE_NUMBER.match(lines[k + 1].text):
            group.append(lines[k + 1])
        text = join([ln.text for ln in group])
        m = ARTICLE.match(text)
        nxt = lines[k + len(group)] if k + len(group) < len(lines) else None
        if m and not m.group(2).strip(" *_") and nxt is not None and _title_line(nxt.text):
            group.append(nxt)  # "Điều 3." / "Tổ chức thực hiện": the title the reader left on its own line
            text = join([ln.text for ln in group])
        elif ((owner := _DANGLING_OWNER.search(m.group(2).strip(" *_")) if m else None) and owner.group(1)[:1].isupper()
              and nxt is not None and _title_line(nxt.text)):
            group.append(nxt)  # "Điều 3. Trách nhiệm của Sở" / "Công Thương": the name goes on
            text = join([ln.text for ln in group])
        elif m and text.count("**") % 2:
            more = lines[k + len(group):k + len(group) + 3]
            close = next((j for j, ln in enumerate(more) if ln.text.count("**") % 2), None)
            if close is not None and not any(ARTICLE.match(ln.text) for ln in more[:close + 1]):
                group += more[:close + 1]
                text = join([ln.text for ln in group])
        if len(group) == 1:
            out.append(lines[k])
        else:
            first, last = group[0], group[-1]
            out.append(Line(last.index, first.start, last.end, first.raw, text, fold(text)))
        k += len(group)
    return out


def text_offset(source: SourceText, original_offset: int) -> int:
    """Inverse of ``SourceText.span``: the text index whose original offset is given."""
    return bisect_left(source.offsets, original_offset)


# -- markers ---------------------------------------------------------------------------

ROMAN, NUM, NUM2, LETTER, PAREN, DASH, PLUS = 1, 2, 3, 4, 5, 6, 7
_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
LETTERS = "abcdđefghijklmnopqrstuvwxyz"
_LOOKALIKE = {"¢": "c", "0": "o", "1": "il", "|": "il", "!": "i", "@": "a", "6": "b", "8": "g"}

_RE_ROMAN = re.compile(r"^([IVXl1]{1,5})\s?[.\-–]\s+(\S.*)$")  # "I. MỤC TIÊU", "II- NHIỆM VỤ"
_RE_NUM2 = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$")
_RE_NUM = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_RE_LETTER = re.compile(r"^[^\w\s(]{0,2}\s?([A-Za-zđĐ0-9¢|@]?)\)\s+(\S.*)$")
_RE_LETTER_DOT = re.compile(r"^([a-zđ])\.\s+(\S.*)$")  # "a. …": only the expected next letter
_RE_PAREN = re.compile(r"^\((\d{1,2})\)\s+(\S.*)$")  # "(1) Giao Bộ …": numbered items of notices
_RE_DASH = re.compile(r"^[-–—·•~]\s*(\S.*)$")
_RE_PLUS = re.compile(r"^\+\s*(\S.*)$")
_RE_APPENDIX = re.compile(r"^\s*phu\s+luc\b", re.IGNORECASE)
_RE_CLOSING = re.compile(r"^(tr\w{0,2}n\s+d\w{1,2}y\s+\S{1,2}\s|n[o0]i\s+nh\w{1,3}n\b)", re.IGNORECASE)
_RE_NOTE = re.compile(r"^\(.*phu\s+luc", re.IGNORECASE)
_TERMINAL = ".;:!?…"
#: "Điều 3. Giao …": an article of a decision (read by :mod:`.articles`)
ARTICLE = re.compile(r"^[*_\s]*[ĐD]i[êeề]u\s+(\d{1,3})\s*[.:]\s*[*_]*\s*(.*)$")


def roman_value(token: str) -> int | None:
    t = token.replace("l", "I").replace("1", "I")
    return _ROMANS.index(t) + 1 if t in _ROMANS else None


def _upper_ratio(s: str) -> float:
    letters = [c for c in s if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def is_roman_heading(line: Line, loose: bool = False) -> tuple[str, str] | None:
    """('III', heading) for a top-level heading line, whatever OCR did to the numeral.

    Headings are printed in capitals; ``loose`` also takes a sentence-case heading
    ("I. Trách nhiệm phối hợp …"), for a document that prints no capital one."""
    m = _RE_ROMAN.match(line.text)
    if not m or roman_value(m.group(1)) is None:
        return None
    if _upper_ratio(m.group(2)) < 0.7 and not (loose and m.group(2)[0].isupper() and line.text[0] in "IVX"):
        return None
    return _ROMANS[roman_value(m.group(1)) - 1], m.group(2)  # type: ignore[operator]


def _is_appendix_start(line: Line) -> bool:
    """"Phụ lục I" / "PHỤ LỤC II. DANH MỤC …" — not a wrapped "… tại Phụ lục II kèm theo)."."""
    if not _RE_APPENDIX.match(line.folded) or re.search(r"kem\s+theo|\)\W*$", line.folded, re.IGNORECASE):
        return False
    return len(line.text) < 40 or line.text[:7].isupper()


def body_bounds(lines: list[Line], loose: bool = False) -> tuple[int, int]:
    """[first, last) indexes into ``lines`` of the main body (see the module docstring)."""
    first = next((i for i, ln in enumerate(lines) if (h := is_roman_heading(ln, loose)) and h[0] == "I"), None)
    if first is None:  # a plan that numbers its first heading "II." (section I not printed)
        first = next((i for i, ln in enumerate(lines) if (h := is_roman_heading(ln, loose)) and h[0] == "II"), None)
    if first is None:
        return 0, 0
    return first, _body_end(lines, first)


def _body_end(lines: list[Line], first: int) -> int:
    """The body ends at the first appendix, closing formula or decision article after
    ``first``: a decision that approves a plan prints the plan inside "Điều 1" and goes on
    with "Điều 2. Quyết định này có hiệu lực …" — the next article is no part of the plan's
    last item."""
    for j in range(first + 1, len(lines)):
        f = lines[j].folded
        if _is_appendix_start(lines[j]) or _RE_CLOSING.match(f) or ARTICLE.match(lines[j].text):
            return j
    return len(lines)


def item_body_bounds(lines: list[Line]) -> tuple[int, int, bool]:
    """[first, last) of the body and whether its roman headings are sentence case.

    Letters, telegrams, notices and directives often print no capital roman heading:
    their body is a sentence-case roman list ("I. Trách nhiệm …") or a plain numbered
    list ("1. Bộ Tài chính: …") under the preamble. Their items assign work as a plan's
    do, so the body starts at such a list's first item (:func:`body_bounds` stays the
    plan rule the header readers use). A decision's numbered list sits inside its
    articles, which :mod:`.articles` reads: it is no body."""
    first, last = body_bounds(lines)
    if last:
        return first, last, False
    first, last = body_bounds(lines, loose=True)
    if last:
        return first, last, True
    start = next((i for i, ln in enumerate(lines) if (m := _RE_NUM.match(ln.text)) and m.group(1) == "1"), None)
    if start is None or any(ARTICLE.match(ln.text) for ln in lines):  # a decision: its articles assign
        return 0, 0, False
    return start, _body_end(lines, start), False


#: "Kính gửi:" — the salutation of a letter or telegram, before its body
_SALUTATION = re.compile(r"^[*_\s]*k[iíì]nh\s+g[uửư]i\b", re.IGNORECASE)


def unlisted_letter_body(lines: list[Line]) -> list[Line]:
    """The lines of a letter that prints no list (``item_body_bounds`` found none), from its
    salutation ("Kính gửi: Bộ trưởng Bộ Xây dựng.") to its closing ("Nơi nhận"); empty
    without a salutation. Lines that hold only table markup ("|") are left out (scraped
    Markdown frames the header so); the caller drops the salutation's own paragraph."""
    start = next((i for i, ln in enumerate(lines) if _SALUTATION.match(ln.text)), None)
    if start is None:
        return []
    return [ln for ln in lines[start:_body_end(lines, start)] if re.search(r"\w", ln.text)]


# -- the tree --------------------------------------------------------------------------

@dataclass
class Node:
    level: int
    number: str  # as printed: "III", "5", "1.1", "o)", "-"
    key: str  # path component
    path: str
    parent: Node | None
    first_line: int  # index into the line list
    own: list[Line] = field(default_factory=list)  # the item's own text, children excluded
    children: list[Node] = field(default_factory=list)
    last_line: int = -1  # last content line of the node or its descendants
    body: str = ""  # first-line text with the marker removed


def _successor(letter: str | None) -> str:
    if letter is None:
        return "a"
    i = LETTERS.index(letter)
    return LETTERS[min(i + 1, len(LETTERS) - 1)]


def _letter(cand: str, prev: str | None) -> str | None:
    """The letter an item marker stands for, given the previous sibling's letter."""
    exp = _successor(prev)
    options = _LOOKALIKE.get(cand, cand.lower())
    if exp in options or (not options and prev is not None):
        return exp
    if "d" in options and prev == "d":
        return "đ"  # OCR drops the stroke of đ
    p = LETTERS.index(prev) if prev else -1
    for c in options:
        if c in LETTERS and p < LETTERS.index(c) <= p + 3:
            return c
    return None


def _classify(line: Line, parent_of: dict[int, Node | None], prev_line: Line | None,
              loose: bool = False, roots: list[Node] | None = None) -> tuple[int, str, str, str] | None:
    """(level, number, key, rest) when ``line`` starts a new item of the tree; ``roots`` are
    the items with no parent (the numbered list of a body without roman headings)."""
    text = line.text
    h = is_roman_heading(line, loose)
    if h:
        return ROMAN, h[0], h[0], h[1]
    section = parent_of.get(NUM)
    h = is_roman_heading(line, loose=True) if not loose and section is not None and section.level == ROMAN else None
    if h and section is not None and _ROMANS.index(h[0]) == _ROMANS.index(section.number) + 1 \
            and len(h[1].split()) <= 12:
        # "IV. Tổ chức thực hiện." after "III. DỰ TOÁN KINH PHÍ": the next part, printed in
        # sentence case by a plan whose other parts are in capitals
        return ROMAN, h[0], h[0], h[1]
    m = _RE_NUM2.match(text)
    if m:
        return NUM2, f"{m.group(1)}.{m.group(2)}", m.group(2), m.group(3)
    m = _RE_NUM.match(text)
    if m:
        n = int(m.group(1))
        parent = parent_of.get(NUM)
        sibs = [c for c in (parent.children if parent else roots or []) if c.level == NUM]
        expected = int(sibs[-1].number) + 1 if sibs else 1
        if n == expected:
            return NUM, m.group(1), m.group(1), m.group(2)
        return None
    m = _RE_LETTER.match(text)
    if m:
        parent = parent_of.get(LETTER)
        sibs = [c for c in parent.children if c.level == LETTER] if parent else []
        prev = sibs[-1].key if sibs else None
        letter = _letter(m.group(1), prev)
        if letter:
            return LETTER, f"{letter})", letter, m.group(2)
    m = _RE_LETTER_DOT.match(text)
    if m:
        parent = parent_of.get(LETTER)
        sibs = [c for c in parent.children if c.level == LETTER] if parent else []
        if m.group(1) == _successor(sibs[-1].key if sibs else None):
            return LETTER, f"{m.group(1)}.", m.group(1), m.group(2)
    m = _RE_PAREN.match(text)
    if m:
        parent = parent_of.get(PAREN)
        sibs = [c for c in (parent.children if parent else roots or []) if c.level == PAREN]
        if int(m.group(1)) == len(sibs) + 1:
            return PAREN, f"({m.group(1)})", m.group(1), m.group(2)
    m = _RE_DASH.match(text)
    if m and (m.group(1)[0].isupper() or m.group(1)[0] in "“\"'(" or prev_line is None
              or prev_line.text[-1] in _TERMINAL or len(prev_line.text) < 60):
        return DASH, "-", "", m.group(1)
    m = _RE_PLUS.match(text)
    if m:
        return PLUS, "+", "", m.group(1)
    return None


def parse_body(source: SourceText, lines: list[Line] | None = None) -> tuple[list[Node], list[Line]]:
    """All nodes of the body in reading order, and the line list they index."""
    lines = lines if lines is not None else text_lines(source)
    first, last, loose = item_body_bounds(lines)
    nodes: list[Node] = []
    roots: list[Node] = []
    stack: list[Node] = []
    current: Node | None = None
    prev_line: Line | None = None
    skip_until = -1
    for i in range(first, last):
        line = lines[i]
        if i <= skip_until:
            continue
        note_end = _note_end(lines, i, last)
        if note_end is not None:  # "(Chi tiết tại Phụ lục I kèm theo)." closes the item
            current = None
            prev_line = lines[note_end]
            skip_until = note_end
            continue
        parent_of: dict[int, Node | None] = {}
        for lvl in (ROMAN, NUM, NUM2, LETTER, PAREN, DASH, PLUS):
            parent_of[lvl] = next((n for n in reversed(stack) if n.level < lvl), None)
        got = _classify(line, parent_of, prev_line, loose, roots)
        if got is None:
            if current is not None:
                current.own.append(line)
                for n in [current, *ancestors(current)]:
                    n.last_line = i
            prev_line = line
            continue
        level, number, key, rest = got
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        if level in (DASH, PLUS):
            key = f"i{sum(1 for c in (parent.children if parent else []) if c.level == level) + 1}"
        if level == NUM2 and parent is not None and parent.level == NUM and number.split(".")[0] != parent.number:
            key = number  # "2.1" printed under "1.": keep both numbers in the path
        if parent is None:
            path = key
        elif level == NUM2 and parent.level == ROMAN:
            path = f"{parent.path}.{number}"
        else:
            path = f"{parent.path}.{key}"
        node = Node(level, number, key, path, parent, i, [line], last_line=i, body=rest)
        (parent.children if parent is not None else roots).append(node)
        for a in [parent, *ancestors(parent)] if parent is not None else []:
            a.last_line = i
        nodes.append(node)
        stack.append(node)
        current = node
        prev_line = line
    return nodes, lines


def _note_end(lines: list[Line], i: int, last: int) -> int | None:
    """Index of the last line of a parenthetical pointer to an appendix starting at ``i``."""
    if not lines[i].text.startswith("("):
        return None
    for j in range(i, min(i + 4, last)):
        if lines[j].text.rstrip(" ./").endswith(")"):
            joined = " ".join(ln.folded for ln in lines[i:j + 1])
            return j if _RE_NOTE.match(joined) else None
    return None


def ancestors(node: Node) -> list[Node]:
    out = []
    p = node.parent
    while p is not None:
        out.append(p)
        p = p.parent
    return out


def own_text(node: Node) -> str:
    """The item's own words (marker removed, children excluded), lines joined."""
    return join([node.body] + [ln.text for ln in node.own[1:]])


def first_paragraph(node: Node, width: int) -> str:
    """The heading part of an item: its marker line and the lines that continue it.

    A wrapped heading continues on a line that starts in lower case, or after a line
    that neither ends a sentence nor stops short of the text width; a short line
    ("2. Đến năm 2045") followed by a capitalised one ends the heading.
    """
    parts = [node.body]
    prev = node.own[0]
    for ln in node.own[1:]:
        ended = prev.text[-1] in _TERMINAL or len(prev.text) < 0.6 * width
        if ended and not ln.text[0].islower():
            break
        parts.append(ln.text)
        prev = ln
    return join(parts)


def line_width(lines: list[Line]) -> int:
    """A typical full line length (the 80th percentile), to tell short lines apart."""
    lens = sorted(len(ln.text) for ln in lines) or [80]
    return lens[int(0.8 * (len(lens) - 1))]


def node_span_end(node: Node, lines: list[Line]) -> int:
    return lines[node.last_line].end


def extract_sections(source: SourceText) -> list[SectionRecord]:
    """Sections of the main body, parents before children, appendices excluded."""
    nodes, lines = parse_body(source)
    width = line_width(lines)
    out: list[SectionRecord] = []
    for n in nodes:
        heading = clean_letters(n.body.strip()) if n.level == ROMAN else first_paragraph(n, width)
        start = lines[n.first_line].start
        out.append(SectionRecord(
            path=n.path, number=n.number, heading=heading,
            parent=n.parent.path if n.parent else None,
            span=source.span(start, node_span_end(n, lines)), appendix=False,
        ))
    return out


def heading_chain(by_path: dict[str, SectionRecord], path: str | None) -> list[str]:
    """The headings of the section ``path`` and of its ancestors, nearest first: what a rule
    reads when a heading anywhere above an item decides what the item is (a forecast, a
    procedure appendix). ``by_path`` maps each section's path to its record."""
    out: list[str] = []
    node = by_path.get(path or "")
    while node is not None:
        out.append(node.heading)
        node = by_path.get(node.parent) if node.parent else None
    return out
