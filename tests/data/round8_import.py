#!/usr/bin/env python3
"""Copy round-8 gold candidates (Lào Cai provincial originals) into tests/data and render them.

Round 8 (tests/gold/corpus/round8.json) comes from ``Trangsct/skill-sct``: real DOCX, PDF and
legacy ``.doc`` files as issued. For each stem named (or every candidate):

* the original, byte-identical, to ``corpus_docx/<stem>.docx`` or ``corpus_pdf/<stem>.pdf``; a
  legacy ``.doc`` (which plankg does not read) is converted to ``corpus_docx/<stem>.docx`` by
  LibreOffice headless first — that DOCX then stands for the original;
* a second rendition made from it: DOCX → ``corpus_pdf/<stem>.pdf`` by ``soffice --headless
  --convert-to pdf`` and DOCX → ``corpus/<stem>.md`` (paragraphs in body order, tables as pipe
  tables, a merged cell written once); PDF → ``corpus/<stem>.md``, the PDF's text layer page by
  page as pdfplumber's ``extract_text()`` gives it (line breaks are the PDF's).

So every document has at least two formats, and tests never need LibreOffice. Nothing from
plankg is imported.

    python tests/data/round8_import.py MIRROR                  # every candidate of round8.json
    python tests/data/round8_import.py MIRROR 02d4390a542579ec # the named stems only

MIRROR is a clone or bare mirror of the repository; files are read at round8.json's commit
(``git show``), so a newer checkout does not change the copies.
"""
import argparse
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUND8 = HERE.parent / "gold" / "corpus" / "round8.json"
OUT = {"md": HERE / "corpus", "docx": HERE / "corpus_docx", "pdf": HERE / "corpus_pdf"}


def soffice(data: bytes, suffix: str, to: str) -> bytes:
    """``data`` (a file ending in ``suffix``) converted by LibreOffice headless to format ``to``."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(data)
        subprocess.run(["soffice", "--headless", "--convert-to", to, "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=300)
        return (Path(tmp) / f"in.{to}").read_bytes()


def _cell_text(cell) -> str:
    return " <br> ".join(" ".join(p.text.split()) for p in cell.paragraphs if p.text.strip())


def docx_markdown(data: bytes) -> str:
    """A DOCX's body as Markdown: paragraphs in order, each table as a pipe table (header = its
    first row); a cell merged across columns is written once, a vertically merged one in its
    first row only, so no text is repeated."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(io.BytesIO(data))
    out: list[str] = []
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = " ".join(Paragraph(child, d).text.split())
            out.append(text)
        elif tag == "tbl":
            table = Table(child, d)
            rows = []
            above: list = []
            for row in table.rows:
                cells, seen = [], set()
                for i, cell in enumerate(row.cells):
                    if id(cell._tc) in seen:
                        continue  # the same merged cell again (gridSpan)
                    seen.add(id(cell._tc))
                    vmerge = cell._tc.tcPr is not None and cell._tc.tcPr.find(
                        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}vMerge") is not None
                    continued = vmerge and i < len(above) and above[i] is cell._tc
                    cells.append("" if continued else _cell_text(cell).replace("|", "\\|"))
                above = [c._tc for c in row.cells]
                rows.append(cells)
            if not rows:
                continue
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            out.append("")
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * width)
            out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            out.append("")
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


def pdf_text(data: bytes) -> str:
    """A PDF's text layer, page by page, as pdfplumber's ``extract_text()`` gives it."""
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [(page.extract_text() or "").rstrip() for page in pdf.pages]
    return "\n\n".join(p for p in pages if p) + "\n"


def import_one(mirror: str, commit: str, cand: dict) -> list[Path]:
    path, stem = cand["path"], cand["stem"]
    data = subprocess.run(["git", "-C", mirror, "show", f"{commit}:{path}"], check=True, capture_output=True).stdout
    written = []

    def write(fmt: str, content: bytes | str) -> None:
        target = OUT[fmt] / f"{stem}.{fmt}"
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
        written.append(target)

    if path.endswith(".pdf"):
        write("pdf", data)
        write("md", pdf_text(data))
    else:
        if path.endswith(".doc"):
            data = soffice(data, ".doc", "docx")
        write("docx", data)
        write("pdf", soffice(data, ".docx", "pdf"))
        write("md", docx_markdown(data))
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mirror", help="clone or bare mirror of the source repository")
    ap.add_argument("stems", nargs="*", help="stems to import (default: every candidate)")
    args = ap.parse_args()
    plan = json.loads(ROUND8.read_text("utf-8"))
    commit = plan["source"]["commit"]
    order = {c["stem"]: c for c in plan["tasks"]["order"]}
    unknown = [s for s in args.stems if s not in order]
    if unknown:
        print(f"not round-8 candidates: {unknown}", file=sys.stderr)
        return 2
    for stem in args.stems or list(order):
        for p in import_one(args.mirror, commit, order[stem]):
            print(p.relative_to(HERE.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
