"""PDF (with a text layer) → plain text page by page, and its ruled tables.

Pages are joined with ``"\\n\\f"``: every page after the first starts its first line
with a form feed, as ``pdftotext`` does. The normaliser drops the ``\\f`` (so extractors
never see it and lines stay the same), while :mod:`plankg.ingest.readers.noise` uses it to find
page tops and bottoms — where running headers, footers and page numbers live.

Tables: pdfplumber's table finder (ruled grids) gives each table's rows and cells. Why
not only ``extract_text()``: it prints a table line by line across the columns, so a
cell wrapped over five lines is cut into five pieces interleaved with its neighbours'.
So the text outside the tables is taken line by line, each table row is written as one
line with its cells joined by TAB (as the DOCX reader writes it) at the row's place on
the page, and the rows go to ``tables``. A table that runs on over a page break (it
closes the page, the next page opens with a table of as many columns, or with its
header repeated) is one table: the repeated header is dropped, and a row cut by the
break (the next page's first row has an empty first cell) is joined to the row it
continues and written, whole, on that row's line.

A PDF without any text is a scan: we refuse it with a clear message instead of
returning an empty document (OCR it first, then ingest the .txt).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plankg.folding import fold
from plankg.ingest.errors import IngestError
from plankg.ingest.readers.limits import ReaderLimits, check_pdf_pages
from plankg.ingest.readers.normalize import TONE_MARKS, join_lines

PAGE_SEPARATOR = "\n\f"
#: Lines between a table and the page edge that may still let it continue on the next
#: page (a page number, a running header), and how long such a line may be.
_EDGE_LINES = 2
_EDGE_CHARS = 40


@dataclass
class RenderedPdf:
    text: str
    tables: list[list[list[str]]]
    row_lines: list[list[int]]  # the 0-based line of each table row


@dataclass
class _CellLine:
    """One printed line of a table cell and where it sits in its cell: its right end, the
    cell's inner right edge and inner width (the cell less its padding), and the widths of
    its first word, last word and first letter — what tells a word the cell was too narrow
    for (broken anywhere) from a line wrapped at a space."""

    text: str
    x1: float
    right: float
    width: float
    first_word: float
    last_word: float
    first_char: float


@dataclass
class _Table:
    rows: list[list[str]]
    ncols: int
    lines: list[int] = field(default_factory=list)  # filled when rendering
    #: each row's cells as printed lines (empty when the table was built from text alone)
    cells: list[list[list[_CellLine]]] = field(default_factory=list)


@dataclass
class _Item:
    """One rendered line of a page: text, or row ``row`` of ``table`` (None: blanked)."""

    top: float
    text: str = ""
    table: _Table | None = None
    row: int = -1
    line: _Geometry | None = None  # where a text line sits on its page (paragraphs are rebuilt from it)


@dataclass
class _Geometry:
    """A text line's place: left and right ends, top and bottom, font size, the width of its
    first word, whether it has a gap wider than a word space (columns side by side: the header
    block, a signature), and the page's width (margins are learnt per page size)."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    first_word: float
    columns: bool
    page_width: float


