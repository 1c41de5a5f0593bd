"""A pipe line followed by a blank line, where no table is open, closes the header row printed
on the lines above it and opens no table (ingest/readers/md_tables.py ``closes_row_above``; the
same rule in tests/data/make_formats.py, so the DOCX and PDF made from the Markdown agree).

Why: the portal prints some headers as "… | CỘNG HÒA … |" / "Số: 1663/NQ-UBTVQH15 |" / "|";
read as the opening of a cell-per-line table, that last "|" made the whole document one cell of
a table closed by the file's final pipe line, so Markdown and DOCX gave no task at all where
the PDF (whose one-cell table LibreOffice printed unruled) read the body: round 5's task counts
differed by format for that reason alone. Written on 284dd97bc14e3aeb; checked here on
4d98410054b11ab4 (another resolution of the same kind) and on a synthetic file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.ingest.readers import read_source
from plankg.ingest.readers.markdown import render_markdown

DATA = Path(__file__).parent / "data"
STEM = "4d98410054b11ab4"


def test_a_closing_pipe_opens_no_table() -> None:
    md = "CƠ QUAN | CỘNG HÒA |\nSố: 12/NQ-X |\n|\n\n**Điều 1.** Nội dung.\n\n1. Giao Sở Y tế thực hiện.\n"
    out = render_markdown(md)
    assert out.tables == []
    assert "1. Giao Sở Y tế thực hiện." in out.text.split("\n")
    # a table that does open there still reads as a table
    table = "|\nSTT\n|\nNội dung\n||\n1\n|\nViệc một\n|\n\nSau bảng.\n"
    assert render_markdown(table).tables


@pytest.fixture(scope="module")
def lines() -> dict[str, list[str]]:
    out = {}
    for fmt, folder in (("md", "corpus"), ("docx", "corpus_docx"), ("pdf", "corpus_pdf")):
        src = read_source(DATA / folder / f"{STEM}.{fmt}", on_warning=lambda _m: None)
        out[fmt] = [ln.strip() for ln in src.text.split("\n") if ln.strip()]
    return out


def test_every_format_reads_the_body(lines: dict[str, list[str]]) -> None:
    for fmt, text in lines.items():
        assert "QUYẾT NGHỊ:" in text, fmt
        assert any(ln.startswith("Điều 3.") for ln in text), fmt
        assert max(len(ln) for ln in text) < 2000, fmt  # no line holds the whole document
    items = {fmt: [ln[:80] for ln in text if ln.startswith(("1. ", "2. ", "3. "))] for fmt, text in lines.items()}
    assert items["md"] and items["md"] == items["docx"] == items["pdf"]
