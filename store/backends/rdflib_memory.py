"""rdflib's in-memory Dataset as a backend: the baseline of the store benchmark.

Persistence is a N-Quads file written on close, which is what rdflib's memory store
offers; it is kept so the benchmark compares like with like (load, query, persist).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import rdflib
from rdflib.plugins.sparql.processor import prepareQuery  # noqa: F401  (warms the parser)

from plankg.store.answers import graph_format_name
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


class RdflibMemoryStore(GraphStore):
    name = "rdflib-memory"

    def __init__(self, path: Path | None, read_only: bool = False) -> None:
        super().__init__(path)
        self.persistent = path is not None
        self.read_only = read_only
        self._ds = rdflib.Dataset()
        if path is not None and not read_only:
            path.mkdir(parents=True, exist_ok=True)
        if path is not None and self._file().exists():
            self._ds.parse(self._file(), format="nquads")

    def _file(self) -> Path:
        assert self.path is not None
        return self.path / "dataset.nq"

    def replace_graph(self, graph_iri: str, graph: rdflib.Graph) -> None:
        triples = list(graph)  # materialise first: a failing source leaves the old graph intact
        self.drop_graph(graph_iri)
        target = self._ds.graph(rdflib.URIRef(graph_iri))
        for t in triples:
            target.add(t)

    def drop_graph(self, graph_iri: str) -> None:
        self._ds.remove_graph(rdflib.URIRef(graph_iri))

    def graph_names(self) -> list[str]:
        return sorted(str(g.identifier) for g in self._ds.graphs() if isinstance(g.identifier, rdflib.URIRef) and str(g.identifier) != str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID) and len(g))

    def quads_about(self, subjects: Iterable[str]) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node,
                                                                   rdflib.term.Node, str]]:
        for subject in subjects:
            for s, p, o, g in self._ds.quads((rdflib.URIRef(subject), None, None, None)):
                name = g.identifier if isinstance(g, rdflib.Graph) else g
                if isinstance(name, rdflib.URIRef) and str(name) != str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID):
                    yield s, p, o, str(name)

    def patch_graph(self, graph_iri: str, remove: Iterable[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]],
                    add: Iterable[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]) -> None:
        target = self._ds.graph(rdflib.URIRef(graph_iri))
        for t in remove:
            target.remove(t)
        for t in add:
            target.add(t)

    def get_graph(self, graph_iri: str) -> rdflib.Graph:
        out = rdflib.Graph()
        for t in self._ds.graph(rdflib.URIRef(graph_iri)):
            out.add(t)
        return out

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default: bool = False,
        custom_functions: dict[str, CustomFunction] | None = None,
    ) -> QueryAnswer:
        if default_graphs:
            target: rdflib.Graph = rdflib.ConjunctiveGraph()
            for g in default_graphs:
                for t in self._ds.graph(rdflib.URIRef(g)):
                    target.add(t)
        else:
            self._ds.default_union = union_default
            target = self._ds
        try:
            res = target.query(sparql)
        except Exception as exc:  # pyparsing raises its own ParseException
            if type(exc).__name__ == "ParseException":
                raise QuerySyntaxError(str(exc)) from exc
            raise StoreError(str(exc)) from exc
        if res.type == "ASK":
            return QueryAnswer(kind="ask", boolean=bool(res.askAnswer))
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            out = rdflib.Graph()
            for t in res.graph:  # type: ignore[union-attr]
                out.add(t)
            return QueryAnswer(kind="graph", graph=out)
        variables = [str(v) for v in res.vars or []]
        rows = [{str(k): v for k, v in b.items()} for b in res.bindings]
        return QueryAnswer(kind="select", variables=variables, rows=rows)

    def triple_count(self, graph_iri: str | None = None) -> int:
        if graph_iri is None:
            return sum(1 for _ in self._ds.quads((None, None, None, None)))
        return len(self._ds.graph(rdflib.URIRef(graph_iri)))

    def dump(self, fmt: str, graph_iri: str | None = None) -> bytes:
        if fmt in DATASET_FORMATS and graph_iri is None:
            return self._ds.serialize(format=graph_format_name(fmt), encoding="utf-8")
        if fmt not in GRAPH_FORMATS or graph_iri is None:
            raise StoreError(f"unknown dump format {fmt!r}")
        return self.get_graph(graph_iri).serialize(format=graph_format_name(fmt), encoding="utf-8")

    def close(self) -> None:
        if self.persistent and not self.read_only:
            assert self.path is not None
            self.path.mkdir(parents=True, exist_ok=True)
            self._ds.serialize(self._file(), format="nquads")


register_backend("rdflib-memory", lambda path, ro: RdflibMemoryStore(path, ro))