def render_pdf(raw: bytes, path: str | Path, warn: Callable[[str], None], max_pages: int | None = None) -> RenderedPdf:
    """Return the text of all pages and their tables; raises :class:`IngestError` for scans,
    broken files and PDFs of more than ``max_pages`` pages (counted before any page is read)."""
    import pdfplumber

    name = Path(path).name
    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except Exception as e:  # pdfminer raises many unrelated types
        if "password" in (type(e).__name__ + str(e)).lower() or "encrypt" in str(e).lower():
            raise IngestError(path, "Tệp PDF có mật khẩu", "encrypted PDF", str(e) or type(e).__name__) from e
        raise IngestError(path, "Tệp PDF bị hỏng, không đọc được", "corrupt PDF", f"{type(e).__name__}: {e}") from e
    pages: list[list[_Item]] = []
    with pdf:
        if max_pages is not None:
            _check_pages(pdf, path, max_pages)
        try:
            for page in pdf.pages:
                pages.append(_page_items(page))
        except Exception as e:
            raise IngestError(path, "Tệp PDF bị hỏng, không đọc được", "corrupt PDF",
                              f"page {len(pages) + 1}: {type(e).__name__}: {e}") from e
    if not pages:
        raise IngestError(path, "Tệp PDF không có trang nào", "PDF has no pages")
    if not any(it.text.strip() or it.table for p in pages for it in p):
        raise IngestError(path, "Tệp PDF không có lớp văn bản (bản scan?): hãy nhận dạng chữ (OCR) trước "
                          "rồi nạp tệp văn bản thu được",
                          "no text layer (scanned PDF?): run OCR first and ingest the text it gives")
    empty = [str(i + 1) for i, p in enumerate(pages) if not any(it.text.strip() or it.table for it in p)]
    if empty:
        warn(f"{name}: các trang {', '.join(empty)} không có chữ (pages without a text layer: {', '.join(empty)})")
    tables = _join_across_pages(pages)
    if not _printed_lines(pages):
        _paragraphs(pages)
    text = _write(pages)
    cids = len(re.findall(r"\(cid:\d+\)", text))
    if cids > 20:
        warn(f"{name}: phông chữ PDF thiếu bảng mã Unicode, văn bản có thể bị lỗi "
             f"(PDF font without Unicode map: {cids} '(cid:N)' glyphs)")
    return RenderedPdf(text, [t.rows for t in tables], [t.lines for t in tables])


#: Final consonants of a Vietnamese syllable, and the letters that end a final when a cell
#: too narrow for a word breaks it after its first letter ("phẩ" / "m", "hoạc" / "h").
_FINALS = frozenset({"c", "ch", "m", "n", "ng", "nh", "p", "t"})
_VOWELS = frozenset("aăâeêioôơuưy")


def _cell(value: str | None) -> str:
    """A cell's lines joined by spaces, except where the cell broke a word: a line made only
    of the rest of a syllable's final consonant ("Sản phẩ" / "m", "Kế hoạc" / "h", "Lượn" /
    "g (Tấn" / ")"), the rest of a syllable after its first consonants ("(Ngh" / "ìn USD)") or
    the rest of a number ("240." / "000", "2025-" / "2030") joins the line before it. A Vietnamese syllable has
    a vowel, so a piece without one is no word of its own; an abbreviation ("UBND" / "TP") is
    left alone."""
    out = ""
    for line in (value or "").split("\n"):
        words = line.split()
        if not words:
            continue
        if out and _rest_of_word(out.rsplit(" ", 1)[-1], words[0]):
            out += line.strip()
        else:
            out = f"{out} {' '.join(words)}".strip() if out else " ".join(words)
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", " ".join(out.split())))


def _cell_text(lines: list[_CellLine]) -> str:
    """A cell's text: a word the cell was too narrow for, broken where the line was full,
    is whole again (:func:`_word_cut`); then the text rules of :func:`_cell`."""
    raw = ""
    for k, line in enumerate(lines):
        if k and _word_cut(lines[k - 1], line):
            raw += line.text
        else:
            raw = f"{raw}\n{line.text}" if k else line.text
    return _cell(raw)


def _word_cut(a: _CellLine, b: _CellLine) -> bool:
    """Did the line break between ``a`` and ``b`` cut a word? A word processor moves a word
    that does not fit at a line's end to the next line, and cuts it only when it is wider
    than the whole line: then ``a`` is full to the cell's edge (not even the next letter
    would have fitted) and the pieces ``a`` ends with and ``b`` starts with, glued, are wider
    than the cell. In a narrow cell two whole words often look the same ("phẩm" / "chè": one
    word a line, each line full), so the layout only says a cut is possible and the pieces
    decide: glued they make one Vietnamese syllable ("NGHĨ" / "A", "CHUY" / "ỂN", "Thỏ" /
    "a"), or they are a symbol or a date cut after its slash ("385/N" / "Q-CP", "01/12/2" /
    "025"), where a line wrapped at a space would have moved the whole symbol."""
    if not a.text or not b.text or a.text[-1] in ",;:.)":
        return False
    full = a.right - a.x1 < b.first_char + 0.5
    if not (full and a.last_word + b.first_word > a.width + 0.5):
        return False
    before, piece = a.text.rsplit(" ", 1)[-1], b.text.split(" ", 1)[0]
    if "/" in before:
        return _symbol_cut(before.rsplit("/", 1)[1], piece)
    return _one_syllable(before + piece)


