"""The one interface the rest of plankg uses to reach the graph store.

Like rdflib's store plugins, each backend is registered by name and chosen by
configuration (``PLANKG_STORE``); callers never import a backend module directly.
Data is exchanged as rdflib graphs (what ingest builds and pyshacl validates) and
query answers as :class:`QueryAnswer`, which knows how to serialise itself in every
SPARQL result format the CLI and API offer.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import rdflib

from plankg.config import Settings
from plankg.store.answers import (  # re-exported: the interface's vocabulary
    DATASET_FORMATS,
    GRAPH_FORMATS,
    RESULT_FORMATS,
    AnswerKind,
    QueryAnswer,
)
from plankg.store.errors import QuerySyntaxError, StoreError

__all__ = [
    "DATASET_FORMATS", "GRAPH_FORMATS", "RESULT_FORMATS", "AnswerKind", "QueryAnswer", "QuerySyntaxError", "StoreError",
    "CustomFunction", "GraphStore", "register_backend", "register_configured_backend", "backend_names", "open_backend",
]

CustomFunction = Callable[..., Any]


class GraphStore(ABC):
    """A quad store holding one named graph per source file plus derived graphs."""

    name: str = "abstract"
    persistent: bool = False

    def __init__(self, path: Path | None) -> None:
        self.path = path

    # -- writing ---------------------------------------------------------------
    @abstractmethod
    def replace_graph(self, graph_iri: str, graph: rdflib.Graph) -> None:
        """Atomically make ``graph_iri`` hold exactly ``graph``'s triples."""

    @abstractmethod
    def drop_graph(self, graph_iri: str) -> None:
        """Remove a named graph; missing graphs are not an error."""

    def discard_graph(self, graph_iri: str) -> None:
        """Remove a scratch graph no reader reads, not necessarily atomically. Why: a backend
        may drop a graph in one transaction held in memory (Oxigraph: +130 MB for a 100k-quad
        graph, #11); a graph nobody reads can go in small batches. Default: :meth:`drop_graph`."""
        self.drop_graph(graph_iri)

    # -- reading ---------------------------------------------------------------
    @abstractmethod
    def graph_names(self) -> list[str]:
        ...

    def has_graph(self, graph_iri: str) -> bool:
        """Whether ``graph_iri`` is one of :meth:`graph_names`. Why: listing the names costs
        every graph of the store (one per source); a check of one graph need not. Default:
        the list; backends override it with a lookup."""
        return graph_iri in self.graph_names()

    @abstractmethod
    def get_graph(self, graph_iri: str) -> rdflib.Graph:
        ...

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default: bool = False,
        custom_functions: dict[str, CustomFunction] | None = None,
    ) -> QueryAnswer:
        """Run a read-only query; raise QuerySyntaxError on a parse error."""

    @abstractmethod
    def triple_count(self, graph_iri: str | None = None) -> int:
        """Quads in one graph, or in the whole store when ``graph_iri`` is None."""

    @abstractmethod
    def dump(self, fmt: str, graph_iri: str | None = None) -> bytes:
        """A dataset format (trig, nquads) for the whole store, or a graph format for one graph."""

    # -- partial reads and writes (incremental builds) ------------------------
    def quads_about(self, subjects: Iterable[str]) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node,
                                                                   rdflib.term.Node, str]]:
        """``(s, p, o, graph)`` of every triple of a named graph whose subject is one of
        ``subjects`` (IRIs). Why: an incremental build recomputes the merged view of the
        subjects a change touched, reading only their triples. This default reads every
        graph; backends override it with an index lookup."""
        wanted = {rdflib.URIRef(s) for s in subjects}
        for name in self.graph_names():
            for s, p, o in self.get_graph(name):
                if s in wanted:
                    yield s, p, o, name

    def statements(self, subject: str, predicate: str | None = None, obj: rdflib.term.Node | None = None,
                   graph: str | None = None) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node, str]]:
        """``(predicate, object, graph)`` of the named-graph triples about ``subject`` that match
        the terms given (``None``: any), lazily. Why: the merged view of a subject thousands of
        sources state (a shared agency, a document every plan cites) is patched by delta: whether
        a value is still stated, and by which graph, is one lookup on the bound terms that the
        caller stops reading at the first graph that answers. This default filters
        :meth:`quads_about`; backends override it with an index lookup."""
        for _s, p, o, g in self.quads_about([subject]):
            if (predicate is None or str(p) == predicate) and (obj is None or o == obj) \
                    and (graph is None or g == graph):
                yield p, o, g

    def pairs_of(self, predicate: str, graphs: Iterable[str]) -> Iterator[tuple[str, str]]:
        """``(subject, object)`` of every ``predicate`` triple in ``graphs``, as strings (one row
        per graph stating it). Why: a corpus-wide table of one property (every ``eli:cites``)
        costs a row conversion per triple through :meth:`query`; backends override this
        with an index scan that makes no terms. Default: a query."""
        rows = self.query(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}", default_graphs=list(graphs)).records()
        for r in rows:
            yield str(r["s"]), str(r["o"])

    def quads_about_in(self, subjects: Iterable[str], graphs: Iterable[str]) -> Iterator[
            tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node, str]]:
        """:meth:`quads_about`, of ``graphs`` only. Why: a subject many sources mention (a
        document every plan cites, a shared agency) has a few triples in the derived graphs
        but thousands across the per-source graphs; backends override this with a lookup
        per graph, so reading it costs the graphs asked for. Default: filter."""
        wanted = set(graphs)
        for quad in self.quads_about(subjects):
            if quad[3] in wanted:
                yield quad

    def neighbourhood(self, seeds: Iterable[str], graphs: Iterable[str], *, inverse: Iterable[str] = (),
                      stop: Iterable[str] = (), depth: int = 3) -> "GraphStore | None":
        """A small in-memory store holding the quads of ``graphs`` (under their own names)
        about ``seeds``, the subjects linking to a seed by an ``inverse`` predicate, and the
        objects of every subject read, ``depth`` steps out, not through a ``stop`` predicate.
        Why: a read scoped to a few documents should cost those documents; Oxigraph joins
        each pattern of a query over the whole store (a ``VALUES`` clause or a sub-select
        does not drive an index lookup), so the same queries run on this copy instead. None:
        the backend cannot look quads up by subject cheaply (read the store itself)."""
        return None

    def construct(self, sparql: str, *, default_graphs: list[str] | None = None
                  ) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]:
        """The triples a CONSTRUCT query builds, one at a time (a triple may come more than
        once). Why: a whole-corpus rule (``inference.materialise``) builds hundreds of
        thousands of triples, and an answer held as an rdflib graph costs ~3 KB a triple
        (#11 item 3). This default reads the answer graph; backends override it to stream."""
        answer = self.query(sparql, default_graphs=default_graphs)
        if answer.graph is not None:
            yield from answer.graph

    def subjects_of(self, graph_iri: str) -> set[str]:
        """The subject IRIs of one graph."""
        return {str(s) for s in self.get_graph(graph_iri).subjects() if isinstance(s, rdflib.URIRef)}

    def patch_graph(self, graph_iri: str, remove: Iterable[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]],
                    add: Iterable[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]) -> None:
        """Remove then add triples in one graph, without rewriting the rest of it (the merged
        view of a large corpus is far larger than one change). Default: read, edit, replace."""
        g = self.get_graph(graph_iri)
        for t in remove:
            g.remove(t)
        for t in add:
            g.add(t)
        self.replace_graph(graph_iri, g)

    def sync_graph(self, graph_iri: str, sources: list[str]) -> None:
        """Make ``graph_iri`` hold exactly the union of the ``sources`` graphs, removing and
        adding only the difference. Why: a recompute (``inference.materialise``) builds its
        result in scratch graphs of the store; writing only what changed keeps the old graph
        readable meanwhile, and a store-side copy keeps the result out of Python (#11). Default:
        read the graphs and :meth:`patch_graph`; backends override it with a streamed copy."""
        union = rdflib.Graph()
        for name in sources:
            for t in self.get_graph(name):
                union.add(t)
        old = self.get_graph(graph_iri)
        if any(isinstance(n, rdflib.BNode) for g in (union, old) for t in g for n in t):
            # A blank node written to a remote store gets a new label there, and SPARQL cannot
            # delete by one: no difference holds across the write, so the graph is written whole.
            self.replace_graph(graph_iri, union)
            return
        self.patch_graph(graph_iri, [t for t in old if t not in union], [t for t in union if t not in old])

    # -- change detection --------------------------------------------------------
    def revision(self) -> str:
        """A value that changes whenever the store's content changes (the search index's
        store fingerprint, ``plankg check``). Default: the quad count, which counts every
        quad (linear in the store: seconds at millions of quads); a backend that can tell
        a change more cheaply overrides it."""
        return f"quads:{self.triple_count()}"

    def set_revision(self, revision: str) -> None:
        """Declare the content equal to that of the store ``revision`` was read from (a
        restore writes the backed-up graphs, then this). Default: nothing to set."""

    # -- metadata --------------------------------------------------------------
    def meta_path(self) -> Path | None:
        return None if self.path is None else self.path / "plankg-store.json"

    def read_meta(self) -> dict[str, Any]:
        p = self.meta_path()
        if p is None:
            return getattr(self, "_meta", {})
        return json.loads(p.read_text("utf-8")) if p.exists() else {}

    def write_meta(self, meta: dict[str, Any]) -> None:
        p = self.meta_path()
        if p is None:
            self._meta = dict(meta)
            return
        tmp = p.with_suffix(".tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
        tmp.replace(p)

    def close(self) -> None:
        """Release locks and flush; safe to call twice."""

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_BACKENDS: dict[str, Callable[[Path | None, bool], GraphStore]] = {}
#: backends that need the settings (a server's URL and credentials), not a folder
_CONFIGURED: dict[str, Callable[[Settings, bool], GraphStore]] = {}


def register_backend(name: str, factory: Callable[[Path | None, bool], GraphStore]) -> None:
    _BACKENDS[name] = factory


def register_configured_backend(name: str, factory: Callable[[Settings, bool], GraphStore]) -> None:
    """A backend built from the settings (``factory(settings, read_only)``), e.g. a SPARQL server."""
    _CONFIGURED[name] = factory


def backend_names() -> list[str]:
    return sorted([*_BACKENDS, *_CONFIGURED])


def open_backend(name: str, path: Path | None, read_only: bool = False, settings: Settings | None = None) -> GraphStore:
    if name in _CONFIGURED:
        if settings is None:
            raise StoreError(f"store backend {name!r} needs the settings (its server URL)")
        return _CONFIGURED[name](settings, read_only)
    if name not in _BACKENDS:
        raise StoreError(f"unknown store backend {name!r}; known: {', '.join(backend_names())}")
    return _BACKENDS[name](path, read_only)


