"""Full downloads of the graph, written once per store version and served as files.

Why files: a dump of every graph is the largest thing the service sends; writing it once
per store version (under ``PLANKG_HOME/cache/dumps``) lets every later download be a plain
file response with ETag, Last-Modified and Range support, and keeps memory flat. Gzipped
dumps are written with ``mtime=0`` so the same store gives byte-identical files.
"""

from __future__ import annotations

import gzip
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from plankg.api.http.html_pages import page
from plankg.api.http.rdf_out import serialize_graph
from plankg.api.http.snapshot import StoreSnapshot
from plankg.config import Settings
from plankg.store import iris
from plankg.store.base import GraphStore


@dataclass(frozen=True)
class Dump:
    name: str
    media_type: str  # of the content, before compression
    compressed: bool
    title: str
    merged_only: bool


DUMPS = {d.name: d for d in (
    Dump("plankg.trig.gz", "application/trig", True, "Mọi đồ thị có tên, kèm nguồn gốc (all named graphs with provenance), TriG", False),
    Dump("plankg.nq.gz", "application/n-quads", True, "Mọi đồ thị có tên, kèm nguồn gốc (all named graphs with provenance), N-Quads", False),
    Dump("plankg-merged.ttl", "text/turtle", False, "Khung nhìn hợp nhất (merged view), Turtle", True),
    Dump("plankg-merged.jsonld", "application/ld+json", False, "Khung nhìn hợp nhất (merged view), JSON-LD", True),
)}


class DumpCache:
    """Files named ``{store version}-{name}``; older versions are deleted when a new one is written."""

    def __init__(self, settings: Settings, snapshot: StoreSnapshot) -> None:
        self.settings = settings
        self.snapshot = snapshot
        self.dir = settings.home / "cache" / "dumps"
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _dir(self) -> Path:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            return self.dir
        except OSError:  # a read-only PLANKG_HOME: fall back to the temp folder
            d = Path(tempfile.gettempdir()) / "plankg-dumps"
            d.mkdir(exist_ok=True)
            return d

    def file(self, name: str, produce: Callable[[GraphStore], bytes]) -> Path:
        store = self.snapshot.get()
        version = self.snapshot.version
        folder = self._dir()
        path = folder / f"{version}-{name}"
        if path.exists():
            return path
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if path.exists():
                return path
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_bytes(produce(store))
            tmp.replace(path)
            for old in folder.glob(f"*-{name}"):
                if old != path:
                    old.unlink(missing_ok=True)
        return path

    def dump(self, name: str) -> Path:
        d = DUMPS[name]
        merged = iris.merged_graph_iri(self.settings.base_iri)

        def produce(store: GraphStore) -> bytes:
            if d.name.endswith(".jsonld"):
                data = serialize_graph(store.get_graph(merged), "jsonld")
            elif d.merged_only:
                data = store.dump("turtle", merged)
            else:
                data = store.dump("trig" if ".trig" in d.name else "nquads")
            return gzip.compress(data, compresslevel=6, mtime=0) if d.compressed else data

        return self.file(name, produce)


async def get_dumps(request: Request) -> DumpCache:
    """The application's :class:`DumpCache` (``app.state.dumps``, set by ``create_app``)."""
    dumps: DumpCache = request.app.state.dumps
    return dumps


router = APIRouter(tags=["dumps"])


@router.get("/dumps", response_class=HTMLResponse, summary="Danh sách tệp tải về (list of dumps)")
@router.get("/dumps/", response_class=HTMLResponse, include_in_schema=False)
def index() -> HTMLResponse:
    items = "".join(f'<li><a href="/dumps/{d.name}">{d.name}</a> — {d.title}</li>' for d in DUMPS.values())
    return HTMLResponse(page("Tải về toàn bộ dữ liệu (full dumps)",
                             f"<h1>Tải về toàn bộ dữ liệu (full dumps)</h1><ul>{items}</ul>"
                             '<p>Mô tả bộ dữ liệu (dataset description): <a href="/.well-known/void">VoID / DCAT</a></p>'))


@router.get("/dumps/{name}", summary="Tải về một tệp (one dump file)",
            responses={200: {"content": {"application/gzip": {}, "text/turtle": {}, "application/ld+json": {}}}, 404: {}})
def dump(name: str, request: Request, cache: DumpCache = Depends(get_dumps)) -> FileResponse:
    if name not in DUMPS:
        raise HTTPException(404, f"Không có tệp {name} (no such dump); có (available): {', '.join(DUMPS)}")
    d = DUMPS[name]
    path = cache.dump(name)
    media = "application/gzip" if d.compressed else f"{d.media_type}; charset=utf-8"
    return FileResponse(path, media_type=media, filename=name)
