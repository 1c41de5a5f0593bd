"""Running one endpoint query against a read-only snapshot: dataset, caps, formats, errors.

This is what a query worker process does with each request (``query_worker``); it is a
separate module so it can also run inline (``PLANKG_QUERY_WORKERS=0``) and be tested
without processes. For the Oxigraph backend it reads pyoxigraph results as a stream and
writes them with ``result_writers`` (row cap before materialisation); for other backends
it falls back to ``run_query`` and ``QueryAnswer.serialize``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from plankg.api.http.negotiation import content_type
from plankg.api.http.snapshot import StoreSnapshot
from plankg.config import Settings
from plankg.store import extensions
from plankg.store.base import QuerySyntaxError, StoreError
from plankg.store.read.queries import default_graphs
from plankg.store.result_writers import TooManyResults, write_boolean, write_query_solutions, write_triples


@dataclass
class QueryRequest:
    """What the endpoint hands a worker (plain data: it crosses a process boundary)."""

    query: str
    kind: str  # select | ask | graph
    fmt: str  # short format name, already negotiated
    default_graphs: list[str] | None = None  # protocol default-graph-uri (None: absent)
    named_graphs: list[str] | None = None  # protocol named-graph-uri (None: absent)
    query_has_dataset: bool = False  # FROM / FROM NAMED in the query text
    infer: bool = True  # the inferred graph in the default dataset (``infer=false`` leaves it out)
    max_rows: int = 50_000


@dataclass
class QueryResponse:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    timings: dict[str, float] = field(default_factory=dict)
    retry_after: int = 0  # seconds, for 429/503 answers (Retry-After)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def error(status: int, message: str) -> QueryResponse:
    return QueryResponse(status, message.encode("utf-8"))


class Engine:
    """One read-only snapshot of the store (reopened per store version) plus the extension functions."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.snapshot = StoreSnapshot(settings)
        self._functions: tuple[str, dict[str, Any]] | None = None

    def warm(self) -> None:
        try:
            self.snapshot.get()
        except StoreError:
            pass

    def functions(self, query: str) -> dict[str, Any]:
        """Extension functions, built on the first query that names their namespace.

        Building one may load an index (search scoring); queries that do not use it never pay."""
        if not any(_namespace(iri) in query for iri in extensions.registered()):
            return {}
        version = self.snapshot.version  # rebuilt after an ingest (a search index may have changed)
        if self._functions is None or self._functions[0] != version:
            self._functions = (version, extensions.build_functions(self.settings))
        return self._functions[1]

    def _missing_index(self, query: str) -> str | None:
        """The search index's missing message when the query scores with ``pkf:score`` and
        there is no index: 503 naming ``plankg index`` (a query worker never builds one, and
        an unbound score for every row would look like "nothing relevant")."""
        if extensions.FUNCTION_NAMESPACE not in query:
            return None
        from plankg.search.index.builder import MISSING_MESSAGE, index_info

        return None if index_info(self.settings).get("exists") else MISSING_MESSAGE

    # -- one query -----------------------------------------------------------------------
    def run(self, req: QueryRequest) -> QueryResponse:
        try:
            store = self.snapshot.get()
        except StoreError as exc:
            return error(503, str(exc))
        missing = self._missing_index(req.query)
        if missing:
            return error(503, missing)
        for attempt in (0, 1):
            try:
                return self._run(store, req)
            except (QuerySyntaxError, SyntaxError) as exc:
                return error(400, f"Truy vấn SPARQL không hợp lệ (malformed query): {exc}")
            except TooManyResults as exc:
                return error(400, str(exc))
            except OSError as exc:  # a read error on an old snapshot: reopen once
                if attempt:
                    return error(500, f"Lỗi đọc kho dữ liệu (store read error): {exc}")
                store = self.snapshot.reopen()
            except MemoryError:  # the worker's memory limit (worker.limit_memory): the query is too big
                resp = error(503, "Truy vấn cần quá nhiều bộ nhớ (the query needed more memory than "
                                  "PLANKG_WORKER_MEMORY_MB allows)")
                resp.retry_after = 5
                return resp
            except Exception as exc:  # evaluation errors (e.g. a failing extension function)
                return error(500, f"Lỗi khi thực hiện truy vấn (query evaluation failed): {type(exc).__name__}: {exc}")
        return error(500, "unreachable")

    def _dataset(self, req: QueryRequest) -> tuple[list[str] | None, list[str] | None]:
        """Protocol parameters win over FROM; neither given → merged + registry + ontology (+ inferred)."""
        if req.default_graphs is not None or req.named_graphs is not None:
            return list(req.default_graphs or []), list(req.named_graphs or [])
        if req.query_has_dataset:
            return None, None
        return default_graphs(self.settings, infer=req.infer), None

    def _run(self, store: Any, req: QueryRequest) -> QueryResponse:
        default, named = self._dataset(req)
        raw = _raw_oxigraph(store)
        if raw is None:
            return self._run_generic(store, req, default, named)
        import pyoxigraph as ox

        kwargs: dict[str, Any] = {"base_iri": self.settings.base_iri}  # relative IRIs resolve under the data base
        if default is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default]
        if named is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named]
        funcs = self.functions(req.query)
        if funcs:
            kwargs["custom_functions"] = {ox.NamedNode(k): v for k, v in funcs.items()}
        res = raw.query(req.query, **kwargs)
        if isinstance(res, ox.QueryBoolean):
            body = write_boolean(bool(res), req.fmt)
        elif isinstance(res, ox.QueryTriples):
            body = write_triples(res, req.fmt, req.max_rows)
        else:
            body = write_query_solutions(res, req.fmt, req.max_rows)
        return QueryResponse(200, body, content_type(req.fmt))

    def _run_generic(self, store: Any, req: QueryRequest, default: list[str] | None, named: list[str] | None) -> QueryResponse:
        # the store interface directly, not run_query: the request's dataset must be kept as is
        # (run_query would replace an empty or query-given dataset by the default one)
        answer = store.query(req.query, default_graphs=default, named_graphs=named,
                                   custom_functions=self.functions(req.query) or None)
        if answer.kind == "select" and len(answer.rows) > req.max_rows:
            raise TooManyResults(req.max_rows)
        if answer.kind == "graph" and answer.graph is not None and len(answer.graph) > req.max_rows:
            raise TooManyResults(req.max_rows)
        return QueryResponse(200, answer.serialize(req.fmt), content_type(req.fmt))


def _raw_oxigraph(store: Any) -> Any:
    """The pyoxigraph ``Store`` inside an ``OxigraphStore``, for streaming answers; None otherwise.

    The GraphStore interface returns whole answers as rdflib terms; the endpoint needs the
    lazy pyoxigraph iterators to cap rows before they are materialised.
    """
    return getattr(store, "_store", None) if getattr(store, "name", "") == "oxigraph" else None


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri
