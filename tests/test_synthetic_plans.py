"""The synthetic plan files of the scale series (``benchmarks/synthetic_plans.py``, issue #11):
deterministic, and the real extractor reads them into documents with tasks, like the real
plans they are made from (no timing here: speed is the benchmark's business)."""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks.synthetic_plans import generate_plans, shift_dates
from plankg.ingest.pipeline import read_extraction

REPO = Path(__file__).resolve().parents[1]
# two real corpus plans of different provinces and layouts (not used to write the generator)
REAL = [REPO / "tests" / "data" / "corpus" / "0a97eb9c3c536047.md", REPO / "tests" / "data" / "corpus" / "09daab284f92e2dd.md"]


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    a = generate_plans(REAL, 3, tmp_path / "a", seed=5)
    b = generate_plans(REAL, 3, tmp_path / "b", seed=5)
    c = generate_plans(REAL, 3, tmp_path / "c", seed=6)
    assert [p.name for p in a] == ["synthetic-00000.md", "synthetic-00001.md", "synthetic-00002.md"]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
    # file i does not depend on how many are generated in one call
    assert generate_plans(REAL, 1, tmp_path / "d", seed=5, start=2)[0].read_bytes() == a[2].read_bytes()


def test_the_extractor_reads_synthetic_plans_into_other_documents_with_tasks(tmp_path: Path) -> None:
    made = generate_plans(REAL, 2, tmp_path, seed=57)
    originals = {p: read_extraction(p) for p in REAL}
    for i, path in enumerate(made):
        src = REAL[random.Random(f"57:{i}").randrange(len(REAL))]  # the plan it was made from
        real, synth = originals[src], read_extraction(path)
        assert synth.document.symbol == f"{1000 + i}/{real.document.symbol.split('/', 1)[1]}"
        assert synth.document.kind == real.document.kind
        assert synth.document.locality and synth.document.locality != real.document.locality
        assert len(synth.tasks) == len(real.tasks) > 0
        assert synth.source.text != real.source.text


def test_cited_documents_keep_their_dates() -> None:
    text = ("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; "
            "Hà Nội, ngày 05 tháng 3 năm 2025. Hoàn thành trước ngày 30/6/2025.")
    out = shift_dates(text, 10)
    assert "57-NQ/TW ngày 22/12/2024" in out
    assert "ngày 15 tháng 03 năm 2025" in out and "trước ngày 10/07/2025" in out


def test_the_workspace_keeps_only_a_few_recent_extractions() -> None:
    """Ingest's memory must not grow with the corpus (#11): past ``RECENT_EXTRACTIONS`` the
    least recently stored extraction is dropped (it is re-read from its saved file)."""
    from plankg.ingest import pipeline

    real = read_extraction(REAL[0])
    kept = pipeline._RecentExtractions()
    for i in range(pipeline.RECENT_EXTRACTIONS + 3):
        kept[f"file-{i}.md"] = (str(i), real)
    assert len(kept) == pipeline.RECENT_EXTRACTIONS and "file-2.md" not in kept and "file-3.md" in kept
    kept["file-3.md"] = ("3b", real)  # stored again: now the most recent
    kept["another.md"] = ("x", real)  # so the oldest now is file-4
    assert len(kept) == pipeline.RECENT_EXTRACTIONS
    assert "file-4.md" not in kept and kept["file-3.md"][0] == "3b" and list(kept)[-1] == "another.md"
