"""Document fields, stop 21 (h10d): the preamble's "… ban hành <kind>" names no issuer when its
clause runs over a sentence's end or names a document "ban hành kèm theo" (issued with) another;
a kind glued to its subject ("NGHỊ ĐỊNHVề …") is still the kind line; a PDF number cell glued to
the letter's "V/v" keeps its symbol.

The preamble rules were written on the Markdown pages of 9d0926aa62bf16bd and 606d5f203dec293b
(round 6's former held-out half, now development data); they are checked here on those
documents' DOCX and PDF renditions, which a reader joins into other lines and paragraphs (both
gave the wrong issuer before). The glued kind was written on 355bcc582867074b (metadata gold,
round 2 dev); no other page of the corpus prints it, so its test is on that page's excerpt.
Expected values are the gold's, read from the documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plankg.folding import fold
from plankg.ingest.extract.document_meta import extract_document
from plankg.ingest.readers import read_source

DATA = Path(__file__).resolve().parent / "data"
GOLD = Path(__file__).resolve().parent / "gold" / "corpus"


def _expanded(name: str) -> str:
    return fold(name.replace("UBND", "Ủy ban nhân dân")).lower()


@pytest.mark.parametrize("stem", ["9d0926aa62bf16bd", "606d5f203dec293b"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_preamble_clause_that_is_no_subject(stem: str, fmt: str) -> None:
    """9d0926aa: "… viên chức Bộ phận Một cửa để thực hiện. d) Ban hành Thông báo …" (an item read
    past the preamble); 606d5f20: "… bổ sung một số điều của Quy định ban hành kèm theo Quyết
    định số 42/2018/QĐ-UBND …". The header's body issues."""
    gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))["document"]
    doc = extract_document(read_source(DATA / f"corpus_{fmt}" / f"{stem}.{fmt}", on_warning=lambda _m: None))
    assert doc.issuer is not None and _expanded(doc.issuer) == _expanded(gold["issuer"])


def test_kind_glued_to_its_subject() -> None:
    doc = extract_document(read_source(DATA / "metadata_headers" / "355bcc582867074b_page.md"))
    assert (doc.kind, doc.symbol) == ("Nghị định", "173/2025/NĐ-CP")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_letter_subject_glued_to_its_number(fmt: str) -> None:
    """The PDF of 0d99145eee8ac0ff reads its number cell as "Số:10988/BNV-CQĐPV/v tuyên truyền …":
    the symbol ends before "V/v" and the page is a letter, as its DOCX (which keeps the space)
    reads. No other PDF of the test data glues the two (a scan of every first page found none),
    so this checks the page it was written for, in both renditions."""
    gold = json.loads((GOLD / "0d99145eee8ac0ff.json").read_text(encoding="utf-8"))["document"]
    doc = extract_document(read_source(DATA / f"corpus_{fmt}" / f"0d99145eee8ac0ff.{fmt}", on_warning=lambda _m: None))
    assert (doc.kind, doc.symbol) == (gold["kind"], gold["symbol"])