def _symbol_cut(tail: str, piece: str) -> bool:
    """``tail`` (what follows a symbol's or date's last slash at a line's end) and ``piece``
    are one part of it: the break came right after the slash ("93/2025/" / "QH15"), or inside
    a number ("01/12/2" / "025"), an upper-case code ("385/N" / "Q-CP") or a syllable
    ("đồng/người/n" / "gày"); not a whole symbol and the next word ("1132/QĐ-TTg" / "ngày"), nor
    a word with a slash of its own before a small letter ("…/BNV-CQĐP" / "V/v …", a letter's
    subject line: round 6, 0d99145eee8ac0ff), which no symbol's part holds."""
    if not re.match(r"[^\W_]", piece):
        return False
    if not tail:
        return True
    if tail[-1].isdigit() and piece[0].isdigit():
        return True
    if tail.replace("-", "").isalpha() and tail.isupper() and piece[0].isupper():
        # not "Số: 10988/BNV-CQĐP" / "V/v tuyên truyền …": a word with a slash of its own
        # before a small letter, the subject line's label, is no part of a code
        return not any(piece[k + 1:k + 2].islower() for k in range(len(piece)) if piece[k] == "/")
    return _one_syllable(tail + re.sub(r"\W+$", "", piece))


def _one_syllable(word: str) -> bool:
    """Is ``word`` (letters only) one Vietnamese syllable: first consonants (:data:`_ONSETS`),
    one to three vowels, a final consonant (:data:`_FINALS`) — vowel marks set aside — and at
    most one tone mark?"""
    if sum(ch in TONE_MARKS for ch in unicodedata.normalize("NFD", word)) > 1:
        return False  # a syllable has one tone ("Đề" / "án" are two words)
    bare = fold(word).lower()  # the one fold (plankg.folding): marks dropped, "đ" → "d"
    parts = re.fullmatch(r"([^aeiouy]*)([aeiouy]{1,3})([^aeiouy]*)", bare)
    if parts is None:
        return False
    return (not parts[1] or parts[1] in _ONSETS) and (not parts[3] or parts[3] in _FINALS)


