"""The house rules of ARCHITECTURE.md, checked: layers one way, no import circles, and a
wheel that holds every module and data file (the editable install hides omissions)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / ".ci"))
import stage  # noqa: E402  (.ci/stage.py: the wheel staging shared with .ci/static-checks)

#: lower number = lower layer; a module may import only its own layer or lower ones.
LAYER = {"config": 0, "folding": 0, "ontology": 0, "store": 1, "ingest": 2, "search": 3, "api": 4}


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYER.get(parts[1], 0) if len(parts) > 1 else 0


def _imports(path: Path, module: str) -> set[str]:
    """plankg modules imported anywhere in ``path`` (also inside functions)."""
    out = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            if name.startswith("plankg"):
                out.add(name)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("plankg"))
    return out


def _source_files() -> dict[str, Path]:
    files = {}
    for folder, sub in stage.SOURCE_DIRS.items():
        for f in (REPO / folder).rglob("*.py"):
            rel = f.relative_to(REPO / folder).with_suffix("")
            parts = ["plankg", *([sub] if sub else []), *rel.parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            files[".".join(parts)] = f
    return files


def test_layers_run_one_way() -> None:
    upward = []
    for module, path in _source_files().items():
        for imported in _imports(path, module):
            if _layer(imported) > _layer(module):
                upward.append(f"{module} → {imported}")
    assert not upward, "imports against the layer order store → ingest → search → api:\n" + "\n".join(sorted(upward))


def test_layer_check_sees_every_module() -> None:
    """The check above must not go blind the way import-linter did on the editable install."""
    modules = _source_files()
    assert len(modules) >= 100
    assert modules.keys() == stage.source_modules()


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    return stage.stage(tmp_path_factory.mktemp("stage"))


@pytest.mark.slow
def test_wheel_holds_every_module_and_data_file(staged) -> None:
    wheel, modules = staged
    assert modules == stage.source_modules(), f"missing from the wheel: {sorted(stage.source_modules() - modules)}"
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("plankg/ontology/plankg.ttl", "plankg/ontology/shapes.ttl", "plankg/ontology/registry/agencies.yaml",
                 "plankg/search/abbreviations.yaml", "plankg/api/web/templates/base.html", "plankg/api/web/static/plankg.css"):
        assert data in names, data
    for folder in ("ontology/queries", "api/web/templates", "api/web/static", "ontology/registry", "api/web/charts/examples"):
        for f in (REPO / folder).iterdir():
            if f.is_file():
                assert f"plankg/{folder}/{f.name}" in names, f"{folder}/{f.name} not in the wheel (package-data)"


@pytest.mark.slow
def test_import_contracts_on_the_staged_wheel(staged) -> None:
    wheel, modules = staged
    site = wheel.parent / "site"
    env = {**os.environ, "PYTHONPATH": str(site)}
    lint = Path(sys.executable).with_name("lint-imports")
    res = subprocess.run([str(lint), str(REPO / "pyproject.toml")], cwd=site, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    analysed = int(re.search(r"Analyzed (\d+) files", res.stdout).group(1))
    assert analysed == len(modules), f"import-linter saw {analysed} of {len(modules)} modules"


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_every_module_imports(staged, tmp_path: Path) -> None:
    wheel, modules = staged
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    # Dependencies come from this environment's site-packages, added as a plain path: its
    # .pth files (the editable install's import hook among them) are not processed.
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    deps = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "rdflib").is_dir())
    (Path(site) / "_deps.pth").write_text(f"{deps}\n")
    script = (
        "import importlib, sys, plankg\n"
        f"assert plankg.__file__.startswith({str(venv)!r}), plankg.__file__\n"
        f"names = {sorted(modules)!r}\n"
        "for n in names: importlib.import_module(n)\n"
        "from plankg.api.web.render import TEMPLATES\n"
        "assert (TEMPLATES / 'base.html').is_file()\n"
        "print(len(names))\n"
    )
    res = subprocess.run([str(py), "-c", script], capture_output=True, text=True, cwd=tmp_path,
                         env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert res.returncode == 0, res.stderr[-3000:]
    assert int(res.stdout.strip()) == len(modules)
