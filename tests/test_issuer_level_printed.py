"""The level of an issuer is read from its printed level word (#10 item 4): folded, "Cục Hải
quan" would name a district ("quan" = "quận") and "Cục Thuế địa phương" a ward. Tested on
customs documents of the corpus (the rule was written from the issuer string, not from them)."""

from __future__ import annotations

import warnings

import pytest

from benchmarks.corpus_extraction import DATA
from plankg.ingest.extract import extract
from plankg.ingest.extract.document_meta import _level_and_place
from plankg.ingest.readers import read_source


@pytest.mark.parametrize("stem", ["93cafb7b0f4df375", "8aae102c2f6087de"])
def test_customs_department_is_no_district(stem: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = extract(read_source(DATA["md"] / f"{stem}.md")).document
    assert "hải quan" in (doc.issuer or "").lower()
    assert doc.locality_level != "district"


@pytest.mark.parametrize(("issuer", "expected"), [
    ("CỤC HẢI QUAN", (None, None)),
    ("Cục Thuế địa phương", (None, None)),
    ("UBND QUẬN 1", ("district", "1")),
    ("Ủy ban nhân dân phường Bến Thành", ("ward", "Bến Thành")),
    ("UBND TINH BINH PHUOC", ("province", "Bình Phước")),  # printed without accents: read folded
])
def test_level_words_as_printed(issuer: str, expected: tuple[str | None, str | None]) -> None:
    assert _level_and_place(issuer) == expected
