"""Extraction records: what the readers and extractors hand to the graph builder.

They are plain dataclasses so that each extractor (document metadata, citations,
structure, tasks, targets) can be written and tested alone against the seeds, and the
graph builder is the only place that knows the ontology's terms.

Offsets: every ``Span`` is in code points of the *original decoded file* (end
exclusive). Extractors work on ``SourceText.text`` (normalised) and convert with
``SourceText.span(start, end)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

#: How a deadline repeats: once ("none"), all the time ("continuous"), every year ("annual").
Recurrence = Literal["none", "continuous", "annual"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    line_start: int = 0  # 1-based line numbers in the original file
    line_end: int = 0


@dataclass
class SourceText:
    """A decoded, normalised source file with a map back to original offsets."""

    path: str  # as given by the user
    name: str  # file name: the source's identity in the store
    fmt: Literal["txt", "docx", "pdf", "md", "xlsx"]
    original: str  # the decoded file (for docx/pdf: the text we rendered from it)
    text: str  # normalised text, same line structure as ``original``
    offsets: list[int]  # offsets[i] = original offset of text[i]; len(text)+1 entries
    checksum: str  # sha256 of the file bytes
    #: Real tables read by the reader (docx, md, pdf, xlsx, TAB-separated txt): rows of cell
    #: texts (normalised like ``text``), header rows first, in document order.
    tables: list[list[list[str]]] = field(default_factory=list)
    #: For each table, the 0-based line of ``text`` each row is written on (cells TAB-joined),
    #: or -1 where the reader could not place it — so an extractor reading ``tables`` can
    #: still cite the row (:meth:`row_span`). Empty when the reader gives no positions.
    table_lines: list[list[int]] = field(default_factory=list)

    def span(self, start: int, end: int) -> Span:
        """Map a [start, end) range of ``text`` to the original file, with line numbers."""
        o_start = self.offsets[start]
        o_end = self.offsets[end] if end < len(self.offsets) else len(self.original)
        return Span(o_start, o_end, self.original.count("\n", 0, o_start) + 1, self.original.count("\n", 0, max(o_start, o_end - 1)) + 1)

    def row_span(self, table: int, row: int) -> Span | None:
        """The Span of row ``row`` of ``tables[table]`` (its rendered line), if known."""
        if table >= len(self.table_lines) or row >= len(self.table_lines[table]):
            return None
        line = self.table_lines[table][row]
        if line < 0:
            return None
        start = 0
        for _ in range(line):
            start = self.text.find("\n", start) + 1
            if start == 0:
                return None
        end = self.text.find("\n", start)
        return self.span(start, len(self.text) if end < 0 else end)


@dataclass
class Deadline:
    text: str  # as printed
    start: date | None
    end: date | None
    recurrence: Recurrence = "none"
    before: bool = False  # "Trước 20/3/2025"


@dataclass
class DocumentRecord:
    kind: str | None  # "Kế hoạch", "Nghị quyết", "Chương trình", ...
    number: str | None  # "57"
    symbol: str | None  # "57/KH-UBND", "74-CTr/TU"
    date: date | None
    issuer: str | None  # "UBND tỉnh Bình Phước"
    locality: str | None  # "Bình Phước"
    locality_level: str | None  # "province" | "ward" | "commune" | "central"
    title: str | None
    signer: str | None = None
    year: int | None = None
    inferred: list[str] = field(default_factory=list)  # field names that were inferred
    span: Span | None = None  # the title block
    #: A plan: its kind is plan-like, or its title issues/approves one (ingest/extract/plan_kind.py)
    plan: bool = False


@dataclass
class CitationRecord:
    kind: str | None  # "Nghị quyết"
    symbol: str  # "57-NQ/TW"
    date: date | None
    issuer: str | None  # "Bộ Chính trị"
    relation: Literal["implements", "basis", "amends", "mention"]
    amends_symbol: str | None  # for 71/NQ-CP: "03/NQ-CP"
    span: Span
    text: str  # the cited phrase as printed


@dataclass
class SectionRecord:
    path: str  # "III", "III.5", "III.5.o", "PL2", "PL2.I"
    number: str  # as printed: "III", "5", "o)", "1.1"
    heading: str
    parent: str | None
    span: Span
    appendix: bool = False


@dataclass
class TaskRecord:
    number: str  # as printed
    path: str  # unique within the document: "PL2.56", "III.5.o"
    text: str
    lead: list[str]  # agency names as printed, one per agency or collective
    cooperating: list[str]
    output: str | None
    deadline: Deadline | None
    section: str | None  # path of the enclosing section
    span: Span
    origin: Literal["appendix", "narrative"]
    method: str  # extraction method, e.g. "appendix-table-pdf"


@dataclass
class TargetRecord:
    number: str
    path: str
    indicator: str
    comparator: Literal["ge", "gt", "le", "lt", "eq", "range", "text"]
    value_min: float | None
    value_max: float | None
    value_text: str  # as printed: "≥ 30", "2 - 5", "Tiên tiến, hiện đại"
    unit: str | None
    horizon: Deadline | None  # "2030", "31/7/2025"
    monitoring: list[str]
    span: Span
    origin: Literal["appendix", "narrative"]
    method: str
    section: str | None = None


@dataclass
class Extraction:
    """Everything read from one source file."""

    source: SourceText
    document: DocumentRecord
    citations: list[CitationRecord] = field(default_factory=list)
    sections: list[SectionRecord] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
