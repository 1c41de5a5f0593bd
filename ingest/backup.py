"""Backup and restore of a whole PLANKG_HOME (``plankg backup FILE`` / ``plankg restore FILE``).

What a backup holds (one ``.tar.gz``):

- ``graphs/NNNNNN.nt``: every named graph of the store as N-Triples (the store's own
  writer), so a backup does not depend on the backend's files (RocksDB) or its version and
  restores into any backend;
- ``home/…``: every other file under the home (saved extractions, which the web's source
  view and every rebuild read; the remembered failures; the change log; the search index
  and its embedding cache; a corrections file kept there), except the lock and the
  unfinished files of a run (``extractions/.pending``, ``*.tmp``);
- ``manifest.json`` (last): format, base IRI, the store's metadata (recorded sources), each
  graph's IRI and triple count, and each file's SHA-256.

Why consistent: both take the ingest lock, so no ingest, remove, rebuild or repair runs
meanwhile, and a backup refuses a home with an unfinished journal (``plankg check
--repair`` first). The index stays in step after a restore: its fingerprint is the store's
metadata and revision (:meth:`GraphStore.revision`), both restored as they were.

Restore checks the whole archive (manifest, checksums, base IRI) and builds the new store in
``.restore-new`` inside the home before it touches anything; then it swaps the home's entries
for the restored ones. A home that holds anything is replaced only with ``force``. A running
``plankg serve`` must be restarted after a restore.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import rdflib

from plankg.config import Settings
from plankg.ingest.errors import IngestError
from plankg.ingest.pipeline import Workspace, ingest_lock
from plankg.store.base import open_backend

__all__ = ["BackupSummary", "backup_home", "restore_home"]

FORMAT = "plankg-backup"
VERSION = 1
MANIFEST = "manifest.json"
_STAGING, _OLD = ".restore-new", ".restore-old"
_SKIP_TOP = {"store", "ingest.lock", _STAGING, _OLD}  # the store travels as N-Triples


@dataclass
class BackupSummary:
    archive: Path
    graphs: int
    triples: int
    files: int
    sources: int

    def to_json(self) -> dict[str, object]:
        return {"archive": str(self.archive), "graphs": self.graphs, "triples": self.triples, "files": self.files,
                "sources": self.sources}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _home_files(home: Path, exclude: Path) -> list[Path]:
    """The files of the home a backup carries (sorted; see the module docstring)."""
    out = []
    for p in sorted(home.rglob("*")):
        rel = p.relative_to(home)
        if (not p.is_file() or p.is_symlink() or rel.parts[0] in _SKIP_TOP or p.suffix == ".tmp"
                or rel.parts[:2] == ("extractions", ".pending") or p.resolve() == exclude):
            continue
        out.append(p)
    return out


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o644
    tar.addfile(info, io.BytesIO(data))


def backup_home(settings: Settings, target: Path) -> BackupSummary:
    """Write the whole home to ``target`` (a ``.tar.gz``; written beside it, then renamed)."""
    from plankg.store.open import open_store

    target = target.resolve()
    with ingest_lock(settings):
        with open_store(settings) as store:
            ws = Workspace(settings, store)
            if ws.journal_path().exists():
                raise IngestError("Kho có một lần nạp/xóa chưa hoàn tất; chạy plankg check --repair trước khi sao lưu "
                                  "(an interrupted ingest or remove: run plankg check --repair before a backup)")
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            manifest: dict[str, Any] = {"format": FORMAT, "version": VERSION, "base_iri": settings.base_iri,
                                        "backend": store.name, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                                        "store_meta": store.read_meta(), "store_revision": store.revision(),
                                        "graphs": [], "files": []}
            with tarfile.open(tmp, "w:gz") as tar:
                for i, g in enumerate(store.graph_names(), 1):
                    data = store.dump("ntriples", g)
                    name = f"graphs/{i:06d}.nt"
                    _add(tar, name, data)
                    manifest["graphs"].append({"iri": g, "file": name, "triples": store.triple_count(g),
                                               "sha256": _sha256(data)})
                for p in _home_files(settings.home, target):
                    data = p.read_bytes()
                    name = "home/" + p.relative_to(settings.home).as_posix()
                    _add(tar, name, data)
                    manifest["files"].append({"path": name, "sha256": _sha256(data), "size": len(data)})
                _add(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
            tmp.replace(target)
    return _summary(target, manifest)


def _summary(archive: Path, manifest: dict[str, Any]) -> BackupSummary:
    return BackupSummary(archive, len(manifest["graphs"]), sum(g["triples"] for g in manifest["graphs"]),
                         len(manifest["files"]), len(manifest["store_meta"].get("sources", {})))


def _bad(archive: Path, why_vi: str, why_en: str) -> IngestError:
    return IngestError(archive, f"Bản sao lưu không dùng được: {why_vi}", f"unusable backup: {why_en}")


def _read_manifest(tar: tarfile.TarFile, archive: Path, settings: Settings) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _bad(archive, "không có manifest.json của plankg", "no plankg manifest.json")
    if manifest.get("version") != VERSION:
        raise _bad(archive, f"phiên bản {manifest.get('version')} không được hỗ trợ", "unsupported version")
    if manifest.get("base_iri") != settings.base_iri:
        raise _bad(archive, f"IRI gốc {manifest.get('base_iri')} khác PLANKG_BASE_IRI={settings.base_iri}",
                   "its base IRI differs from PLANKG_BASE_IRI")
    return manifest


def _member(tar: tarfile.TarFile, archive: Path, entry: dict[str, Any], key: str) -> bytes:
    name = entry[key]
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise _bad(archive, f"đường dẫn không an toàn {name}", "unsafe path")
    try:
        member = tar.extractfile(name)
        data = member.read() if member else b""
    except KeyError:
        raise _bad(archive, f"thiếu {name}", f"{name} missing") from None
    if _sha256(data) != entry["sha256"]:
        raise _bad(archive, f"{name} sai checksum", f"{name} has a wrong checksum")
    return data


def _home_is_empty(settings: Settings) -> bool:
    home = settings.home
    if not home.exists():
        return True
    return not any(p.name not in {"ingest.lock", _STAGING, _OLD} for p in home.iterdir())


def _stage(tar: tarfile.TarFile, archive: Path, manifest: dict[str, Any], settings: Settings, staging: Path) -> None:
    """Everything restored, under ``staging``: the files, then the store built from the graphs."""
    for entry in manifest["files"]:
        data = _member(tar, archive, entry, "path")
        out = staging / PurePosixPath(entry["path"]).relative_to("home")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    store = open_backend(settings.store_backend, staging / "store")
    try:
        for entry in manifest["graphs"]:
            graph = rdflib.Graph()
            graph.parse(data=_member(tar, archive, entry, "file"), format="nt")
            if len(graph) != entry["triples"]:
                raise _bad(archive, f"đồ thị {entry['iri']} có {len(graph)} bộ ba, manifest ghi {entry['triples']}",
                           "triple count differs from the manifest")
            store.replace_graph(entry["iri"], graph)
        store.write_meta(manifest["store_meta"])
        if manifest.get("store_revision"):  # the same content: an index in step with it stays so
            store.set_revision(str(manifest["store_revision"]).removeprefix("rev:"))
    finally:
        store.close()


def _swap(home: Path, staging: Path) -> None:
    """Move the home's entries aside, the restored ones in, then delete the old ones."""
    old = home / _OLD
    shutil.rmtree(old, ignore_errors=True)
    old.mkdir()
    for p in list(home.iterdir()):
        if p.name not in {"ingest.lock", _STAGING, _OLD}:
            p.rename(old / p.name)
    for p in list(staging.iterdir()):
        p.rename(home / p.name)
    shutil.rmtree(old)
    shutil.rmtree(staging)


def restore_home(settings: Settings, archive: Path, force: bool = False) -> BackupSummary:
    """Restore the home from ``archive``; refuses a home that holds anything unless ``force``.
    A failed restore (bad archive, full disk) leaves the home as it was."""
    archive = archive.resolve()
    if not archive.is_file():
        raise IngestError(f"Không tìm thấy tệp sao lưu (backup file not found): {archive}")
    settings.home.mkdir(parents=True, exist_ok=True)
    with ingest_lock(settings):
        if not force and not _home_is_empty(settings):
            raise IngestError(f"Thư mục {settings.home} đã có dữ liệu; dùng --force để thay bằng bản sao lưu "
                              "(the home is not empty; use --force to replace it with the backup)")
        staging = settings.home / _STAGING
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            with tarfile.open(archive, "r:*") as tar:
                manifest = _read_manifest(tar, archive, settings)
                _stage(tar, archive, manifest, settings, staging)
        except (tarfile.TarError, OSError, EOFError) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise _bad(archive, f"không đọc được ({exc})", "unreadable archive") from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _swap(settings.home, staging)
    return _summary(archive, manifest)
