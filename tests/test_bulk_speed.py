"""The bulk-ingest speedups keep results identical (issue #11 item 4; no timing here:
speed is measured by ``benchmarks/bulk_profile.py`` and ``benchmarks/scale_series.py``).

* folding through ``str.translate`` tables (``plankg.folding.CharTable``) equals the
  per-character functions joined, as the variants were written before, on every character;
* loading a saved extraction through the per-type converters gives back what was saved,
  on real documents of several formats.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from plankg import folding
from plankg.ingest.build.serialize import load_extraction, save_extraction, to_jsonable
from plankg.ingest.pipeline import read_extraction
from tests.conftest import HELD_OUT_CORPUS

DATA = Path(__file__).parent / "data"
EVERY_CHARACTER = "".join(chr(i) for i in range(0x30000) if not 0xD800 <= i < 0xE000)


def _joined_fold(text: str) -> str:
    out = "".join(folding._fold_char(c) for c in unicodedata.normalize("NFC", text))
    return "".join(c for c in out if not unicodedata.combining(c))


@pytest.mark.parametrize("text", [EVERY_CHARACTER, unicodedata.normalize("NFD", EVERY_CHARACTER[:0x3000]),
                                  "Sở Y tế tỉnh Bình Phước ƯỚC ƣớc Đ đ ı \u0301 x\u0323"])
def test_translate_tables_equal_the_character_functions(text: str) -> None:
    assert folding.fold(text) == _joined_fold(text)
    assert folding.fold_aligned(text) == "".join(folding._fold_char(c) for c in text)
    assert folding.fold_aligned_blank(text) == "".join(" " if unicodedata.combining(c) else folding._fold_char(c)
                                                       for c in text)
    assert folding.fold_cased(text) == "".join(folding._fold_char_cased(c) for c in text)


def test_fold_examples_unchanged() -> None:
    assert folding.fold("Sở Y tế") == "so y te"
    assert folding.fold_cased("KẾ HOẠCH") == "KE HOACH"
    assert folding.fold_words("Sở Y-tế,") == "so y te"
    assert folding.slugify("57/KH-UBND") == "57-kh-ubnd"


@pytest.mark.parametrize("path", [
    *sorted(p for p in (DATA / "corpus").glob("*") if p.name not in HELD_OUT_CORPUS)[:2],
    *sorted(p for p in (DATA / "corpus_docx").glob("*.docx") if f"{p.stem}.md" not in HELD_OUT_CORPUS)[:1],
])
def test_saved_extraction_loads_back_equal(path: Path, tmp_path: Path) -> None:
    ex = read_extraction(path)
    saved = tmp_path / "ex.json"
    save_extraction(ex, saved)
    loaded = load_extraction(saved)
    assert to_jsonable(loaded) == to_jsonable(ex)
    assert loaded.tasks and type(loaded.tasks[0]) is type(ex.tasks[0])
    assert loaded.document.date == ex.document.date


@pytest.mark.slow
def test_a_change_touching_much_of_the_corpus_is_a_full_build(plankg_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bulk ingest touching a large share of the indexed documents rebuilds the index
    (cheaper than scoped reads of each); a small change stays an update. The minimum size is
    lowered so that two seeds show it (each cites many documents, all indexed)."""
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.search.index import builder
    from plankg.search.index.embedders import register_backend
    from plankg.store.open import open_store
    from tests.conftest import seed_path
    from tests.fake_embedders import HashEmbedder

    register_backend("hash-bulk", lambda arg, opts: HashEmbedder("hash-bulk", 64))
    monkeypatch.setenv("PLANKG_EMBEDDER", "hash-bulk")
    monkeypatch.setattr(builder, "FULL_BUILD_MIN_DOCUMENTS", 2)
    settings = load_settings()
    with open_store(settings) as store:
        ws = Workspace(settings, store)
        ws.ingest([str(seed_path("002"))])
        first = builder.update_index(settings, store)
        assert first["update"] == "full"
        ws.ingest([str(seed_path("003")), str(seed_path("004"))])
        dirty = json.loads(builder.dirty_path(settings).read_text("utf-8"))["documents"]
        assert builder.large_change(builder._read_meta(settings) or {}, dirty)
        assert builder.update_index(settings, store)["update"] == "full"
        monkeypatch.setattr(builder, "FULL_BUILD_MIN_DOCUMENTS", 10**6)
        ws.remove([seed_path("004").name])
        assert builder.update_index(settings, store)["update"] == "incremental"
