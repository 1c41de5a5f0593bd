"""The default backend: Oxigraph (RocksDB on disk), chosen by the benchmark in docs/benchmarks.md."""

from __future__ import annotations

import ctypes
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypedDict

import pyoxigraph as ox
import rdflib

from plankg.store.base import (
    DATASET_FORMATS,
    GRAPH_FORMATS,
    CustomFunction,
    GraphStore,
    QueryAnswer,
    QuerySyntaxError,
    StoreError,
    register_backend,
)
from plankg.store.terms import to_oxigraph

_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _QueryOptions(TypedDict, total=False):
    """The keyword arguments of ``pyoxigraph.Store.query`` that :meth:`OxigraphStore.query` sets."""

    use_default_graph_as_union: bool
    default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
    named_graphs: list[ox.NamedNode | ox.BlankNode]
    custom_functions: dict[ox.NamedNode, Callable[..., ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None]]


def _dumped(data: bytes | None) -> bytes:
    """``Store.dump`` returns the bytes when given no output (its stub also covers writing to one)."""
    assert data is not None
    return data


def to_rdflib(term: object) -> rdflib.term.Identifier:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # RDF 1.1 simple literal: print it plainly
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise StoreError(f"unsupported term {term!r}")


to_ox = to_oxigraph  # the one rdflib → pyoxigraph conversion (store/terms.py)

#: Quads written between two flushes of the store's write buffers. Oxigraph (RocksDB) keeps
#: every write in memory until its buffers are flushed, and glibc keeps the freed pages
#: until trimmed: measured (#11, docs/benchmarks.md), 500k quads written left 484 MB of RSS,
#: 41 MB after ``flush()`` and ``malloc_trim``. Flushing every so many quads keeps a long
#: ingest's memory from growing with everything it has written.
FLUSH_EVERY_QUADS = 200_000


#: Quads written per call by :meth:`OxigraphStore.sync_graph` (a batch of pyoxigraph quads is
#: a few MB in Python).
SYNC_BATCH = 20_000


