"""Build plankg's wheel and unpack it into a staging folder that tools can read.

Why: the top-level folders map to ``plankg.*`` through setuptools ``package-dir``, and
the editable install reaches them through an import hook that static tools (import-linter's
scanner, mypy) cannot follow — they see 2 of ~100 modules. The wheel holds the real
``plankg/`` tree, so checks run against what users install, and a module or data file
missing from ``pyproject.toml`` shows up here first.

Usage: ``python .ci/stage.py DEST`` → prints DEST (containing ``plankg/``) and the module count.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: source folders that become plankg.* (pyproject's package-dir), "" = the root package
SOURCE_DIRS = {"plankg": "", "ontology": "ontology", "ingest": "ingest", "store": "store", "search": "search", "api": "api"}


def source_modules() -> set[str]:
    """Every module the source tree holds, by its installed name."""
    out = set()
    for folder, sub in SOURCE_DIRS.items():
        for f in (REPO / folder).rglob("*.py"):
            rel = f.relative_to(REPO / folder).with_suffix("")
            parts = ["plankg", *([sub] if sub else []), *rel.parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out.add(".".join(parts))
    return out


def staged_modules(dest: Path) -> set[str]:
    out = set()
    for f in (dest / "plankg").rglob("*.py"):
        parts = list(f.relative_to(dest).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.add(".".join(parts))
    return out


def build_wheel(dest: Path) -> Path:
    """``pip wheel`` into ``dest``; setuptools' ``build/`` scratch folder is removed again."""
    scratch_existed = (REPO / "build").exists()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp, str(REPO)],
                       check=True)
        wheel = next(Path(tmp).glob("plankg-*.whl"))
        target = dest / wheel.name
        target.write_bytes(wheel.read_bytes())
    if not scratch_existed:
        shutil.rmtree(REPO / "build", ignore_errors=True)
    return target


def stage(dest: Path) -> tuple[Path, set[str]]:
    dest.mkdir(parents=True, exist_ok=True)
    wheel = build_wheel(dest)
    with zipfile.ZipFile(wheel) as z:
        z.extractall(dest / "site")
    return wheel, staged_modules(dest / "site")


def main() -> int:
    dest = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="plankg-stage-"))
    _, staged = stage(dest)
    missing = sorted(source_modules() - staged)
    print(dest / "site")
    print(f"{len(staged)} modules staged, {len(source_modules())} in the source tree", file=sys.stderr)
    if missing:
        print("missing from the wheel (add to pyproject packages): " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
