"""A document identified by one title line: "<Kind> số <symbol> ngày <date> của <issuer>".

Why: a document published as plain text or Markdown (the full text of 57-NQ/TW in
``shared/reference``: "# Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị") has no
header block — no upper-case kind line, no "Số:" line, no "<place>, ngày …" line — so
:func:`~plankg.ingest.extract.document_meta.extract_document` finds nothing and the
document would be unnamed, and its IRI would not be the one every citing plan points to.
Its first line names it the way citations do, so it is read with the citation grammar
(:func:`~plankg.ingest.extract.citations.parse_reference`), which knows every kind and
symbol shape: the rule is general, not tied to one document.

Only the first non-empty line counts, only when it is *all* reference (a Q&A page titled
"# Nghị quyết số 71/NQ-CP ngày 01/4/2025 được Chính phủ ban hành nhằm mục đích gì?" or a
news lead that goes on after the issuer is prose about a document, not its title), and
only for a document whose header gave neither kind nor symbol. The subject line that
follows ("Về đột phá phát triển …") becomes the title.
"""

from __future__ import annotations

import re
from dataclasses import replace

from plankg.ingest.extract.citations import parse_reference
from plankg.ingest.extract.document_meta import _level_and_place, _unmark
from plankg.ingest.extract.structure import fold, text_lines
from plankg.ingest.model import DocumentRecord, SourceText

_SUBJECT = re.compile(r"^(ve|v/v)\s", re.IGNORECASE)


def read_title_line(source: SourceText, document: DocumentRecord) -> DocumentRecord:
    """``document`` completed from a title line, or unchanged when there is none to read."""
    if document.kind or document.symbol:
        return document
    lines = text_lines(source)
    if not lines:
        return document
    first = lines[0]
    parsed = parse_reference(_unmark(first.text))
    if parsed is None:
        return document
    kind, symbol, when, issuer = parsed
    last = first
    title = None
    if len(lines) > 1 and _SUBJECT.match(fold(_unmark(lines[1].text))):
        last = lines[1]
        title = re.split(r"(?<=\.)\s", _unmark(lines[1].text), maxsplit=1)[0].rstrip(".")
    level, locality = _level_and_place(issuer)
    number = re.match(r"\d+", symbol)
    return replace(
        document, kind=kind, symbol=symbol, number=number.group(0) if number else None,
        date=when, year=when.year if when else document.year, issuer=issuer or document.issuer,
        locality=document.locality or locality, locality_level=document.locality_level or level,
        title=title or document.title, span=source.span(first.start, last.end),
    )
