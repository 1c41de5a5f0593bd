"""Accent folding and slugs: the one place that decides how Vietnamese text becomes ASCII.

Why one module: IRIs (``agency/binh-phuoc/so-y-te``), registry keys and matching of OCR text
without diacritics ("So Y te") must all fold text the same way, or the same agency gets two
identities. Folding drops tone and vowel marks, maps đ/Đ to d, and maps the legacy-font
``ƣ``/``Ƣ`` (U+01A3/U+01A2, printed for ư/Ư in some PDFs, e.g. seed 004) to u.
"""

from __future__ import annotations

import re
import unicodedata

# Letters whose NFD form does not strip to the ASCII base we want.
_SPECIAL = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ƣ": "u", "Ƣ": "u", "ı": "i"}


def _fold_char(ch: str) -> str:
    """One character → one lowercase, accent-free character (marks alone stay as they are)."""
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else base


def fold(text: str) -> str:
    """Lowercase, accent-free text ("Sở Y tế" → "so y te"); length may change for decomposed input."""
    text = unicodedata.normalize("NFC", text)
    out = "".join(_fold_char(c) for c in text)
    return "".join(c for c in out if not unicodedata.combining(c))


def fold_aligned(text: str) -> str:
    """Like :func:`fold` but character-for-character, so a match in the result is a span of ``text``.

    ``text`` should be NFC (precomposed); a stray combining mark is kept, never dropped.
    """
    return "".join(_fold_char(c) for c in text)


def slugify(text: str) -> str:
    """Accent-free, lowercase, hyphen-separated: "Sở Y tế" → "so-y-te", "57/KH-UBND" → "57-kh-ubnd"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
