"""The research notebooks (notebooks/*.ipynb) run end to end, so they never rot.

Each notebook starts its own plankg server on loopback through ``notebooks/_support.py``. Here they all
serve the session's seeded home (``seeded`` in conftest.py, the same one the search tests use) with its
search index, passed as ``PLANKG_HOME`` + ``PLANKG_NOTEBOOK_READY=1`` so the helper skips the ingest. The
index is built here if no earlier test has built it (about a minute of embedding; later search tests then
find it up to date). The notebooks assert key facts themselves, so a silent wrong answer fails a cell.

Committed notebooks carry no outputs or execution counts (checked below); the executed copies live only in
memory.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01-sparql-tour.ipynb", "02-semantic-search.ipynb", "03-linked-data.ipynb"]
CELL_TIMEOUT = 300  # seconds per cell; the slowest cell takes a few seconds on the seed store


def test_the_three_notebooks_are_there() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES
    assert (NOTEBOOKS / "_support.py").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(nb.cells):
        assert "execution" not in cell.metadata, f"cell {i} keeps timing metadata from a run"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: cell {i} was committed with outputs"
    intro = nb.cells[0]
    assert intro.cell_type == "markdown" and "Tiếng Việt" in intro.source and "English" in intro.source
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 5  # short explanations between the steps


@pytest.fixture(scope="module")
def prepared_home(seeded) -> Path:
    from plankg.search.index.builder import build_index

    settings, store, _, _ = seeded
    build_index(settings, store)  # a no-op when the search tests already built it
    return settings.home


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, prepared_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANKG_HOME", str(prepared_home))
    monkeypatch.setenv("PLANKG_NOTEBOOK_READY", "1")
    monkeypatch.delenv("PLANKG_URL", raising=False)
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    started = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as exc:  # the failing cell's source and traceback
        pytest.fail(f"{name}: {exc}", pytrace=False)
    elapsed = time.monotonic() - started
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    print(f"{name}: {elapsed:.1f} s")
