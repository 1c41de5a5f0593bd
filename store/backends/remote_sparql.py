"""A store on an existing SPARQL server, over the SPARQL 1.1 Protocol and Graph Store Protocol.

Why: a national portal runs several API processes behind a load balancer over one graph
in a server that already scales (Oxigraph server, Virtuoso, QLever, GraphDB, Fuseki;
docs/deployment.md). Selected with ``PLANKG_STORE=remote-sparql``; the endpoints, the
credentials and the TLS settings come from :class:`plankg.config.Settings` (credentials
are ``SecretStr``: never in a message, a log line or ``repr``).

How each operation maps onto the protocols:

* ``replace_graph``: one Graph Store Protocol ``PUT`` of the N-Triples (atomic on the
  server), or, without a GSP endpoint, one SPARQL Update request ``DROP SILENT GRAPH …;
  INSERT {…} WHERE {}`` (one request is one transaction on the servers we document). The graph is
  serialised before anything is sent, so a failing builder leaves the old graph.
* reads are SPARQL queries (``application/sparql-results+json`` / N-Triples answers).
* the store metadata (ontology version, recorded sources; what ``read_meta``/``write_meta``
  hold, read by ingest and the index check) is one JSON literal in the metadata graph
  :data:`META_GRAPH` in the server itself, so every process agrees on it. That graph is
  hidden from plankg's view: ``graph_names``, counts and dumps see the graphs under
  ``PLANKG_BASE_IRI`` only (a server may hold other data), and a query
  with ``GRAPH`` and no ``FROM`` gets the data graphs as its named graphs (the ingest
  metadata names source paths, which are not published).

Custom SPARQL functions (``pkf:score``) cannot run inside a server; ``query`` rewrites
their calls into ``VALUES`` blocks first (:mod:`plankg.store.backends.remote_functions`).
"""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import rdflib

from plankg.config import Settings
from plankg.store.backends.oxigraph import to_rdflib
from plankg.store.backends.remote_functions import bind_functions, masked_text
from plankg.store.base import (
    DATASET_FORMATS,
    GRAPH_FORMATS,
    CustomFunction,
    GraphStore,
    QueryAnswer,
    QuerySyntaxError,
    StoreError,
    register_configured_backend,
)

META_GRAPH = "urn:x-plankg:store-meta"
_META_S, _META_P = "urn:x-plankg:store", "urn:x-plankg:meta"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_JSON = "application/sparql-results+json"
_NT = "application/n-triples"
_SUBJECTS_PER_QUERY = 200  # subjects named in one quads_about query (keeps the request small)
_GRAPH_KW = re.compile(r"\bGRAPH\b", re.I)
_FROM_KW = re.compile(r"\bFROM\b", re.I)


def _iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\ \n'):
        raise StoreError(f"not an IRI: {value!r}")
    return f"<{value}>"


