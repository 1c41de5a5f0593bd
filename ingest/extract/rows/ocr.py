"""Task rows from an OCR copy of the appendix table (best effort).

Why this is different: OCR text keeps the *visual* lines — every line runs across all
columns ("1 Tuyén truyén … nghi quyét so C4c so, ban, S¢ Thang tin … Thuong") — but
loses most diacritics, mangles the Stt numbers ("o5" for 25, "og." for 28), sometimes
drops them, and prints the Stt of a tall row beside one of its middle lines.  The rows
are aligned to a clean rendition later by fuzzy matching, so what matters most is that
each row gets its number and the text of its task-name column:

* rows start at Stt numbers taken in sequence (tolerating OCR digit confusions); a
  number printed beside a line that does not open the task text moves the start back
  to the line above that does; numbering gaps are filled from lines that open with a
  capitalised word, and reported;
* the task-name column is the left part of each line, cut where the next column visibly
  begins (a "|" or "[", or an agency name after the column's usual width);
* the deadline is kept when a row line ends with one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plankg.folding import fold, fold_aligned
from plankg.ingest.extract.tables import (
    Appendix,
    Line,
    appendix_sections,
    collapse,
    deadline_of,
    to_roman,
)
from plankg.ingest.model import SectionRecord, SourceText, TaskRecord

_DIGIT_ALTS = {"o": "02", "O": "0", "g": "98", "q": "9", "l": "1", "I": "1", "|": "1", "]": "1",
               "S": "5", "s": "5", "B": "8", "z": "2", "Z": "2", "T": "7", "?": "7"}
_NUM_TOKEN = re.compile(r"^\s*([0-9oOgqlIS|\]sBzZ?]{1,3})[.,:;|' ]")
_ROMAN_TOKEN = re.compile(r"^\s*([IVXivx|lT1]{1,4})([.,|]?)\s*\|?\s+(.*)$")
_AGENCY_START = re.compile(r"(?:^|\s)(?:s[o0ó6¢&eé]\b|c\S{1,2}c\s+s\S{0,2}[,.]|ubnd|cong an|van phong|dai phat|"
                           r"ban tuyen|chi nhanh|trung tam|bao hiem)")
_LEAD_NUM = re.compile(r"^\s*[0-9oOgqlIS|\]sBzZ?]{1,3}[.,:;|']?\s")
_DEADLINE_END = re.compile(r"(\d{1,2}\s*/\s*20\d\d|20\d\d\s*-\s*20\d\d|20\d\d|thuong\s*$|hang\s*n[aă]m)\s*$")


@dataclass
class _Row:
    number: int
    start: int  # index into the region's lines
    lines: list[Line] = field(default_factory=list)
    section: tuple[str, str, int, int] | None = None  # (printed roman, heading, start, end)
    inferred: bool = False
    number_line: Line | None = None


def _misses(token: str, n: int) -> int:
    """Characters of ``token`` that cannot be read as the digits of ``n`` (OCR confusions allowed)."""
    want = str(n)
    if len(token) != len(want):
        return 99
    return sum(not (c == w or w in _DIGIT_ALTS.get(c, "")) for c, w in zip(token, want))


def _read_number(token: str, last: int) -> int | None:
    """The row number ``token`` stands for, given the previous row ``last``: an exact
    reading among the next three numbers first, else the very next number with one
    unreadable character (when the token is not itself a later number)."""
    exact = [c for c in range(last + 1, last + 4) if _misses(token, c) == 0]
    if exact:
        return exact[0]
    if token.isdigit() and last + 1 < int(token) <= last + 8:
        return None
    if len(token) >= 2 and any(c.isdigit() for c in token) and _misses(token, last + 1) == 1:
        return last + 1
    return None


def _roman_like(token: str, expected: int) -> bool:
    t = token.upper().replace("|", "I").replace("L", "I").replace("1", "I").replace("T", "I")
    want = to_roman(expected)
    if t == want:
        return True
    # one letter lost or gained ("T" for "II", "v," for "IV")
    return abs(len(t) - len(want)) == 1 and (want.startswith(t) or want.endswith(t) or t.startswith(want))


def _is_header(line: Line) -> bool:
    f = fold(line.stripped)
    return f.startswith("stt ") or bool(re.match(r"^(ch\S* tri|chua tri)\b.*hoan thanh", f))


def text_part(line: str) -> str:
    """The task-name column of an OCR line: the part before the next column starts."""
    s = line.strip()
    s = re.sub(r"^[|\[\]'\":;*.,\s]+", "", s)
    if len(s) <= 40:
        return s
    f = fold_aligned(s)  # offsets in ``f`` are offsets in ``s``
    cut = len(s)
    for m in re.finditer(r"[|\[]", s):
        if m.start() >= 35:
            cut = m.start()
            break
    agency = _AGENCY_START.search(f, 40)
    if agency and agency.start() < cut:
        cut = agency.start()
    return s[:cut].strip(" |[")


def _is_opening(line: Line) -> bool:
    """A line that opens a task text: a capitalised word (not an acronym), long enough to
    carry the text column (a leading Stt token is ignored)."""
    t = text_part(_LEAD_NUM.sub(" ", line.text, count=1))
    return len(line.stripped) >= 40 and bool(re.match(r"^[A-ZĐÀ-Ỹ](?:[a-zà-ỹ0-9]|\s[a-zà-ỹ])", t))


def _letters(s: str) -> float:
    chars = [c for c in s if not c.isspace()]
    return sum(c.isalpha() for c in chars) / len(chars) if chars else 0.0


def _is_fresh(body: list[Line], j: int) -> bool:
    """A legible text line after a short or garbled one: where a row whose first line was
    lost by the OCR may go on."""
    t = text_part(body[j].text)
    prev = body[j - 1].stripped
    return (len(t) >= 35 and body[j].stripped[:1].isalpha() and _letters(body[j].stripped) >= 0.7
            and (len(prev) < 30 or _garbled(prev)))


def _garbled(s: str) -> bool:
    """OCR noise: few letters, a non-letter start, or mostly one-letter tokens."""
    toks = s.split()
    singles = sum(len(t) == 1 for t in toks) / len(toks) if toks else 1.0
    return _letters(s) < 0.6 or not s[:1].isalpha() or singles >= 0.4


def split_rows(lines: list[Line]) -> tuple[list[tuple[str, str, int, int]], list[_Row], list[str]]:  # noqa: PLR0915 - replaced by the header-driven table reading of the extraction issue (#10)
    warnings: list[str] = []
    body: list[Line] = []
    for _i, ln in enumerate(lines):
        s = ln.stripped
        if not s or _is_header(ln) or re.fullmatch(r"\d{1,3}", s):
            continue
        body.append(ln)
    # skip the title block: up to the first section or row 1
    sections: list[tuple[str, str, int, int]] = []
    rows: list[_Row] = []
    current_section: tuple[str, str, int, int] | None = None
    last = 0
    pending: list[int] = []  # body indexes of section lines
    k = 0
    while k < len(body):
        ln = body[k]
        m_sec = _ROMAN_TOKEN.match(ln.text)
        next_sec = len(sections) + 1
        if m_sec and not m_sec.group(1).isdigit() and _roman_like(m_sec.group(1), next_sec) \
                and (m_sec.group(2) or len(m_sec.group(3)) >= 100):
            heading = m_sec.group(3).strip(" |")
            end = ln.end
            if k + 1 < len(body) and not _NUM_TOKEN.match(body[k + 1].text) and len(body[k + 1].stripped) < 60 \
                    and not _is_opening(body[k + 1]):
                heading += " " + body[k + 1].stripped
                end = body[k + 1].end
                k += 1
            current_section = (to_roman(next_sec), collapse(heading), ln.start, end)
            sections.append(current_section)
            pending.append(k)
            k += 1
            continue
        m_num = _NUM_TOKEN.match(ln.text + " ")
        if m_num and (current_section is not None or last == 0):
            tok = m_num.group(1)
            n = _read_number(tok, last)
            if n is not None and _misses(tok, n) and any(
                    (m := _NUM_TOKEN.match(b.text + " ")) and _misses(m.group(1), n) == 0 for b in body[k + 1:k + 5]):
                n = None  # a clean reading of the same number follows: this one is noise
            if n is None and re.match(r"^\s*\d{1,3}[.,]\s", ln.text):
                # resynchronise after unreadable numbers: a clean "7. |Phén …", "48. …" is trusted
                n = next((c for c in range(last + 4, last + 8) if str(c) == tok), None)
            if n is not None:
                start = k
                if not _is_opening(ln):  # the Stt sits beside a middle line: go back to the opening line
                    j = k - 1
                    floor = rows[-1].start if rows else -1
                    while j > floor and j not in pending and j >= k - 3:
                        if _is_opening(body[j]):
                            start = j
                            break
                        j -= 1
                for missing in range(last + 1, n):
                    rows.append(_Row(missing, -1, section=current_section, inferred=True))
                rows.append(_Row(n, start, section=current_section, number_line=ln))
                last = n
        k += 1
    # rows without a readable number: look for opening lines between their neighbours
    for idx, row in enumerate(rows):
        if not row.inferred:
            continue
        prev = next((r for r in reversed(rows[:idx]) if r.start >= 0), None)
        nxt = next((r for r in rows[idx + 1:] if r.start >= 0 and not r.inferred), None)
        lo = prev.start + 1 if prev else 0
        hi = nxt.start if nxt else len(body)
        taken = {r.start for r in rows}
        cands = [j for j in range(lo, hi) if _is_opening(body[j]) and j not in pending and j not in taken]
        if not cands:  # the opening line is lost: take a text line that follows noise or a short cell line
            cands = [j for j in range(lo + 1, hi) if _is_fresh(body, j) and j not in pending and j not in taken]
        if cands:
            row.start = cands[0]
            warnings.append(f"row {row.number}: Stt not readable, row start guessed")
        else:
            warnings.append(f"row {row.number}: not found (numbering gap)")
    rows = [r for r in rows if r.start >= 0]
    rows.sort(key=lambda r: r.start)
    # rows take the lines up to the next row or section line
    stops = sorted({r.start for r in rows} | set(pending) | {len(body)})
    for r in rows:
        end = next(s for s in stops if s > r.start)
        r.lines = body[r.start:end]
    return sections, rows, warnings


def tasks_from_ocr(source: SourceText, app: Appendix) -> tuple[list[SectionRecord], list[TaskRecord], list[str]]:
    secs, rows, warnings = split_rows(app.lines)
    if not rows:
        return [], [], warnings
    continuous = any(r.number > 1 and r.section is not None and r is next(
        x for x in rows if x.section == r.section) for r in rows[1:])
    records = appendix_sections(source, app, secs)
    tasks: list[TaskRecord] = []
    seen: set[str] = set()
    for r in rows:
        sec = r.section[0] if r.section else None
        path = f"{app.path}.{r.number}" if continuous or sec is None else f"{app.path}.{sec}.{r.number}"
        if path in seen:
            warnings.append(f"row {path}: duplicate number")
            path += "b"
        seen.add(path)
        text_lines: list[str] = []
        for k, ln in enumerate(r.lines):
            raw = ln.text
            if ln is r.number_line or (k == 0 and _NUM_TOKEN.match(raw + " ")):
                raw = _LEAD_NUM.sub(" ", raw, count=1)
            part = text_part(raw)
            if ln is r.number_line and _AGENCY_START.match(fold(part)) and k + 1 < len(r.lines) \
                    and _is_opening(r.lines[k + 1]):
                continue  # "9. So Noi vy, So …": the Stt sits beside the agency cells
            if k > 0 and len(ln.stripped) < 35 and not (text_lines and part[:1].islower() and len(text_lines[-1]) >= 40):
                continue  # a short line of the other columns
            text_lines.append(part)
        m = _DEADLINE_END.search(fold_aligned(r.lines[0].stripped)) if r.lines else None
        deadline = r.lines[0].stripped[m.start():] if m else ""
        tasks.append(TaskRecord(
            number=str(r.number), path=path, text=collapse("\n".join(text_lines)), lead=[], cooperating=[],
            output=None, deadline=deadline_of(deadline) if deadline else None,
            section=f"{app.path}.{sec}" if sec else app.path,
            span=source.span(r.lines[0].start, r.lines[-1].end), origin="appendix", method="appendix-table-ocr",
        ))
    return records, tasks, warnings


__all__ = ["split_rows", "tasks_from_ocr", "text_part"]
