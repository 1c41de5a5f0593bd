"""DOCX → plain text (paragraphs and tables in document order) + tables.

Why we walk the XML ourselves instead of ``Document.paragraphs``/``.tables``:
python-docx lists paragraphs and tables separately (losing their order), drops text
inside tracked insertions (``w:ins``) and content controls, repeats merged cells, and
does not render automatic numbering — and "I.", "1.", "a)" are exactly what the
structure extractor anchors on. Rendering:

* a paragraph → one line (``w:br`` line breaks give more lines), prefixed with its
  list label ("1.", "a)", "-") when it has Word numbering;
* a table row → one line, cells joined by TAB (like seed 002); a cell's paragraphs are
  joined with a space; a vertically merged continuation cell is ``""``; a horizontally
  merged cell appears once;
* text boxes → lines after their paragraph; headers/footers are skipped (running
  headers are noise).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from plankg.ingest.errors import IngestError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

_SKIP = {W + "pPr", W + "rPr", W + "del", W + "moveFrom", W + "instrText", W + "delText",
         W + "footnoteReference", W + "endnoteReference", W + "commentReference", MC + "Fallback"}
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo", W + "smartTag"}


def render_docx(raw: bytes, path: str | Path) -> tuple[str, list[list[list[str]]], list[list[int]]]:
    """Return ``(text, tables, row_lines)`` (the 0-based line of each table row).

    Raises :class:`IngestError` for corrupt files."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as e:
        raise IngestError(path, "Tệp DOCX bị hỏng hoặc bị cắt cụt", "corrupt or truncated DOCX", str(e)) from e
    if bad is not None:
        raise IngestError(path, "Tệp DOCX bị hỏng hoặc bị cắt cụt", "corrupt or truncated DOCX", f"bad entry {bad}")
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(raw))
    except Exception as e:  # python-docx raises KeyError, XMLSyntaxError, ValueError, ...
        raise IngestError(path, "Tệp DOCX bị hỏng, không đọc được", "corrupt DOCX", f"{type(e).__name__}: {e}") from e
    numbering = _Numbering(document)
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    row_lines: list[list[int]] = []
    at = 0  # lines written so far (a rendered piece may hold line breaks)
    for block in _blocks(document.element.body):
        if block.tag == W + "p":
            pieces = _paragraph_lines(block, numbering)
        else:
            rows = _table_rows(block, numbering)
            tables.append(rows)
            pieces = ["\t".join(r) for r in rows]
            row_lines.append(list(range(at, at + len(rows))))
        lines.extend(pieces)
        at += sum(p.count("\n") + 1 for p in pieces)
    return "\n".join(lines), tables, row_lines


def _blocks(parent: Any):
    """Paragraphs and tables under ``parent`` in document order (through content controls)."""
    for child in parent.iterchildren():
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in _CONTAINERS:
            yield from _blocks(child)


def _paragraph_lines(p: Any, numbering: "_Numbering") -> list[str]:
    parts: list[str] = []
    boxes: list[str] = []
    _collect(p, parts, boxes, numbering)
    text = "".join(parts)
    label = numbering.label(p)
    if label:
        text = f"{label} {text}"
    return text.split("\n") + boxes


def _collect(el: Any, parts: list[str], boxes: list[str], numbering: "_Numbering") -> None:
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag == W + "sym":
            code = child.get(W + "char") or ""
            if re.fullmatch(r"[0-9A-Fa-f]{4}", code) and not 0xF000 <= int(code, 16) <= 0xF0FF:
                parts.append(chr(int(code, 16)))
        elif tag == W + "txbxContent":
            for block in _blocks(child):
                if block.tag == W + "p":
                    boxes.extend(_paragraph_lines(block, numbering))
                else:
                    boxes.extend("\t".join(r) for r in _table_rows(block, numbering))
        else:
            _collect(child, parts, boxes, numbering)


def _children(element: Any, tag: str):
    """Child elements named ``tag``, looking through wrappers (custom XML, content controls)."""
    for child in element.iterchildren():
        if child.tag == W + tag:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, tag)


def _cells(tr: Any):
    return _children(tr, "tc")


def _rows(tbl: Any):
    return _children(tbl, "tr")


def _table_rows(tbl: Any, numbering: "_Numbering") -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in _rows(tbl):
        cells: list[str] = []
        for tc in _cells(tr):
            tc_pr = tc.find(W + "tcPr")
            hmerge = tc_pr.find(W + "hMerge") if tc_pr is not None else None
            if hmerge is not None and hmerge.get(W + "val") in (None, "continue"):
                continue  # legacy horizontal merge: the cell was already printed
            vmerge = tc_pr.find(W + "vMerge") if tc_pr is not None else None
            if vmerge is not None and vmerge.get(W + "val") in (None, "continue"):
                cells.append("")
                continue
            cells.append(_cell_text(tc, numbering))
        rows.append(cells)
    return rows


