"""Header-driven reading of real tables (``SourceText.tables``): columns mapped by meaning.

Why: plan tables come in any column order and subset — "STT | Tên nhiệm vụ | Cơ quan chủ
trì | Cơ quan phối hợp | Thời gian hoàn thành" (no output column), "TT | Nhiệm vụ | … |
Nguồn kinh phí", agency-first tables, target tables with one column per year. Reading
them by a fixed column order puts deadlines into outputs and budgets into deadlines; so the
header row(s) are found first and every column gets a role from its header text, using the
vocabulary in ``ontology/registry/table_headers.yaml`` (folded, whole-word, longest phrase
wins). Then the rows below are read by role:

* section rows (``I``, ``II``, ``A.``, ``I.1``, a lone "I. HEADING" cell) scope the rows
  under them; numbering that restarts per section is qualified by the section path;
* a row that does not fit its header (a long text in the number column, more cells than
  the header has) gets a warning naming it and yields only what is certain — nothing in a
  field whose column it may not belong to;
* target tables with period columns ("Năm 2026", "Kế hoạch 2027") give one target per
  row and year, that year as horizon; a sub-header under a period ("Lượng (Tấn)") names
  the measure and its unit.

Tables that are neither (the issuer | motto block, signatures, procedure lists) are left
alone. Cell contents are parsed by the helpers of :mod:`tables` (agencies, deadlines,
values, units).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from plankg.folding import fold
from plankg.ingest.extract.tables import (
    Appendix,
    agencies_of,
    collapse,
    deadline_of,
    find_appendices,
    lines_of,
    unit_of,
    value_of,
)
from plankg.ingest.extract.target_horizons import phrase_horizon
from plankg.ingest.extract.vocab import agency_coverage
from plankg.ingest.model import Deadline, SectionRecord, SourceText, Span, TargetRecord, TaskRecord

TableKind = Literal["task", "target"]

VOCAB_PATH = Path(__file__).resolve().parents[2] / "ontology" / "registry" / "table_headers.yaml"

_YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\b")
_ROMAN_RE = re.compile(r"^[IVXL]{1,6}$")
_NUMBER_RE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){0,3}|[IVXL]{1,6}(?:\.\d{1,3}){0,3}|[A-ZĐ])[.)]?$")
_STEP_RE = re.compile(r"^(?:bước|bươc|giai đoạn)\s+\d{1,2}$", re.IGNORECASE)
_LONE_SECTION_RE = re.compile(r"^([IVXL]{1,6}|[A-ZĐ])[.)]\s+\S")
_COLUMN_NUMBER_RE = re.compile(r"^(?:\d{1,2}|[A-Z]|\(\d{1,2}\)|\d{1,2}\s*=\s*[\d/+*x-]+)$")
_MEASURE_RE = re.compile(r"^(.*?)\s*\(([^()]{1,30})\)\s*$")


def _words(text: str) -> str:
    """Folded, punctuation-free, single-spaced: the form header phrases are compared in."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


@lru_cache(maxsize=4)
def load_vocabulary(path: str = str(VOCAB_PATH)) -> dict[str, object]:
    """The header vocabulary, phrases folded: ``{"task": {role: [phrase]}, "target": …,
    "not_targets": [phrase], "general_aims": [phrase], "not_task_tables": [phrase]}``; cached
    per path."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    out: dict[str, object] = {}
    for kind in ("task", "target"):
        out[kind] = {role: [_words(p) for p in phrases] for role, phrases in raw[kind].items()}
    out["not_targets"] = [_words(p) for p in raw.get("not_targets", [])]
    out["general_aims"] = [_words(p) for p in raw.get("general_aims", [])]
    out["not_task_tables"] = [_words(p) for p in raw.get("not_task_tables", [])]
    return out


def role_of(cell: str, kind: TableKind) -> str | None:
    """The role of a header cell in a table of ``kind`` (longest whole-word phrase), or None."""
    text = f" {_words(cell)} "
    if not text.strip():
        return None
    roles: dict[str, list[str]] = load_vocabulary()[kind]  # type: ignore[assignment]
    best: tuple[int, str] | None = None
    for role, phrases in roles.items():
        for p in phrases:
            if p and f" {p} " in text and (best is None or len(p) > best[0]):
                best = (len(p), role)
    return best[1] if best else None


def year_of(cell: str) -> str | None:
    """The year a period column's header names ("Năm 2026", "Kế hoạch 2027"); None for a
    range ("Giai đoạn 2026 - 2030": a group over year columns, not a year)."""
    years = _YEAR_RE.findall(cell)
    return years[0] if len(years) == 1 else None


@dataclass
class Header:
    """What the header rows of one table say about its columns."""

    kind: TableKind
    roles: dict[int, str]  # column → role (first column of each role is the one read)
    labels: list[str]  # column → header text (group and sub-header joined)
    years: dict[int, str] = field(default_factory=dict)  # period column → year
    measures: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # column → (measure, unit)
    nrows: int = 1  # header rows, column-number row included
    first: int = 0  # index of the (first) header row: rows above it are section rows or a caption
    warnings: list[str] = field(default_factory=list)

    def column(self, role: str) -> int | None:
        cols = [c for c, r in self.roles.items() if r == role]
        return min(cols) if cols else None


def _classify(row: Sequence[str]) -> tuple[TableKind, dict[int, str]] | None:
    """A header row's kind and column roles, or None when it heads no task/target table."""
    task = {i: r for i, c in enumerate(row) if (r := role_of(c, "task"))}
    values = set(task.values())
    if "text" in values and values & {"lead", "coop", "deadline"} and not _not_task_table(row):
        return "task", task
    target = {i: r for i, c in enumerate(row) if (r := role_of(c, "target"))}
    has_years = any(year_of(c) for c in row)
    tvalues = set(target.values())
    if "indicator" in tvalues and (tvalues & {"value", "unit", "monitoring"} or has_years):
        return "target", target
    return None


