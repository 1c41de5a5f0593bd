"""Hard-wrapped text (a PDF's text layer) is rejoined into paragraphs by one rule in every format.

The rule (``plankg.ingest.readers.normalize.rejoin_wrapped``) was written on round 7 reserve
documents 11ee65f46f00ede4, 868a509c95e52d5b, 4577d9b96d9a2b5b and 26793563ca589f93; these
tests read 76c2a675e69454fe (126/NQ-CP, another reserve document of round 7) as Markdown, as
the DOCX ``tests/data/make_formats.py`` makes of it (a paragraph per printed line) and as that
DOCX's PDF, and check that texts which are not a text layer (a seed's OCR text, the portal's
Markdown) are read exactly as before.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from plankg.ingest.extract import extract
from plankg.ingest.readers import read_source
from plankg.ingest.readers.normalize import is_text_layer, unwrap_text_layer
from plankg.ingest.readers.tsv import find_tab_tables

DATA = Path(__file__).parent / "data"
STEM = "76c2a675e69454fe"
PORTAL = "001c610b2efdcf0c"  # portal Markdown: blank lines between paragraphs, cell-per-line tables


def _make_formats():
    spec = importlib.util.spec_from_file_location("make_formats", DATA / "make_formats.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_formats", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def md():
    return read_source(DATA / "corpus" / f"{STEM}.md", on_warning=lambda m: None)


def _line(source, start: str) -> int:
    """0-based index of the file line that starts with ``start``."""
    return next(i for i, ln in enumerate(source.original.split("\n")) if ln.startswith(start))


def test_printed_lines_rejoined_line_count_kept(md):
    raw = (DATA / "corpus" / f"{STEM}.md").read_text(encoding="utf-8").split("\n")
    lines = md.text.split("\n")
    assert len(lines) == len(raw)
    k = next(i for i, ln in enumerate(raw) if ln.startswith("a) Chủ trì, phối hợp với Ủy ban nhân dân thành phố"))
    # the lettered item's four printed lines are one line, on the item's first line
    assert lines[k].startswith("a) Chủ trì, phối hợp với Ủy ban nhân dân thành phố Hà Nội và các bộ, ngành liên quan")
    assert lines[k].endswith("theo quy định tại Nghị quyết này và các quy định pháp luật khác có liên quan.")
    assert lines[k + 1:k + 4] == ["", "", ""]
    assert lines[k + 4].startswith("b) Chủ trì, phối hợp với các cơ quan liên quan")
    # each "Căn cứ" of the preamble stays a paragraph of its own (a sentence ended at a short line)
    j = next(i for i, ln in enumerate(raw) if ln.startswith("Căn cứ Luật Tổ chức Chính phủ"))
    assert lines[j] == raw[j]
    assert lines[j + 1] == raw[j + 1]
    # an agency heading ending in ":" is followed by its items, not joined to them
    h = next(i for i, ln in enumerate(raw) if ln.startswith("3. Giao Ủy ban nhân dân thành phố Hà Nội:"))
    assert lines[h] == raw[h]


def test_every_format_reads_the_same_paragraphs(md):
    def paragraphs(source):  # rule lines ("_____") are dropped by the Markdown reader only
        return [ln.strip() for ln in source.text.split("\n") if ln.strip().strip("_ ")]

    docx = read_source(DATA / "corpus_docx" / f"{STEM}.docx", on_warning=lambda m: None)
    pdf = read_source(DATA / "corpus_pdf" / f"{STEM}.pdf", on_warning=lambda m: None)
    assert paragraphs(docx) == paragraphs(md)
    assert paragraphs(pdf) == paragraphs(md)


def test_provenance_points_at_the_paragraph_first_printed_line(md):
    tasks = extract(md).tasks
    task = next(t for t in tasks if t.text.startswith("Phối hợp với Bộ Văn hóa, Thể thao và Du lịch tổ chức tiếp nhận"))
    first = _line(md, "a) Phối hợp với Bộ Văn hoá, Thể thao và Du lịch tổ chức tiếp nhận")
    assert task.span.line_start == first + 1  # 1-based
    assert task.text.endswith("theo quy định.")  # the item's second printed line is in it


def test_text_that_is_no_text_layer_is_read_as_before():
    seeds = Path(os.environ.get("PLANKG_SEEDS", "/work/shared/seeds"))
    seed = next(iter(sorted(seeds.glob("001_*.txt"))), None)
    if seed is None:
        pytest.skip("seeds not available")
    text = seed.read_text(encoding="utf-8")
    # an OCR'd text: hard-wrapped, but paragraphs set apart by blank lines
    assert not is_text_layer(text.split("\n"))
    assert unwrap_text_layer(text, find_tab_tables(text).row_lines) == text
    portal = (DATA / "corpus" / f"{PORTAL}.md").read_text(encoding="utf-8")
    assert not is_text_layer(portal.split("\n"))


def test_make_formats_renders_a_text_layer_a_paragraph_per_printed_line():
    mf = _make_formats()
    text = (DATA / "corpus" / f"{STEM}.md").read_text(encoding="utf-8")
    blocks = mf.parse_markdown(text)
    assert mf.is_text_layer(text) and is_text_layer(text.split("\n"))
    assert [b[1] for b in blocks] == [[ln] for ln in text.split("\n") if ln.strip()]
    portal = (DATA / "corpus" / f"{PORTAL}.md").read_text(encoding="utf-8")
    assert not mf.is_text_layer(portal)
    assert any(b[0] == "table" for b in mf.parse_markdown(portal))
