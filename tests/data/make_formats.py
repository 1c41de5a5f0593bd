#!/usr/bin/env python3
"""Render the Markdown corpus (tests/data/corpus/*.md) as DOCX, PDF, XLSX and TSV.

Standalone: needs python-docx and openpyxl; LibreOffice (``soffice``) only for
the PDFs.  Nothing from plankg is imported.

    python tests/data/make_formats.py                 # every corpus document
    python tests/data/make_formats.py 001c610b2efdcf0c 8718801c503045f9.md
    python tests/data/make_formats.py --no-pdf        # skip LibreOffice

Outputs (next to this script):
    corpus_docx/<stem>.docx   paragraphs (bold/italic kept) + real Word tables
    corpus_pdf/<stem>.pdf     that DOCX converted by LibreOffice headless
    corpus_xlsx/<stem>.xlsx   the task table of XLSX_DOC only
    corpus_tsv/<stem>.txt     text of TSV_DOC, table rows as TAB-separated lines

Markdown table format of the corpus ("cell-per-line" tables)
------------------------------------------------------------
A table is a sequence of lines; a line holding only ``|`` is a *pipe line*.
Every row is written as::

    |            <- opens the row
    cell 1 text  (zero or more lines)
    |
    cell 2 text
    |
    ...
    cell n text
    |            <- closes the row

and the next row starts immediately with its own opening ``|``, so between two
rows there are two consecutive pipe lines with nothing in between.  The text
between two consecutive pipe lines is a *segment*.  A segment of zero lines is
either a row boundary or an empty cell: in a run of k consecutive empty
segments the first k-1 are empty cells that end the current row and the last
is the row boundary (at the end of the table all of them are empty cells).
Merged cells (rowspan/colspan) are simply absent, so rows may have fewer cells
than the header row.  One exception is repaired: a single empty segment that
splits a row into two parts whose cell counts plus one equal the header's
cell count is an empty cell in the middle of a row, not a boundary.

A table starts at a pipe line outside a table and ends at a pipe line that is
followed by a blank line (or the end of the file); a pipe line followed by a blank line
outside a table opens none (it closes a header row printed across the lines above it,
"… | CỘNG HÒA … |" / "Số: 1663/NQ-UBTVQH15 |" / "|").  Three documents have no
blank lines at all; there a segment is treated as running text, ending the
table before it, when it starts with ``PHỤ LỤC`` (after an optional empty
``** **``) or is longer than 60 lines, or longer than 15 lines while the table
so far is the two-column header block (at least two cells, no row wider than 2
cells): the bodies of short letters and telegrams (2d977d9ad8cd2645: 30 lines,
44aeb2fd86d07d4a: 53) follow the header/addressee block without a blank line and
would otherwise become one of its cells (header cells of the corpus are at most
12 lines; cells of real tables can be longer than 25 lines), or has 10 lines or more and
ends a line with the terminator ``./.`` (a short letter body after the header block); and a
row of exactly 2w+1 cells whose last w cells repeat the w-cell header is two tables glued
through a heading (last row | heading paragraph | next table's header).

One document (ae8d299abf846604) has an ordinary, somewhat broken pipe table:
lines starting with ``|`` that hold more than ``|``; cells are split on ``|``,
lines holding only pipes and spaces are skipped, a line not starting with ``|``
continues the previous row.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
OUT_DOCX = HERE / "corpus_docx"
OUT_PDF = HERE / "corpus_pdf"
OUT_XLSX = HERE / "corpus_xlsx"
OUT_TSV = HERE / "corpus_tsv"
XLSX_DOC = "001c610b2efdcf0c"
TSV_DOC = "8718801c503045f9"
LONG_SEGMENT = 60
SHORT_BODY = 10
LONG_SEGMENT_AFTER_HEADER = 15
FONT = "DejaVu Serif"

# --------------------------------------------------------------------------
# Markdown parsing
# --------------------------------------------------------------------------


def is_pipe(line: str) -> bool:
    return line.strip() == "|"


def is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s != "|"


def segment_is_text(seg: list[str], segs_before: list[list[str]] | None = None) -> bool:
    """In a file without blank lines: is this segment running text, not a cell?

    ``segs_before`` are the table's segments so far: while they form only rows of
    at most two cells (the header block: issuer | motto, symbol | date,
    Kính gửi | addressees) a shorter segment already counts as text. Not at the
    start of a table (the Nơi nhận | signature block).
    """
    lines = [l for l in seg if l.strip() and l.strip() not in ("** **", "**")]
    if not lines:
        return False
    if lines[0].lstrip("*_ ").upper().startswith("PHỤ LỤC") or len(seg) > LONG_SEGMENT:
        return True
    # a letter's body ends with the terminator "./." — a short body (a công văn) that
    # follows the header block's date cell is running text, not a cell of that table
    if len(lines) >= SHORT_BODY and any(l.rstrip(" *_").endswith("./.") for l in lines):
        return True
    if segs_before is not None and len(seg) > LONG_SEGMENT_AFTER_HEADER and sum(map(bool, segs_before)) >= 2:
        logged = len(REPAIRS)
        rows = rows_from_segments(segs_before)
        del REPAIRS[logged:]  # a trial grouping: its repairs are not the table's
        return all(len(r) <= 2 for r in rows)
    return False


def rows_from_segments(segs: list[list[str]]) -> list[list[list[str]]]:
    """Group segments (lists of lines) into rows of cells (lists of lines)."""
    rows: list[list[list[str]]] = []
    cur: list[list[str]] = []
    i = 0
    n = len(segs)
    while i < n:
        if segs[i]:
            cur.append(segs[i])
            i += 1
            continue
        j = i
        while j < n and not segs[j]:
            j += 1
        k = j - i  # run of empty segments
        if j == n:  # end of table: all empty cells
            cur.extend([[] for _ in range(k)])
        else:
            cur.extend([[] for _ in range(k - 1)])
            rows.append(cur)
            cur = []
        i = j
    if cur:
        rows.append(cur)
    return repair_rows(rows)


REPAIRS: list[str] = []
_DOTS = re.compile(r"^[.…·\s]+$")


def repair_rows(rows: list[list[list[str]]]) -> list[list[list[str]]]:
    """Fix the few places where the Markdown lost or misplaced a row boundary."""
    if len(rows) < 2:
        return rows
    # 1. empty cells after the last row (empty trailing rows): trim
    others = max(len(r) for r in rows[:-1])
    last = rows[-1]
    while len(last) > others and not last[-1]:
        last.pop()
    # 2. a row boundary missing altogether: a row at least twice as wide as
    #    every other row is cut into rows of that width (a cell of dots alone
    #    becomes a row of its own)
    out: list[list[list[str]]] = []
    for i, r in enumerate(rows):
        width = max((len(x) for j, x in enumerate(rows) if j != i), default=0)
        if width >= 2 and len(r) >= 2 * width:
            REPAIRS.append(f"split {len(r)}-cell row at width {width}")
            while len(r) > width:
                out.append(r[:width])
                r = r[width:]
                if r and r[0] and _DOTS.match(" ".join(r[0])):
                    out.append(r[:1])
                    r = r[1:]
        if r:
            out.append(r)
    width = max(len(r) for r in out)
    # 3. an empty cell mid-row read as a boundary
    rows, out = out, [out[0]]
    i = 0
    while i + 1 < len(rows):
        i += 1
        r = rows[i]
        prev = out[-1]
        run = figure_run(rows, i, width) if len(out) > 1 else None
        if run is not None:
            REPAIRS.append(f"joined figures row at width {width}: " + " | ".join(" ".join(c)[:20] for c in run[0]))
            out.append(run[0])
            i = run[1] - 1
            continue
        if (len(out) > 1 and len(prev) < width and len(r) < width
                and len(prev) + 1 + len(r) == width and len(prev) != len(r)
                and all(prev) and all(r)):
            REPAIRS.append(f"joined {len(prev)}+empty+{len(r)} cells at width {width}: "
                           + " | ".join(" ".join(c)[:20] for c in prev + r))
            out[-1] = prev + [[]] + r
        else:
            out.append(r)
    return out
    return rows


_FIGURE = re.compile(r"^[\d.,%\s]+$")


def is_figure_row(row: list[list[str]]) -> bool:
    """A row of one cell holding only a figure ("240.000")."""
    if len(row) != 1 or not row[0]:
        return False
    text = re.sub(r"[*_`]", "", " ".join(row[0])).strip()
    return bool(text) and any(c.isdigit() for c in text) and bool(_FIGURE.match(text))


def figure_run(rows: list[list[list[str]]], i: int, width: int):
    """A figures row whose every other cell is empty (a year table's total row filling only
    the "Giá trị" columns) reads as a label part then single-figure parts: join them, one
    empty cell between parts, into a row of the table's width (or one less for a single
    label cell spanning the first two columns: an empty cell goes before it). Same rule as
    plankg's reader (ingest/readers/md_tables.py ``_figure_run``)."""
    head = rows[i]
    if len(head) >= width - 2 or not all(head):
        return None
    total, j = len(head), i + 1
    while j < len(rows) and total + 2 <= width and is_figure_row(rows[j]):
        total += 2
        j += 1
    if j - i < 3 or total < width - (1 if len(head) == 1 else 0):
        return None
    joined = list(head)
    for k in range(i + 1, j):
        joined += [[], rows[k][0]]
    if total == width - 1:
        joined.insert(0, [])
    return joined, j


