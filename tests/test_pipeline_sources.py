"""Source keys (issue 11): a file is identified by its path relative to what was ingested,
so two provinces' files of the same name never overwrite each other; homes keyed by bare
file name (what ingest recorded before keys were paths, and still records for a named file)
keep their keys, graphs and IRIs; ``plankg remove`` and ``plankg rebuild`` follow the keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib

from plankg.config import load_settings
from plankg.ingest.pipeline import Workspace
from plankg.ingest.sources import Found, KeyAssigner, discover, match_source
from plankg.store import iris
from plankg.store.open import open_store

CORPUS = Path(__file__).parent / "data" / "corpus"
PK = rdflib.Namespace("https://w3id.org/plankg/ontology#")
# two small real documents of the corpus (a ward plan, a provincial plan), not the seeds
A, B = CORPUS / "2f6f80b9918e52de.md", CORPUS / "8e9a425dd83e56b3.md"


def _tree(root: Path) -> Path:
    """Two provinces that each sent ``ke-hoach.md``, and one file at the top."""
    for folder, src in (("tinh-a", A), ("tinh-b", B)):
        (root / folder).mkdir(parents=True)
        shutil.copy(src, root / folder / "ke-hoach.md")
    shutil.copy(B, root / "tong-hop.md")
    return root


def test_keys_are_relative_paths_and_named_files_keep_bare_names(tmp_path: Path) -> None:
    root = _tree(tmp_path / "in")
    files, missing = discover([str(root), str(root / "tinh-a" / "ke-hoach.md"), str(tmp_path / "nowhere")])
    assert [f.rel for f in files] == ["tinh-a/ke-hoach.md", "tinh-b/ke-hoach.md", "tong-hop.md"]  # each file once
    files, _ = discover([str(root / "tinh-a" / "ke-hoach.md"), str(root)])
    assert [f.rel for f in files] == ["ke-hoach.md", "tinh-b/ke-hoach.md", "tong-hop.md"]
    assert missing == [str(tmp_path / "nowhere")]
    # two named files of the same name in one run: the second is keyed under its folder
    keys = KeyAssigner({})
    assert keys.key(Found(root / "tinh-a" / "ke-hoach.md", "ke-hoach.md")) == "ke-hoach.md"
    assert keys.key(Found(root / "tinh-b" / "ke-hoach.md", "ke-hoach.md")) == "tinh-b/ke-hoach.md"
    # a key whose slug (IRI) is another key's is extended too
    (root / "tinh-b-ke-hoach.md").write_text("x", "utf-8")
    assert keys.key(Found(root / "tinh-b-ke-hoach.md", "tinh-b-ke-hoach.md")) == "in/tinh-b-ke-hoach.md"
    # a recorded key belongs to its file: the same file from another folder keeps it
    recorded = {"ke-hoach.md": {"path": str((root / "tinh-a" / "ke-hoach.md").resolve())}}
    assert KeyAssigner(recorded).key(Found(root / "tinh-a" / "ke-hoach.md", "tinh-a/ke-hoach.md")) == "ke-hoach.md"
    # ... and a file that took a recorded key of a file now gone replaces it (a moved file)
    gone = {"tong-hop.md": {"path": str(tmp_path / "old" / "tong-hop.md")}}
    assert KeyAssigner(gone).key(Found(root / "tong-hop.md", "tong-hop.md")) == "tong-hop.md"
    sources = {"tinh-a/ke-hoach.md": {}, "tinh-b/ke-hoach.md": {}, "tong-hop.md": {}}
    assert match_source("tong-hop.md", sources) == ("tong-hop.md", None)
    assert match_source("tinh-b/ke-hoach.md", sources) == ("tinh-b/ke-hoach.md", None)
    key, error = match_source("ke-hoach.md", sources)
    assert key is None and error and "tinh-a/ke-hoach.md" in error


@pytest.mark.slow
def test_same_names_in_two_folders_are_two_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path / "in")
    monkeypatch.setenv("PLANKG_HOME", str(tmp_path / "home"))
    settings = load_settings()
    with open_store(settings) as store:
        ws = Workspace(settings, store)
        report = ws.ingest([str(root)])
        assert [(f.name, f.status) for f in report.files] == [
            ("tinh-a/ke-hoach.md", "added"), ("tinh-b/ke-hoach.md", "added"), ("tong-hop.md", "added")]
        names = set(store.graph_names())
        for key in ("tinh-a/ke-hoach.md", "tinh-b/ke-hoach.md", "tong-hop.md"):
            assert iris.source_graph_iri(settings.base_iri, key) in names
        files = {str(o) for o in store.get_graph(iris.merged_graph_iri(settings.base_iri)).objects(None, PK.sourceFile)}
        assert {"tinh-a/ke-hoach.md", "tinh-b/ke-hoach.md", "tong-hop.md"} <= files
        assert {f.status for f in ws.ingest([str(root)]).files} == {"unchanged"}

        results = ws.remove(["ke-hoach.md"])  # ambiguous: two sources have that name
        assert results[0].status == "failed" and "tinh-b/ke-hoach.md" in (results[0].error or "")
        assert [r.status for r in ws.remove(["tinh-a/ke-hoach.md"])] == ["removed"]
        assert sorted(ws.sources()) == ["tinh-b/ke-hoach.md", "tong-hop.md"]
        assert iris.source_graph_iri(settings.base_iri, "tinh-a/ke-hoach.md") not in store.graph_names()


@pytest.mark.slow
def test_a_bare_name_home_keeps_its_keys_and_rebuild_keeps_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A home keyed by bare file names, as every home was before keys were paths (and as
    ingest still records a named file): ingesting the whole folder later keeps those keys
    and their IRIs, and adds the same-named file of the other folder as its own source."""
    from plankg.ingest.rebuild import rebuild_store

    root = _tree(tmp_path / "in")
    monkeypatch.setenv("PLANKG_HOME", str(tmp_path / "home"))
    settings = load_settings()
    with open_store(settings) as store:
        ws = Workspace(settings, store)
        ws.ingest([str(root / "tinh-a" / "ke-hoach.md"), str(root / "tong-hop.md")])
        assert sorted(ws.sources()) == ["ke-hoach.md", "tong-hop.md"]
        old_graph = iris.source_graph_iri(settings.base_iri, "ke-hoach.md")
        old_triples = store.triple_count(old_graph)
        report = ws.ingest([str(root)])
        assert [(f.name, f.status) for f in report.files] == [
            ("ke-hoach.md", "unchanged"), ("tinh-b/ke-hoach.md", "added"), ("tong-hop.md", "unchanged")]
        assert store.triple_count(old_graph) == old_triples
        recorded = ws.sources()
    rebuild_store(settings)
    with open_store(settings) as store:
        assert Workspace(settings, store).sources().keys() == recorded.keys()
        assert old_graph in store.graph_names()


@pytest.mark.slow
def test_rebuild_with_every_source_gone_keeps_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing left to read is a failed rebuild, not an empty store (ingest/rebuild.py)."""
    from plankg.ingest.rebuild import rebuild_store

    root = _tree(tmp_path / "in")
    monkeypatch.setenv("PLANKG_HOME", str(tmp_path / "home"))
    settings = load_settings()
    with open_store(settings) as store:
        Workspace(settings, store).ingest([str(root / "tong-hop.md")])
        names, quads = store.graph_names(), store.triple_count()
    (root / "tong-hop.md").unlink()
    report = rebuild_store(settings)
    assert [f.status for f in report.files] == ["failed"] and "source file is gone" in (report.files[0].error or "")
    with open_store(settings) as store:
        assert store.graph_names() == names and store.triple_count() == quads