def names_no_task_table(text: str) -> bool:
    """Does a header text (a row's cells, or the first lines of an appendix read without
    cells) name a table that assigns nothing (``not_task_tables``)? Public for
    :mod:`.appendix_tasks`, which reads DOCX/PDF appendices line by line."""
    phrases: list[str] = load_vocabulary()["not_task_tables"]  # type: ignore[assignment]
    words = f" {_words(text)} "
    return any(p and f" {p} " in words for p in phrases)


def _not_task_table(row: Sequence[str]) -> bool:
    """Does a header row name a procedure's steps, a catalogue of administrative procedures or
    spending norms (``not_task_tables``)? Such a table assigns nothing, whatever else it heads."""
    phrases: list[str] = load_vocabulary()["not_task_tables"]  # type: ignore[assignment]
    return any(p and f" {p} " in f" {_words(c)} " for c in row for p in phrases)


def _is_column_number_row(row: Sequence[str]) -> bool:
    """"1 | 2 | 3 …" or "A | B | 1 | 2 | 4=3/2": the printed column numbers under a header."""
    cells = [c.strip() for c in row if c.strip()]
    return len(cells) >= 3 and all(_COLUMN_NUMBER_RE.match(c) for c in cells)


def _is_subheader_row(row: Sequence[str]) -> bool:
    """A second header row: short cells, the first not a row number or a section heading."""
    cells = [c.strip() for c in row if c.strip()]
    if not cells or _NUMBER_RE.match(row[0].strip()) or _LONE_SECTION_RE.match(row[0].strip()):
        return False
    if _STEP_RE.match(row[0].strip()):
        return False
    return all(len(c) <= 40 for c in cells) and (
        any(year_of(c) for c in cells) or any(role_of(c, "task") or role_of(c, "target") for c in cells)
        or all(_MEASURE_RE.match(c) for c in cells)
    )


def _is_repeated_header(row: Sequence[str], header: Header) -> bool:
    """A header row printed again under a section row ("Nội dung | Đơn vị thực hiện | …"):
    every filled cell is short and names a column of the table's kind, and the row reads as
    a header of that kind (never a task of its own)."""
    cells = [c.strip() for c in row if c.strip()]
    if len(cells) < 3 or any(len(c) > 40 or not role_of(c, header.kind) for c in cells):
        return False
    found = _classify(row)
    return found is not None and found[0] == header.kind


