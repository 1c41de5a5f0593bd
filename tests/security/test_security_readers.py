"""Replays of issue 12's exhaustion findings in the readers, and formula cells in `plankg export`.

Each bad file is made here, small on disk, and must be refused with an IngestError quickly
and with bounded memory (tracemalloc: the refusal happens before anything is inflated).
"""

from __future__ import annotations

import csv
import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from plankg.ingest.errors import IngestError
from plankg.ingest.readers import ReaderLimits, read_bytes, read_source

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(document_xml_chunks, extra: dict[str, bytes] | None = None) -> bytes:
    """A DOCX whose word/document.xml is written from ``document_xml_chunks`` (streamed, highest compression)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        with zf.open("word/document.xml", "w") as part:
            for chunk in document_xml_chunks:
                part.write(chunk)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _refused(raw: bytes, name: str, limits: ReaderLimits | None = None) -> tuple[IngestError, float, int]:
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(IngestError) as err:
            read_bytes(raw, name, limits=limits)
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return err.value, elapsed, peak


def test_docx_zip_bomb_is_refused_before_parsing() -> None:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
    filler = b"A" * (1 << 20)
    raw = _docx([head] + [filler] * 300 + [b"</w:t></w:r></w:p></w:body></w:document>"])  # 300 MiB unpacked
    assert len(raw) < 400_000
    err, elapsed, peak = _refused(raw, "bom.docx")
    assert "PLANKG_MAX_UNZIPPED_BYTES" in str(err) and "zip" in str(err)
    assert elapsed < 2 and peak < 4 * len(raw) + (8 << 20), (elapsed, peak)


def test_docx_with_a_huge_xml_part_is_refused() -> None:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
    para = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 30_000  # ~1 MiB of tiny paragraphs
    raw = _docx([head] + [para] * 40 + [b"</w:body></w:document>"])  # ~40 MiB part, a few hundred KB on disk
    err, elapsed, peak = _refused(raw, "huge.docx")
    assert "PLANKG_MAX_XML_PART_BYTES" in str(err) or "PLANKG_MAX_ZIP_RATIO" in str(err)
    assert elapsed < 2 and peak < 4 * len(raw) + (8 << 20), (elapsed, peak)
    # the part limit alone (generous ratio) still refuses it
    err, _, _ = _refused(raw, "huge.docx", ReaderLimits(max_zip_ratio=1e9))
    assert "PLANKG_MAX_XML_PART_BYTES" in str(err)


def test_docx_ratio_and_entry_count() -> None:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
    raw = _docx([head, b"B" * (5 << 20), b"</w:t></w:r></w:p></w:body></w:document>"])
    err, _, _ = _refused(raw, "ratio.docx")
    assert "PLANKG_MAX_ZIP_RATIO" in str(err)
    many = _docx([head, b"ok</w:t></w:r></w:p></w:body></w:document>"], {f"customXml/item{i}.xml": b"<a/>" for i in range(50)})
    err, _, _ = _refused(many, "many.docx", ReaderLimits(max_zip_entries=20))
    assert "PLANKG_MAX_ZIP_ENTRIES" in str(err)


def test_a_normal_docx_still_reads() -> None:
    body = "".join(f"<w:p><w:r><w:t>Nhiệm vụ {i}: Sở Y tế thực hiện.</w:t></w:r></w:p>" for i in range(50))
    raw = _docx([f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'.encode()])
    assert "Sở Y tế" in read_bytes(raw, "ok.docx").text


def test_a_very_long_single_line_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "one-line.txt"
    f.write_bytes(("Kế hoạch " * 1_600_000).encode("utf-8"))  # ~16 MB, no line break
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(IngestError, match="PLANKG_MAX_LINE_BYTES"):
            read_source(f)
        elapsed, peak = time.perf_counter() - t0, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 3 and peak < 4 * f.stat().st_size, (elapsed, peak)
    f.write_bytes(("Kế hoạch năm 2025.\n" * 5000).encode("utf-8"))
    assert read_source(f).text.startswith("Kế hoạch")


def test_file_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"ab\n" * 1000)
    with pytest.raises(IngestError, match="PLANKG_MAX_FILE_BYTES"):
        read_source(f, limits=ReaderLimits(max_file_bytes=1000))


def test_pdf_page_count_limit() -> None:
    from plankg.ingest.readers.limits import check_pdf_pages

    check_pdf_pages(10, "a.pdf", ReaderLimits(max_pdf_pages=10))
    with pytest.raises(IngestError, match="PLANKG_MAX_PDF_PAGES"):
        check_pdf_pages(11, "a.pdf", ReaderLimits(max_pdf_pages=10))


def test_pdf_page_count_limit_on_a_real_pdf(seeds_dir: Path) -> None:
    pdfs = sorted(seeds_dir.rglob("*.pdf")) or sorted(Path("tests/data").rglob("*.pdf"))
    if not pdfs:
        pytest.skip("no PDF at hand")
    with pytest.raises(IngestError, match="PLANKG_MAX_PDF_PAGES"):
        read_source(pdfs[0], limits=ReaderLimits(max_pdf_pages=0))


def test_limits_come_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from plankg.config import load_settings

    monkeypatch.setenv("PLANKG_MAX_LINE_BYTES", "1234")
    monkeypatch.setenv("PLANKG_MAX_ZIP_RATIO", "50")
    limits = ReaderLimits.from_settings(load_settings())
    assert limits.max_line_bytes == 1234 and limits.max_zip_ratio == 50
    assert ReaderLimits.from_settings(load_settings().model_copy(update={"max_pdf_pages": 7})).max_pdf_pages == 7


def test_export_csv_cells_never_start_a_formula() -> None:
    from plankg.api.export import to_csv

    items = [{"iri": "https://x/1", "text": "=HYPERLINK(\"http://evil\")", "lead": ["@SUM(A1)", "Sở Y tế"],
              "note": "+1+1", "delta": "-5", "year": 2025, "neg": -3, "tab": "\tx", "minus": "- gạch đầu dòng"}]
    rows = list(csv.DictReader(io.StringIO(to_csv("tasks", items).decode("utf-8-sig"))))
    r = rows[0]
    assert r["text"] == "'=HYPERLINK(\"http://evil\")" and r["lead"] == "'@SUM(A1); Sở Y tế"
    assert r["note"] == "'+1+1" and r["tab"] == "'\tx" and r["minus"] == "'- gạch đầu dòng"
    assert r["delta"] == "-5" and r["year"] == "2025" and r["neg"] == "-3" and r["iri"] == "https://x/1"


def test_cli_export_csv_is_safe(plankg_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from plankg.api.cli import app
    from plankg.store.read.records import Records

    evil = [{"iri": "https://x/t1", "text": "=cmd|' /C calc'!A0", "lead": [{"iri": "https://x/a", "name": "@Sở Y tế"}],
             "deadline": {"text": "-5 ngày", "end": "2025-12-31"}, "year": -5}]
    monkeypatch.setattr(Records, "tasks", lambda self: evil)
    target = tmp_path / "tasks.csv"
    out = CliRunner().invoke(app, ["export", "tasks", "--format", "csv", "--output", str(target)])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows[0]["text"] == "'=cmd|' /C calc'!A0" and rows[0]["lead"] == "'@Sở Y tế"
    assert rows[0]["deadline.text"] == "'-5 ngày" and rows[0]["year"] == "-5"
