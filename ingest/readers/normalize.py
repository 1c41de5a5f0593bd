"""Text normalisation that keeps an exact map back to the original offsets.

Why this exists: the same Vietnamese word reaches us in several byte forms — decomposed
(``e`` + U+0323 + U+0302) from some PDF producers, composed from Word, with the
tone mark on the "old" vowel (``hoà``) or the "new" one (``hòa``), or with legacy-font
stand-ins such as ``Ƣ`` (LATIN CAPITAL LETTER OI) for ``Ư``. Extractors and search must see
one spelling, yet every extracted fact has to cite the exact place in the file it came from.
So :func:`normalize` returns the normalised text *and* ``offsets`` with
``offsets[i]`` = the original offset of ``text[i]`` (plus one final entry,
``len(original)``), and it never adds or removes a line break: line ``n`` of the text is
line ``n`` of the original.

Tone-mark style (decision, see ``tests/test_normalize.py::test_seed_majority_uses_new_tone_style``):
we write the **new style** — ``hòa, thủy, khỏe, ủy`` — the style used by current
government documents; the seed corpus agrees (182 new-style syllables vs 10 old-style
ones). Only open syllables ``oa/oe/uy`` + tone are affected (``hoàn``, ``thuyết`` and
``quý``/``quả``, where ``u`` belongs to ``qu``, are the same in both styles).

Round-trip guarantee: for any ``a <= b`` on word boundaries (e.g. at whitespace),
``normalize(original[offsets[a]:offsets[b]])[0] == text[a:b]``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
VOWEL_MODIFIERS = "\u0302\u0306\u031b"  # circumflex (â ê ô), breve (ă), horn (ơ ư)

#: Characters removed from the text: zero-width characters, soft hyphen, BOMs inside the
#: text, CR (CRLF → LF; lone CRs were made LF when decoding), form feed / vertical tab
#: (page separators from pdftotext and our PDF renderer — removing them keeps lines intact).
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\r\f\v")

#: Characters turned into a plain space: NBSP and the other fixed-width spaces, plus the
#: Unicode line/paragraph separators (they would add lines that ``original`` counts
#: differently).
_SPACE = frozenset("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                   "\u2009\u200a\u202f\u205f\u3000\u0085\u2028\u2029")

#: Legacy-font leftovers (TCVN3/VNI fonts converted to Unicode by PDF producers):
#: seed 004 prints "PHƢỚC", "tƣ duy" — U+01A2/U+01A3 stand for Ư/ư; Ð/ð (Icelandic eth)
#: stand for Đ/đ in VNI/ABC conversions. None of them is a Vietnamese letter.
LEGACY = {"Ƣ": "Ư", "ƣ": "ư", "Ð": "Đ", "ð": "đ"}

#: Typographic ligatures (OCR and some PDF fonts emit them, seed 001 has "ﬁ").
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}

#: Vietnamese onsets that may precede an ``oa/oe/uy`` nucleus. ``q`` is missing on purpose:
#: in ``quả``/``quý`` the ``u`` belongs to the onset and the tone stays where it is.
_ONSETS = frozenset(["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
                     "ng", "ngh", "nh", "p", "ph", "r", "s", "t", "th", "tr", "v", "x"])
_RETONE_PAIRS = frozenset(["oa", "oe", "uy"])


def normalize(original: str) -> tuple[str, list[int]]:
    """Return ``(text, offsets)`` for ``original`` (see the module docstring).

    Steps, each keeping the offset of every output character: drop zero-width/control
    characters and CR; NBSP & co. → space; legacy letters → Unicode letters; ligatures →
    letters (all expanded letters map to the ligature's offset); NFC per grapheme cluster
    (a composed letter maps to its first source code point), with Vietnamese vowel
    modifiers put before the tone mark so that ``e + ◌́ + ◌̂`` still composes to ``ế``;
    finally old-style tone placement → new style (one character for one character).
    """
    chars: list[str] = []
    offs: list[int] = []
    n = len(original)
    i = 0
    while i < n:
        c = original[i]
        if c.isascii():
            if " " <= c < "\x7f" or c == "\n" or c == "\t":
                j = i + 1
                if j < n and unicodedata.combining(original[j]):
                    _emit_cluster(original, i, chars, offs)
                    i = _cluster_end(original, i)
                    continue
                chars.append(c)
                offs.append(i)
            i += 1  # other ASCII controls (and CR) are dropped
            continue
        if c in _DROP:
            i += 1
            continue
        if c in _SPACE:
            chars.append(" ")
            offs.append(i)
            i += 1
            continue
        if unicodedata.category(c) == "Cc":  # C1 controls: never text
            i += 1
            continue
        lig = _LIGATURES.get(c)
        if lig is not None:
            chars.extend(lig)
            offs.extend([i] * len(lig))
            i += 1
            continue
        _emit_cluster(original, i, chars, offs)
        i = _cluster_end(original, i)
    _retone_all(chars)
    offs.append(n)
    return "".join(chars), offs


def _cluster_end(s: str, i: int) -> int:
    j = i + 1
    while j < len(s) and unicodedata.combining(s[j]):
        j += 1
    return j


def _emit_cluster(s: str, i: int, chars: list[str], offs: list[int]) -> None:
    """NFC one base character and its combining marks; map output back to sources."""
    j = _cluster_end(s, i)
    base = LEGACY.get(s[i], s[i])
    marks = s[i + 1:j]
    if marks and any(m in VOWEL_MODIFIERS for m in marks) and any(m in TONE_MARKS for m in marks):
        marks = "".join(m for m in marks if m in VOWEL_MODIFIERS) + "".join(m for m in marks if m not in VOWEL_MODIFIERS)
    composed = _nfc(base + marks)
    chars.append(composed[0])
    offs.append(i)
    used: set[int] = set()
    last = i
    for ch in composed[1:]:  # marks that did not compose: point at their own source
        pos = next((k for k in range(i + 1, j) if s[k] == ch and k not in used), last)
        used.add(pos)
        last = max(last, pos)
        chars.append(ch)
        offs.append(last)


@lru_cache(maxsize=4096)
def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@lru_cache(maxsize=4096)
def _split_tone(ch: str) -> tuple[str, str]:
    """``'ỏ'`` → ``('o', '\\u0309')``; the base keeps case and vowel modifiers."""
    d = unicodedata.normalize("NFD", ch)
    tone = "".join(m for m in d if m in TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(m for m in d if m not in TONE_MARKS))
    return base, tone


def retone_word(word: str) -> str:
    """Old-style tone placement → new style for one word: ``hoà``→``hòa``, ``Uỷ``→``Ủy``.

    Only words ending in an open ``oa/oe/uy`` syllable with the tone on the last vowel
    change; the result has the same length (one composed character for another).
    """
    if len(word) < 2:
        return word
    a, b = word[-2], word[-1]
    base_a, tone_a = _split_tone(a)
    base_b, tone_b = _split_tone(b)
    if not tone_b or tone_a or len(base_a) != 1 or len(base_b) != 1:
        return word
    if (base_a + base_b).lower() not in _RETONE_PAIRS:
        return word
    if word[:-2].lower() not in _ONSETS:
        return word
    return word[:-2] + _nfc(base_a + tone_b) + base_b


def _retone_all(chars: list[str]) -> None:
    """Apply :func:`retone_word` to every letter run of ``chars`` in place."""
    n = len(chars)
    i = 0
    while i < n:
        if not chars[i].isalpha():
            i += 1
            continue
        j = i + 1
        while j < n and chars[j].isalpha():
            j += 1
        if 2 <= j - i <= 7 and not chars[j - 1].isascii():
            word = "".join(chars[i:j])
            new = retone_word(word)
            if new != word:
                chars[j - 2], chars[j - 1] = new[-2], new[-1]
        i = j


def normalize_string(s: str) -> str:
    """Just the normalised text (for table cells, queries, gold data)."""
    return normalize(s)[0]


_HYPHEN_BREAK = re.compile(r"(?<=[^\s\-‐‑])([\-‐‑])[ \t]*\n\s*(?=\S)")
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n\s*")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WS = re.compile(r"\s+")


def join_lines(s: str) -> str:
    """Turn a multi-line field value (a task, an agency name, a title) into one line.

    A hyphen glued to the end of a line joins without a space — in Vietnamese text a
    line-final hyphen is part of a symbol or compound, never syllable hyphenation:
    ``"346/TTr-\\nSKHCN"`` → ``"346/TTr-SKHCN"``; a spaced dash stays a spaced dash
    (``"kinh tế -\\nxã hội"`` → ``"kinh tế - xã hội"``). Every other line break and run
    of whitespace becomes one space.
    """
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _SOFT_HYPHEN_BREAK.sub("", s)
    s = _HYPHEN_BREAK.sub(r"\1", s)
    s = _INVISIBLE.sub("", s)
    return _WS.sub(" ", s).strip()


# --------------------------------------------------------------------------
# Hard-wrapped text (a PDF's text layer): printed lines rejoined into paragraphs
# --------------------------------------------------------------------------

#: A line that opens a block of its own: a bullet, a numbered or lettered item ("1.",
#: "1.2.", "a)", "(3)", "IV."), an article, chapter or section ("Điều 5.", "Chương II",
#: "Mục 2"), an appendix title. The PDF reader's ``_OPENS_ITEM`` in text form.
_OPENS_BLOCK = re.compile(
    r"(?:[-+•–*]\s|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[IVXLC]{1,6})[.)](?:\s|$)|\(\d{1,2}\)\s"
    r"|(?:Điều|ĐIỀU)\s+\d+[a-zđ]?\.|(?:Chương|CHƯƠNG|Mục|MỤC)\s+(?:[IVXLC]+|\d+)\b|Phụ lục\b|PHỤ LỤC\b)")
#: An article's heading ("Điều 2. Phân công cơ quan thẩm tra"): its title is a line of its own
#: unless its next printed line goes on in lower case (a title or an article's text run on).
_ARTICLE = re.compile(r"\s*(?:Điều|ĐIỀU)\s+\d+[a-zđ]?\.")
#: A list marker alone on its line ("1.", "a)", "IV."): it goes on with the next line, as
#: the Markdown reader puts a bare marker back in front of its text.
_BARE_MARKER = re.compile(r"(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]")
#: A sentence end at a line's end (closing quotes and brackets after it allowed: ``./.``, ``”.``).
_ENDS_SENTENCE = re.compile(r"[.;:!?…][\"'”’)\]]*\s*$|\./\.\s*$")
#: A printed line is "full" when it reaches this share of the printed width: text-layer
#: lines are justified in a proportional font, so their character counts differ by about
#: a tenth; a paragraph's last line (or a heading, a cell of a table) stops well short.
_FULL = 0.8
#: How many lines must come close to a length for it to be the printed width.
_WIDTH_LINES = 5
#: How many full lines must go on mid-sentence before a text reads as hard-wrapped.
_MIN_WRAPS = 5
_MIN_WRAP_SHARE = 0.3


def _letters(line: str) -> str:
    return "".join(c for c in line if c.isalpha())


def _caps(line: str) -> bool:
    """A heading printed in capitals ("QUYẾT ĐỊNH", "CHÍNH PHỦ")."""
    letters = _letters(line)
    return len(letters) >= 2 and letters.isupper()


def _printed_width(lines: list[str]) -> int:
    """The printed width in characters: the length most lines of running text come close to.
    Among the lengths from seven tenths of the longest one that at least
    :data:`_WIDTH_LINES` lines come close to (within 15% under it), the one the most lines come
    close to. Not the longest line: a few lines run long (a landscape table page, a footnote
    a converter wrapped at its own width), and most lines of a table page are short cells."""
    lengths = sorted((len(ln.strip()) for ln in lines if ln.strip()), reverse=True)
    if not lengths:
        return 0

    def near(top: int) -> int:  # lines within 15% under ``top``
        return sum(1 for n in lengths if 0.85 * top <= n <= top)

    top = next((n for i, n in enumerate(lengths)
                if i + _WIDTH_LINES <= len(lengths) and lengths[i + _WIDTH_LINES - 1] >= 0.85 * n), lengths[0])
    best, most = top, 0
    for n in sorted({n for n in lengths if 0.7 * top <= n <= top}, reverse=True):
        c = near(n)
        if c > most:
            best, most = n, c
    return best


def _goes_on(prev: str, line: str, width: int) -> bool:
    """Does ``line`` continue the paragraph whose last printed line is ``prev``? Only when
    ``prev`` is full (it reached the printed width: the break was the line's, not the
    paragraph's) and does not end a sentence before a line that starts with a capital or
    a digit, ``line`` opens no item, article or heading, and neither is a heading in
    capitals where the other is not."""
    a, b = prev.strip(), line.strip()
    if not _letters(a) or not _letters(b) or len(a) < _FULL * width:
        return False  # a rule line (“_____”), a page number: never part of a paragraph
    if _OPENS_BLOCK.match(b):
        return False
    if _caps(a) != _caps(b):
        return False
    return not (_ENDS_SENTENCE.search(a) and not b[0].islower())


def is_hard_wrapped(lines: list[str], skip: frozenset[int] = frozenset(), width: int = 0) -> bool:
    """Is this text hard-wrapped at a printed width (a PDF's text layer, a DOCX with a
    paragraph per printed line) rather than written a paragraph per line? Yes when at
    least :data:`_MIN_WRAPS` full lines, and :data:`_MIN_WRAP_SHARE` of all full lines, go
    on mid-sentence into a line that starts in lower case. A text written a paragraph per
    line has long lines too, but the line after one starts a new paragraph."""
    text = [ln.replace("\f", "") if k not in skip else "" for k, ln in enumerate(lines)]
    width = width or _printed_width(text)
    if not width:
        return False
    full = wraps = 0
    for a, b in zip(text, text[1:]):
        if a.strip() and len(a.strip()) >= _FULL * width:
            full += 1
            s = b.strip()
            wraps += bool(s and s[0].islower() and not _ENDS_SENTENCE.search(a) and not _OPENS_BLOCK.match(s))
    return wraps >= _MIN_WRAPS and wraps >= _MIN_WRAP_SHARE * full


def rejoin_wrapped(lines: list[str], skip: frozenset[int] = frozenset(), width: int = 0) -> list[str]:
    """Join the printed lines of each paragraph of a hard-wrapped text onto its first line;
    the lines joined away become empty, so the line count is kept and a Span's first line
    still points at the paragraph's first printed line (one rule for every format: the .md
    or .txt text layer, a DOCX with a paragraph per printed line, a PDF's lines that its
    geometry did not join). Lines in ``skip`` (table rows) and blank lines end a paragraph
    and are kept as they are; a line's leading form feed (a page break) stays on its line."""
    out = list(lines)
    text = [ln.replace("\f", "") if k not in skip else "" for k, ln in enumerate(lines)]
    width = width or _printed_width(text)
    head = last = -1
    for k, line in enumerate(text):
        if k in skip or not line.strip():
            head = last = -1
            continue
        titled = head == last and _ARTICLE.match(text[head]) and not line.strip()[0].islower()
        marker = head == last and _BARE_MARKER.fullmatch(text[head].strip())
        if head >= 0 and (marker or not titled and _goes_on(text[last], line, width)):
            out[head] = join_lines(f"{out[head]}\n{line}") if "\f" not in out[head] else \
                "\f" + join_lines(f"{out[head].replace(chr(12), '')}\n{line}")
            out[k] = "\f" if "\f" in lines[k] else ""
            last = k
            continue
        head = last = k
    return out


def unwrap_text_layer(text: str, table_lines: list[list[int]], width: int = 0) -> str:
    """``text`` with its paragraphs rejoined (:func:`rejoin_wrapped`) when it is a text layer —
    hard-wrapped (:func:`is_hard_wrapped`) with paragraphs not separated by blank lines
    (:func:`paragraphs_run_on`) — else unchanged; table rows (``table_lines``) are left
    alone. A hard-wrapped text whose paragraphs are separated by blank lines (an OCR'd
    .txt) is left to the extractors as before. ``width``: the printed width when the reader
    knows it better than the text does (a PDF's lines before its geometry joined some)."""
    lines = text.split("\n")
    skip = frozenset(k for rows in table_lines for k in rows)
    if not is_hard_wrapped(lines, skip, width) or not paragraphs_run_on([ln.replace("\f", "") for ln in lines]):
        return text
    return "\n".join(rejoin_wrapped(lines, skip, width))


def paragraphs_run_on(lines: list[str]) -> bool:
    """Are paragraphs written without a blank line between them (a text layer), rather
    than one per blank-line-separated block (Markdown)? Yes when an item or article opens
    right after a finished sentence, with no blank line between, in at least a sixth as
    many places as blank lines separate blocks (and in two places at least)."""
    runs = breaks = 0
    prev = ""
    for line in lines:
        s = line.strip()
        if not s:
            prev = ""
            continue
        if not prev:
            runs += 1
        elif _ENDS_SENTENCE.search(prev) and _OPENS_BLOCK.match(s):
            breaks += 1
        prev = s
    return breaks >= 2 and 6 * breaks >= runs


def is_text_layer(lines: list[str]) -> bool:
    """A PDF's text layer saved as text (.md/.txt): no Markdown at all (no table — its
    tables are printed lines —, heading, emphasis or code mark), paragraphs hard-wrapped
    (:func:`is_hard_wrapped`) and not separated by blank lines (:func:`paragraphs_run_on`).
    The same test as ``tests/data/make_formats.py``'s, which renders such a copy as a DOCX
    with a paragraph per printed line."""
    if any(ln.lstrip().startswith(("|", "#")) or "*" in ln or "`" in ln for ln in lines):
        return False
    return paragraphs_run_on(lines) and is_hard_wrapped(lines)
