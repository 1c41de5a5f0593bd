"""Shared fixtures: the seed corpus lives beside the repository, in ../shared/seeds.

Also decides how many processes run the tests (``pytest_cmdline_main`` below): a run that
names no test file (``python -m pytest``, ``python -m pytest -m "not slow"``, ``… tests/``)
runs on every core with pytest-xdist, one test file per worker at a time; a run that names
files (``python -m pytest tests/test_x.py``) stays in one process, as fast as before and
with ``--pdb`` and ``-s`` working. ``-n N`` / ``-n 0`` on the command line, or
``PLANKG_TEST_WORKERS=N``, overrides the choice.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

# Index merges run inline in tests (deterministic: no detached process outlives a test);
# the tests of the background merge set PLANKG_INDEX_MERGE=background themselves.
os.environ["PLANKG_INDEX_MERGE"] = "inline"

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("PLANKG_SEEDS", REPO.parent / "shared" / "seeds"))
#: reference facts beside the seeds (../shared/reference; found through PLANKG_SEEDS too, so a
#: worktree elsewhere finds the full text of 57-NQ/TW as it finds the seeds)
REFERENCE_DIR = SEEDS.parent / "reference"
GOLD = Path(__file__).resolve().parent / "gold"


def _held_out_corpus_sources() -> frozenset[str]:
    """Corpus files (``<stem>.md``) that no test ingests: round 3's (held out until stop 18; kept
    out so the tests' picks stay the documents they were), round 5's, the held-out set (gold
    files marked ``"round": 5``, tests/gold/corpus/round5.json), and round 6's, both halves
    (round6.json: its held-out half; its dev half is for developers, kept out of the generic
    picks so they stay what they were), and every round-7 and round-8 candidate (round7.json,
    round8.json: their held-out halves and the reserves kept unseen for a later stop, gold or
    not yet)."""
    corpus = GOLD / "corpus"
    held = set(json.loads((corpus / "round3.json").read_text("utf-8"))["tasks"]["heldout"])
    for name in ("round7.json", "round8.json"):
        later = json.loads((corpus / name).read_text("utf-8"))["tasks"]
        held |= set(later["heldout"]) | set(later["reserve"])
    for path in corpus.glob("*.json"):
        if re.fullmatch(r"[0-9a-f]{16}\.json", path.name) and json.loads(path.read_text("utf-8")).get("round") in (5, 6, 7, 8):
            held.add(f"{path.stem}.md")
    return frozenset(held)


#: corpus documents tests never ingest (see :func:`_held_out_corpus_sources`)
HELD_OUT_CORPUS = _held_out_corpus_sources()

#: where the renditions of a corpus document lie under tests/data, by format
CORPUS_FOLDERS = {"md": "corpus", "docx": "corpus_docx", "pdf": "corpus_pdf"}


@functools.cache
def extract_corpus(stem: str, fmt: str = "md") -> Any:
    """The extraction of one corpus rendition (tests/data/<folder>/<stem>.<fmt>), warnings
    silenced, read once per test process: many test modules check rules on the same documents."""
    from plankg.ingest.extract import extract
    from plankg.ingest.readers import read_source

    return extract(read_source(Path(__file__).parent / "data" / CORPUS_FOLDERS[fmt] / f"{stem}.{fmt}",
                               on_warning=lambda _m: None))

# The per-file extraction time limit (PLANKG_EXTRACT_TIMEOUT, 300 s) guards a server against a
# pathological file; in tests it only turns a busy machine into failures (seed 000 took over
# 300 s of wall time while two test workers and other jobs shared 2 cores, failing every test
# on the ``seeded`` store). Tests of the limit itself set their own value.
os.environ.setdefault("PLANKG_EXTRACT_TIMEOUT", "3600")


def document_fields(path: Path) -> Any:
    """The document record (kind, symbol, date, issuer, title) read from one file, warnings
    silenced: the document-field tests of each round check rules on it."""
    from plankg.ingest.extract.document_meta import extract_document
    from plankg.ingest.extract.title_line import read_title_line
    from plankg.ingest.readers import read_source

    src = read_source(path, on_warning=lambda _m: None)
    return read_title_line(src, extract_document(src))


def gold_document(stem: str) -> dict[str, Any]:
    """The document fields of a corpus gold file (tests/gold/corpus/<stem>.json), as read by hand."""
    return json.loads((GOLD / "corpus" / f"{stem}.json").read_text(encoding="utf-8"))["document"]


def words_key(text: str | None) -> str:
    """Folded lower-case words of a text, punctuation dropped: how the document-field tests
    compare names with a gold value."""
    from plankg.folding import fold

    return re.sub(r"\W+", " ", fold(text or "").lower()).strip()


def _whole_tree(args: list[str]) -> bool:
    """True when no argument names a test file or a single test: only folders (or none)."""
    return all(Path(a.split("::", 1)[0]).is_dir() and "::" not in a for a in args)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Parallel whole-suite runs (CI must stay well under 30 minutes on 2 cores).

    Why here and not ``-n auto`` in ``addopts``: a single file would then also start a worker
    per core (seconds of start-up, no ``--pdb``, no live ``-s`` output) for nothing. Runs
    before pytest-xdist's own ``pytest_cmdline_main`` (conftest hooks are registered later,
    so they are called first), which turns ``auto`` into the core count.
    ``--dist loadfile``: the tests of one file stay in one worker, so module-scoped fixtures
    (a clean ingest, a ward-plan home) are built once, never once per worker.
    """
    if not config.pluginmanager.hasplugin("xdist") or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if config.option.numprocesses is not None or config.option.tx or config.option.dist != "no":
        return  # the caller chose (-n, --tx, --dist)
    env = os.environ.get("PLANKG_TEST_WORKERS", "").strip()
    if env:
        workers: int | str = "auto" if env == "auto" else int(env)
    elif _whole_tree(config.args):
        workers = "auto"
    else:
        return
    config.option.numprocesses = workers
    if workers:
        config.option.dist = "loadfile"


def seed_path(prefix: str) -> Path:
    """The seed whose file name starts with ``prefix`` ("000" … "004")."""
    matches = sorted(SEEDS.glob(f"{prefix}_*"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return matches[0]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"seed corpus not found at {SEEDS}; set PLANKG_SEEDS")
    return SEEDS


@pytest.fixture
def plankg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PLANKG_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    """All five seeds ingested once into a fresh PLANKG_HOME: (settings, store, workspace, report)."""
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.store.open import open_store

    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("seeded")
    mp.setenv("PLANKG_HOME", str(home))
    settings = load_settings()
    store = open_store(settings)
    ws = Workspace(settings, store)
    report = ws.ingest([str(SEEDS)])
    mp.undo()
    yield settings, store, ws, report
    store.close()


@pytest.fixture(scope="session")
def seeded_index(seeded):
    """``seeded`` with its search index built the way ``plankg index`` does (configured embedder).

    Since issue 11 (h11-incremental) no request builds a missing index: ``/tim-kiem`` and
    ``/api/search`` answer 503 "Chưa có chỉ mục tìm kiếm; chạy `plankg index`" instead. Tests
    that search through the service must therefore build it first, as a deployment does.
    The index is the one the web and search tests build on the same store (``build_index``
    is a no-op once it is in step), so a full run builds it once.
    """
    from plankg.search.index.builder import build_index

    settings, store = seeded[0], seeded[1]
    build_index(settings, store)
    return seeded


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory):
    """One real Oxigraph server for the session (tests/oxigraph_server.py); tests clear it."""
    from tests.oxigraph_server import running_server

    with running_server(tmp_path_factory.mktemp("oxigraph-server")) as server:
        yield server