def _table_cells(table: Any, chars: list[dict[str, Any]]) -> list[list[list[_CellLine]]]:
    """The printed lines of every cell of a pdfplumber table, read as ``Table.extract`` reads
    them (a character belongs to the cell holding its centre; words and lines as
    ``extract_text`` makes them), with each line's place in its cell."""
    from pdfplumber.utils.text import WordExtractor, cluster_objects

    def inside(c: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
        v, h = (c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2
        return box[0] <= h < box[2] and box[1] <= v < box[3]

    words_of = WordExtractor()
    raw: list[list[tuple[tuple[float, float, float, float] | None, list[list[dict[str, Any]]]]]] = []
    for row in table.rows:
        row_chars = [c for c in chars if inside(c, row.bbox)]
        cells = []
        for box in row.cells:
            lines: list[list[dict[str, Any]]] = []
            if box is not None:
                words = words_of.extract_words([c for c in row_chars if inside(c, box)], return_chars=True)
                lines = cluster_objects(words, lambda w: w["top"], 3)
            cells.append((box, lines))
        raw.append(cells)
    # the cells' padding: the least space between a cell's left side and its text
    pads = [ws[0]["x0"] - box[0] for r in raw for box, lines in r if box for ws in lines]
    pad = min(max(min(pads, default=0.0), 0.0), 10.0)
    out: list[list[list[_CellLine]]] = []
    for r in raw:
        out.append([[_cell_line(ws, box, pad) for ws in lines] if box else [] for box, lines in r])
    return out


def _cell_line(words: list[dict[str, Any]], box: tuple[float, float, float, float], pad: float) -> _CellLine:
    first, last = words[0], words[-1]
    chars = first.get("chars") or []
    first_char = float(chars[0]["x1"] - chars[0]["x0"]) if chars else (first["x1"] - first["x0"]) / max(len(first["text"]), 1)
    return _CellLine(" ".join(w["text"] for w in words), max(float(w["x1"]) for w in words), box[2] - pad,
                     box[2] - box[0] - 2 * pad, float(first["x1"] - first["x0"]), float(last["x1"] - last["x0"]), first_char)


def _rest_of_word(before: str, piece: str) -> bool:
    """Is ``piece`` (a line's first word) the rest of ``before`` (the last word of the line
    above), cut by the line break: a syllable's end, a number's, a hyphenated word's?"""
    return _rest_of_syllable(before, piece) or _rest_of_number(before, piece) or _rest_of_hyphenated(before, piece)


def _rest_of_number(before: str, piece: str) -> bool:
    """"240." / "000": a number broken after its thousands separator, "13.50" / "0" inside a
    group; "2025-" / "2030",
    "12/" / "2025": a range or a date broken after its dash or slash."""
    if re.search(r"\d[-–/]$", before):
        return bool(re.match(r"\d", piece))
    group = re.search(r"(?<![\d.,])\d{1,3}(?:\.\d{3})*\.(\d{1,2})$", before)
    if group and re.fullmatch(r"\d{1,2}", piece) and len(group.group(1)) + len(piece) == 3:
        return True  # "13.50" / "0": a narrow column broke a thousands group
    return bool(re.search(r"\d[.,]$", before) and re.match(r"\d{3}(?!\d)", piece))


def _rest_of_hyphenated(before: str, piece: str) -> bool:
    """A word or symbol broken at its hyphen: "07-" / "TB/CQTTBCĐ", "mobile-" / "money",
    "e-" / "Government" (the line breaks after a hyphen glued to a word, so the hyphen was in
    the text: a dash between words is printed with spaces, "Văn hóa -" / "Xã hội"), and
    "4577/BKHCN" / "-CĐSQG" (a symbol broken before its hyphen: the piece opens with the
    hyphen glued to a word, and the word before it holds the symbol's slash)."""
    if re.search(r"[^\W_]-$", before):
        return bool(re.match(r"[^\W_]", piece))
    return "/" in before and bool(re.match(r"-[^\W_]", piece)) and not before.endswith((".", ";", ":", ","))


_ONSETS = frozenset({"b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
                     "p", "ph", "q", "qu", "r", "s", "t", "th", "tr", "v", "x"})


def _onset_only(word: str) -> bool:
    """Is ``word`` only the first consonants of a syllable ("Ngh", "nh")? A single letter
    ("điểm d") and an upper-case abbreviation ("TP", "UBND") are words of their own."""
    return word.lower() in _ONSETS and len(word) >= 2 and not word.isupper()


def _rest_of_syllable(before: str, piece: str) -> bool:
    """Is ``piece`` (the first word of a cell's next line) the end of the word ``before``?"""
    head = re.match(r"[^\W\d_]+", piece)
    tail = re.search(r"[^\W\d_]+$", before)  # "(Ngh" / "ìn": the letters that end the line
    if head is None or tail is None:
        return False
    before = tail.group()
    frag = head.group()
    if piece[len(frag):len(frag) + 1] in (")", "."):
        return False  # a list marker "c)", "c." on its own line
    if _onset_only(before):
        # "Ngh" / "ìn USD": a syllable's first consonants, then its vowel on the next line
        return unicodedata.normalize("NFD", frag[0].lower())[0] in _VOWELS and frag.isupper() == before.isupper()
    if len(frag) > 2 or (frag.isupper() and not before.isupper()) or (frag.islower() and not before[-1].islower()):
        return False
    last = unicodedata.normalize("NFD", before[-1].lower())[0]
    if last in _VOWELS:
        return frag.lower() in _FINALS
    return last in "nc" and (last + frag.lower()) in _FINALS


def _page_items(page: Any) -> list[_Item]:
    """The page's text lines outside its tables and its table rows, top to bottom."""
    found = [t for t in page.find_tables() if t.rows and len(t.rows[0].cells) >= 2]
    boxes = [t.bbox for t in found]

    def outside(obj: dict[str, Any]) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    items = [_Item(ln["top"], ln["text"].replace("\f", ""), line=_geometry(ln, page.width))
             for ln in rest.extract_text_lines()]
    for t in found:
        cells = _table_cells(t, page.chars)
        rows = [[_cell_text(c) for c in r] for r in cells]
        table = _Table(rows, max(len(r) for r in rows), cells=cells)
        items += [_Item(r.bbox[1], table=table, row=k) for k, r in enumerate(t.rows)]
    items.sort(key=lambda it: it.top)
    return items


def _geometry(line: dict[str, Any], page_width: float) -> _Geometry:
    chars = [c for c in line.get("chars", []) if c.get("text", "").strip()]
    size = max((float(c.get("size", 0)) for c in chars), default=0.0) or (line["bottom"] - line["top"])
    first_end, gap = line["x1"], 0.0
    for a, b in zip(chars, chars[1:]):
        g = float(b["x0"]) - float(a["x1"])
        if g > 0.15 * size and first_end == line["x1"]:
            first_end = float(a["x1"])  # the first word ends where the first space is
        gap = max(gap, g)
    return _Geometry(line["x0"], line["x1"], line["top"], line["bottom"], size, first_end - line["x0"],
                     gap > 2 * size, float(page_width))


def _margins(pages: list[list[_Item]]) -> dict[int, tuple[float, float]]:
    """The left and right ends of the text block for each page width (portrait and landscape
    pages differ): most lines of running text start at the left margin (the 10th percentile of
    the line starts); no line of text runs past the right one, and a full line reaches it (the
    longest line: a document with few full lines still has one)."""
    ends: dict[int, tuple[list[float], list[float]]] = {}
    for items in pages:
        for it in items:
            if it.line is not None and not it.line.columns:
                xs = ends.setdefault(round(it.line.page_width), ([], []))
                xs[0].append(it.line.x0)
                xs[1].append(it.line.x1)
    out: dict[int, tuple[float, float]] = {}
    for width, (x0s, x1s) in ends.items():
        x0s.sort()
        x1s.sort()
        out[width] = (x0s[int(0.1 * (len(x0s) - 1))], x1s[-1])
    return out


def _line_gap(pages: list[list[_Item]], margins: dict[int, tuple[float, float]]) -> float:
    """The usual space between two lines of one paragraph: the lower quartile of the spaces
    between consecutive text lines (paragraph spacing, where a document has it, is larger),
    read after full lines where there are a few: a full line is mostly one a paragraph goes on
    from. A letter of one- and two-line paragraphs has more paragraph spaces than line spaces,
    and the quartile of all spaces is then the paragraph spacing: "… tiền thuê đất." above
    "Đề nghị Thuế tỉnh …" was joined into one paragraph (round 6: 1871c6bc374a0bc4)."""
    gaps: list[float] = []
    full: list[float] = []
    for items in pages:
        lines = [it.line for it in items]
        for a, b in zip(lines, lines[1:]):
            if a is not None and b is not None and b.top >= a.bottom - 1:
                gaps.append(b.top - a.bottom)
                right = margins.get(round(a.page_width), (0.0, a.x1))[1]
                if right - a.x1 < 2 * a.size and not a.columns:
                    full.append(b.top - a.bottom)
    use = sorted(full if len(full) >= 3 else gaps)
    return use[len(use) // 4] if use else 0.0


def _goes_on(a: _Geometry, b: _Geometry, right: float, line_gap: float | None) -> bool:
    """Does line ``b`` go on with the paragraph line ``a`` belongs to? Only when ``a`` is full:
    ``b``'s first word would not have fitted after it (so the break was the line's end, not
    the paragraph's: "7. Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường" above
    "Trên cơ sở …" stops short and stays a heading); ``b`` is not indented further than ``a``
    (a first-line indent opens a paragraph); no wider gap than a line's spacing between them
    on a page (``line_gap``; None across a page break); neither line holds columns side by
    side."""
    if a.columns or b.columns:
        return False
    if right - a.x1 > b.first_word + 0.8 * b.size:  # a word space and half an em of slack
        return False
    if b.x0 > a.x0 + 0.5 * b.size:
        return False
    if line_gap is not None and not -1 <= b.top - a.bottom <= line_gap + 0.25 * b.size:
        return False
    return abs(a.size - b.size) <= 0.5


def _paragraphs(pages: list[list[_Item]]) -> None:
    """Join each paragraph's lines into its first line, as a DOCX paragraph is one line, so
    every format reads the same text. A paragraph goes on over a page break when the page's
    last line is full and the next page's first line goes on with it; a page number alone on
    its line (at the page's foot or top) is passed over and kept on its own line."""
    margins = _margins(pages)
    gap = _line_gap(pages, margins)
    head: _Item | None = None  # the first line of the paragraph still open
    last: _Geometry | None = None  # its last line
    last_page = -1
    for p, items in enumerate(pages):
        keep: list[_Item] = []
        for it in items:
            g = it.line
            if g is None:  # a table row ends any paragraph
                head = last = None
            elif _PAGE_NUMBER.fullmatch(it.text):
                pass
            elif (head is not None and last is not None
                  and _goes_on(last, g, margins.get(round(g.page_width), (0.0, g.x1))[1], gap if last_page == p else None)
                  and (last_page == p or not _starts_anew(head.text, it.text))):
                head.text = join_lines(f"{head.text}\n{it.text}")
                last = g
                continue
            else:
                head, last, last_page = it, g, p
            keep.append(it)
        items[:] = keep


def _printed_lines(pages: list[list[_Item]]) -> bool:
    """Are the lines a text layer's printed lines set one per line (a DOCX with a paragraph
    per printed line, converted), not a paragraph wrapped at this page's margin? Then most
    lines that go on mid-sentence into a lower-case line stop short of the right margin,
    where the geometry would take them for a paragraph's end: the lines are left to the
    readers' one rule for hard-wrapped text (``normalize.unwrap_text_layer``), so the PDF
    reads as its DOCX and text copies do. A PDF that wraps its own paragraphs fills the line
    before each such break."""
    margins = _margins(pages)
    gap = _line_gap(pages, margins)
    wraps = full = 0
    for items in pages:
        for a, b in zip(items, items[1:]):
            if a.line is None or b.line is None or not b.text.strip()[:1].islower():
                continue
            if a.text.rstrip().endswith((".", ";", ":", "!", "?")) or _OPENS_ITEM.match(b.text.lstrip()):
                continue
            wraps += 1
            full += _goes_on(a.line, b.line, margins.get(round(b.line.page_width), (0.0, b.line.x1))[1], gap)
    return wraps >= 5 and 2 * full < wraps


_PAGE_NUMBER = re.compile(r"\s*\d{1,3}\s*")
#: A line that opens a list item or a step ("- ", "+ ", "2.", "b)", "(3)", "Bước 2:").
_OPENS_ITEM = re.compile(r"[-+•–]\s|\(?(?:\d{1,2}|[a-zđ])[.)]\s|\(\d{1,2}\)\s|[^\W\d_]+\s\d{1,2}[.:]")


def _starts_anew(before: str, line: str) -> bool:
    """Across a page break there is no spacing to tell a paragraph's end: a paragraph ends
    where its sentence does and the next page opens a list item or a step. (A capital alone
    does not: a paragraph's next sentence may open the page.)"""
    if not before.rstrip().endswith((".", ";", ":", "!", "?")):
        return False
    return bool(_OPENS_ITEM.match(line.lstrip()))


def _edge_ok(lines: list[_Item]) -> bool:
    return len(lines) <= _EDGE_LINES and all(len(it.text.strip()) <= _EDGE_CHARS for it in lines)


def _join_across_pages(pages: list[list[_Item]]) -> list[_Table]:
    """All tables in order, those continued over a page break joined into one."""
    prev_tail: _Table | None = None  # the table that closes the previous page, if any
    for items in pages:
        first = next((k for k, it in enumerate(items) if it.table), None)
        joined: _Table | None = None
        if first is not None and prev_tail is not None and _edge_ok(items[:first]):
            head = items[first].table
            assert head is not None
            _continue(prev_tail, head, items)
            joined = prev_tail
        last = max((k for k, it in enumerate(items) if it.table), default=None)
        if last is None and joined is not None and first is not None:
            # the page held only the rest of the row above (folded into it): the table may
            # still go on over the next page break
            prev_tail = joined if _edge_ok([it for it in items[first:] if it.text.strip()]) else None
        else:
            prev_tail = items[last].table if last is not None and _edge_ok(items[last + 1:]) else None
    tables: dict[int, _Table] = {}
    for items in pages:
        for it in items:
            if it.table is not None:
                tables.setdefault(id(it.table), it.table)
    return list(tables.values())


def _continue(prev: _Table, head: _Table, items: list[_Item]) -> None:
    """Fold ``head`` (first table of a page) into ``prev`` when it continues it."""
    repeated = bool(prev.rows) and bool(head.rows) and head.rows[0] == prev.rows[0]
    if head.ncols != prev.ncols and not repeated:
        return
    drop = {0} if repeated else set()
    k0 = 1 if repeated else 0
    geometry = len(prev.cells) == len(prev.rows) and len(head.cells) == len(head.rows)
    if k0 < len(head.rows) and prev.rows and _rest_of_row(prev, head.rows[k0], head.rows[k0 + 1:]):
        if geometry:
            prev.cells[-1] = [a + b for a, b in zip(prev.cells[-1], head.cells[k0])]
            prev.rows[-1] = [_cell_text(c) for c in prev.cells[-1]]
        else:
            prev.rows[-1] = [_cell(f"{a}\n{b}") for a, b in zip(prev.rows[-1], head.rows[k0])]
        drop.add(k0)
    if not geometry:
        prev.cells = []
    index: dict[int, int] = {}
    for k, row in enumerate(head.rows):
        if k not in drop:
            index[k] = len(prev.rows)
            prev.rows.append(row)
            if geometry:
                prev.cells.append(head.cells[k])
    for it in items:
        if it.table is head:
            it.table, it.row = (prev, index[it.row]) if it.row in index else (None, -1)


def _word_goes_on(before: str, piece: str) -> bool:
    """A word cut by a page break inside a row: a syllable or a hyphenated word. Not the
    number rule: a row numbered "13" under one numbered "12.4" is no "12.413"."""
    return _rest_of_syllable(before, piece) or _rest_of_hyphenated(before, piece)


def _filled(row: list[str]) -> frozenset[int]:
    return frozenset(k for k, c in enumerate(row) if c.strip())


def _rest_of_row(prev: _Table, row: list[str], later: list[list[str]]) -> bool:
    """Is ``row``, the first (non-header) row of a page, the rest of ``prev``'s last row that
    the page break cut? A word processor breaks a row that does not fit at the page's foot, so a
    table going on over a page usually goes on inside a row; but a row may also end right at the
    foot. The rest of a row: it leaves the number cell empty under a numbered row, or it fills
    only cells the row above filled and goes on in lower case ("khắc phục ô" / "nhiễm không
    khí.") or inside a word the break cut ("Số: 4508/QĐ-" / "BVHTTDL", :func:`_word_goes_on`).
    Not the rest of a row: a row filling one cell only, capitalised, shaped like another
    row of the table (a group heading row, "Nhiệm vụ giao Bộ trưởng …": the grid reads those as
    sections)."""
    last = prev.rows[-1]
    if len(row) != len(last):
        return False
    filled = _filled(row)
    if not filled:
        return False
    first = row[min(filled)].strip()
    lower = first[:1].islower()
    if len(filled) == 1 and not lower:
        others = prev.rows[1:-1] + later
        if any(_filled(r) == filled for r in others):
            return False
    if not row[0].strip() and last[0].strip():
        return True
    if filled <= _filled(last) and any(last[k].split() and _word_goes_on(last[k].split()[-1], row[k].split()[0])
                                       for k in filled):
        return True  # a cell goes on inside a word ("Số: 4508/QĐ-" / "BVHTTDL")
    return lower and filled <= _filled(last)


def _write(pages: list[list[_Item]]) -> str:
    """Render the pages (a row joined to the one it continues leaves an empty line);
    record the line each table row lands on."""
    out: list[str] = []
    for p, items in enumerate(pages):
        start = len(out)
        for it in items:
            if it.table is not None:
                it.table.lines.append(len(out))
                out.append("\t".join(it.table.rows[it.row]))
            else:
                out.append(it.text)
        if len(out) == start:
            out.append("")
        if p:
            out[start] = "\f" + out[start]
    return "\n".join(out)


def _check_pages(pdf: Any, path: str | Path, max_pages: int) -> None:
    """The page count from the page tree's ``/Count`` (cheap), else the pages themselves."""
    try:
        from pdfminer.pdftypes import resolve1

        count = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:  # an odd page tree: count what pdfplumber finds
        count = len(pdf.pages)
    check_pdf_pages(count, path, ReaderLimits(max_pdf_pages=max_pages))
