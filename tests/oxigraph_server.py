"""A real Oxigraph server (``oxigraph serve``, from the ``oxigraph`` PyPI package) on a free
loopback port, for the remote store tests (store/backends/remote_sparql.py).

Tests that need it skip with the reason when the binary is missing (install the ``test``
extra: ``pip install -e .[test]``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from plankg.config import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    def __init__(self, location: Path) -> None:
        binary = shutil.which("oxigraph")
        if binary is None:
            pytest.skip("the `oxigraph` server binary is missing (pip install oxigraph, in the test extra)")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
                                      "--timeout-s", "120"],  # the server stops a query the client gave up on
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(self.base + "/query", params={"query": "ASK {}"}, timeout=1)
                return
            except httpx.HTTPError as exc:
                if self.proc.poll() is not None:
                    err = self.proc.stderr.read() if self.proc.stderr else b""
                    raise RuntimeError(f"oxigraph serve exited: {err!r}") from exc
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph serve did not answer within 30 s")

    def env(self) -> dict[str, str]:
        """The PLANKG_* settings that point plankg at this server."""
        return {"PLANKG_STORE": "remote-sparql", "PLANKG_STORE_QUERY_URL": self.base + "/query",
                "PLANKG_STORE_UPDATE_URL": self.base + "/update", "PLANKG_STORE_GSP_URL": self.base + "/store"}

    def settings(self, **extra: object) -> Settings:
        return Settings(store_backend="remote-sparql", store_query_url=self.base + "/query",  # type: ignore[call-arg]
                        store_update_url=self.base + "/update", store_gsp_url=self.base + "/store", **extra)

    def clear(self) -> None:
        httpx.post(self.base + "/update", data={"update": "DROP SILENT ALL"}, timeout=30).raise_for_status()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


class ExternalServer(OxigraphServer):
    """A server someone else started (scripts/virtuoso_tests.sh), named by PLANKG_TEST_STORE_* variables:
    QUERY_URL, UPDATE_URL, GSP_URL (optional), USER, PASSWORD. Only plankg's graphs are cleared."""

    def __init__(self, env: dict[str, str]) -> None:
        self.vars = {k[len("PLANKG_TEST_STORE_"):].lower(): v for k, v in env.items() if k.startswith("PLANKG_TEST_STORE_")}
        self.base = self.vars["query_url"]
        self.proc = None  # type: ignore[assignment]

    def env(self) -> dict[str, str]:
        return {"PLANKG_STORE": "remote-sparql", **{f"PLANKG_STORE_{k.upper()}": v for k, v in self.vars.items()}}

    def settings(self, **extra: object) -> Settings:
        return Settings(store_backend="remote-sparql", **{f"store_{k}": v for k, v in self.vars.items()}, **extra)  # type: ignore[arg-type]

    def clear(self) -> None:
        from plankg.store.backends.remote_sparql import RemoteSparqlStore

        with RemoteSparqlStore(self.settings()) as store:
            store.clear()  # type: ignore[attr-defined]

    def stop(self) -> None:
        pass


@contextmanager
def running_server(location: Path) -> Iterator[OxigraphServer]:
    import os

    server = ExternalServer(dict(os.environ)) if os.environ.get("PLANKG_TEST_STORE_QUERY_URL") else OxigraphServer(location)
    try:
        yield server
    finally:
        server.stop()
