"""A plankg server on loopback for the notebooks in this folder.

Dùng trong notebook / use from a notebook (the notebook's folder is the working directory)::

    from _support import start_server
    server = start_server()        # http://127.0.0.1:<free port>, over the seed corpus
    server.sparql                  # .../sparql
    server.local(iri)              # the URL of a data IRI on this server
    server.stop()                  # also done at exit

Where the server comes from, in order:

1. ``PLANKG_URL`` set: a server that is already running there is used, nothing is started.
2. ``PLANKG_HOME`` set **and** ``PLANKG_NOTEBOOK_READY=1``: that home is served as it is
   (already ingested and indexed; ``tests/test_notebooks.py`` prepares one for all notebooks).
3. Otherwise the seeds (``PLANKG_SEEDS``, else ``../../shared/seeds`` from this folder, i.e. the
   repository's sibling ``shared/seeds``) are ingested and indexed into a home of our own,
   ``PLANKG_NOTEBOOK_HOME`` or ``<temp dir>/plankg-notebooks-<hash of the seeds path>``. It is
   kept between runs: the first run takes one to two minutes (embedding the seeds for search),
   later runs find everything unchanged in a second or two. A ``PLANKG_HOME`` without the flag
   is ignored, so your own store never receives the seeds.

The server is ``uvicorn`` with ``plankg.api.server:create_app`` in a child process, on a port the
parent binds (``127.0.0.1:0``) and hands over, so there is no race for the port. The child stops
when the notebook calls ``stop()``, when the kernel exits (``atexit``) and, should the kernel be
killed, by itself when its parent process disappears. Ingest and indexing run in a child process
too, so the kernel never loads the embedding model.

Run as a script: ``python _support.py prepare HOME SEEDS`` and ``python _support.py serve FD PARENT_PID``
(used by the functions below).
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_BASE_IRI = "https://plankg.example.org/"
READY_FLAG = "PLANKG_NOTEBOOK_READY"

__all__ = ["REPO", "PlankgServer", "find_seeds", "prepare_home", "start_server"]


@dataclass
class PlankgServer:
    """A running plankg service: ``url`` (no trailing slash), ``base_iri`` of its data."""

    url: str
    base_iri: str
    home: Path | None = None
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    _stopped: bool = field(default=False, repr=False)

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def local(self, iri: str) -> str:
        """The URL that dereferences ``iri`` on this server (the base IRI replaced by the server's origin)."""
        if not iri.startswith(self.base_iri):
            raise ValueError(f"{iri} is not under the base IRI {self.base_iri}")
        return self.url + "/" + iri[len(self.base_iri):]

    def stop(self) -> None:
        """Stop the child process (nothing to do for a server found through ``PLANKG_URL``)."""
        global _SERVER
        if self.process is not None and not self._stopped:
            self._stopped = True
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)  # uvicorn shuts down, closing its query workers
                try:
                    self.process.wait(15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(5)
            if self.log_path is not None:  # a log survives only a failed start
                self.log_path.unlink(missing_ok=True)
        if _SERVER is self:
            _SERVER = None

    def __repr__(self) -> str:  # what a notebook shows
        where = f", home={self.home}" if self.home else ""
        return f"PlankgServer(url={self.url!r}, base_iri={self.base_iri!r}{where})"


_SERVER: PlankgServer | None = None


# --------------------------------------------------------------------------- locating things

def find_seeds() -> Path:
    """``PLANKG_SEEDS``, else the repository's sibling ``shared/seeds``."""
    seeds = Path(os.environ.get("PLANKG_SEEDS") or HERE.parent.parent / "shared" / "seeds").expanduser().resolve()
    if not seeds.is_dir():
        raise FileNotFoundError(f"Không tìm thấy thư mục văn bản mẫu (seed corpus not found): {seeds}; "
                                "set PLANKG_SEEDS")
    return seeds


def _own_home(seeds: Path) -> Path:
    if os.environ.get("PLANKG_NOTEBOOK_HOME"):
        return Path(os.environ["PLANKG_NOTEBOOK_HOME"]).expanduser().resolve()
    digest = hashlib.sha1(str(seeds).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"plankg-notebooks-{digest}"


def _child_env(home: Path, own: bool) -> dict[str, str]:
    env = dict(os.environ, PLANKG_HOME=str(home))
    if own:  # a home of our own always has the default base IRI and backend, whatever the shell says
        env.update(PLANKG_BASE_IRI=DEFAULT_BASE_IRI, PLANKG_STORE="oxigraph")
    env.pop("PLANKG_URL", None)
    return env


# --------------------------------------------------------------------------- preparing a home

def prepare_home(home: Path, seeds: Path, *, quiet: bool = False) -> None:
    """Ingest ``seeds`` into ``home`` and bring its search index up to date, in a child process.

    Idempotent and cheap when nothing changed; a lock file keeps two notebooks from writing at once."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".notebooks.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        t0 = time.time()
        if not quiet:
            print(f"Nạp văn bản mẫu và xây chỉ mục (ingest the seeds, build the search index) → {home} …", flush=True)
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "prepare", str(home), str(seeds)],
                              env=_child_env(home, own=True), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"Nạp dữ liệu thất bại (preparing {home} failed):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        if not quiet:
            print(done.stdout.strip(), f"({time.time() - t0:.0f} s)", flush=True)


def _prepare_main(home: str, seeds: str) -> None:
    from plankg.config import load_settings
    from plankg.ingest.pipeline import Workspace
    from plankg.search.index.builder import IndexModelMismatch, build_index
    from plankg.store.open import open_store

    settings = load_settings()
    assert settings.home == Path(home).resolve(), (settings.home, home)
    with open_store(settings) as store:
        report = Workspace(settings, store).ingest([seeds])
        if report.failed:
            for f in report.failed:
                print(f"failed: {f.name}: {f.error}", file=sys.stderr)
            sys.exit(1)
        try:
            info = build_index(settings, store)
        except IndexModelMismatch:  # another PLANKG_EMBEDDER than last time: rebuild (embeddings are cached per model)
            info = build_index(settings, store, rebuild=True)
    statuses: dict[str, int] = {}
    for f in report.files:
        statuses[f.status] = statuses.get(f.status, 0) + 1
    print(f"{len(report.files)} files {statuses}; index: {info.get('counts')} ({info.get('embedder')})")


# --------------------------------------------------------------------------- serving

def _get_json(url: str, timeout: float = 5) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.loads(resp.read())


def _serve_main(fd: int, parent: int) -> None:
    import uvicorn

    from plankg.api.server import create_app

    def watchdog() -> None:  # the kernel was killed: do not outlive it
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watchdog, daemon=True).start()
    sock = socket.socket(fileno=fd)
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    server.run(sockets=[sock])


def _spawn(home: Path, own: bool, timeout: float) -> PlankgServer:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    port = sock.getsockname()[1]
    log = Path(tempfile.mkstemp(prefix=f"plankg-server-{port}-", suffix=".log")[1])
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "serve", str(sock.fileno()), str(os.getpid())],
            env=_child_env(home, own), stdout=out, stderr=subprocess.STDOUT, pass_fds=[sock.fileno()],
            cwd=str(home), start_new_session=True)  # a kernel interrupt (SIGINT to its group) leaves it running
    sock.close()  # the child has its own copy
    url = f"http://127.0.0.1:{port}"
    server = PlankgServer(url=url, base_iri=DEFAULT_BASE_IRI, home=home, process=proc, log_path=log)
    atexit.register(server.stop)
    deadline = time.time() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"Máy chủ plankg dừng khi khởi động (the server exited with {proc.returncode}):\n"
                               + log.read_text("utf-8", "replace")[-4000:])
        try:
            if _get_json(url + "/health", timeout=2).get("status") == "ok":
                break
        except (OSError, ValueError):
            pass
        if time.time() > deadline:
            server.log_path = None  # keep the log for the message below
            server.stop()
            raise TimeoutError(f"/health did not answer within {timeout:.0f} s; log: {log}")
        time.sleep(0.2)
    server.base_iri = _get_json(url + "/api/stats", timeout=30)["base_iri"]
    return server


def start_server(timeout: float = 120) -> PlankgServer:
    """The server the notebooks talk to (see the module docstring); started once per kernel."""
    global _SERVER
    if _SERVER is not None and (_SERVER.process is None or _SERVER.process.poll() is None):
        return _SERVER
    if os.environ.get("PLANKG_URL"):
        url = os.environ["PLANKG_URL"].rstrip("/")
        _SERVER = PlankgServer(url=url, base_iri=_get_json(url + "/api/stats", timeout=30)["base_iri"])
        return _SERVER
    if os.environ.get("PLANKG_HOME") and os.environ.get(READY_FLAG) == "1":
        home, own = Path(os.environ["PLANKG_HOME"]).expanduser().resolve(), False
    else:
        seeds = find_seeds()
        home, own = _own_home(seeds), True
        prepare_home(home, seeds)
    _SERVER = _spawn(home, own, timeout)
    return _SERVER


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "prepare":
        _prepare_main(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "serve":
        _serve_main(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(f"usage: {sys.argv[0]} prepare HOME SEEDS | serve FD PARENT_PID")
