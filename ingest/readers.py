"""Turn a file on disk into a :class:`SourceText` (minimal first version: UTF-8 text).

The full version (format detection, DOCX, PDF, Markdown, normalisation) replaces the
body but keeps ``read_source``'s signature and the ``SourceText`` contract.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from plankg.ingest.model import SourceText


def read_source(path: str | Path) -> SourceText:
    p = Path(path)
    raw = p.read_bytes()
    original = raw.decode("utf-8")
    text = unicodedata.normalize("NFC", original)
    if len(text) != len(original):  # keep the 1:1 map in this minimal version
        text = original
    return SourceText(
        path=str(path), name=p.name, fmt="txt", original=original, text=text,
        offsets=list(range(len(text) + 1)), checksum=hashlib.sha256(raw).hexdigest(),
    )