def _cell_text(tc: Any, numbering: "_Numbering") -> str:
    pieces: list[str] = []
    for block in _blocks(tc):
        if block.tag == W + "p":
            pieces.extend(_paragraph_lines(block, numbering))
        else:  # nested table: flatten
            pieces.extend(" ".join(r) for r in _table_rows(block, numbering))
    return re.sub(r"\s+", " ", " ".join(pieces)).strip()


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n: int) -> str:
    out = ""
    for value, sym in _ROMAN:
        while n >= value:
            out += sym
            n -= value
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """Enough of Word's list numbering to print the labels the reader sees."""

    def __init__(self, document: Any):
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractId, start overrides)
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractId → ilvl → (start, fmt, text)
        self.style_num: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used_nums: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is not None:
            for an in root.findall(W + "abstractNum"):
                lvls: dict[int, tuple[int, str, str]] = {}
                for lvl in an.findall(W + "lvl"):
                    start = _val(lvl.find(W + "start"), "1")
                    lvls[int(lvl.get(W + "ilvl", "0"))] = (
                        int(start) if start.isdigit() else 1,
                        _val(lvl.find(W + "numFmt"), "decimal"),
                        _val(lvl.find(W + "lvlText"), ""),
                    )
                self.levels[an.get(W + "abstractNumId", "")] = lvls
            for num in root.findall(W + "num"):
                overrides: dict[int, int] = {}
                for ov in num.findall(W + "lvlOverride"):
                    so = ov.find(W + "startOverride")
                    if so is not None and _val(so, "").isdigit():
                        overrides[int(ov.get(W + "ilvl", "0"))] = int(_val(so, "1"))
                self.nums[num.get(W + "numId", "")] = (_val(num.find(W + "abstractNumId"), ""), overrides)
        self._read_styles(document)

    def _read_styles(self, document: Any) -> None:
        try:
            styles = document.styles.element
        except Exception:
            return
        raw: dict[str, tuple[tuple[str, int] | None, str | None]] = {}
        self.default_style: str | None = None
        for st in styles.findall(W + "style"):
            if st.get(W + "type") != "paragraph":
                continue
            sid = st.get(W + "styleId", "")
            if st.get(W + "default") in ("1", "true"):
                self.default_style = sid
            num = _num_pr(st.find(W + "pPr"))
            based = st.find(W + "basedOn")
            raw[sid] = (num, based.get(W + "val") if based is not None else None)
        for sid in raw:
            seen: set[str] = set()
            cur: str | None = sid
            while cur and cur in raw and cur not in seen:
                seen.add(cur)
                if raw[cur][0] is not None:
                    self.style_num[sid] = raw[cur][0]  # type: ignore[assignment]
                    break
                cur = raw[cur][1]

    def label(self, p: Any) -> str:
        ppr = p.find(W + "pPr")
        num = _num_pr(ppr)
        if num is None:
            ps = ppr.find(W + "pStyle") if ppr is not None else None
            sid = ps.get(W + "val") if ps is not None else getattr(self, "default_style", None)
            num = self.style_num.get(sid or "")
        if num is None or num[0] in ("", "0") or num[0] not in self.nums:
            return ""
        num_id, ilvl = num
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [None] * 10)
        if num_id not in self.used_nums:
            self.used_nums.add(num_id)
            for lv, start in overrides.items():
                if 0 <= lv < 10:
                    counters[lv] = start - 1
        start, fmt, text = levels[ilvl]
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1  # type: ignore[operator]
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        if fmt == "none":
            return ""
        if fmt == "bullet":
            return "-" if not text or any(0xF000 <= ord(c) <= 0xF0FF for c in text) else text

        def sub(m: re.Match[str]) -> str:
            lv = int(m.group(1)) - 1
            lv_start, lv_fmt, _ = levels.get(lv, (1, "decimal", ""))
            value = counters[lv] if 0 <= lv < 10 and counters[lv] is not None else lv_start
            return _format(value, lv_fmt)  # type: ignore[arg-type]

        return re.sub(r"%(\d)", sub, text)


def _val(el: Any, default: str) -> str:
    return el.get(W + "val", default) if el is not None else default


def _num_pr(ppr: Any) -> tuple[str, int] | None:
    if ppr is None:
        return None
    np = ppr.find(W + "numPr")
    if np is None:
        return None
    num_id = _val(np.find(W + "numId"), "")
    ilvl = _val(np.find(W + "ilvl"), "0")
    return (num_id, int(ilvl) if ilvl.isdigit() else 0)
