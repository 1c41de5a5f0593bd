"""Bytes → ``str`` for text inputs (.txt, .md), refusing what is not text.

Why so strict: a wrongly decoded file does not fail later — it silently produces a
graph full of mojibake. So we accept UTF-8 (with or without BOM) and UTF-16/32 with a
BOM, and fall back to the legacy Windows code pages (cp1258 "Vietnamese", then
cp1252) only when the result reads as Vietnamese. Everything else is an
:class:`IngestError` naming the file and the problem.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from plankg.ingest.errors import IngestError
from plankg.ingest.readers.normalize import TONE_MARKS

_BOMS = [  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_LEGACY_ENCODINGS = ("cp1258", "cp1252")

_VN_VOWELS = "aăâeêioôơuưy"
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
    rf"[{_VN_VOWELS}]{{1,3}}"
    r"(?:ng|nh|ch|[cmnpt])?"
)
_VN_SPECIFIC = set("ăâêôơưđ")
_WORD = re.compile(r"[^\W\d_]+")


def decode_text(raw: bytes, path: str | Path) -> tuple[str, str]:
    """Return ``(text, encoding)``; lone CRs (old Mac files) become LF.

    Raises :class:`IngestError` for empty files, binary data, undecodable bytes.
    """
    if not raw.strip(b" \t\r\n\x00") or raw in (b for b, _ in _BOMS):
        raise IngestError(path, "Tệp rỗng", "empty file")
    text: str | None = None
    encoding = ""
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                text, encoding = raw[len(bom):].decode(enc), enc + ("-sig" if enc == "utf-8" else "")
            except UnicodeDecodeError as e:
                raise IngestError(path, f"Tệp {enc.upper()} bị lỗi mã hóa", f"invalid {enc} text", str(e)) from e
            break
    if text is None:
        if b"\x00" in raw:
            raise IngestError(path, "Tệp nhị phân, không phải văn bản", "binary file",
                              "contains NUL bytes; UTF-16 text needs a byte-order mark")
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as e:
            if _control_ratio(raw) > 0.02:
                raise IngestError(path, "Tệp nhị phân, không phải văn bản", "binary file") from e
            for enc in _LEGACY_ENCODINGS:
                try:
                    cand = raw.decode(enc)
                except UnicodeDecodeError:
                    continue
                if looks_vietnamese(cand):
                    text, encoding = cand, enc
                    break
            if text is None:
                raise IngestError(
                    path, "Không phải văn bản UTF-8", "not UTF-8 text",
                    f"byte 0x{raw[e.start]:02x} ở vị trí {e.start}; hãy lưu tệp dưới dạng UTF-8 "
                    f"(invalid byte at offset {e.start}; save the file as UTF-8)",
                ) from e
    if _control_ratio(text) > 0.02:
        raise IngestError(path, "Tệp nhị phân, không phải văn bản", "binary file")
    if not text.strip():
        raise IngestError(path, "Tệp rỗng", "empty file")
    return re.sub(r"\r(?!\n)", "\n", text), encoding


def _control_ratio(data: bytes | str) -> float:
    """Share of control characters other than TAB/LF/CR/FF — high for binary data."""
    if not data:
        return 0.0
    if isinstance(data, bytes):
        bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    else:
        bad = sum(1 for c in data if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    return bad / len(data)


def _strip_tones(word: str) -> str:
    d = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in TONE_MARKS))


def looks_vietnamese(text: str, min_ratio: float = 0.75) -> bool:
    """True when ``text`` reads as Vietnamese: most words are valid syllables and some
    carry Vietnamese-only letters or tone marks.

    Used to accept a legacy code page only when the decoding makes sense — a Latin-1
    German or French file decodes without error as cp1258 too, but is not Vietnamese.
    """
    words = [w for w in _WORD.findall(unicodedata.normalize("NFC", text))
             if not (w.isascii() and w.isupper())]  # acronyms: UBND, KH, TW
    if len(words) < 3:
        return False
    valid = specific = 0
    for w in words:
        bare = _strip_tones(w)
        if _SYLLABLE.fullmatch(bare):
            valid += 1
            if bare != w.lower() or _VN_SPECIFIC & set(bare):
                specific += 1
    return valid / len(words) >= min_ratio and specific >= max(1, len(words) // 20)
