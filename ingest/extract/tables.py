"""Shared helpers for the appendix tables: lines with offsets, appendix regions, layouts.

Why a separate module: the task table (Phụ lục II) and the target table (Phụ lục I)
come in the same three renditions — PDF text whose cells were interleaved line by
line, DOCX text with TAB-prefixed cells, and OCR text with whole visual lines — and
both extractors need the same primitives to find the region, drop repeated headers and
page numbers, and tell the rendition apart *from the text itself* (never the file
name).

Parsing of cell contents belongs to :mod:`agencies`, :mod:`deadlines` and :mod:`values`;
:func:`agencies_of`, :func:`deadline_of`, :func:`horizon_of`, :func:`value_of` and
:func:`unit_of` are the only places in the appendix extractors that call them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from plankg.folding import fold
from plankg.ingest.extract.agencies import split_agencies
from plankg.ingest.extract.deadlines import parse_deadline
from plankg.ingest.extract.values import parse_unit, parse_value
from plankg.ingest.model import Deadline, SectionRecord, SourceText
from plankg.ingest.readers.normalize import join_lines

Layout = Literal["pdf", "tsv", "ocr"]


@dataclass(frozen=True)
class Line:
    """One line of ``SourceText.text``: ``text`` is ``source.text[start:end]``."""

    idx: int  # 0-based line number
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


def lines_of(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        out.append(Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def collapse(s: str) -> str:
    """One line for a (possibly multi-line) cell: whitespace collapsed, a line-final
    hyphen kept glued (``normalize.join_lines``)."""
    return join_lines(s)




_VIET = set("ăâđêôơưạảãấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏõốồổỗộớờởỡợụủũứừửữựỳỷỹỵ")


def viet_ratio(s: str) -> float:
    """Share of letters that are Vietnamese-specific (OCR text loses nearly all of them)."""
    letters = [c for c in s.lower() if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c in _VIET for c in letters) / len(letters)


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_value(s: str) -> int | None:
    s = s.upper()
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total if to_roman(total) == s else None


def to_roman(n: int) -> str:
    out = ""
    for v, r in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += r
            n -= v
    return out


# --- appendix regions -------------------------------------------------------------

_APPENDIX_RE = re.compile(r"^(?:phu\s*luc)\s*([ivxl|1]{1,5}|\d{1,2})?\b\.?\s*(.*)$")


@dataclass
class Appendix:
    """A "Phụ lục N" heading and the lines up to the next one (or the end)."""

    number: int | None  # 1 for "Phụ lục I"; None when unnumbered
    printed: str  # "I", "II", "" as printed (OCR confusions repaired)
    heading: Line
    title: str  # the title lines (folded), e.g. "danh muc cac nhiem vu ..."
    lines: list[Line]  # heading line excluded, region end exclusive
    title_text: str = ""  # the title as printed

    @property
    def path(self) -> str:
        return f"PL{self.number}" if self.number else "PL"


def find_appendices(lines: list[Line]) -> list[Appendix]:
    """Appendix headings are lines *starting* with "Phụ lục" (narrative mentions such
    as "(Chi tiết tại Phụ lục I kèm theo)" start with something else)."""
    heads: list[tuple[int, int | None, str, str]] = []
    for i, ln in enumerate(lines):
        f = fold(ln.stripped)
        m = _APPENDIX_RE.match(f)
        if not m or len(f) > 120:
            continue
        num_s, rest = m.group(1) or "", m.group(2)
        if rest.startswith("kem theo"):
            continue
        num: int | None = None
        printed = ""
        if num_s.isdigit() and len(num_s) > 1 and set(num_s) <= {"1"}:
            num_s = "I" * len(num_s)  # OCR: "11" for "II"
        if num_s.isdigit():
            num, printed = int(num_s), num_s
        elif num_s:
            printed = num_s.upper().replace("|", "I").replace("1", "I")
            num = roman_value(printed)
        heads.append((i, num, printed, rest))
    out: list[Appendix] = []
    for k, (i, num, printed, rest) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        head = lines[i].stripped
        printed_rest = re.sub(r"^\S+\s+\S+\s*(?:[IVXLivxl|1]{1,5}\b|\d{1,2}\b)?\.?\s*", "", head) if rest else ""
        title, title_text = rest, printed_rest
        for ln in lines[i + 1 : min(end, i + 6)]:
            f = fold(ln.stripped)
            if f.startswith(("(", "stt")) or ln.text.startswith("\t"):
                break
            if f:
                title += " " + f
                title_text += " " + ln.stripped
        out.append(Appendix(num, printed, lines[i], title.strip(), lines[i + 1 : end], collapse(title_text)))
    return out


def appendix_sections(source: SourceText, app: Appendix,
                      rows: list[tuple[str, str, int, int]]) -> list[SectionRecord]:
    """The appendix itself ("PL2") and its section rows ("PL2.I" …) as sections;
    ``rows`` are (Roman numeral as printed, heading, start, end offsets)."""
    top = SectionRecord(app.path, app.printed, app.title_text, None,
                        source.span(app.heading.start, app.heading.end), appendix=True)
    return [top] + [
        SectionRecord(f"{app.path}.{printed}", printed, heading, app.path, source.span(s, e), appendix=True)
        for printed, heading, s, e in rows
    ]


def detect_layout(lines: list[Line]) -> Layout:
    """TAB-prefixed cells → "tsv"; text without Vietnamese letters → "ocr"; else "pdf"."""
    body = [ln for ln in lines if ln.stripped]
    if not body:
        return "pdf"
    tabbed = sum(ln.text.startswith("\t") or ln.text.count("\t") >= 2 for ln in body)
    if tabbed >= max(4, 0.3 * len(body)):
        return "tsv"
    if viet_ratio(" ".join(ln.text for ln in body)) < 0.03:
        return "ocr"
    return "pdf"


# --- headers, page numbers, end of table -------------------------------------------

_HEADER_WORDS = {"stt", "tt", "so", "ten", "nhiem", "vu", "co", "quan", "chu", "tri", "phoi", "hop", "ket", "qua", "thoi", "gian", "hoan", "thanh", "theo", "doi", "danh", "gia", "don", "vi", "tinh", "chi", "tieu", "noi", "dung", "san", "pham", "du", "kien", "ghi", "kinh", "phi", "nguon", "von", "thuc", "hien", "moc", "dau", "ra", "linh", "vuc", "giao"}


def is_header_start(line: Line) -> bool:
    f = fold(line.stripped)
    return bool(re.match(r"^(stt|tt)\b", f)) and (len(f) <= 3 or is_headerish(f))


def is_headerish(f: str) -> bool:
    words = re.findall(r"[a-z]+", f)
    return bool(words) and all(w in _HEADER_WORDS for w in words)


def header_extent(lines: list[Line], i: int) -> int:
    """Index just past the header block that starts at ``lines[i]`` (a "Stt …" line)."""
    j = i + 1
    while j < len(lines):
        s = lines[j].stripped
        if s and not is_headerish(fold(s)):
            break
        j += 1
    return j


def is_page_number(lines: list[Line], i: int) -> bool:
    """A lone 1–3 digit line whose next non-blank line is a repeated header (or the end)."""
    if not re.fullmatch(r"\d{1,3}", lines[i].stripped):
        return False
    for ln in lines[i + 1 :]:
        if ln.stripped:
            return is_header_start(ln)
    return True


def is_table_end(line: Line, layout: Layout) -> bool:
    """Signature metadata (TAB-indented in PDF renditions) ends a PDF table."""
    return layout != "tsv" and line.text.startswith("\t") and bool(line.stripped)


# --- cell parsing: the colleagues' parsers, called from here only ----------------------


def agencies_of(cell: str) -> list[str]:
    """Agency names in a printed cell; "-" and empty cells mean none."""
    cell = collapse(cell)
    if cell in ("", "-", "–", "x"):
        return []
    return [a for a in (collapse(x) for x in split_agencies(cell)) if a]


def deadline_of(text: str) -> Deadline | None:
    text = collapse(text)
    if not text or text in ("-", "–"):
        return None
    return parse_deadline(text)


def horizon_of(heading: str) -> Deadline | None:
    """"Đến năm 2030" → 2030; "Đến ngày 31/7/2025" → 31/7/2025; "Giai đoạn 2025-2027" →
    the period 2025-2027 (the section's horizon)."""
    m = (re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", heading)
         or re.search(r"\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\b", heading)
         or re.search(r"\b(?:19|20)\d\d\b", heading))
    return parse_deadline(m.group(0)) if m else None


def value_of(text: str) -> tuple[str, float | None, float | None, str]:
    """(comparator, min, max, value_text) for a printed result cell."""
    return parse_value(collapse(text))


def unit_of(text: str) -> str | None:
    """The unit cell ("-" and empty → None)."""
    text = collapse(text)
    return None if text in ("", "-", "–") else parse_unit(text)


def appendices_to_read(source: SourceText, wanted: Callable[[Appendix], bool],
                       covered: set[int] | None) -> Iterator[tuple[Appendix, Layout]]:
    """The appendices of ``source`` that ``wanted`` accepts, with their text layout; one that
    holds a line of ``covered`` (a table already read by its header, :mod:`.grid`) is left
    out so that its rows are never extracted twice. Shared by the task and target readers."""
    for app in find_appendices(lines_of(source.text)):
        if wanted(app) and not (covered and any(ln.idx in covered for ln in app.lines)):
            yield app, detect_layout(app.lines)
