"""What a source is: its key (the path relative to what was ingested), found on disk.

Why a key and not the bare file name: two provinces each send ``ke-hoach.docx``; keyed by
name, the second overwrote the first. The key of a file is its path relative to the folder
that was ingested (``plankg ingest plans/`` → ``binh-phuoc/ke-hoach.docx``), or its bare
name when the file itself was named (``plankg ingest plans/binh-phuoc/ke-hoach.docx`` →
``ke-hoach.docx``), so a flat folder keys its files exactly as before and every IRI
published for them stays (``{base}source/{slug(key)}``, ``{base}graph/source/{slug(key)}``).

A key, once recorded, belongs to its file (its resolved path): the same file ingested again
from another folder keeps its recorded key, so homes keyed by bare name (before keys were
paths) keep working without migration. A new file whose key is already recorded for another
file that still exists, or whose key's slug (its IRI) is another key's, gets its key extended
by the ingested folder's own name, then its parents (``binh-phuoc/ke-hoach.docx``). A key
recorded for a file that is gone is taken by the new file (a moved file replaces itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plankg.folding import slugify
from plankg.ingest.errors import IngestError

#: The file suffixes a folder is searched for (``.doc``/``.xls`` are read to say how to convert them).
SUPPORTED_SUFFIXES = {".txt", ".docx", ".pdf", ".md", ".markdown", ".text", ".xlsx", ".doc", ".xls"}


@dataclass(frozen=True)
class Found:
    """A file to ingest and its path relative to what was ingested (POSIX separators)."""

    path: Path
    rel: str


def discover(paths: list[str]) -> tuple[list[Found], list[str]]:
    """Expand folders (recursively, supported extensions, no hidden files); a named file is
    relative to its own folder; each file once. Returns the files and the paths that do not exist."""
    files: list[Found] = []
    missing: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files += [Found(f, f.relative_to(p).as_posix()) for f in sorted(p.rglob("*"))
                      if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                      and not any(part.startswith(".") for part in f.relative_to(p).parts)]
        elif p.is_file():
            files.append(Found(p, p.name))
        else:
            missing.append(raw)
    seen: set[Path] = set()
    unique = []
    for f in files:  # a file named twice (a folder and a file in it) is read once, under its first key
        if f.path.resolve() not in seen:
            seen.add(f.path.resolve())
            unique.append(f)
    return unique, missing


def extraction_file_name(key: str) -> str:
    """The saved extraction's file name under ``extractions/`` (the web's source view reads
    it by the same rule, ``api/web/source.py``); unique because key slugs are (:class:`KeyAssigner`)."""
    return f"{slugify(key)}.json"


def _candidates(found: Found) -> list[str]:
    """The key, then the key under the ingested folder's name and each of its parents."""
    resolved = found.path.resolve()
    rel_parts = len(Path(found.rel).parts)
    parts = [p for p in resolved.parts if p != resolved.anchor]
    return [found.rel] + ["/".join(parts[-n:]) for n in range(rel_parts + 1, len(parts) + 1)]


@dataclass
class KeyAssigner:
    """Gives each file of one ingest its key, against the recorded sources (name → info with
    ``path``, the resolved path it was read from). ``known``: resolved path → key to keep
    (``plankg rebuild`` re-reads into a fresh store under the recorded keys)."""

    sources: dict[str, dict]
    known: dict[str, str] = field(default_factory=dict)
    taken: dict[str, str] = field(default_factory=dict)  # key → resolved path, this run

    def __post_init__(self) -> None:
        self._by_path = {str(info.get("path")): key for key, info in self.sources.items() if info.get("path")}
        self._by_path.update(self.known)
        self._slugs = {slugify(k): k for k in self.sources}

    def key(self, found: Found) -> str:
        resolved = str(found.path.resolve())
        key = self._by_path.get(resolved)
        if key is None or not self._free(key, resolved):
            key = next((c for c in _candidates(found) if self._free(c, resolved)), None)
        if key is None:
            raise IngestError(found.path, "Không đặt được khóa nguồn riêng cho tệp này (mọi đường dẫn đều trùng với "
                              "nguồn khác)", "no unique source key: every path of this file is another source's")
        self.taken[key] = resolved
        self._slugs[slugify(key)] = key
        return key

    def _free(self, key: str, resolved: str) -> bool:
        if self.taken.get(key, resolved) != resolved:
            return False
        owner = self.sources.get(key, {}).get("path")
        if owner and owner != resolved and Path(owner).is_file():
            return False  # another file that still exists has this key
        clash = self._slugs.get(slugify(key))
        return clash is None or clash == key


def match_source(raw: str, sources: dict[str, dict]) -> tuple[str | None, str | None]:
    """Which recorded source ``raw`` names (``plankg remove``): its key, the path it was read
    from, or a bare file name that only one key ends with. Returns (key, None) or (None, error)."""
    if raw in sources:
        return raw, None
    resolved = str(Path(raw).resolve())
    by_path = [k for k, info in sources.items() if info.get("path") == resolved]
    if len(by_path) == 1:
        return by_path[0], None
    name = Path(raw).name
    by_name = sorted(k for k in sources if Path(k).name == name)
    if len(by_name) == 1:
        return by_name[0], None
    if by_name:
        return None, (f"Tên {raw} ứng với nhiều nguồn: {', '.join(by_name)}; ghi rõ khóa nguồn (plankg sources) "
                      f"(ambiguous: several sources have this file name; give the source key)")
    return None, f"Nguồn chưa được nạp (not an ingested source): {raw}"
