"""The Oxigraph store flushes its write buffers every ``FLUSH_EVERY_QUADS`` written quads
(#11: RocksDB kept every write in memory until then, ~0.95 KB per quad); the data written
before and after a flush is all there, also after reopening."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from plankg.store.backends import oxigraph


def _graph(n: int, tag: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for i in range(n):
        g.add((rdflib.URIRef(f"https://example.org/{tag}/{i}"), rdflib.RDFS.label, rdflib.Literal(f"nhãn {i}", lang="vi")))
    return g


def test_writes_are_flushed_every_so_many_quads_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph, "FLUSH_EVERY_QUADS", 25)
    flushes: list[int] = []
    monkeypatch.setattr(oxigraph, "_trim_native_heap", lambda: flushes.append(1))
    store = oxigraph.OxigraphStore(tmp_path / "store")
    store.replace_graph("https://example.org/g/a", _graph(20, "a"))
    assert store.written_since_flush == 20 and not flushes
    store.replace_graph("https://example.org/g/b", _graph(10, "b"))  # 30 ≥ 25: flushed
    assert store.written_since_flush == 0 and len(flushes) == 1
    store.patch_graph("https://example.org/g/a", [], list(_graph(30, "c")))
    assert len(flushes) == 2
    assert store.triple_count() == 60
    store.close()
    again = oxigraph.OxigraphStore(tmp_path / "store")
    assert again.triple_count() == 60 and again.triple_count("https://example.org/g/a") == 50
    again.close()