def _term(b: dict[str, Any]) -> rdflib.term.Identifier:
    """One SPARQL JSON results term as an rdflib term (simple literals plain, like the other backends)."""
    kind, value = b.get("type"), b.get("value", "")
    if kind == "uri":
        return rdflib.URIRef(value)
    if kind == "bnode":
        return rdflib.BNode(value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": the pre-1.1 form some servers still send
        lang, dt = b.get("xml:lang") or b.get("lang"), b.get("datatype")  # "lang": Virtuoso's CONSTRUCT-as-JSON
        if lang:
            return rdflib.Literal(value, lang=lang)
        if dt and dt not in (_XSD_STRING, _RDF_LANG_STRING):
            return rdflib.Literal(value, datatype=rdflib.URIRef(dt))
        return rdflib.Literal(value)
    raise StoreError(f"unsupported term in a SPARQL result: {kind!r}")


def _graph_from_ntriples(data: bytes) -> rdflib.Graph:
    g = rdflib.Graph()
    for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


_FORM = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<\s*>|BASE\s*<\s*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def query_form(sparql: str) -> str:
    """select, ask or graph: the query's form, read past its prologue (strings and IRIs blanked)."""
    m = _FORM.match(re.sub(r"#[^\n]*", " ", masked_text(sparql)))  # what is left of a "#" is a comment
    if m is None:
        raise QuerySyntaxError("không nhận ra dạng truy vấn (not a SELECT, ASK, CONSTRUCT or DESCRIBE query)")
    form = m.group(1).upper()
    return "select" if form == "SELECT" else "ask" if form == "ASK" else "graph"


def _solutions(data: dict[str, Any], kind: str) -> QueryAnswer:
    if "boolean" in data:
        return QueryAnswer(kind="ask", boolean=bool(data["boolean"]))
    variables = list(data["head"].get("vars", []))
    rows = [{k: _term(v) for k, v in b.items()} for b in data["results"]["bindings"]]
    if kind == "ask":  # Virtuoso answers ASK as one row of __ASK_RETVAL (1 or 0)
        value = next(iter(rows[0].values()), None) if rows else None
        return QueryAnswer(kind="ask", boolean=str(value) in ("1", "true"))
    return QueryAnswer(kind="select", variables=variables, rows=rows)


class RemoteSparqlStore(GraphStore):
    """A :class:`GraphStore` whose data lives in a SPARQL server reached over HTTP(S)."""

    name = "remote-sparql"
    persistent = True

    def __init__(self, settings: Settings, read_only: bool = False) -> None:
        super().__init__(None)
        if not settings.store_query_url:
            raise StoreError("PLANKG_STORE=remote-sparql cần PLANKG_STORE_QUERY_URL "
                             "(the remote-sparql store needs PLANKG_STORE_QUERY_URL)")
        self.query_url = settings.store_query_url
        self.update_url = settings.store_update_url
        self.gsp_url = settings.store_gsp_url
        self.base_iri = settings.base_iri
        self.read_only = read_only
        self.query_timeout = min(settings.query_timeout, settings.store_timeout)
        self._client = httpx.Client(timeout=settings.store_timeout, auth=_auth(settings),
                                    verify=_verify(settings), headers=_headers(settings))

    def __repr__(self) -> str:  # never the credentials
        return f"RemoteSparqlStore({self.query_url!r}, read_only={self.read_only})"

    # -- HTTP ------------------------------------------------------------------------------------
    def _post(self, url: str, **kwargs: Any) -> httpx.Response:
        if url == self.query_url:  # a query gives up with the endpoint's time limit (PLANKG_QUERY_TIMEOUT)
            kwargs.setdefault("timeout", self.query_timeout)
        try:
            resp = self._client.post(url, **kwargs)
        except httpx.HTTPError as exc:  # the message names the URL only; credentials are never in it
            raise StoreError(f"Không kết nối được kho SPARQL {url} (cannot reach the SPARQL store): "
                             f"{type(exc).__name__}: {exc}") from exc
        return resp

    def _check(self, resp: httpx.Response, what: str) -> httpx.Response:
        if resp.status_code == 400:
            raise QuerySyntaxError(resp.text.strip() or "bad request")
        if resp.status_code >= 300:
            raise StoreError(f"Kho SPARQL trả lỗi {resp.status_code} khi {what} "
                             f"(the SPARQL store answered {resp.status_code} to {what}): {resp.text[:500].strip()}")
        return resp

    def _update(self, sparql: str) -> None:
        self._writable()
        if not self.update_url:
            raise StoreError("Chưa cấu hình PLANKG_STORE_UPDATE_URL (no update endpoint configured)")
        self._check(self._post(self.update_url, **_form([("update", sparql)])), "an update")

    def _select(self, sparql: str, params: list[tuple[str, str]] | None = None) -> dict[str, Any]:
        resp = self._check(self._post(self.query_url, **_form([("query", sparql), *(params or [])], _JSON)), "a query")
        result: dict[str, Any] = resp.json()
        return result

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("Kho đang mở chỉ đọc (the store is open read-only)")

    # -- writing ---------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, graph: rdflib.Graph) -> None:
        self._writable()
        data = graph.serialize(format="nt", encoding="utf-8")  # first: a failing graph sends nothing
        if not len(graph):
            self.drop_graph(graph_iri)
            return
        if self.gsp_url:
            resp = self._client_put(graph_iri, data)
            self._check(resp, f"PUT <{graph_iri}>")
            return
        # INSERT {template} WHERE {}, not INSERT DATA: Virtuoso refuses blank nodes in INSERT DATA
        self._update(f"DROP SILENT GRAPH {_iri(graph_iri)};\nINSERT {{ GRAPH {_iri(graph_iri)} {{\n"
                     f"{data.decode('utf-8')}\n}} }} WHERE {{}}")

    def _client_put(self, graph_iri: str, data: bytes) -> httpx.Response:
        assert self.gsp_url is not None
        try:
            return self._client.put(self.gsp_url, params={"graph": graph_iri}, content=data,
                                    headers={"Content-Type": _NT})
        except httpx.HTTPError as exc:
            raise StoreError(f"Không kết nối được kho SPARQL {self.gsp_url} (cannot reach the SPARQL store): "
                             f"{type(exc).__name__}: {exc}") from exc

    def drop_graph(self, graph_iri: str) -> None:
        self._update(f"DROP SILENT GRAPH {_iri(graph_iri)}")

    # -- partial reads and writes (incremental builds): a few triples, not whole graphs ---------
    def quads_about(self, subjects: Iterable[str]) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node,
                                                                   rdflib.term.Node, str]]:
        """One query per batch of subjects (``VALUES``), not the default's every graph read whole:
        an ingest recomputes the merged view of the subjects it touched, a few of the many."""
        wanted = sorted(set(subjects))
        for i in range(0, len(wanted), _SUBJECTS_PER_QUERY):
            values = " ".join(_iri(s) for s in wanted[i:i + _SUBJECTS_PER_QUERY])
            res = self._select(f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}")
            for b in res["results"]["bindings"]:
                yield _term(b["s"]), _term(b["p"]), _term(b["o"]), b["g"]["value"]

    def subjects_of(self, graph_iri: str) -> set[str]:
        res = self._select(f"SELECT DISTINCT ?s WHERE {{ GRAPH {_iri(graph_iri)} {{ ?s ?p ?o }} FILTER(isIRI(?s)) }}")
        return {b["s"]["value"] for b in res["results"]["bindings"]}

    def patch_graph(self, graph_iri: str, remove: Iterable[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]],
                    add: Iterable[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]) -> None:
        """One update request (one transaction) with the changed triples only: the default
        reads the whole graph and writes it back (the merged view: every triple deleted and
        re-inserted on every ingest, which also leaves the server reading slowly until it
        compacts, docs/benchmarks.md #17). Blank nodes cannot be named in ``DELETE DATA``:
        then the default."""
        self._writable()
        old, new = rdflib.Graph(), rdflib.Graph()
        for t in remove:
            old.add(t)
        for t in add:
            new.add(t)
        if any(isinstance(term, rdflib.BNode) for g in (old, new) for triple in g for term in triple):
            super().patch_graph(graph_iri, old, new)
            return
        parts = [f"{op} DATA {{ GRAPH {_iri(graph_iri)} {{\n{g.serialize(format='nt')}\n}} }}"
                 for op, g in (("DELETE", old), ("INSERT", new)) if len(g)]
        if parts:
            self._update(" ;\n".join(parts))

    # -- reading ---------------------------------------------------------------------------------
    def _ours(self) -> str:
        """The filter keeping plankg's graphs: a server may hold other data (Virtuoso's system graphs)."""
        return f"FILTER(STRSTARTS(STR(?g), {json.dumps(self.base_iri)}))"

    def graph_names(self) -> list[str]:
        res = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}")
        return sorted(b["g"]["value"] for b in res["results"]["bindings"] if b["g"]["type"] == "uri")

    def get_graph(self, graph_iri: str) -> rdflib.Graph:
        ans = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph_iri)} {{ ?s ?p ?o }} }}")
        return ans.graph if ans.graph is not None else rdflib.Graph()

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default: bool = False,
        custom_functions: dict[str, CustomFunction] | None = None,
    ) -> QueryAnswer:
        if custom_functions:
            sparql = bind_functions(sparql, custom_functions)
        params = self._dataset(sparql, default_graphs, named_graphs, union_default)
        kind = query_form(sparql)  # one Accept per form: Virtuoso answers CONSTRUCT in JSON if JSON is acceptable
        accept = _NT if kind == "graph" else _JSON
        resp = self._check(self._post(self.query_url, **_form([("query", sparql), *params], accept)), "a query")
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if ctype == _JSON and kind != "graph":
                return _solutions(resp.json(), kind)
            if ctype in (_NT, "text/plain") and kind == "graph":
                return QueryAnswer(kind="graph", graph=_graph_from_ntriples(resp.content))
        except (ValueError, SyntaxError) as exc:  # a streamed answer cut short (the server's own time limit)
            raise StoreError(f"Kho SPARQL trả về câu trả lời bị cắt (the store's answer was cut short, "
                             f"e.g. by the server's time limit): {resp.text[-200:].strip()}") from exc
        raise StoreError(f"Kho SPARQL trả về định dạng không dùng được (unexpected answer type from the store): {ctype}")

    def _dataset(self, sparql: str, default: list[str] | None, named: list[str] | None,
                 union_default: bool) -> list[tuple[str, str]]:
        """Protocol dataset parameters; the metadata graph is never part of it."""
        if union_default and not default:
            default = self.graph_names()
            if not default:
                default = [META_GRAPH + "#none"]  # an empty union: a graph that does not exist
        if named is None and _GRAPH_KW.search(sparql) and not _FROM_KW.search(sparql):
            named = self.graph_names()  # hide the metadata graph from GRAPH ?g
        params = [("default-graph-uri", g) for g in default or []]
        params += [("named-graph-uri", g) for g in named or []]
        if named is not None and not named:
            params.append(("named-graph-uri", META_GRAPH + "#none"))  # no named graphs at all
        return params

    def triple_count(self, graph_iri: str | None = None) -> int:
        if graph_iri is not None:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri(graph_iri)} {{ ?s ?p ?o }} }}"
        else:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
        res = self._select(q)
        return int(res["results"]["bindings"][0]["n"]["value"])

    def dump(self, fmt: str, graph_iri: str | None = None) -> bytes:
        if graph_iri is not None:
            if fmt not in GRAPH_FORMATS:
                raise StoreError(f"unknown dump format {fmt!r}")
            fmt_name = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
            return self.get_graph(graph_iri).serialize(format=fmt_name, encoding="utf-8")
        if fmt not in DATASET_FORMATS:
            return b"" if fmt in GRAPH_FORMATS else self._unknown(fmt)
        ds = rdflib.Dataset()
        for name in self.graph_names():
            g = ds.graph(rdflib.URIRef(name))
            for t in self.get_graph(name):
                g.add(t)
        return ds.serialize(format=fmt, encoding="utf-8")

    @staticmethod
    def _unknown(fmt: str) -> bytes:
        raise StoreError(f"unknown dump format {fmt!r}")

    # -- metadata: in the server, so every process agrees ----------------------------------------
    def meta_path(self) -> Path | None:
        return None

    def read_meta(self) -> dict[str, Any]:
        res = self._select(f"SELECT ?m WHERE {{ GRAPH {_iri(META_GRAPH)} {{ {_iri(_META_S)} {_iri(_META_P)} ?m }} }}")
        rows = res["results"]["bindings"]
        if not rows:
            return {}
        meta: dict[str, Any] = json.loads(rows[0]["m"]["value"])
        return meta

    def write_meta(self, meta: dict[str, Any]) -> None:
        g = rdflib.Graph()
        g.add((rdflib.URIRef(_META_S), rdflib.URIRef(_META_P), rdflib.Literal(json.dumps(meta, ensure_ascii=False))))
        self.replace_graph(META_GRAPH, g)

    def clear(self) -> None:
        """Remove plankg's graphs and its metadata, nothing else of the server (``plankg rebuild``, tests)."""
        for name in [*self.graph_names(), META_GRAPH]:
            self.drop_graph(name)

    def close(self) -> None:
        self._client.close()


def _form(pairs: list[tuple[str, str]], accept: str | None = None) -> dict[str, Any]:
    """A form POST body (repeated keys kept: ``default-graph-uri`` may come several times)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return {"content": urlencode(pairs).encode("ascii"), "headers": headers}


def _auth(settings: Settings) -> httpx.Auth | None:
    if settings.store_user and settings.store_password is not None:
        password = settings.store_password.get_secret_value()
        if settings.store_auth == "digest":
            return httpx.DigestAuth(settings.store_user, password)
        return httpx.BasicAuth(settings.store_user, password)
    return None


def _headers(settings: Settings) -> dict[str, str]:
    if settings.store_token is not None:
        return {"Authorization": f"Bearer {settings.store_token.get_secret_value()}"}
    return {}


def _verify(settings: Settings) -> bool | ssl.SSLContext:
    if settings.store_ca_file is not None:
        return ssl.create_default_context(cafile=str(settings.store_ca_file))
    return settings.store_tls_verify


def store_endpoints(settings: Settings) -> list[str]:
    """The URLs this backend talks to (the query workers may reach these only)."""
    return [u for u in (settings.store_query_url, settings.store_update_url, settings.store_gsp_url) if u]


register_configured_backend("remote-sparql", RemoteSparqlStore)
