"""Accent folding and slugs: the one place that decides how Vietnamese text becomes ASCII.

Every variant here folds each letter the same way (:data:`_SPECIAL`, then the NFD base);
they differ only in what callers need to keep — case, length, word boundaries:

* :func:`fold` — lower case, marks gone: matching and keys ("Sở Y tế" → "so y te").
* :func:`fold_aligned` — same, one character for one, so offsets in the result are offsets
  in the input (a stray combining mark is kept).
* :func:`fold_aligned_blank` — aligned, a stray combining mark becomes a space (search).
* :func:`fold_cased` — case kept (header and list-marker rules read capitals: "KẾ HOẠCH").
* :func:`fold_words` — lower-case words separated by single spaces (comparing two texts).
* :func:`slugify` — hyphenated slug for IRIs and file names.

Why one module: IRIs (``agency/binh-phuoc/so-y-te``), registry keys and matching of OCR text
without diacritics ("So Y te") must all fold text the same way, or the same agency gets two
identities. Folding drops tone and vowel marks, maps đ/Đ to d, and maps the legacy-font
``ƣ``/``Ƣ`` (U+01A3/U+01A2, printed for ư/Ư in some PDFs, e.g. seed 004) to u.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Letters whose NFD form does not strip to the ASCII base we want (upper case keeps its case
# in :func:`fold_cased`; every other variant lower-cases).
_SPECIAL_CASED = {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ƣ": "u", "Ƣ": "U", "ı": "i"}
_SPECIAL = {k: v.lower() for k, v in _SPECIAL_CASED.items()}


def _fold_char(ch: str) -> str:
    """One character → one lowercase, accent-free character (marks alone stay as they are)."""
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else base


class CharTable(dict[int, str]):
    """A ``str.translate`` table filled on first sight of each character from a per-character
    function: every variant here maps one character independently of its neighbours, so
    translating (a C loop, one dict lookup per character) gives what joining the function's
    results did, several times faster (folding was a large part of extraction and of
    comparing renditions in a bulk ingest)."""

    def __init__(self, fn: Callable[[str], str]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, code: int) -> str:
        out = self[code] = self.fn(chr(code))
        return out


def _fold_char_drop_marks(ch: str) -> str:
    out = _fold_char(ch)
    return "" if unicodedata.combining(out) else out


_FOLD = CharTable(_fold_char_drop_marks)
_FOLD_ALIGNED = CharTable(_fold_char)


def fold(text: str) -> str:
    """Lowercase, accent-free text ("Sở Y tế" → "so y te"); length may change for decomposed input."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def fold_aligned(text: str) -> str:
    """Like :func:`fold` but character-for-character, so a match in the result is a span of ``text``.

    ``text`` should be NFC (precomposed); a stray combining mark is kept, never dropped.
    """
    return text.translate(_FOLD_ALIGNED)


def _fold_char_blank(ch: str) -> str:
    return " " if unicodedata.combining(ch) else _fold_char(ch)


_FOLD_BLANK = CharTable(_fold_char_blank)


def fold_aligned_blank(text: str) -> str:
    """Like :func:`fold_aligned`, but a stray combining mark becomes a space.

    Why a variant: search reads words off the folded query with regexes (``\\s``,
    ``[a-z0-9]+``); a mark left on its own (pasted, typed after a space) must separate words
    like the space it stands in for, and the length must stay that of ``text`` so that a
    match is a span of the query."""
    return text.translate(_FOLD_BLANK)


def _fold_char_cased(ch: str) -> str:
    """One character → one accent-free character, case kept; a lone combining mark → ''."""
    if ch in _SPECIAL_CASED:
        return _SPECIAL_CASED[ch]
    if ch.isascii():
        return ch
    if unicodedata.combining(ch):
        return ""
    return unicodedata.normalize("NFD", ch)[0]


_FOLD_CASED = CharTable(_fold_char_cased)


def fold_cased(text: str) -> str:
    """Accent-free, case kept ("KẾ HOẠCH" → "KE HOACH"); combining marks dropped.

    Why a variant: extraction rules tell a title line, an upper-case heading or a proper
    name by its capitals, also in OCR copies printed without marks. On NFC text it maps one
    character to one character, so offsets carry over."""
    return text.translate(_FOLD_CASED)


def fold_words(text: str) -> str:
    """:func:`fold`, then every run of other than ``a-z0-9`` one space, trimmed ("Sở Y-tế," →
    "so y te").

    Why a variant: two copies of a document (clean text and OCR) are compared word by word;
    punctuation and line breaks differ between them and must not count."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def slugify(text: str) -> str:
    """Accent-free, lowercase, hyphen-separated: "Sở Y tế" → "so-y-te", "57/KH-UBND" → "57-kh-ubnd"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