def _span_groups(top: Sequence[str], sub: list[str], ncols: int) -> list[tuple[int, int]] | None:
    """Where the sub-header cells go when the reader lost the column spans (cells shifted
    left): the last L top cells each span ``len(sub)/L`` columns, the only reading in which
    the widths add up to ``ncols``. Returns (top index, width) pairs, or None."""
    heads = [i for i, c in enumerate(top) if c.strip()]
    extra = ncols - len(heads)
    for n in range(1, len(heads) + 1):
        if len(sub) % n == 0 and (w := len(sub) // n) >= 2 and n * (w - 1) == extra:
            return [(i, w) for i in heads[len(heads) - n:]]
    return None


def _columns(top: Sequence[str], sub: Sequence[str] | None, ncols: int,
             warnings: list[str]) -> list[tuple[str, str]]:
    """Per column: (group header, sub-header) from one or two header rows."""
    top = list(top) + [""] * (ncols - len(top))
    if sub is None:
        return [(c, "") for c in top[:ncols]]
    sub = list(sub) + [""] * (ncols - len(sub))
    if not sub[0].strip():  # spans kept: merged cells are "" placeholders, aligned
        out: list[tuple[str, str]] = []
        group = ""
        for i in range(ncols):
            group = top[i] if top[i].strip() else group
            out.append((group, sub[i]))
        return out
    cells = [c for c in sub if c.strip()]
    groups = _span_groups(top, cells, ncols)
    if groups is None:
        warnings.append("tiêu đề hai dòng không khớp số cột, chỉ đọc dòng đầu "
                        "(two-row header does not fit the columns; first row read)")
        return [(c, "") for c in top[:ncols]]
    heads = [c for c in top if c.strip()]
    start = len(heads) - len(groups)
    out = [(c, "") for c in heads[:start]]
    k = 0
    for i, w in groups:
        for _ in range(w):
            out.append((top[i], cells[k]))
            k += 1
    return out


def _ncols(table: Sequence[Sequence[str]], start: int) -> int:
    """Columns the data rows use (trailing empty cells of every row ignored)."""
    widths = [max((i + 1 for i, c in enumerate(r) if c.strip()), default=0) for r in table[start:]]
    return max(widths + [len(table[start - 1]) if start else 0])


def read_header(table: Sequence[Sequence[str]]) -> Header | None:
    """The header of ``table`` (searched in its first three rows), or None for other tables.
    A row naming a procedure, a catalogue of procedures or spending norms (``not_task_tables``)
    ends the search: the rows under it are that table's entries, and one of them ("01 | Thủ tục
    … | Trong thời hạn … | Cơ quan thực hiện: …") would otherwise pass for a task header."""
    for h in range(min(3, len(table))):
        if _not_task_table(table[h]):
            return None
        found = _classify(table[h])
        if found is None:
            continue
        kind, _roles = found
        n = h + 1
        sub = None
        if n < len(table) and _is_subheader_row(table[n]):
            sub = table[n]
            n += 1
        if n < len(table) and _is_column_number_row(table[n]):
            n += 1
        warnings: list[str] = []
        top = list(table[h])
        if sub is None and "number" not in _roles.values() and _number_cell_merged_above(table, top, n):
            top = ["", *top]  # the "STT" cell spans the section rows above: its column is the first
        top_width = max((i + 1 for i, c in enumerate(top) if c.strip()), default=0)
        # one header row: its cells are the columns (a longer row does not fit); two rows
        # whose spans the reader lost: the data rows tell how many columns there are
        ncols = max(_ncols(table, n), top_width) if sub is not None else top_width
        cols = _columns(top, sub, ncols, warnings)
        header = Header(kind, {}, [collapse(f"{g} {s}") for g, s in cols], nrows=n, warnings=warnings, first=h)
        _assign_roles(header, cols)
        if top is not table[h]:
            header.roles[0] = "number"
        return header
    return None


def _number_cell_merged_above(table: Sequence[Sequence[str]], top: Sequence[str], start: int) -> bool:
    """Does the header row lack the number column, its "STT" cell merged into the rows above?

    A table whose first rows are section rows ("B | PHÁT TRIỂN …", "I | …") and whose header
    row prints only "Nội dung | Đơn vị thực hiện | …" loses the number column's header cell to
    the merged cell above it: the reader gives the header one cell fewer than the data rows,
    which then print a row number ("1.1") first. Reading the header's cells as the first
    columns would put every row number into the task text; so when most data rows are exactly
    one cell wider than the header and open with a row number, the header's cells are the
    columns after the number column."""
    width = max((i + 1 for i, c in enumerate(top) if c.strip()), default=0)
    rows = [r for r in table[start:] if any(c.strip() for c in r)]
    wider = [r for r in rows if max((i + 1 for i, c in enumerate(r) if c.strip()), default=0) == width + 1
             and _NUMBER_RE.match(r[0].strip())]
    return bool(rows) and width > 0 and 2 * len(wider) > len(rows)


def _assign_roles(header: Header, cols: list[tuple[str, str]]) -> None:
    for i, (group, sub) in enumerate(cols):
        year = year_of(sub) or year_of(group)
        role = role_of(sub, header.kind) if sub.strip() else None
        role = role or role_of(group, header.kind)
        if header.kind == "target" and year and role not in ("number", "indicator", "unit", "monitoring"):
            header.years[i] = year
            role = "value"
            m = _MEASURE_RE.match(sub)
            if sub.strip() and not year_of(sub):
                header.measures[i] = (collapse(m.group(1)), collapse(m.group(2))) if m else (collapse(sub), None)
        if role:
            header.roles[i] = role


# --- rows ---------------------------------------------------------------------------------


@dataclass
class _Scope:
    """The section rows above the current row: (marker rank, printed number, heading)."""

    stack: list[tuple[int, str, str]] = field(default_factory=list)
    groups: int = 0  # unnumbered group rows seen so far (their paths: G1, G2 …)

    def enter(self, rank: int, printed: str, heading: str) -> None:
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        self.stack.append((rank, printed, heading))

    def path(self, base: str) -> str:
        """``base.I.1`` for "I" then "I.1": a dotted marker adds only its last part under
        the section it extends."""
        parts: list[str] = []
        for _r, p, _h in self.stack:
            joined = ".".join(parts)
            parts.append(p[len(joined) + 1:] if parts and p.startswith(joined + ".") else p)
        return ".".join([base, *parts])

    def heading_with_year(self) -> str:
        """The innermost section heading that names a year ("Giai đoạn 2025-2027"): the
        horizon of the target rows under it."""
        for _r, _p, h in reversed(self.stack):
            if _YEAR_RE.search(h):
                return h
        return ""

    def agency(self) -> str:
        """The innermost section heading that only names an agency ("II | Bộ Tài chính (Cục
        Thuế)"): the lead of the rows under it that print none of their own."""
        from plankg.ingest.extract.assignments import agency_heading

        for _r, _p, h in reversed(self.stack):
            name = agency_heading(h)
            if name:
                return h
        return ""


#: letters that mark sections (Vietnamese alphabet: no F, J, W, Z; "Đ" after "D")
_SECTION_LETTERS = "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"


def _next_letter(prev: str, number: str) -> bool:
    """Is ``number`` the section letter after ``prev`` ("H" then "I": a letter, not Roman one)?"""
    p, n = prev.strip().rstrip(".)"), number.strip().rstrip(".)")
    plain = [c for c in _SECTION_LETTERS if c not in "ĂÂÊÔƠƯ"]
    return p in plain and n in plain and plain.index(n) - plain.index(p) in (1, 2)


def _marker_rank(number: str) -> int | None:
    """Section markers by depth: A. (0) > I (1) > I.1 (2); None for a plain row number."""
    n = number.strip().rstrip(".)")
    if _ROMAN_RE.match(n):  # before letters: "I" and "V" are Roman numerals here
        return 1
    if re.fullmatch(r"[A-ZĐ]", n):
        return 0
    if re.fullmatch(r"[IVXL]{1,6}(?:\.\d{1,3})+", n):
        return 2
    return None


@dataclass
class _Row:
    index: int  # row index in the table
    number: str
    cells: list[str]
    section: str  # path of the enclosing section
    section_heading: str
    section_agency: str = ""  # a section row above that names only an agency
    part: int = 0  # k for the k-th sub-row of a row whose leading cells are merged (k >= 2)


def _printed(number: str) -> str:
    return re.sub(r"\s+", "", number.strip().rstrip(".)"))


def _section_of(row: list[str], header: Header) -> tuple[int, str, str] | None:
    """(rank, printed, heading) when ``row`` is a section row, else None."""
    filled = [i for i, c in enumerate(row) if c.strip()]
    if not filled:
        return None
    num_col = header.column("number")
    first = row[filled[0]].strip()
    if len(filled) == 1 and (m := _LONE_SECTION_RE.match(first)):
        return _marker_rank(m.group(1)) or 0, m.group(1), collapse(first[m.end() - 1:])
    if num_col is None:
        return None
    rank = _marker_rank(row[num_col]) if num_col < len(row) else None
    content = [i for i in filled if i != num_col]
    payload = _payload_columns(header)
    text_col = header.column("text")
    # "A. | BỘ Y TẾ" in an agency-first table: a marker and one cell, no task text
    lone = len(content) == 1 and header.kind == "task" and text_col is not None and not row[text_col].strip()
    if rank is not None and (lone or not any(i in payload for i in content)):
        heading = " ".join(row[i] for i in content)
        return rank, _printed(row[num_col]), collapse(heading)
    if header.kind == "target" and rank is None and row[num_col].strip() and not any(i in payload for i in content):
        return 3, _printed(row[num_col]), collapse(" ".join(row[i] for i in content))
    return None


def _unshift(cells: list[str], header: Header, above: Sequence[_Row] = ()) -> list[str] | None:
    """A row whose merged number cell the reader dropped (its cells moved one column left),
    put back — only when that is certain: the row is a task row whose text lands in the
    text column and whose next cell reads wholly as agency names in the lead column, or is
    printed exactly as a lead cell of a row above in the same table (a sub-row that repeats
    its row's lead: "Xây dựng hạ tầng kỹ thuật dự phòng … | Trung tâm Chuyển đổi số Thành
    phố" under the row that lead printed). A sub-row that prints only some cells keeps only
    those: the cells it did not print stay empty, never filled from a guess."""
    text_col, lead_col = header.column("text"), header.column("lead")
    if header.kind != "task" or text_col is None or lead_col is None:
        return None
    from plankg.ingest.extract.assignments import is_agency_start

    moved = ["", *cells[:-1]]
    if cells[-1] or not moved[lead_col] or not moved[text_col]:
        return None
    # every cell but the last filled (exactly one cell missing) and the lead cell begins with
    # an agency head ("Ngân hàng Nhà nước Việt Nam", "- Đài Truyền hình Việt Nam; - …")
    full = all(cells[:-1])
    repeated = text_col < lead_col and any(r.cells[lead_col] == moved[lead_col] for r in above)
    if (agency_coverage(moved[lead_col]) < 1.0 and not (full and is_agency_start(moved[lead_col]))
            and not repeated):
        return None
    return moved


def _merged_subrow(ri: int, cells: list[str], header: Header, prev: _Row | None) -> _Row | None:
    """A sub-row of the row above whose leading cells (number, agencies, group) span it.

    Why: a table that gives one numbered row several tasks ("1 | Bộ X | Bộ Y | <group> |
    task 1 | result 1 | deadline 1" then "task 2 | result 2 | deadline 2") merges the leading
    cells vertically; readers that lose the spans print the sub-row's cells from the first
    column on. When only the trailing columns are filled that way — the first cell is no row
    number, the text column is among the trailing ones and the lead column among the merged
    ones — the cells belong to the last columns and the leading ones are the row above's.
    A table whose merged cells are elsewhere (a procedure table: "Bước 2" spans, and so does
    the last column) has no lead column before its text: left to the caller (which warns)."""
    if prev is None or header.kind != "task":
        return None
    width = len(header.labels)
    filled = [i for i, c in enumerate(cells) if c]
    k = len(filled)
    if not 2 <= k < width or filled != list(range(k)) or _NUMBER_RE.match(cells[0]) or _STEP_RE.match(cells[0]):
        return None
    start = width - k
    text_col, num_col, lead_col = header.column("text"), header.column("number"), header.column("lead")
    if text_col is None or text_col < start or (num_col is not None and num_col >= start):
        return None
    if lead_col is None or lead_col >= start:  # the lead agency is what spans the sub-rows
        return None
    moved = _own_partners(cells[:k], header, prev.cells, start) or prev.cells[:start] + cells[:k]
    return _Row(ri, prev.number, moved, prev.section, prev.section_heading, prev.section_agency,
                part=(prev.part or 1) + 1)


def _own_partners(cells: list[str], header: Header, above: list[str], start: int) -> list[str] | None:
    """A sub-row that prints its own cooperating cell before the trailing cells: "Các bộ, ngành
    liên quan | task | result | deadline" under "1 | Bộ X | Bộ Y | <group> | task | …", where
    the number, lead and group cells span both rows. Read flush right, its partners would land
    in the group column and the row above's partners would be copied; so when the first cell
    reads wholly as agency names, the cooperating column lies left of the trailing cells and
    the column it would land in is no agency column, it goes to the cooperating column and the
    rest stay flush right. None when that is not certain (the cell must begin with an agency
    head and hold nothing else: "Y tế dự phòng" is a group, though its words name agencies)."""
    coop = header.column("coop")
    if coop is None or coop >= start or header.roles.get(start) in ("lead", "coop", "monitoring"):
        return None
    from plankg.ingest.extract.assignments import is_agency_start

    if agency_coverage(cells[0]) < 1.0 or not is_agency_start(cells[0]):
        return None
    width = len(header.labels)
    rest = cells[1:]
    moved = above[:coop] + [cells[0]] + above[coop + 1: width - len(rest)] + rest
    return moved if len(moved) == width else None


def _payload_columns(header: Header) -> set[int]:
    """Columns a data row fills and a section row leaves empty."""
    keep = {"lead", "coop", "deadline", "output", "unit", "value", "monitoring"}
    return {i for i, r in header.roles.items() if r in keep} | set(header.years)


#: rank of an unnumbered group row ("Nhiệm vụ giao Bộ trưởng Bộ X chỉ đạo"): under every
#: numbered section (A., I, I.1), each group replacing the one before
_GROUP_RANK = 3


def _is_text_only(cells: list[str], header: Header) -> bool:
    """An unnumbered row of a task table that fills the text column and nothing else, in a
    table whose rows carry a number and a lead or deadline column.

    Why: such a row cannot be a task of its own (no one leads it, nothing dates it). Either it
    names the group of rows under it — a merged row across the table ("Nhiệm vụ giao Bộ trưởng
    Bộ Công an chỉ đạo", "Nhóm nhiệm vụ về thể chế") — or it is the rest of the row above that
    a page break cut (DOCX/PDF print it as a row of its own, its text going on in lower case)."""
    num_col, text_col = header.column("number"), header.column("text")
    if header.kind != "task" or num_col is None or text_col is None or cells[num_col]:
        return False
    if header.column("lead") is None and header.column("deadline") is None:
        return False
    return bool(cells[text_col]) and not any(c for i, c in enumerate(cells) if i != text_col)


def _continue_text(cells: list[str], header: Header, rows: list[_Row], sections: list[tuple[str, str, int]],
                   scope: _Scope, last_was_row: bool) -> None:
    """Join a text-only row that goes on in lower case to what it continues: the task text of
    the row above, or the heading of the group row above."""
    col = header.column("text") or 0
    if last_was_row and rows:
        prev = rows[-1]
        prev.cells[col] = collapse(f"{prev.cells[col]} {cells[col]}")
        return
    path, heading, ri = sections[-1]
    joined = collapse(f"{heading} {cells[col]}")
    sections[-1] = (path, joined, ri)
    rank, printed, _h = scope.stack[-1]
    scope.stack[-1] = (rank, printed, joined)


def _continue_row(cells: list[str], printed: list[str], row: _Row) -> bool:
    """Join a row that a page break cut off from ``row`` (printed as ``printed``): its first
    filled cell goes on in lower case ("hệ thống quan trắc …", "viên") and it fills only
    positions the row above filled, so each cell is the rest of the cell printed at the same
    position above — in whichever column that cell was read (a merged sub-row's cells stand
    right of the spanned ones, a row without its number cell one column left). True when
    joined; the row above then reads as one row."""
    filled = [j for j, c in enumerate(cells) if c]
    if len(filled) < 2 or not cells[filled[0]][:1].islower() or any(not printed[j] for j in filled):
        return False
    cols: dict[int, int] = {}
    i = 0
    for j, c in enumerate(printed):
        if not c:
            continue
        while i < len(row.cells) and row.cells[i] != c:
            i += 1
        if i == len(row.cells):
            return False
        cols[j] = i
        i += 1
    for j in filled:
        row.cells[cols[j]] = printed[j] = collapse(f"{row.cells[cols[j]]} {cells[j]}")
    return True


def _read_text_only(ri: int, cells: list[str], g: Grid, rows: list[_Row], sections: list[tuple[str, str, int]],
                    scope: _Scope, last_was_row: bool) -> Literal["group", "continued"] | None:
    """A text-only row (:func:`_is_text_only`) read as a group heading (capitalised: it scopes
    the rows under it, path ``<section>.G<k>``) or as the rest of what is above it (lower
    case); None for any other row, which the caller reads as usual."""
    header = g.header
    if not _is_text_only(cells, header):
        return None
    text = cells[header.column("text") or 0]
    if text[:1].islower() and (last_was_row or scope.groups):
        _continue_text(cells, header, rows, sections, scope, last_was_row)
        return "continued"
    if not text[:1].isupper():
        return None
    scope.groups += 1
    scope.enter(_GROUP_RANK, f"G{scope.groups}", text)
    sections.append((scope.path(g.base), text, ri))
    return "group"


@dataclass
class Grid:
    """One recognised table: where it is and what its header says."""

    index: int  # in SourceText.tables
    header: Header
    base: str  # path prefix: the appendix ("PL2") or "BANG<n>"
    appendix: Appendix | None


def _sections_above(table: Sequence[Sequence[str]], g: Grid, scope: _Scope) -> list[tuple[str, str, int]]:
    """Section rows printed above the header ("B | PHÁT TRIỂN …", "I | …" over "Nội dung | …")
    scope the rows below it: entered into ``scope``, returned as (path, heading, row index)."""
    sections: list[tuple[str, str, int]] = []
    width = len(g.header.labels)
    for ri in range(g.header.first):
        sec = _section_of((list(map(collapse, table[ri])) + [""] * width)[:width], g.header)
        if sec is not None:
            scope.enter(*sec)
            sections.append((scope.path(g.base), sec[2], ri))
    return sections


def _rows(table: Sequence[Sequence[str]], g: Grid, warnings: list[str]) -> tuple[list[_Row], list[tuple[str, str, int]]]:
    """Data rows with their section, and the section rows (path, heading, row index)."""
    header = g.header
    width = len(header.labels)
    num_col = header.column("number")
    scope = _Scope()
    rows: list[_Row] = []
    sections = _sections_above(table, g, scope)
    where = f"Bảng {g.index + 1}"
    last_was_row = False
    printed: list[str] = []  # the last data row's cells as printed (page-break continuations)
    for ri in range(header.nrows, len(table)):
        cells = [collapse(c) for c in table[ri]]
        if not any(cells) or _is_column_number_row(cells) or _is_repeated_header(cells, header):
            continue
        extra = [c for c in cells[width:] if c]
        if extra:
            warnings.append(f"{where}, dòng {ri + 1}: {width + len(extra)} ô nhưng tiêu đề có {width} cột; "
                            f"bỏ phần thừa (row has {width + len(extra)} cells, header has {width})")
        cells = (cells + [""] * width)[:width]
        sec = _section_of(cells, header)
        if sec is not None and sec[0] == 1 and scope.stack and scope.stack[0][0] == 0 \
                and _next_letter(scope.stack[0][1], sec[1]):
            sec = (0, sec[1], sec[2])  # "I" after "H" in lettered sections
        if sec is not None:
            last_was_row = False
            scope.enter(*sec)
            sections.append((scope.path(g.base), sec[2], ri))
            continue
        kind = "continued" if last_was_row and rows and _continue_row(cells, printed, rows[-1]) else None
        kind = kind or _read_text_only(ri, cells, g, rows, sections, scope, last_was_row)
        if kind == "continued":
            warnings.append(f"{where}, dòng {ri + 1}: phần tiếp của dòng trên (bị ngắt trang), ghép vào dòng trên "
                            f"(the rest of the row above, cut by a page break: joined to it)")
        if kind is not None:
            last_was_row = last_was_row and kind == "continued"
            continue
        number = cells[num_col] if num_col is not None else ""
        merged = _merged_subrow(ri, cells, header, rows[-1] if rows and last_was_row else None)
        if merged is not None:
            rows.append(merged)
            printed = cells
            continue
        last_was_row = True
        printed = cells
        if number and not (_NUMBER_RE.match(number) or _STEP_RE.match(number) or number in "-–+"):
            shifted = _unshift(cells, header, rows) if num_col == 0 else None
            if shifted is not None:
                warnings.append(f"{where}, dòng {ri + 1}: thiếu ô số thứ tự (ô gộp với dòng trên), đọc lùi một cột "
                                f"(number cell merged with the row above: cells read one column to the right)")
                rows.append(_Row(ri, "", shifted, scope.path(g.base), scope.heading_with_year()))
                continue
            warnings.append(f"{where}, dòng {ri + 1}: ô số thứ tự '{number[:40]}' không phải số, dòng không khớp "
                            f"tiêu đề, bỏ qua (row does not fit its header: skipped)")
            continue
        sec_heading = scope.heading_with_year()
        rows.append(_Row(ri, number if number not in "-–+" else "", cells, scope.path(g.base), sec_heading,
                         scope.agency()))
    return rows, sections


def _row_paths(rows: list[_Row], base: str) -> list[str]:
    """``base.<n>`` when the numbers are unique in the table, else ``<section>.<n>``; rows
    without a number get ``<section>.r<k>`` (k counts within the section)."""
    numbers = [_printed(r.number) for r in rows if r.number and not r.part]
    unique = len(numbers) == len(set(numbers))
    paths: list[str] = []
    unnumbered: dict[str, int] = {}
    for r in rows:
        if r.part and paths:
            # the k-th sub-row of a merged row: its path extends the row's first
            first = paths[-1] if not rows[len(paths) - 1].part else paths[-1].rsplit(".", 1)[0]
            paths.append(f"{first}.{r.part}")
        elif r.number:
            paths.append(f"{base}.{_printed(r.number)}" if unique else f"{r.section}.{_printed(r.number)}")
        else:
            unnumbered[r.section] = unnumbered.get(r.section, 0) + 1
            paths.append(f"{r.section}.r{unnumbered[r.section]}")
    return paths


# --- spans --------------------------------------------------------------------------------


def _row_span(source: SourceText, t: int, ri: int, anchor: str) -> Span:
    """The row's rendered line (reader's table_lines), else the first place its text is
    printed, else the table's first row: provenance is never left out."""
    span = source.row_span(t, ri)
    if span is not None:
        return span
    probe = anchor[:60]
    at = source.text.find(probe) if probe else -1
    if at >= 0:
        return source.span(at, at + len(probe))
    for r in range(len(source.tables[t])):
        first = source.row_span(t, r)
        if first is not None:
            return first
    return source.span(0, 0)


# --- records ------------------------------------------------------------------------------


def _cell(row: _Row, header: Header, role: str) -> str:
    col = header.column(role)
    return row.cells[col] if col is not None else ""


def _cooperating(row: _Row, header: Header, text: str) -> list[str]:
    """The cooperating column; a table without one names its partners in the task text
    ("Bộ Tài chính chủ trì, phối hợp với Bộ Tư pháp …"), read by the prose reader's own rule
    (:func:`assignments.cooperating`: a named partner after "phối hợp (với)", never a bare
    "phối hợp")."""
    if header.column("coop") is not None:
        return agencies_of(_cell(row, header, "coop"))
    from plankg.ingest.extract.assignments import cooperating

    return [collapse(n) for n in cooperating(text)]


def _tasks(source: SourceText, g: Grid, rows: list[_Row], warnings: list[str]) -> list[TaskRecord]:
    header = g.header
    paths = _row_paths(rows, g.base)
    method = f"table-header-{source.fmt}"
    out: list[TaskRecord] = []
    for r, path in zip(rows, paths):
        text = _cell(r, header, "text")
        if not text:
            warnings.append(f"{path}: dòng {r.index + 1} không có nội dung nhiệm vụ, bỏ qua (row has no task text: skipped)")
            continue
        if not r.number and fold(text).startswith(("tong", "cong ")):
            continue  # a total row ("Tổng thời gian …") is not a task
        lead = agencies_of(_cell(r, header, "lead")) or agencies_of(r.section_agency)
        if not lead:
            warnings.append(f"{path}: không có cơ quan chủ trì (no lead agency)")
        output = _cell(r, header, "output")
        deadline = _cell(r, header, "deadline")
        out.append(TaskRecord(
            number=r.number, path=path, text=text, lead=lead, cooperating=_cooperating(r, header, text),
            output=output if output and output not in ("-", "–") else None, deadline=deadline_of(deadline),
            section=r.section, span=_row_span(source, g.index, r.index, text), origin="appendix", method=method,
        ))
    return out


def _horizon(year: str | None, heading: str, title: str = "") -> Deadline | None:
    """A row's horizon: its year column, else its section heading's year, else the horizon the
    table's title names ("… CHỈ TIÊU … ĐẾN NĂM 2030", "… GIAI ĐOẠN 2026 - 2030")."""
    from plankg.ingest.extract.tables import horizon_of

    if year:
        return horizon_of(year)
    return horizon_of(heading) or phrase_horizon(title)


def _monitoring(cell: str) -> list[str]:
    """The agencies of a target table's monitoring cell. A cell that goes on to say what they
    do ("Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu"; "Sở X chủ trì hướng
    dẫn, tổng hợp; Các sở, ngành … thực hiện …") names its agencies before the first verb: the
    prose reader's subject rule (``assignments.subject``), so the verbs never become agencies."""
    from plankg.ingest.extract.assignments import names, subject

    cell = collapse(cell)
    found = subject(cell) if cell else None
    if found is None:
        return agencies_of(cell)
    return [collapse(n) for n in names(found[0])]


def _stated_target(cell: str) -> tuple[str, float | None, float | None, str, str | None] | None:
    """(comparator, min, max, value as printed, unit) of a target table row whose header has no
    value or year column, read from the figure its indicator cell states ("Tỷ lệ … đạt tối
    thiểu 40%"), by the same wording rules as a narrative target; None when the cell states
    no figure. One row is one target: a cell stating several figures ("… từ 05 bộ dữ liệu …;
    có tối thiểu 05 kịch bản …") is read as text, the cell as printed."""
    from plankg.ingest.extract.narrative import _value, _value_matches

    if not _value_matches(fold(cell).lower()):
        return None
    parts = [p for p in re.split(r";\s+|\.\s+(?=[A-ZĐ])", cell) if _value_matches(fold(p).lower())]
    if len(parts) > 1:
        return "text", None, None, cell.strip(" ."), None
    comparator, vmin, vmax, vtext, unit, _span = _value(cell)
    return comparator, vmin, vmax, vtext, unit


def _targets(source: SourceText, g: Grid, rows: list[_Row], warnings: list[str]) -> list[TargetRecord]:
    header = g.header
    paths = _row_paths(rows, g.base)
    method = f"table-header-{source.fmt}"
    value_cols = sorted(set(header.years) | {i for i, r in header.roles.items() if r == "value"})
    title = g.appendix.title_text if g.appendix else _caption(source, g.index, source.text.split("\n"))
    out: list[TargetRecord] = []
    for r, path in zip(rows, paths):
        indicator = _cell(r, header, "indicator")
        if not indicator:
            warnings.append(f"{path}: dòng {r.index + 1} không có tên chỉ tiêu, bỏ qua (row has no indicator: skipped)")
            continue
        span = _row_span(source, g.index, r.index, indicator)
        monitoring = _monitoring(_cell(r, header, "monitoring"))
        unit_cell = _cell(r, header, "unit")
        if not value_cols:  # "TT | Chỉ tiêu | Chủ trì": the figure is printed in the indicator cell
            target = _stated_target(indicator)
            if target is None:
                warnings.append(f"{path}: chỉ tiêu không có giá trị (target has no value)")
                continue
            comparator, vmin, vmax, vtext, unit = target
            out.append(TargetRecord(
                number=r.number, path=path, indicator=indicator, comparator=comparator,  # type: ignore[arg-type]
                value_min=vmin, value_max=vmax, value_text=vtext, unit=unit,
                horizon=_horizon(None, r.section_heading, title), monitoring=monitoring, span=span,
                origin="appendix", method=method, section=r.section,
            ))
            continue
        filled = [c for c in value_cols if r.cells[c] and r.cells[c] not in ("-", "–")]
        if not filled:
            warnings.append(f"{path}: chỉ tiêu không có giá trị (target has no value)")
        for c in filled:
            measure, munit = header.measures.get(c, (None, None))
            year = header.years.get(c)
            comparator, vmin, vmax, vtext = value_of(r.cells[c])
            suffix = [x for x in (fold(measure)[:1] if measure else "", year or "") if x]
            out.append(TargetRecord(
                number=r.number, path=".".join([path, *suffix]) if len(filled) > 1 else path,
                indicator=measure or indicator, comparator=comparator,  # type: ignore[arg-type]
                value_min=vmin, value_max=vmax, value_text=vtext,
                unit=unit_of(munit) if munit else unit_of(unit_cell),
                horizon=_horizon(year, r.section_heading, title), monitoring=monitoring, span=span,
                origin="appendix", method=method, section=r.section,
            ))
    return out


# --- the whole source ----------------------------------------------------------------------


def _caption(source: SourceText, t: int, lines: list[str]) -> str:
    """Up to six printed lines above the table (its title), folded."""
    first = next((ln for ln in (source.table_lines[t] if t < len(source.table_lines) else []) if ln >= 0), -1)
    if first < 0:
        return ""
    return _words(" ".join(lines[max(0, first - 6):first]))


def _appendix_at(apps: list[Appendix], line: int) -> Appendix | None:
    before = [a for a in apps if a.heading.idx < line]
    return before[-1] if before else None


def find_grids(source: SourceText, warnings: list[str]) -> list[Grid]:
    """The task and target tables of ``source``, with their path bases."""
    text_lines = source.text.split("\n")
    apps = find_appendices(lines_of(source.text))
    vocab_not: list[str] = load_vocabulary()["not_targets"]  # type: ignore[assignment]
    grids: list[Grid] = []
    used: dict[str, int] = {}
    for t, table in enumerate(source.tables):
        header = read_header(table)
        if header is None:
            continue
        caption = f" {_caption(source, t, text_lines)} "
        if header.kind == "target" and any(f" {p} " in caption for p in vocab_not):
            warnings.append(f"Bảng {t + 1}: bảng dự báo/dự toán, không phải chỉ tiêu kế hoạch, bỏ qua "
                            f"(forecast or budget table: not read as targets)")
            continue
        lines = [ln for ln in (source.table_lines[t] if t < len(source.table_lines) else []) if ln >= 0]
        app = _appendix_at(apps, lines[0]) if lines else None
        base = app.path if app else f"BANG{t + 1}"
        used[base] = used.get(base, 0) + 1
        if used[base] > 1:
            base = f"{base}.B{used[base]}"
        warnings += [f"Bảng {t + 1}: {w}" for w in header.warnings]
        grids.append(Grid(t, header, base, app))
    return grids


@dataclass
class GridResult:
    sections: list[SectionRecord] = field(default_factory=list)
    tasks: list[TaskRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: lines of ``SourceText.text`` the recognised tables are written on, per kind: the
    #: text-layout extractors leave appendices holding them alone (no double extraction)
    covered: dict[str, set[int]] = field(default_factory=lambda: {"task": set(), "target": set()})
    #: kinds read from tables whose rows have no line in the text (covered is then unknown)
    unplaced: set[str] = field(default_factory=set)


def _grid_sections(source: SourceText, g: Grid, secs: list[tuple[str, str, int]]) -> list[SectionRecord]:
    out: list[SectionRecord] = []
    if g.appendix is not None and "." not in g.base:
        a = g.appendix
        out.append(SectionRecord(a.path, a.printed, a.title_text, None, source.span(a.heading.start, a.heading.end),
                                 appendix=True))
    for path, heading, ri in secs:
        parent = path.rsplit(".", 1)[0]
        out.append(SectionRecord(path, path.rsplit(".", 1)[1], heading, parent,
                                 _row_span(source, g.index, ri, heading), appendix=g.appendix is not None))
    return out


def read_grids(source: SourceText) -> GridResult:
    """Tasks, targets and sections of every recognised table of ``source``."""
    res = GridResult()
    for g in find_grids(source, res.warnings):
        table = source.tables[g.index]
        warnings: list[str] = []
        rows, secs = _rows(table, g, warnings)
        if g.header.kind == "task":
            tasks = _tasks(source, g, rows, warnings)
            res.tasks += tasks
            found = len(tasks)
        else:
            targets = _targets(source, g, rows, warnings)
            res.targets += targets
            found = len(targets)
        if not found:
            warnings.append(f"Bảng {g.index + 1}: bảng có tiêu đề nhưng không đọc được dòng nào (table yields nothing)")
        res.sections += _grid_sections(source, g, secs)
        res.warnings += warnings
        lines = source.table_lines[g.index] if g.index < len(source.table_lines) else []
        placed = [ln for ln in lines if ln >= 0]
        if placed:  # an appendix holding a header-read table is read from it alone
            for kind in res.covered:
                res.covered[kind].update(range(min(placed), max(placed) + 1))
        else:
            res.unplaced.add(g.header.kind)
    return res


__all__ = ["Grid", "GridResult", "Header", "find_grids", "load_vocabulary", "read_grids", "read_header", "role_of",
           "year_of"]
