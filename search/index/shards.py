"""The item table on disk: one file per document, shared by index generations.

Layout::

    index/items/<sha1(document)[:20]>-<sha1(content)[:12]>.json   one document's items
    index/gen-<stamp>/items.json                                  manifest: document → file

Why shared files and a manifest: an update changes the items of a few documents, and the
generation it writes must name every document's items. Hard-linking every file of the
previous generation into the new one (and deleting the old folder) cost one link and one
unlink per document of the corpus on every change; now an update writes the changed
documents' files, a manifest (one line per document, ~70 bytes) and, after the switch to
the new generation, deletes the files only the previous one named. A file's name carries
its content's hash, so a file is never rewritten in place: a reader of the previous
generation, or a crash before the switch, never meets a half-written or changed file
(files written before a crash and named by no manifest are swept by the next full build).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Iterable
from pathlib import Path

from plankg.search.index.delta import link_copy
from plankg.search.index.items import Item, item_document

__all__ = ["MANIFEST", "drop_unused", "read_all", "read_documents", "read_manifest", "write_shards"]

#: The per-generation manifest: document IRI → file name under ``index/items``.
MANIFEST = "items.json"


def _shards(generation: Path) -> Path:
    return generation.parent / "items"


def _name(document: str, text: str) -> str:
    return (hashlib.sha1(document.encode("utf-8")).hexdigest()[:20] + "-"
            + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12] + ".json")


def read_manifest(generation: Path) -> dict[str, str]:
    """The manifest of a generation. A generation written before manifests (its own
    ``items/*.json``) gets one here: its files are linked into the shared folder under
    their new names (once per index, on the first update after the upgrade)."""
    path = generation / MANIFEST
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text("utf-8"))
        return data
    legacy = sorted((generation / "items").glob("*.json"))
    if not legacy:
        raise ValueError(f"{generation} has no item manifest ({MANIFEST})")
    shards = _shards(generation)
    shards.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, str] = {}
    for f in legacy:
        text = f.read_text("utf-8")
        rows = json.loads(text)
        if not rows:
            continue
        doc = item_document(Item.from_dict(rows[0]))
        manifest[doc] = _name(doc, text)
        if not (shards / manifest[doc]).exists():
            link_copy(f, shards / manifest[doc])
    return manifest


def write_shards(generation: Path, groups: dict[str, list[Item]], previous: dict[str, str] | None = None,
                 changed: Collection[str] = ()) -> dict[str, str]:
    """Write the files of ``groups`` (document → its items) that do not exist yet and the
    generation's manifest: the ``previous`` manifest without the ``changed`` documents, plus
    ``groups``. Returns the manifest."""
    shards = _shards(generation)
    shards.mkdir(parents=True, exist_ok=True)
    gone = set(changed)
    manifest = {d: f for d, f in (previous or {}).items() if d not in gone}
    for doc, items in groups.items():
        text = json.dumps([it.to_dict() for it in items], ensure_ascii=False)
        name = _name(doc, text)
        path = shards / name
        if not path.exists():
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(text, "utf-8")
            os.replace(tmp, path)
        manifest[doc] = name
    (generation / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=0, sort_keys=True), "utf-8")
    return manifest


def drop_unused(generation: Path, manifest: dict[str, str], candidates: Iterable[str] | None = None) -> int:
    """After the switch to ``generation``: delete item files its ``manifest`` does not name,
    among ``candidates`` (the previous manifest's files of the changed documents; None: every
    file, a full build's sweep). Returns how many were deleted."""
    shards = _shards(generation)
    used = set(manifest.values())
    names = [p.name for p in shards.iterdir()] if candidates is None else list(candidates)
    dropped = 0
    for name in names:
        if name not in used:
            (shards / name).unlink(missing_ok=True)
            dropped += 1
    return dropped


def _read(path: Path) -> list[Item]:
    return [Item.from_dict(d) for d in json.loads(path.read_text("utf-8"))]


def read_documents(generation: Path, documents: Collection[str],
                   manifest: dict[str, str] | None = None) -> list[Item]:
    """The items of ``documents`` only (those the ``manifest`` names; default: the
    generation's, :func:`read_manifest`)."""
    manifest = read_manifest(generation) if manifest is None else manifest
    out: list[Item] = []
    for doc in documents:
        if doc in manifest:
            out += _read(_shards(generation) / manifest[doc])
    return out


def read_all(generation: Path) -> list[Item]:
    """Every item of a generation, sorted by IRI (the rows' order). A generation written
    before manifests (``gen-*/items/*.json``) is still read."""
    if (generation / MANIFEST).exists():
        files = [_shards(generation) / f for f in sorted(read_manifest(generation).values())]
    else:
        files = sorted((generation / "items").glob("*.json"))
    items = [it for f in files for it in _read(f)]
    items.sort(key=lambda i: i.iri)
    return items