def _trim_native_heap() -> None:
    """Give freed native memory back to the system (glibc ``malloc_trim``; a no-op elsewhere)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


class OxigraphStore(GraphStore):
    name = "oxigraph"

    def __init__(self, path: Path | None, read_only: bool = False) -> None:
        super().__init__(path)
        self.persistent = path is not None
        self.read_only = read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:  # RocksDB lock held by another process
            raise StoreError(f"cannot open the graph store at {path}: {exc}") from exc
        self.written_since_flush = 0
        self._revision = uuid.uuid4().hex  # in memory: a new token per write, as on disk

    # -- revision: a token replaced around every write, so "has the store changed" costs a
    # file read, not a count of every quad (4.35M quads: seconds per index update).
    def _revision_path(self) -> Path | None:
        return None if self.path is None else self.path / "plankg-revision"

    def _bump(self) -> None:
        """A fresh revision token: written before a write (a crash after the write still shows
        a change) and after it (a reader that read the token mid-write sees another one)."""
        self.set_revision(uuid.uuid4().hex)

    def set_revision(self, revision: str) -> None:
        p = self._revision_path()
        if p is None:
            self._revision = revision
            return
        tmp = p.with_name(f"{p.name}.{os.getpid()}.tmp")
        tmp.write_text(revision, "utf-8")
        os.replace(tmp, p)

    def revision(self) -> str:
        p = self._revision_path()
        if p is None:
            return "rev:" + self._revision
        try:
            return "rev:" + p.read_text("utf-8").strip()
        except OSError:  # a store written before revisions were kept
            if self.read_only:
                return super().revision()
            self._bump()
            return "rev:" + p.read_text("utf-8").strip()

    def _wrote(self, quads: int) -> None:
        """Count written quads; past ``FLUSH_EVERY_QUADS`` flush the write buffers and trim."""
        self.written_since_flush += quads
        if self.persistent and self.written_since_flush >= FLUSH_EVERY_QUADS:
            self._store.flush()
            _trim_native_heap()
            self.written_since_flush = 0

    def replace_graph(self, graph_iri: str, graph: rdflib.Graph) -> None:
        self._writable()
        self._bump()
        data = graph.serialize(format="nt", encoding="utf-8")
        target = ox.NamedNode(graph_iri)
        # Each call is its own transaction: a reader between them sees the graph absent for
        # a moment, never half-written (a single SPARQL update was 10x slower).
        self._store.remove_graph(target) if self._store.contains_named_graph(target) else None
        self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
        self._bump()
        self._wrote(len(graph))

    def drop_graph(self, graph_iri: str) -> None:
        self._writable()
        if not self._store.contains_named_graph(ox.NamedNode(graph_iri)):
            return  # nothing changes: the revision stays (an index in step stays so)
        self._bump()
        self._store.update(f"DROP SILENT GRAPH <{graph_iri}>")
        self._bump()

    def discard_graph(self, graph_iri: str) -> None:
        """Its quads removed ``SYNC_BATCH`` at a time (reads see a snapshot), then the empty graph."""
        self._writable()
        g = ox.NamedNode(graph_iri)
        if not self._store.contains_named_graph(g):
            return
        self._bump()
        batch: list[ox.Quad] = []
        for q in self._store.quads_for_pattern(None, None, None, g):
            batch.append(q)
            if len(batch) >= SYNC_BATCH:
                for b in batch:
                    self._store.remove(b)
                self._wrote(len(batch))
                batch = []
        for b in batch:
            self._store.remove(b)
        self._wrote(len(batch))
        self._store.remove_graph(g)
        self._bump()

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("Kho đang mở chỉ đọc (the store is open read-only)")

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, graph_iri: str) -> bool:
        """The graph index's lookup (what :meth:`graph_names` lists, without listing it)."""
        return bool(self._store.contains_named_graph(ox.NamedNode(graph_iri)))

    def get_graph(self, graph_iri: str) -> rdflib.Graph:
        g = rdflib.Graph()
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g

    def quads_about(self, subjects: Iterable[str]) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node,
                                                                   rdflib.term.Node, str]]:
        iri_terms: dict[str, rdflib.URIRef] = {}  # predicates and IRIs repeat: convert each once
        for s in subjects:
            subject = rdflib.URIRef(s)
            for q in self._store.quads_for_pattern(ox.NamedNode(s), None, None, None):
                if isinstance(q.graph_name, ox.NamedNode):
                    p, o = q.predicate.value, q.object
                    pred = iri_terms.get(p) or iri_terms.setdefault(p, rdflib.URIRef(p))
                    obj = (iri_terms.get(o.value) or iri_terms.setdefault(o.value, rdflib.URIRef(o.value))
                           if isinstance(o, ox.NamedNode) else to_rdflib(o))
                    yield subject, pred, obj, q.graph_name.value

    def neighbourhood(self, seeds: Iterable[str], graphs: Iterable[str], *, inverse: Iterable[str] = (),
                      stop: Iterable[str] = (), depth: int = 3) -> GraphStore | None:
        """Index lookups only (by subject; by predicate and object for ``inverse``): the cost
        is the quads copied, never the store's size."""
        gs = [g for g in (ox.NamedNode(x) for x in graphs) if self._store.contains_named_graph(g)]
        stops = {ox.NamedNode(p) for p in stop}
        start = {ox.NamedNode(s) for s in seeds}
        level: set[ox.NamedNode | ox.BlankNode] = set(start)
        for p in inverse:
            pred = ox.NamedNode(p)
            for s in start:
                for g in gs:
                    level.update(q.subject for q in self._store.quads_for_pattern(None, pred, s, g)
                                 if isinstance(q.subject, (ox.NamedNode, ox.BlankNode)))
        seen: set[ox.NamedNode | ox.BlankNode] = set()
        quads: list[ox.Quad] = []
        for step in range(depth + 1):
            follow = step < depth
            nxt: set[ox.NamedNode | ox.BlankNode] = set()
            for subject in level - seen:
                seen.add(subject)
                for g in gs:
                    for q in self._store.quads_for_pattern(subject, None, None, g):
                        quads.append(q)
                        o = q.object
                        if follow and isinstance(o, (ox.NamedNode, ox.BlankNode)) and q.predicate not in stops:
                            nxt.add(o)
            level = nxt
        scratch = OxigraphStore(None)
        scratch._store.extend(quads)
        return scratch

    def statements(self, subject: str, predicate: str | None = None, obj: rdflib.term.Node | None = None,
                   graph: str | None = None) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node, str]]:
        """One ``quads_for_pattern`` with the bound terms: an index range, read lazily."""
        pattern = self._store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate) if predicate else None,
                                                to_ox(obj) if obj is not None else None,
                                                ox.NamedNode(graph) if graph else None)
        pred = rdflib.URIRef(predicate) if predicate else None
        for q in pattern:
            if isinstance(q.graph_name, ox.NamedNode):
                yield (pred or rdflib.URIRef(q.predicate.value)), (obj if obj is not None else to_rdflib(q.object)), \
                    q.graph_name.value

    def pairs_of(self, predicate: str, graphs: Iterable[str]) -> Iterator[tuple[str, str]]:
        pred = ox.NamedNode(predicate)
        for g in (ox.NamedNode(x) for x in graphs):
            for q in self._store.quads_for_pattern(None, pred, None, g):
                s, o = q.subject, q.object
                if not isinstance(s, ox.Triple) and not isinstance(o, ox.Triple):  # no RDF-star here
                    yield s.value, o.value

    def quads_about_in(self, subjects: Iterable[str], graphs: Iterable[str]) -> Iterator[
            tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node, str]]:
        gs = [g for g in (ox.NamedNode(x) for x in graphs) if self._store.contains_named_graph(g)]
        iri_terms: dict[str, rdflib.URIRef] = {}
        for s in subjects:
            subject, node = rdflib.URIRef(s), ox.NamedNode(s)
            for g in gs:
                for q in self._store.quads_for_pattern(node, None, None, g):
                    p, o = q.predicate.value, q.object
                    pred = iri_terms.get(p) or iri_terms.setdefault(p, rdflib.URIRef(p))
                    obj = (iri_terms.get(o.value) or iri_terms.setdefault(o.value, rdflib.URIRef(o.value))
                           if isinstance(o, ox.NamedNode) else to_rdflib(o))
                    yield subject, pred, obj, g.value

    def subjects_of(self, graph_iri: str) -> set[str]:
        return {q.subject.value for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))
                if isinstance(q.subject, ox.NamedNode)}

    def patch_graph(self, graph_iri: str, remove: Iterable[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]],
                    add: Iterable[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]) -> None:
        self._writable()
        remove, add = list(remove), list(add)
        if not remove and not add:
            return  # nothing changes: the revision stays
        self._bump()
        g = ox.NamedNode(graph_iri)
        for s, p, o in remove:
            self._store.remove(ox.Quad(to_ox(s), to_ox(p), to_ox(o), g))  # type: ignore[arg-type]  # subjects and predicates are IRIs here
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in add]  # type: ignore[arg-type]  # as above
        self._store.extend(quads)
        self._bump()
        self._wrote(len(quads))

    def sync_graph(self, graph_iri: str, sources: list[str]) -> None:
        """Streamed, in batches of ``SYNC_BATCH`` quads: each quad of the graph absent from every
        source is removed, each source quad absent from the graph is added (one index lookup
        per quad). Not one SPARQL ``MOVE``/``ADD``: Oxigraph runs an update as one transaction
        held in memory (measured, 600k quads: ``MOVE`` peaked at 2.1 GB and took 160 s, #11).
        Reads see a snapshot, so writing while reading the same graph is safe."""
        self._writable()
        target = ox.NamedNode(graph_iri)
        srcs = [g for g in (ox.NamedNode(x) for x in sources) if self._store.contains_named_graph(g)]
        self._bump()
        batch: list[ox.Quad] = []

        def flush(write: Callable[[list[ox.Quad]], None]) -> None:
            if batch:
                write(batch)
                self._wrote(len(batch))
                batch.clear()

        def remove_all(quads: list[ox.Quad]) -> None:
            for q in quads:
                self._store.remove(q)

        for q in self._store.quads_for_pattern(None, None, None, target):
            if not any(ox.Quad(q.subject, q.predicate, q.object, g) in self._store for g in srcs):
                batch.append(q)
                if len(batch) >= SYNC_BATCH:
                    flush(remove_all)
        flush(remove_all)
        for g in srcs:
            for q in self._store.quads_for_pattern(None, None, None, g):
                quad = ox.Quad(q.subject, q.predicate, q.object, target)
                if quad not in self._store:
                    batch.append(quad)
                    if len(batch) >= SYNC_BATCH:
                        flush(self._store.extend)
            flush(self._store.extend)
        self._bump()

    def _run(self, sparql: str, kwargs: _QueryOptions) -> "ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples":
        """Run a query on the Oxigraph store, its errors as the store layer's own."""
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    def construct(self, sparql: str, *, default_graphs: list[str] | None = None
                  ) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]:
        """Stream a CONSTRUCT answer's triples straight from Oxigraph (no rdflib graph)."""
        kwargs: _QueryOptions = {"use_default_graph_as_union": False}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        res = self._run(sparql, kwargs)
        if not isinstance(res, ox.QueryTriples):
            raise QuerySyntaxError("construct() needs a CONSTRUCT or DESCRIBE query")
        for t in res:
            yield to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default: bool = False,
        custom_functions: dict[str, CustomFunction] | None = None,
    ) -> QueryAnswer:
        kwargs: _QueryOptions = {"use_default_graph_as_union": union_default and not default_graphs}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if custom_functions:
            kwargs["custom_functions"] = {ox.NamedNode(k): v for k, v in custom_functions.items()}
        res = self._run(sparql, kwargs)
        if isinstance(res, ox.QueryBoolean):
            return QueryAnswer(kind="ask", boolean=bool(res))
        if isinstance(res, ox.QueryTriples):
            g = rdflib.Graph()
            for t in res:
                g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
            return QueryAnswer(kind="graph", graph=g)
        variables = [v.value for v in res.variables]
        rows = []
        for sol in res:
            row = {}
            for v in variables:
                val = sol[v]
                if val is not None:
                    row[v] = to_rdflib(val)
            rows.append(row)
        return QueryAnswer(kind="select", variables=variables, rows=rows)

    def triple_count(self, graph_iri: str | None = None) -> int:
        if graph_iri is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))

    def dump(self, fmt: str, graph_iri: str | None = None) -> bytes:
        if fmt in DATASET_FORMATS and graph_iri is None:
            return _dumped(self._store.dump(format=_OX_FORMATS[fmt]))
        if fmt == "jsonld":
            return self.get_graph(graph_iri).serialize(format="json-ld", encoding="utf-8") if graph_iri else b""
        if fmt not in GRAPH_FORMATS:
            raise StoreError(f"unknown dump format {fmt!r}")
        return _dumped(self._store.dump(format=_OX_FORMATS[fmt], from_graph=ox.NamedNode(graph_iri))) if graph_iri else b""

    def close(self) -> None:
        if getattr(self, "_store", None) is not None and self.persistent and not self.read_only:
            try:
                self._store.flush()
            except (OSError, RuntimeError):
                pass
        self._store = None  # type: ignore[assignment]  # a closed store drops its handle; it is never used again


register_backend("oxigraph", lambda path, ro: OxigraphStore(path, ro))
