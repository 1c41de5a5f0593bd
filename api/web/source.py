"""The source view (``/nguon/{file}?start=&end=``): the exact passage a fact was read from.

Why from the saved extraction: provenance spans (``pk:startOffset``/``pk:endOffset``) are
code-point offsets into the *decoded original* file (for docx/pdf: the text we rendered
from it), and ingest keeps exactly that text in ``PLANKG_HOME/extractions/<slug>.json``
(``Extraction.source.original``, see ``ingest/serialize.py``). The store holds only the
quoted span, not the file, and the source file itself may have moved since. So the page
reads the saved extraction (cached per file modification time) and marks the span in the
whole text; the rendition's metadata (document, format, OCR, checksum) comes from the store.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plankg.config import Settings
from plankg.ingest.sources import extraction_file_name
from plankg.store.base import GraphStore
from plankg.store.read.queries import PREFIXES, run_query


@dataclass
class Passage:
    """The decoded file cut around one span (``before`` + ``marked`` + ``after`` == the file)."""

    before: str
    marked: str
    after: str
    start_line: int
    end_line: int


class SourceTexts:
    """Decoded originals of the ingested files, read from the saved extractions."""

    def __init__(self, settings: Settings, size: int = 8) -> None:
        self.dir = settings.home / "extractions"
        self.size = size
        self._cache: dict[str, tuple[int, str]] = {}
        self._lock = threading.Lock()

    def path(self, name: str) -> Path:
        return self.dir / extraction_file_name(name)  # the pipeline's own rule (ingest/sources.py)

    def original(self, name: str) -> str | None:
        """The decoded file ``name`` as ingest saw it, or None when it was never ingested."""
        path = self.path(name)
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            return None
        with self._lock:
            hit = self._cache.get(name)
            if hit and hit[0] == mtime:
                return hit[1]
        data = json.loads(path.read_text("utf-8"))
        text = data["extraction"]["source"]["original"]
        with self._lock:
            self._cache[name] = (mtime, text)
            while len(self._cache) > self.size:
                self._cache.pop(next(iter(self._cache)))
        return text


def cut(text: str, start: int | None, end: int | None) -> Passage | None:
    """Split ``text`` around [start, end); None when the offsets do not fit the text."""
    if start is None and end is None:
        return Passage(text, "", "", 0, 0)
    if start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    first = text.count("\n", 0, start) + 1
    last = first + text.count("\n", start, max(start, end - 1))
    return Passage(text[:start], text[start:end], text[end:], first, last)


def renditions(store: GraphStore, settings: Settings) -> dict[str, dict[str, Any]]:
    """Every rendition in the store by file name: IRI, document, format, OCR, precedence, checksum."""
    rows = run_query(store, settings, PREFIXES + """SELECT ?r ?file ?doc ?fmt ?ocr ?rank ?sum ?at WHERE {
        ?r a pk:Rendition ; pk:sourceFile ?file .
        OPTIONAL { ?r pk:renditionOf ?doc } OPTIONAL { ?r pk:format ?fmt } OPTIONAL { ?r pk:ocr ?ocr }
        OPTIONAL { ?r pk:precedence ?rank } OPTIONAL { ?r pk:checksum ?sum } OPTIONAL { ?r pk:ingestedAt ?at } }""").records()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        out.setdefault(str(r["file"]), {"iri": r["r"], "file": str(r["file"]), "document": r.get("doc"),
                                        "format": r.get("fmt"), "ocr": bool(r.get("ocr")), "precedence": r.get("rank"),
                                        "checksum": r.get("sum"), "ingested_at": str(r.get("at") or "")})
    return out


def spans_in(store: GraphStore, settings: Settings, file: str, start: int, end: int) -> list[dict[str, Any]]:
    """The facts extracted from exactly this span (what the highlighted passage supports)."""
    lit = json.dumps(file)
    rows = run_query(store, settings, PREFIXES + f"""SELECT DISTINCT ?x ?method WHERE {{
        ?span pk:sourceFile {lit} ; pk:startOffset {int(start)} ; pk:endOffset {int(end)} .
        OPTIONAL {{ ?span pk:extractionMethod ?method }}
        ?x pk:extractedFrom ?span }}""").records()
    return [{"iri": r["x"], "method": r.get("method")} for r in rows]
