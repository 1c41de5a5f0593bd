"""Horizons a target's own item and headings do not print, read from the sentence or title
that states them for a whole list.

Why: a targets section often opens its list with a lead-in sentence that carries the horizon
("2. Mục tiêu cụ thể / Đến hết năm 2030, phấn đấu đạt được những mục tiêu sau: / - 100% …"),
and a table of targets often names it only in its title ("PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU …
ĐẾN NĂM 2030"). The narrative reader looks for horizons in headings and in an item's own
lead-in; when it finds none it falls back to the plan's year, which put the plan's issue year
(2025) on targets the document sets for 2030. This module holds the one reading of a horizon
phrase in running text and the lead-in rule; it runs after the narrative reader and changes
only the horizons that reader fell back on.
"""

from __future__ import annotations

import re

from plankg.folding import fold
from plankg.ingest.extract.tables import horizon_of
from plankg.ingest.model import Deadline, SectionRecord, SourceText, TargetRecord

#: "đến (hết) năm 2030", "tới năm 2030", "giai đoạn 2026 - 2030" (folded, lower case)
_PHRASE_RE = re.compile(r"\b(?:den|toi)\s+(?:het\s+)?nam\s+((?:19|20)\d\d)\b"
                        r"|\bgiai\s+doan\s+((?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d)\b")
#: A fallback horizon: the bare year or period the plan-year rule gives ("2025", "2026-2030");
#: a horizon read from a heading or lead-in keeps its words ("Đến năm 2030").
_BARE_RE = re.compile(r"^\s*(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*$")


def phrase_horizon(text: str) -> Deadline | None:
    """The horizon a title or sentence names: "đến (hết) năm Y", else "giai đoạn Y1 - Y2".
    The dates of a "ban hành kèm theo … ngày …" line are issue dates, never a horizon."""
    m = _PHRASE_RE.search(fold(text).lower())
    return horizon_of(m.group(1) or m.group(2)) if m else None


def _lead_in(source: SourceText, section: SectionRecord, before: int) -> Deadline | None:
    """The horizon of the last sentence closed by a colon at the end of a line, between the
    section's heading and ``before`` (an original-file offset): "Đến hết năm 2030, phấn đấu
    đạt được những mục tiêu sau:". The sentence starts after the previous ".", ";" or ":"
    (Markdown wraps it over lines; DOCX and PDF print it on one)."""
    text = source.original[section.span.start:before]
    lines = text.split("\n")
    colon = next((k for k in range(len(lines) - 1, 0, -1) if lines[k].rstrip(" *_\t").endswith(":")), None)
    if colon is None:  # line 0 is the heading itself
        return None
    upto = "\n".join(lines[1: colon + 1]).rstrip(" *_\t")[:-1]
    start = max(upto.rfind(c) for c in ".;:")
    return phrase_horizon(" ".join(upto[start + 1:].split()))


def lead_in_horizons(source: SourceText, sections: list[SectionRecord], targets: list[TargetRecord]) -> None:
    """Give each narrative target whose horizon is the plan-year fallback the horizon that
    the lead-in sentence of its section states, when there is one (in place). The lead-in is
    read before the section's first target only (a sibling item's own lead-in, "a) … cải
    thiện:", is not the section's); a horizon that ends when the fallback does is left as it
    was."""
    by_path = {s.path: s for s in sections}
    first: dict[str, int] = {}
    for t in targets:
        if t.origin == "narrative" and t.section:
            first[t.section] = min(first.get(t.section, t.span.start), t.span.start)
    for t in targets:
        if t.origin != "narrative" or (t.horizon is not None and not _BARE_RE.match(t.horizon.text or "")):
            continue
        section = by_path.get(t.section or "")
        if section is None or section.span.start >= first[section.path]:
            continue
        found = _lead_in(source, section, first[section.path])
        if found is not None and (t.horizon is None or found.end != t.horizon.end):
            t.horizon = found