def split_glued_tables(rows: list[list[list[str]]]) -> list[tuple]:
    """Undo two tables read as one: in a file without blank lines, a short heading between
    two tables with the same header (``|`` / ``**2. Các nhiệm vụ …**`` / ``|`` / ``**STT**``)
    looks like more cells of the last row.  A row of exactly 2w+1 cells (w = the header's
    width) whose last w cells repeat the header is the last row (w cells), the heading
    (a paragraph) and the next table's header."""
    if len(rows) < 3:
        return [("table", rows)]
    head = [plain(" ".join(c)) for c in rows[0]]
    w = len(head)
    for i in range(1, len(rows)):
        r = rows[i]
        if len(r) == 2 * w + 1 and [plain(" ".join(c)) for c in r[w + 1:]] == head and r[w]:
            REPAIRS.append(f"split glued tables at row {i}: " + plain(" ".join(r[w]))[:40])
            return ([("table", rows[:i] + [r[:w]]), ("para", r[w])]
                    + split_glued_tables([r[w + 1:]] + rows[i + 1:]))
    return [("table", rows)]


_OPENS_BLOCK = re.compile(
    r"(?:[-+•–*]\s|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[IVXLC]{1,6})[.)](?:\s|$)|\(\d{1,2}\)\s"
    r"|(?:Điều|ĐIỀU)\s+\d+[a-zđ]?\.|(?:Chương|CHƯƠNG|Mục|MỤC)\s+(?:[IVXLC]+|\d+)\b|Phụ lục\b|PHỤ LỤC\b)")
