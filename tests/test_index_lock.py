"""One index builder at a time across processes (search/index/lock.py).

Several processes share one PLANKG_HOME (``plankg ingest``, ``plankg index``, API processes
over a remote store): a second builder must wait for the first and then find the index in
step, not build and swap its own generation (the stale-index rebuild race of #17).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from plankg.search.index.embedders import register_backend
from tests.conftest import seed_path
from tests.fake_embedders import HashEmbedder

ROOT = Path(__file__).resolve().parents[1]
register_backend("fake-lock", lambda arg, opts: HashEmbedder("fake-lock", 32))

TRY_LOCK = """
from plankg.config import load_settings
from plankg.search.index.lock import IndexBusy, index_lock
try:
    with index_lock(load_settings(), wait=0.5):
        print("acquired")
except IndexBusy as exc:
    print("busy:", exc)
"""

UPDATE = """
import json
from plankg.config import load_settings
from plankg.search.index.builder import _read_meta, update_index
from plankg.search.index.embedders import register_backend
from plankg.store.open import open_store
from tests.fake_embedders import HashEmbedder
register_backend("fake-lock", lambda arg, opts: HashEmbedder("fake-lock", 32))
settings = load_settings()
with open_store(settings, read_only=True) as store:
    print("ready", flush=True)
    update_index(settings, store)
print(json.dumps({"generation": _read_meta(settings)["generation"]}))
"""


def _python(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_the_lock_keeps_out_another_process(plankg_home: Path) -> None:
    from plankg.config import load_settings
    from plankg.search.index.lock import index_lock, index_lock_path

    settings = load_settings()
    with index_lock(settings):
        with index_lock(settings):  # nests in one thread
            out, err = _python(TRY_LOCK).communicate(timeout=60)
    assert out.startswith("busy:"), err
    assert "another process is building the search index" in out and str(index_lock_path(settings)) in out
    out, err = _python(TRY_LOCK).communicate(timeout=60)
    assert out.strip() == "acquired", err  # released, also after nesting


@pytest.mark.slow
def test_a_second_builder_waits_and_builds_nothing(plankg_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.search.index.builder import _read_meta, build_index
    from plankg.search.index.lock import index_lock
    from plankg.store.open import open_store

    monkeypatch.setenv("PLANKG_EMBEDDER", "fake-lock")
    settings = load_settings()
    with open_store(settings) as store:
        Workspace(settings, store).ingest([str(seed_path("002"))])  # no index yet: every builder finds it stale
    with index_lock(settings):
        other = _python(UPDATE)
        assert other.stdout is not None and other.stdout.readline().strip() == "ready"  # it is about to build
        with open_store(settings, read_only=True) as store:
            build_index(settings, store)  # the first builder, holding the lock
        ours = _read_meta(settings)["generation"]
    out, err = other.communicate(timeout=300)
    assert other.returncode == 0, err
    assert json.loads(out.splitlines()[-1]) == {"generation": ours}  # it found ours in step and built nothing
    assert [p.name for p in settings.index_path.glob("gen-*")] == [ours]