_ENDS_SENTENCE = re.compile(r"[.;:!?…][\"'”’)\]]*\s*$|\./\.\s*$")


def is_text_layer(text: str) -> bool:
    """A PDF's text layer (the gazette copies of round 7): no Markdown at all (no table,
    emphasis or heading mark), blank lines present, and paragraphs not separated by them:
    an item or article opens right after a finished sentence, without a blank line, in at
    least a sixth as many places as blank lines separate blocks (two at least). Same test
    as plankg's reader (``normalize.paragraphs_run_on``). Such a copy becomes a DOCX with
    one paragraph per printed line, as PDF-to-DOCX converters give it."""
    lines = text.split("\n")
    if not any(not l.strip() for l in lines[:-1]):
        return False
    if any(l.lstrip().startswith("|") or l.lstrip().startswith("#") or "*" in l for l in lines):
        return False
    runs = breaks = 0
    prev = ""
    for line in lines:
        s = line.strip()
        if not s:
            prev = ""
            continue
        if not prev:
            runs += 1
        elif _ENDS_SENTENCE.search(prev) and _OPENS_BLOCK.match(s):
            breaks += 1
        prev = s
    return breaks >= 2 and 6 * breaks >= runs


def parse_markdown(text: str) -> list[tuple]:
    """Return blocks: ("para", [lines]) | ("heading", level, text) | ("table", rows).

    Table rows are lists of cells; a cell is a list of Markdown lines.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if is_text_layer("\n".join(lines)):  # one paragraph per printed line
        return [("para", [l]) for l in lines if l.strip()]
    no_blank = not any(not l.strip() for l in lines[:-1])
    blocks: list[tuple] = []
    para: list[str] = []

    def flush():
        if para:
            blocks.append(("para", para.copy()))
            para.clear()

    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            flush()
            i += 1
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        if m:
            flush()
            blocks.append(("heading", len(m.group(1)), m.group(2).strip()))
            i += 1
            continue
        if is_pipe_row(line):  # ordinary pipe table
            flush()
            rows: list[str] = []
            while i < n and lines[i].strip():
                s = lines[i].strip()
                if s.startswith("|"):
                    if s.replace("|", "").strip():
                        rows.append(s)
                elif rows:
                    rows[-1] += " " + s
                i += 1
            cells = []
            for r in rows:
                r = r.strip()
                if r.startswith("|"):
                    r = r[1:]
                if r.endswith("|"):
                    r = r[:-1]
                cs = [c.strip() for c in r.split("|")]
                while len(cs) > 1 and not cs[-1]:
                    cs.pop()
                cells.append([[c] if c else [] for c in cs])
            blocks.append(("table", cells))
            continue
        if is_pipe(line) and (i + 1 >= n or not lines[i + 1].strip()):
            flush()  # closes the row written on the lines above: opens no table
            i += 1
            continue
        if is_pipe(line):  # cell-per-line table
            flush()
            segs: list[list[str]] = []
            seg: list[str] = []
            i += 1
            rest_as_text = None
            while i < n:
                l = lines[i]
                if is_pipe(l):
                    if no_blank and segment_is_text(seg, segs):
                        rest_as_text = seg
                        break
                    segs.append(seg)
                    seg = []
                    if i + 1 >= n or not lines[i + 1].strip():
                        i += 1
                        break
                    i += 1
                    continue
                seg.append(l)
                i += 1
            else:
                if seg:  # unterminated final segment: treat as text
                    rest_as_text = seg
            blocks.extend(split_glued_tables(rows_from_segments(segs)))
            if rest_as_text is not None:
                # running text after the table; a pipe at lines[i] (if any)
                # is left for the outer loop: it opens the next table
                blocks.extend(("para", p) for p in split_paragraphs(rest_as_text))
            continue
        para.append(line)
        i += 1
    flush()
    # in files without blank lines, split long blocks into paragraphs
    out: list[tuple] = []
    for b in blocks:
        if b[0] == "para" and no_blank:
            out.extend(("para", p) for p in split_paragraphs(b[1]))
        else:
            out.append(b)
    return out


_PARA_START = re.compile(r"^\s*(?:[-+•–]\s|\d+(?:\.\d+)*[.)]\s|[a-zđ]\)\s|\*\*|\*\(|[IVXLC]+\.\s|-{3,})")


def split_paragraphs(lines: list[str]) -> list[list[str]]:
    """Split hard-wrapped lines into paragraphs (heuristic for no-blank text)."""
    paras: list[list[str]] = []
    for l in lines:
        if not l.strip():
            continue
        prev = paras[-1][-1].rstrip() if paras else ""
        if (not paras or _PARA_START.match(l) or prev.endswith((".", ";", ":", "**", "*"))
                or re.fullmatch(r"-{3,}", prev)):
            paras.append([l])
        else:
            paras[-1].append(l)
    return paras


def inline_runs(text: str) -> list[tuple[str, bool, bool]]:
    """Split Markdown emphasis into (text, bold, italic) runs."""
    runs: list[tuple[str, bool, bool]] = []
    bold = italic = False
    for tok in re.split(r"(\*\*|\*)", text):
        if tok == "**":
            bold = not bold
        elif tok == "*":
            italic = not italic
        elif tok:
            runs.append((tok, bold, italic))
    return runs


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\*+", "", text)).strip()


def cell_paragraphs(cell: list[str]) -> list[str]:
    return [" ".join(x.strip() for x in p) for p in split_paragraphs(cell)]


def cell_text(cell: list[str], sep: str = "\n") -> str:
    return sep.join(t for t in (plain(p) for p in cell_paragraphs(cell)) if t)


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def add_runs(par, text: str) -> None:
    for t, b, it in inline_runs(text):
        r = par.add_run(t)
        if b:
            r.bold = True
        if it:
            r.italic = True


def write_docx(blocks: list[tuple], path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.8))
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        st = doc.styles[name]
        st.font.name = FONT
        rpr = st.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(a), FONT)
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(a), None)
    doc.styles["Normal"].font.size = Pt(10)
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)

    for b in blocks:
        if b[0] == "heading":
            doc.add_heading(plain(b[2]), level=min(b[1], 3))
        elif b[0] == "para":
            text = " ".join(x.strip() for x in b[1])
            if text.strip():
                add_runs(doc.add_paragraph(), text)
        elif b[0] == "table":
            rows = b[1]
            if not rows:
                continue
            width = max(len(r) for r in rows)
            table = doc.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            for r in rows:
                cells = table.add_row().cells
                for ci, cell in enumerate(r):
                    paras = cell_paragraphs(cell)
                    target = cells[ci]
                    first = True
                    for p in paras:
                        par = target.paragraphs[0] if first else target.add_paragraph()
                        first = False
                        add_runs(par, p)
            doc.add_paragraph()
    doc.core_properties.title = path.stem
    doc.core_properties.author = "plankg tests/data/make_formats.py"
    doc.save(str(path))


def convert_pdf(docx_paths: list[Path], outdir: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice not found: apt-get install -y --no-install-recommends "
                 "libreoffice-writer fonts-dejavu   (or use --no-pdf)")
    with tempfile.TemporaryDirectory() as profile:
        for i in range(0, len(docx_paths), 10):
            chunk = docx_paths[i:i + 10]
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(outdir), *map(str, chunk)],
                check=True, stdout=subprocess.DEVNULL, timeout=600)


def task_table(blocks: list[tuple]):
    tables = [b[1] for b in blocks if b[0] == "table"]
    return max(tables, key=len) if tables else None


def write_xlsx(rows, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    for ri, r in enumerate(rows, 1):
        for ci, cell in enumerate(r, 1):
            c = ws.cell(row=ri, column=ci, value=cell_text(cell) or None)
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if ri == 1:
                c.font = Font(bold=True)
    wb.properties.creator = "plankg tests/data/make_formats.py"
    wb.save(str(path))


def write_tsv(blocks: list[tuple], path: Path) -> None:
    out: list[str] = []
    for b in blocks:
        if b[0] == "heading":
            out.append(plain(b[2]))
        elif b[0] == "para":
            t = plain(" ".join(b[1]))
            if t:
                out.append(t)
        elif b[0] == "table":
            out.append("")
            for r in b[1]:
                out.append("\t".join(cell_text(c, " ") for c in r))
            out.append("")
    path.write_text("\n".join(out).strip("\n") + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("docs", nargs="*", help="stems or .md names (default: all)")
    ap.add_argument("--no-pdf", action="store_true", help="skip LibreOffice conversion")
    ap.add_argument("--report", action="store_true", help="print table shapes")
    a = ap.parse_args(argv)
    if a.docs:
        mds = [CORPUS / (Path(d).stem + ".md") for d in a.docs]
    else:
        mds = sorted(CORPUS.glob("*.md"))
    for d in (OUT_DOCX, OUT_PDF, OUT_XLSX, OUT_TSV):
        d.mkdir(exist_ok=True)
    made = []
    for md in mds:
        blocks = parse_markdown(md.read_text(encoding="utf-8"))
        out = OUT_DOCX / (md.stem + ".docx")
        write_docx(blocks, out)
        made.append(out)
        tables = [b[1] for b in blocks if b[0] == "table"]
        if a.report:
            shapes = []
            for t in tables:
                counts = sorted({len(r) for r in t})
                shapes.append(f"{len(t)}x{len(t[0]) if t else 0}{counts}")
            print(md.stem, " ".join(shapes))
            for x in REPAIRS:
                print("   repair:", x)
            REPAIRS.clear()
        if md.stem == XLSX_DOC:
            write_xlsx(task_table(blocks), OUT_XLSX / (md.stem + ".xlsx"))
        if md.stem == TSV_DOC:
            write_tsv(blocks, OUT_TSV / (md.stem + ".txt"))
    if not a.no_pdf:
        convert_pdf(made, OUT_PDF)
    print(f"{len(made)} documents written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
