"""Store benchmark: rdflib's in-memory store against Oxigraph (pyoxigraph and oxrdflib).

For each backend, in its own subprocess (so that peak memory is attributable), it measures

* load time through the ``GraphStore`` interface (``replace_graph`` once per named
  graph, as ingest does), and separately the backend's bulk path: pyoxigraph
  ``Store.bulk_load`` of the N-Quads file, rdflib ``Dataset.parse(format="nquads")``,
  oxrdflib ``Dataset.parse(format="ox-nquads", transactional=False)``;
* SPARQL latency (median and p95 of warm runs, after one warm-up run) of competency-style
  queries written against the vocabulary contract, answers fully materialised;
* peak RSS (``VmHWM`` from /proc) and the RSS the loaded store adds;
* persistence: time to persist (close), size on disk, reopen time and first answer after
  reopening.

It runs on the seed corpus (through ``plankg.ingest.pipeline`` when that exists, else on a
synthetic graph of the seed corpus's size) and on a synthetic graph of ``--triples``
triples (``benchmarks/synthetic.py``), prints the tables, and with ``--write-doc`` writes
``docs/benchmarks.md``.

    python benchmarks/store_benchmark.py --triples 1000000 --seeds ../shared/seeds \\
        --write-doc docs/benchmarks.md --json /tmp/store-benchmark.json
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata as md
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

PREFIXES = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

#: name → (competency question, SPARQL template with {probe} placeholders)
QUERIES: dict[str, tuple[str, str]] = {
    "join_agency_due2025": (
        "Tasks led by agency X due in 2025 (join of agency and deadline year)",
        """SELECT ?task ?due ?text WHERE {
  ?agency skos:prefLabel "{agency_label}"@vi .
  ?task pk:leadAgency ?agency ;
        pk:dueYear 2025 ;
        pk:dueDate ?due ;
        pk:text ?text .
} ORDER BY ?due ?task""",
    ),
    "groupby_lead_agency": (
        "Number of tasks per lead agency (GROUP BY)",
        """SELECT ?agency ?label (COUNT(?task) AS ?tasks) WHERE {
  ?task a pk:Task ;
        pk:leadAgency ?agency .
  ?agency skos:prefLabel ?label .
} GROUP BY ?agency ?label ORDER BY DESC(?tasks) ?label""",
    ),
    "targets_2030": (
        "2030 targets of locality L with value, unit and monitoring agency",
        """SELECT ?target ?indicator ?comparator ?value ?unit ?monitor WHERE {
  ?doc pk:locality <{locality_iri}> .
  ?target a pk:Target ;
          pk:inDocument ?doc ;
          pk:horizonYear 2030 ;
          pk:indicatorText ?indicator ;
          pk:unit ?unit .
  OPTIONAL { ?target pk:value ?value }
  OPTIONAL { ?target pk:comparator ?c . ?c skos:notation ?comparator }
  OPTIONAL { ?target pk:monitoringAgency ?m . ?m skos:prefLabel ?monitor }
} ORDER BY ?target""",
    ),
    "cites_chain_57": (
        "Documents citing 57-NQ/TW directly or through a chain (eli:cites+)",
        """SELECT DISTINCT ?doc ?symbol ?date WHERE {
  ?nq eli:id_local "57-NQ/TW" .
  ?doc eli:cites+ ?nq ;
       eli:id_local ?symbol ;
       eli:date_document ?date .
} ORDER BY ?date ?symbol""",
    ),
    "tasks_with_predecessors": (
        "Tasks of agency X including those of its predecessors (pk:predecessor*)",
        """SELECT ?task ?lead ?due WHERE {
  <{agency_iri}> pk:predecessor* ?lead .
  ?task pk:leadAgency ?lead .
  OPTIONAL { ?task pk:dueDate ?due }
} ORDER BY ?task""",
    ),
    "provenance_of_task": (
        "Provenance of one task: spans of the task, its agency associations and its deadline, with the file's checksum",
        """SELECT ?what ?file ?start ?end ?line ?quote ?checksum WHERE {
  { BIND(<{task_iri}> AS ?what) }
  UNION { <{task_iri}> prov:qualifiedAssociation ?what }
  UNION { <{task_iri}> pk:deadline ?what }
  ?what pk:extractedFrom ?span .
  ?span pk:sourceFile ?file ;
        pk:startOffset ?start ;
        pk:endOffset ?end .
  OPTIONAL { ?span pk:startLine ?line }
  OPTIONAL { ?span pk:quote ?quote }
  OPTIONAL { ?rendition a pk:Rendition ; pk:sourceFile ?file ; pk:checksum ?checksum }
} ORDER BY ?start ?what""",
    ),
    "count_all": (
        "COUNT(*) over the union of all graphs",
        """SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }""",
    ),
}

#: queries the oxrdflib variant runs (the two of the issue; ``--oxrdflib-all`` runs all)
OXRDFLIB_QUERIES = ["join_agency_due2025", "groupby_lead_agency"]

#: backend → load paths run (each in its own subprocess) → (run the queries, measure persistence)
#: rdflib's bulk path is what its reopen does, so it is not persisted and reopened twice;
#: oxrdflib is the issue's configuration, for its two queries, on a bulk-loaded store, persistent
#: (opened on a directory, RocksDB) and in memory.
PLAN: dict[str, dict[str, tuple[bool, bool]]] = {
    "oxigraph": {"interface": (True, True), "bulk": (True, True)},
    "rdflib-memory": {"interface": (True, True), "bulk": (False, False)},
    "oxrdflib": {"bulk": (True, True)},
    "oxrdflib-memory": {"bulk": (True, False)},  # Graph(store="Oxigraph") without open(): in memory, no persistence
}

PROBE_QUERIES = {
    # the lead agency with the most tasks due in 2025, preferring one with predecessors
    "agency": """SELECT ?agency ?label (COUNT(?task) AS ?n) (SAMPLE(?pred) AS ?p) WHERE {
  ?task pk:leadAgency ?agency ; pk:dueYear 2025 .
  ?agency skos:prefLabel ?label .
  OPTIONAL { ?agency pk:predecessor ?pred }
} GROUP BY ?agency ?label ORDER BY DESC(BOUND(?p)) DESC(?n) ?agency LIMIT 1""",
    "locality": """SELECT ?loc (COUNT(?t) AS ?n) WHERE {
  ?t a pk:Target ; pk:horizonYear 2030 ; pk:inDocument ?doc . ?doc pk:locality ?loc .
} GROUP BY ?loc ORDER BY DESC(?n) ?loc LIMIT 1""",
    "task": """SELECT ?task WHERE {
  ?task a pk:Task ; prov:qualifiedAssociation ?a ; pk:deadline ?d .
} ORDER BY ?task LIMIT 1""",
}


# =========================================================================== helpers
def proc_status_kb(field: str) -> int:
    """VmRSS / VmHWM in KiB from /proc/self/status (resource.getrusage as a fallback)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def dir_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += (Path(root) / f).stat().st_size
            except OSError:
                pass
    return total


def iter_nquads_by_graph(path: Path) -> Iterator[tuple[str, str]]:
    """(graph IRI, N-Triples text) per consecutive block of the grouped N-Quads file."""
    current, lines = None, []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            body, g, _dot = line.rstrip("\n").rsplit(" ", 2)
            g = g[1:-1]
            if g != current:
                if current is not None:
                    yield current, "".join(lines)
                current, lines = g, []
            lines.append(body + " .\n")
    if current is not None:
        yield current, "".join(lines)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def graph_from_ntriples(text: str) -> Any:
    """An rdflib Graph equal to ``Graph().parse(data=text, format="nt")``, parsed by pyoxigraph
    (several times faster). Not oxrdflib's ``ox-nt`` parser: it would give plain literals an
    explicit xsd:string datatype, which rdflib's SPARQL engine does not match with "abc"."""
    import pyoxigraph as ox
    import rdflib

    cache: dict[str, Any] = {}

    def term(t: Any) -> Any:
        if isinstance(t, ox.NamedNode):
            v = t.value
            r = cache.get(v)
            if r is None:
                r = cache[v] = rdflib.URIRef(v)
            return r
        if isinstance(t, ox.Literal):
            if t.language:
                return rdflib.Literal(t.value, lang=t.language)
            dt = t.datatype.value
            return rdflib.Literal(t.value) if dt == _XSD_STRING else rdflib.Literal(t.value, datatype=term(t.datatype))
        return rdflib.BNode(t.value)

    g = rdflib.Graph()
    add = g.add
    for tr in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        add((term(tr.subject), term(tr.predicate), term(tr.object)))
    return g


class QueryTimeout(Exception):
    pass


def _alarm(_sig: int, _frame: object) -> None:
    raise QueryTimeout()


def time_query(run: Callable[[], int], repeats: int, budget_s: float, timeout_s: int, slow_s: float = 10.0) -> dict[str, Any]:
    """One warm-up run, then up to ``repeats`` timed runs (at least 3 — 2 when the warm-up
    took over ``slow_s`` —, fewer than ``repeats`` once ``budget_s`` is spent). A run longer
    than ``timeout_s`` is abandoned (pure-Python engines only: SIGALRM cannot interrupt
    native code, which never needs it here)."""
    signal.signal(signal.SIGALRM, _alarm)

    def once() -> tuple[float, int]:
        signal.alarm(timeout_s)
        try:
            t = time.perf_counter()
            rows = run()
            return time.perf_counter() - t, rows
        finally:
            signal.alarm(0)

    try:
        warm_s, rows = once()
    except QueryTimeout:
        return {"timeout_s": timeout_s}
    times: list[float] = []
    spent = 0.0
    min_runs = 2 if warm_s > slow_s else 3
    while len(times) < repeats and (len(times) < min_runs or spent < budget_s):
        try:
            dt, rows2 = once()
        except QueryTimeout:
            return {"timeout_s": timeout_s, "warmup_s": warm_s, "rows": rows}
        assert rows2 == rows
        times.append(dt)
        spent += dt
    times.sort()
    p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)]  # nearest rank
    return {"rows": rows, "warmup_s": warm_s, "median_s": statistics.median(times), "p95_s": p95, "runs": len(times)}


# =========================================================================== workers
def worker(ns: argparse.Namespace) -> dict[str, Any]:
    """Runs in a subprocess: one backend, one load path; returns the figures."""
    import rdflib

    import plankg.store  # noqa: F401  (registers the backends)
    from plankg.store import open_backend

    backend, mode = ns.worker.split(":")
    data = Path(ns.data)
    store_dir = Path(ns.store_dir)
    probes = json.loads(ns.probes)
    dgraphs: list[str] = json.loads(ns.default_graphs)
    queries = {k: PREFIXES + q.replace("{agency_label}", probes["agency_label"]).replace("{agency_iri}", probes["agency_iri"])
               .replace("{locality_iri}", probes["locality_iri"]).replace("{task_iri}", probes["task_iri"])
               for k, (_cq, q) in QUERIES.items()}
    out: dict[str, Any] = {"backend": backend, "mode": mode}
    gc.collect()
    rss0 = proc_status_kb("VmRSS")
    out["rss_baseline_mib"] = rss0 / 1024

    parse_s = 0.0
    load_s = 0.0
    n_graphs = 0
    if backend in ("oxigraph", "rdflib-memory"):
        store = open_backend(backend, store_dir)
        if mode == "interface":
            for giri, text in iter_nquads_by_graph(data):
                t = time.perf_counter()
                g = graph_from_ntriples(text)
                parse_s += time.perf_counter() - t
                t = time.perf_counter()
                store.replace_graph(giri, g)
                load_s += time.perf_counter() - t
                n_graphs += 1
            out["load_path"] = "GraphStore.replace_graph per named graph"
        else:
            t = time.perf_counter()
            if backend == "oxigraph":
                import pyoxigraph as ox

                store._store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
                out["load_path"] = "pyoxigraph Store.bulk_load(N-Quads file)"
            else:
                store._ds.parse(str(data), format="nquads")  # type: ignore[attr-defined]
                out["load_path"] = "rdflib Dataset.parse(format='nquads')"
            load_s = time.perf_counter() - t
        out["triples"] = store.triple_count()

        def run_query(q: str, st: Any = None) -> Callable[[], int]:
            target = st if st is not None else store

            def run() -> int:
                ans = target.query(q, union_default=not dgraphs, default_graphs=dgraphs or None)
                return len(ans.rows) if ans.kind == "select" else 1
            return run

        first_query = lambda st: run_query(queries["join_agency_due2025"], st)()
    else:  # oxrdflib: an rdflib Dataset over store="Oxigraph", on a directory or in memory
        ds = rdflib.Dataset(store="Oxigraph")
        if backend == "oxrdflib":
            ds.open(str(store_dir))
        if mode == "interface":
            for giri, text in iter_nquads_by_graph(data):
                t = time.perf_counter()
                g = graph_from_ntriples(text)
                parse_s += time.perf_counter() - t
                t = time.perf_counter()
                ds.remove_graph(rdflib.URIRef(giri))
                ds.graph(rdflib.URIRef(giri)).__iadd__(g)
                load_s += time.perf_counter() - t
                n_graphs += 1
            out["load_path"] = "rdflib Dataset.remove_graph + graph(iri) += g, per source graph"
        else:
            t = time.perf_counter()
            ds.parse(str(data), format="ox-nquads", transactional=False)
            load_s = time.perf_counter() - t
            out["load_path"] = "Dataset.parse(format='ox-nquads', transactional=False) (= pyoxigraph bulk_load)"
        ds.default_union = True
        out["triples"] = len(ds.store._inner)  # type: ignore[attr-defined]

        def run_query(q: str, st: Any = None) -> Callable[[], int]:
            target = st if st is not None else ds  # not `st or ds`: bool(Dataset) counts the store

            def run() -> int:
                return len(list(target.query(q)))
            return run

        first_query = lambda st: run_query(queries["join_agency_due2025"], st)()

    out["load_s"] = load_s
    out["input_parse_s"] = parse_s
    out["graphs"] = n_graphs
    gc.collect()
    out["rss_after_load_mib"] = proc_status_kb("VmRSS") / 1024
    out["store_rss_mib"] = (proc_status_kb("VmRSS") - rss0) / 1024

    # -- queries -----------------------------------------------------------------
    do_queries, do_persist = PLAN[backend][mode]
    if do_queries:
        names = list(QUERIES) if not backend.startswith("oxrdflib") or ns.oxrdflib_all else OXRDFLIB_QUERIES
        out["queries"] = {}
        for name in names:
            out["queries"][name] = time_query(run_query(queries[name]), ns.repeats, ns.budget, ns.timeout, ns.slow)
            print(f"    {backend:14s} {mode:9s} {name:26s} {_fmt_q(out['queries'][name])}", file=sys.stderr, flush=True)
    if not do_persist:
        out["peak_rss_mib"] = proc_status_kb("VmHWM") / 1024
        return out

    # -- persistence ---------------------------------------------------------------
    t = time.perf_counter()
    if backend == "oxrdflib":
        ds.store._inner.flush()  # type: ignore[attr-defined]
        ds.close()
        del ds
    else:
        store.close()
        del store
    gc.collect()
    out["persist_s"] = time.perf_counter() - t
    out["disk_bytes"] = dir_size(store_dir)
    t = time.perf_counter()
    if backend == "oxrdflib":
        st2: Any = rdflib.Dataset(store="Oxigraph")
        st2.open(str(store_dir))
        st2.default_union = True
    else:
        st2 = open_backend(backend, store_dir)
    out["reopen_s"] = time.perf_counter() - t
    t = time.perf_counter()
    out["first_answer_rows"] = first_query(st2)
    out["first_answer_s"] = time.perf_counter() - t
    # RocksDB keeps the write-ahead log of a session until the next open: the size after
    # reopening is the steady state
    out["disk_bytes_reopened"] = dir_size(store_dir)
    out["peak_rss_mib"] = proc_status_kb("VmHWM") / 1024
    return out


def _fmt_q(r: dict[str, Any]) -> str:
    if "median_s" not in r:
        return f"timeout > {r.get('timeout_s')} s"
    return f"median {r['median_s'] * 1000:10.1f} ms  p95 {r['p95_s'] * 1000:10.1f} ms  rows {r['rows']}  runs {r['runs']}"


# =========================================================================== parent side
def find_probes(nq: Path, default_graphs: list[str]) -> dict[str, str]:
    """Choose the query parameters from the data itself (works for synthetic and real graphs)."""
    import pyoxigraph as ox

    s = ox.Store()
    s.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    kw: dict[str, Any] = {"default_graph": [ox.NamedNode(g) for g in default_graphs]} if default_graphs else {"use_default_graph_as_union": True}
    probes = {"agency_label": "", "agency_iri": "urn:none", "locality_iri": "urn:none", "task_iri": "urn:none"}
    for sol in s.query(PREFIXES + PROBE_QUERIES["agency"], **kw):
        probes["agency_iri"], probes["agency_label"] = sol["agency"].value, sol["label"].value
    for sol in s.query(PREFIXES + PROBE_QUERIES["locality"], **kw):
        probes["locality_iri"] = sol["loc"].value
    for sol in s.query(PREFIXES + PROBE_QUERIES["task"], **kw):
        probes["task_iri"] = sol["task"].value
    return probes


def seeds_graph(seeds: Path, nq: Path, work: Path) -> tuple[str | None, list[str]]:
    """Ingest the seeds with ``plankg.ingest.pipeline.Workspace`` into an in-memory Oxigraph
    store and write every graph it made (sources, merged view, registry, ontology) to ``nq``,
    one block per graph. Returns (note on failure, the default graphs the API queries)."""
    try:
        from plankg.config import DEFAULT_BASE_IRI, Settings
        from plankg.ingest.pipeline import Workspace
        from plankg.store import iris, open_backend
    except Exception as exc:  # noqa: BLE001 — the pipeline is being built: fall back
        return f"`plankg.ingest.pipeline` cannot be imported ({type(exc).__name__}: {exc})", []
    try:
        import pyoxigraph as ox

        store = open_backend("oxigraph", None)
        ws = Workspace(Settings(home=work / "seed-home", base_iri=DEFAULT_BASE_IRI, store_backend="oxigraph"), store)
        report = ws.ingest([str(seeds)])
        failed = [f"{f.name}: {f.error}" for f in report.failed]
        names = store.graph_names()
        if not names:
            return "the pipeline made no graphs" + (f" ({'; '.join(failed)})" if failed else ""), []
        with open(nq, "w", encoding="utf-8") as fh:
            for g in names:
                nt = store._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)).decode("utf-8")  # type: ignore[attr-defined]
                fh.write("".join(line[:-1] + f"<{g}> .\n" for line in nt.splitlines() if line.endswith(" .")))
        base = DEFAULT_BASE_IRI
        default = [iris.merged_graph_iri(base), iris.registry_graph_iri(base), iris.ontology_graph_iri(base)]
        return (f"{len(failed)} seed file(s) failed: {'; '.join(failed)}" if failed else None), [g for g in default if g in names]
    except Exception as exc:  # noqa: BLE001
        return f"ingesting the seeds failed: {type(exc).__name__}: {exc}", []


def run_dataset(label: str, nq: Path, work: Path, backends: list[str], ns: argparse.Namespace,
                default_graphs: list[str] | None = None) -> dict[str, Any]:
    """Every backend × load path on one N-Quads file. Queries see the union of all graphs, or
    ``default_graphs`` as their default graph (what api/queries.py does: merged view, registry,
    ontology) — then oxrdflib, whose rdflib front end has no such option, is left out."""
    default_graphs = default_graphs or []
    probes = find_probes(nq, default_graphs)
    if default_graphs:
        backends = [b for b in backends if not b.startswith("oxrdflib")]
    print(f"\n== {label}: {nq} — probes {json.dumps(probes, ensure_ascii=False)}", file=sys.stderr, flush=True)
    results: dict[str, Any] = {"label": label, "probes": probes, "runs": {}, "default_graphs": default_graphs}
    for backend in backends:
        for mode in PLAN[backend]:
            store_dir = work / f"{label}-{backend}-{mode}"
            shutil.rmtree(store_dir, ignore_errors=True)
            cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", f"{backend}:{mode}", "--data", str(nq),
                   "--store-dir", str(store_dir), "--probes", json.dumps(probes), "--repeats", str(ns.repeats),
                   "--budget", str(ns.budget), "--timeout", str(ns.timeout), "--slow", str(ns.slow),
                   "--default-graphs", json.dumps(default_graphs)] + (["--oxrdflib-all"] if ns.oxrdflib_all else [])
            print(f"  -- {backend} ({mode})", file=sys.stderr, flush=True)
            t = time.perf_counter()
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
            if proc.returncode != 0 or not lines:
                results["runs"][f"{backend}:{mode}"] = {"error": f"worker exited {proc.returncode}"}
                continue
            r = json.loads(lines[-1][len("RESULT "):])
            r["wall_s"] = time.perf_counter() - t
            results["runs"][f"{backend}:{mode}"] = r
            print(f"     load {r['load_s']:.2f} s, {r['triples']:,} triples, peak RSS {r['peak_rss_mib']:.0f} MiB"
                  + (f", disk {r['disk_bytes'] / 2**20:.1f} MiB, reopen {r['reopen_s']:.3f} s" if "reopen_s" in r else ""), file=sys.stderr, flush=True)
            shutil.rmtree(store_dir, ignore_errors=True)
    # answers must agree across backends
    mismatches = []
    for q in QUERIES:
        rows = {k: v["queries"][q]["rows"] for k, v in results["runs"].items() if q in v.get("queries", {}) and "rows" in v["queries"][q]}
        if len(set(rows.values())) > 1:
            mismatches.append(f"{q}: {rows}")
    results["mismatches"] = mismatches
    return results


# =========================================================================== report
def code_version() -> dict[str, Any]:
    """The commit measured: HEAD, the last commit touching store/, and whether store/ had local changes."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""
    return {"head": git("rev-parse", "--short", "HEAD"), "store_commit": git("log", "-1", "--format=%h", "--", "store"),
            "store_dirty": bool(git("status", "--porcelain", "--", "store"))}


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        pass

    def v(p: str) -> str:
        try:
            return md.version(p)
        except md.PackageNotFoundError:
            return "not installed"

    return {
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "cpu": cpu, "ram": mem, "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "rdflib": v("rdflib"), "pyoxigraph": v("pyoxigraph"), "oxrdflib": v("oxrdflib"),
    }


def _ms(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:,.1f}" if x < 10 else f"{x * 1000:,.0f}"


def _s(x: float) -> str:
    return f"{x:,.2f}" if x < 100 else f"{x:,.0f}"


def tables(res: dict[str, Any]) -> str:
    runs = res["runs"]
    out = []
    out.append("| backend | load path | load (s) | triples/s | RSS added (MiB) | peak RSS (MiB) | persist (s) | "
               "on disk after close / after reopen (MiB) | reopen (s) | first answer after reopen (ms) |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, r in runs.items():
        if "error" in r:
            out.append(f"| {key} | {r['error']} |||||||||")
            continue
        backend, mode = key.split(":")
        rate = r["triples"] / r["load_s"] if r["load_s"] else 0
        row = f"| {backend} | {mode}: {r['load_path']} | {_s(r['load_s'])} | {rate:,.0f} | {r['store_rss_mib']:,.0f} | {r['peak_rss_mib']:,.0f} | "
        if "reopen_s" in r:
            row += (f"{_s(r['persist_s'])} | {r['disk_bytes'] / 2**20:,.1f} / {r.get('disk_bytes_reopened', r['disk_bytes']) / 2**20:,.1f} | "
                    f"{r['reopen_s']:,.3f} | {_ms(r['first_answer_s'])} |")
        else:
            na = "— (in memory)" if backend == "oxrdflib-memory" else "as interface"
            row += f"{na} | {na} | {na} | {na} |"
        out.append(row)
    out.append("")
    qkeys = [k for k, r in runs.items() if "queries" in r]
    out.append("| query | rows | " + " | ".join(f"{k.split(':')[0]}, {k.split(':')[1]}-loaded: median / p95 (ms)" for k in qkeys) + " |")
    out.append("|---|---:|" + "---:|" * len(qkeys))
    for q in QUERIES:
        cells, rows = [], ""
        for k in qkeys:
            r = runs[k]["queries"].get(q)
            if r is None:
                cells.append("not run")
            elif "median_s" not in r:
                cells.append(f"> {r['timeout_s']} s (timeout)")
            else:
                rows = rows or str(r["rows"])
                cells.append(f"{_ms(r['median_s'])} / {_ms(r['p95_s'])}" + (f" ({r['runs']} runs)" if r["runs"] < 3 else ""))
        out.append(f"| `{q}` | {rows} | " + " | ".join(cells) + " |")
    if res.get("mismatches"):
        out.append("")
        out.append("**Row counts differ between backends:** " + "; ".join(res["mismatches"]))
    return "\n".join(out)


def _median(res: dict[str, Any], key: str, q: str) -> float | None:
    r = res["runs"].get(key, {}).get("queries", {}).get(q, {})
    return r.get("median_s")


def choose_default(res: dict[str, Any]) -> tuple[str, str]:
    """The GraphStore backend (both persist) with the lower geometric mean of query medians."""
    scores = {}
    for b in ("oxigraph", "rdflib-memory"):
        meds = [_median(res, f"{b}:interface", q) for q in QUERIES]
        if any(m is None for m in meds):
            # a timed-out query counts as its timeout
            meds = [m if m is not None else float(res["runs"].get(f"{b}:interface", {}).get("queries", {}).get(q, {}).get("timeout_s", 1e3)) for q, m in zip(QUERIES, meds)]
        scores[b] = math.exp(sum(math.log(max(m, 1e-6)) for m in meds) / len(meds))
    best = min(scores, key=scores.__getitem__)
    other = "rdflib-memory" if best == "oxigraph" else "oxigraph"
    ratio = scores[other] / scores[best]
    return best, f"geometric mean of the {len(QUERIES)} query medians: {best} {scores[best] * 1000:,.1f} ms vs {other} {scores[other] * 1000:,.1f} ms ({ratio:,.0f}× faster)"


def write_doc(path: Path, all_res: dict[str, Any], ns: argparse.Namespace, argv: list[str]) -> None:
    m = all_res["machine"]
    big = all_res["datasets"].get("synthetic")
    seeds = all_res["datasets"].get("seeds")
    lines = ["# Store benchmark", ""]
    lines.append("Which embedded store should plankg use by default? This page records the measurement "
                 "that answers it. It is generated by `benchmarks/store_benchmark.py --write-doc`; "
                 "edit the script, not the tables.")
    lines.append("")
    best = None
    if big:
        best, why = choose_default(big)
        lines += ["## Conclusion", ""]
        j_r = _median(big, "rdflib-memory:interface", "join_agency_due2025")
        ox_key = "oxrdflib-memory:bulk" if "oxrdflib-memory:bulk" in big["runs"] else "oxrdflib:bulk"
        j_o = _median(big, ox_key, "join_agency_due2025")
        g_r = _median(big, "rdflib-memory:interface", "groupby_lead_agency")
        g_o = _median(big, ox_key, "groupby_lead_agency")
        j_d = _median(big, "oxrdflib:bulk", "join_agency_due2025")
        g_d = _median(big, "oxrdflib:bulk", "groupby_lead_agency")
        ox_load = big["runs"].get("oxigraph:interface", {})
        rd_load = big["runs"].get("rdflib-memory:interface", {})
        lines.append(f"**The embedded default is `{best}`** (`PLANKG_STORE={best}`, the default in `plankg/config.py`). "
                     f"Decision rule: of the two `GraphStore` backends, both persistent, the one with the lower {why}.")
        lines.append("")
        if "queries" in ox_load and "queries" in rd_load:
            ratios = {q: _median(big, "rdflib-memory:interface", q) / _median(big, "oxigraph:interface", q)
                      for q in QUERIES if _median(big, "rdflib-memory:interface", q) and _median(big, "oxigraph:interface", q)}
            faster = [q for q, r in ratios.items() if r > 1]
            lines.append(f"- Queries at {ox_load['triples']:,} triples: Oxigraph is faster on {len(faster)} of {len(ratios)} competency "
                         f"queries, by {min(ratios.values()):,.1f}× to {max(ratios.values()):,.0f}× on the median "
                         f"(slowest Oxigraph median {max(_median(big, 'oxigraph:interface', q) for q in ratios) * 1000:,.0f} ms, "
                         f"slowest rdflib median {max(_median(big, 'rdflib-memory:interface', q) for q in ratios) * 1000:,.0f} ms).")
        if "load_s" in ox_load and "load_s" in rd_load:
            ob, rb = big["runs"].get("oxigraph:bulk", {}), big["runs"].get("rdflib-memory:bulk", {})
            lines.append(f"- Load through `replace_graph`: oxigraph {_s(ox_load['load_s'])} s, rdflib-memory {_s(rd_load['load_s'])} s"
                         + (" (Oxigraph's `replace_graph` serialises each rdflib graph to N-Triples for pyoxigraph to parse again)" if ox_load["load_s"] > rd_load["load_s"] else "")
                         + (f"; bulk: oxigraph {_s(ob['load_s'])} s, rdflib-memory {_s(rb['load_s'])} s." if "load_s" in ob and "load_s" in rb else "."))
            lines.append(f"- Memory: peak RSS oxigraph {ox_load['peak_rss_mib']:,.0f} MiB (RocksDB, data on disk), "
                         f"rdflib-memory {rd_load['peak_rss_mib']:,.0f} MiB (every triple as Python objects); "
                         f"RSS added by the loaded store {ox_load['store_rss_mib']:,.0f} vs {rd_load['store_rss_mib']:,.0f} MiB.")
            lines.append(f"- Persistence: Oxigraph writes as it goes (close {_s(ox_load['persist_s'])} s) and reopens in "
                         f"{ox_load['reopen_s']:.3f} s; on disk {ox_load.get('disk_bytes_reopened', 0) / 2**20:,.0f} MiB after `replace_graph` "
                         f"loading ({ox_load['disk_bytes'] / 2**20:,.0f} MiB before the first reopen, RocksDB's write-ahead log included), "
                         f"{ob.get('disk_bytes_reopened', 0) / 2**20:,.0f} MiB after a bulk load. rdflib-memory writes the whole N-Quads "
                         f"file on close ({_s(rd_load['persist_s'])} s, {rd_load['disk_bytes'] / 2**20:,.0f} MiB) and parses all of it "
                         f"on open ({_s(rd_load['reopen_s'])} s) — every start of the CLI or the API would pay that.")
            if "queries" in ob and "queries" in ox_load:
                common = [q for q in QUERIES if _median(big, "oxigraph:bulk", q) and _median(big, "oxigraph:interface", q)]
                if common:
                    gi = math.exp(sum(math.log(_median(big, "oxigraph:interface", q)) for q in common) / len(common))
                    gb = math.exp(sum(math.log(_median(big, "oxigraph:bulk", q)) for q in common) / len(common))
                    lines.append(f"- How Oxigraph was filled changes its query times little and in no fixed direction: geometric "
                                 f"mean {gi * 1000:,.1f} ms filled through `replace_graph` vs {gb * 1000:,.1f} ms bulk-loaded here; "
                                 "RocksDB's compaction state and the shared machine move single figures by up to ~3×. "
                                 "Either way it stays ahead of rdflib on every query.")
        if seeds and not seeds.get("stand_in", True):
            so = [_median(seeds, "oxigraph:interface", q) for q in QUERIES]
            sr = [_median(seeds, "rdflib-memory:interface", q) for q in QUERIES]
            if None not in so and None not in sr:
                lines.append(f"- On the real seed store ({seeds['runs']['oxigraph:interface']['triples']:,} triples), queried the way the "
                             f"API queries it (default graphs = merged view, registry, ontology): Oxigraph {min(so) * 1000:,.1f}–"
                             f"{max(so) * 1000:,.1f} ms per query, rdflib-memory {min(sr) * 1000:,.0f}–{max(sr) * 1000:,.0f} ms, because "
                             "`RdflibMemoryStore.query` copies the default graphs into a new graph on every call.")
        if None not in (j_r, j_o, g_r, g_o):
            big_enough = [j_r / j_o >= 10, g_r / g_o >= 10]
            verdict = "confirmed" if all(big_enough) else "partly confirmed" if any(big_enough) else "refuted"
            where = "an in-memory Oxigraph store (`Dataset(store=\"Oxigraph\")` without `open()`)" if ox_key.startswith("oxrdflib-memory") else "a persistent Oxigraph store"
            lines.append(f"- The issue's first measurement (1M triples, rdflib memory vs Oxigraph through oxrdflib: join 199 ms vs 1.1 ms "
                         f"= 181×, GROUP BY 1,216 ms vs 37 ms = 33×) is **{verdict}** (criterion: at least 10× on each) on the "
                         f"project's ontology, with oxrdflib over {where}: join {_ms(j_r)} ms vs {_ms(j_o)} ms ({j_r / j_o:,.0f}×), "
                         f"GROUP BY {_ms(g_r)} ms vs {_ms(g_o)} ms ({g_r / g_o:,.0f}×)."
                         + (f" Over the persistent (RocksDB) store the same two queries take {_ms(j_d)} ms and {_ms(g_d)} ms "
                            f"({j_r / j_d:,.0f}× and {g_r / g_d:,.1f}× faster than rdflib)." if ox_key.startswith("oxrdflib-memory") and j_d and g_d else "")
                         + " Absolute figures differ because the queries and the graph differ (here: the contract's terms, the "
                         "agency found by its label, answers fully materialised) and the machine is shared; the join's gap is "
                         "the issue's order of magnitude, the GROUP BY's is smaller: it touches every task, and Oxigraph's cost "
                         "there is dominated by decoding the index entries, more so from RocksDB than from memory.")
        lines.append("")
    lines += ["## Machine", ""]
    lines.append(f"- CPU: {m['cpu']}, {m['nproc']} cores available to the process; RAM {m['ram']}; {m['os']}")
    lines.append(f"- Python {m['python']}; rdflib {m['rdflib']}; pyoxigraph {m['pyoxigraph']}; oxrdflib {m['oxrdflib']}")
    code = all_res.get("code")
    if code:
        lines.append(f"- Code: repository at `{code['head']}`; `store/` as of `{code['store_commit']}`"
                     + (" with local changes" if code["store_dirty"] else "") + ".")
    la = all_res.get("loadavg_start"), all_res.get("loadavg_end")
    lines.append(f"- Run on {all_res['date']}; the machine is shared (other people's test suites run on the same cores; "
                 f"1-minute load average {la[0][0]:.1f} at the start, {la[1][0]:.1f} at the end), so single figures carry some noise."
                 if la[0] and la[1] else f"- Run on {all_res['date']}.")
    lines.append("")
    lines += ["## Method", ""]
    lines.append(textwrap_method(ns))
    for note in all_res.get("notes", []):
        lines.append(f"- **Note.** {note}")
    lines.append("")
    lines += ["### Queries", "", ("On the synthetic graph the default graph is the union of all named graphs (each fact is in one "
              "graph only, so this equals the merged view); on the seeds see below. Parameters are chosen from the data "
              "(the lead agency with most tasks due in 2025, preferring one with predecessors; the locality with most 2030 targets; "
              "the first task in IRI order)."), ""]
    for name, (cq, _q) in QUERIES.items():
        lines.append(f"- `{name}` — {cq}")
    lines.append("")
    lines.append("<details><summary>SPARQL text</summary>")
    lines.append("")
    for name, (_cq, q) in QUERIES.items():
        lines.append(f"`{name}`:")
        lines.append("```sparql")
        lines.append(q)
        lines.append("```")
    lines.append("</details>")
    lines.append("")
    if big:
        n = big["runs"].get("oxigraph:interface", {}).get("triples", 0)
        lines += [f"## Synthetic graph: {n:,} triples", ""]
        lines.append(f"`benchmarks/synthetic.py --triples {ns.triples} --seed {ns.seed}`: {big['graphs']} named graphs "
                     f"({big['nq_bytes'] / 2**20:,.0f} MiB of N-Quads), generated in {_s(big['generate_s'])} s. "
                     f"Probes: {json.dumps(big['probes'], ensure_ascii=False)}.")
        lines.append("")
        lines.append(tables(big))
        lines.append("")
    if seeds:
        n = seeds["runs"].get("oxigraph:interface", {}).get("triples", 0)
        lines += [f"## Seed corpus: {n:,} triples", ""]
        if seeds.get("stand_in", bool(seeds.get("note"))):
            lines.append(f"**Stand-in:** {seeds['note']}; this part ran on a synthetic graph of the seed corpus's size "
                         f"(`--seed-triples {ns.seed_triples}`), to be rerun once the pipeline lands.")
        else:
            lines.append("The store exactly as `plankg.ingest.pipeline.Workspace.ingest` leaves it after ingesting the five seed "
                         "files (one graph per source file, the merged view, the agency registry and the ontology). Queries run "
                         "as `api/queries.py` runs them: default graph = " + ", ".join(f"`{g}`" for g in seeds.get("default_graphs", []))
                         + ". For rdflib-memory that option means copying those graphs into a fresh graph on every query "
                         "(`RdflibMemoryStore.query`), which the figures include; oxrdflib has no such option and is left out."
                         + (f" Note: {seeds['note']}." if seeds.get("note") else ""))
        lines.append("")
        lines.append(tables(seeds))
        lines.append("")
    shown, skip = [], False
    for a in argv:  # the reproduce line without output paths
        if skip:
            skip = False
            continue
        if a in ("--json", "--from-json", "--workdir"):
            skip = True
            continue
        if a.startswith(("--json=", "--from-json=", "--workdir=")):
            continue
        shown.append(a)
    if not any(a.startswith("--write-doc") for a in shown):
        shown += ["--write-doc", "docs/benchmarks.md"]
    lines += ["## Reproduce", "", "```sh", "# from the repository root, in the project's virtualenv",
              "python " + " ".join(["benchmarks/store_benchmark.py"] + shown), "```", ""]
    lines.append("Each backend and load path runs in its own subprocess so that memory is attributable; the N-Quads "
                 "file and stores go to a temporary directory (`--workdir` to choose it), deleted afterwards.")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def textwrap_method(ns: argparse.Namespace) -> str:
    return "\n".join([
        ("- **Backends.** `oxigraph`: plankg's `OxigraphStore` (pyoxigraph, RocksDB in a directory). "
        "`rdflib-memory`: plankg's `RdflibMemoryStore` (rdflib `Dataset`, memory store, persisted as one N-Quads file on close). "
        "`oxrdflib`: an rdflib `Dataset(store=\"Oxigraph\")` opened on a directory, queried with `Dataset.query` — the "
        "configuration of the issue's first measurement, for comparison; it is not a `GraphStore` backend. "
        "`oxrdflib-memory`: the same without `open()`, i.e. Oxigraph's in-memory store (no persistence)."),
        ("- **Load, interface path.** The N-Quads file is read one named graph at a time into an rdflib `Graph` "
        "(parse time not counted; it is in the JSON output) and handed to `replace_graph`. **Bulk path:** the backend's "
        "own N-Quads loader over the whole file (named in the table). oxrdflib is loaded by its bulk path only."),
        (f"- **Queries.** Per query: one warm-up run, then timed runs until {ns.repeats} runs or, after at least 3 "
        f"(2 when the warm-up took over {ns.slow:g} s), {ns.budget:g} s spent; median and p95 (nearest rank, so with few "
        "runs it is the slowest). Oxigraph is queried both when filled through `replace_graph` and when bulk-loaded; "
        "rdflib-memory after `replace_graph` (its bulk-loaded store is the same data structure). "
        f"A run over {ns.timeout} s is abandoned. Time is from the call to a fully materialised answer "
        "(`QueryAnswer` for the `GraphStore` backends, `list(Dataset.query(...))` for oxrdflib); rdflib parses the query "
        "text on every run, as the application would. Row counts are checked to agree across backends."),
        ("- **Memory.** Each backend × load path runs in a fresh subprocess; *RSS added* is VmRSS after loading minus VmRSS "
        "before (after imports); *peak RSS* is VmHWM at the end (load, queries, persist and reopen), from /proc/self/status."),
        ("- **Persistence.** *persist* is `close()` (Oxigraph: flush; rdflib: write the N-Quads file); *on disk* is the size "
        "of the store directory after closing and again after reopening (RocksDB drops the old write-ahead log on open); "
        "*reopen* opens it again in the same process (after dropping the first store); *first answer* is the join query "
        "right after reopening (cold). rdflib's bulk row is not persisted again: its reopen *is* its bulk load."),
    ])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description="rdflib memory vs Oxigraph store benchmark for plankg")
    ap.add_argument("--triples", type=int, default=1_000_000, help="synthetic graph size (default 1,000,000); 0 to skip")
    ap.add_argument("--backends", default="oxigraph,rdflib-memory,oxrdflib,oxrdflib-memory")
    ap.add_argument("--seeds", type=Path, help="seed corpus directory: also benchmark the seeds")
    ap.add_argument("--seed-triples", type=int, default=20_000, help="size of the synthetic stand-in for the seeds")
    ap.add_argument("--seed", type=int, default=57, help="generator seed")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--budget", type=float, default=10.0, help="seconds of timed runs per query after the first 3")
    ap.add_argument("--timeout", type=int, default=120, help="abandon a query run after this many seconds")
    ap.add_argument("--slow", type=float, default=10.0, help="a query whose warm-up run takes longer gets 2 timed runs, not 3")
    ap.add_argument("--oxrdflib-all", action="store_true", help="run every query through oxrdflib, not only the issue's two")
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--write-doc", type=Path)
    ap.add_argument("--json", type=Path, help="save the raw figures here")
    ap.add_argument("--from-json", type=Path, help="do not measure: print and write the doc from saved figures")
    # worker mode (internal)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--store-dir", help=argparse.SUPPRESS)
    ap.add_argument("--probes", help=argparse.SUPPRESS)
    ap.add_argument("--default-graphs", default="[]", help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)

    if ns.worker:
        print("RESULT " + json.dumps(worker(ns)), flush=True)
        return 0

    from synthetic import iter_graphs, write_nquads

    backends = [b.strip() for b in ns.backends.split(",") if b.strip()]
    if ns.from_json:
        all_res = json.loads(ns.from_json.read_text("utf-8"))
        saved = ap.parse_args(all_res["argv"])
        saved.write_doc, saved.json = ns.write_doc, None
        return report(all_res, saved, all_res["argv"], [b.strip() for b in saved.backends.split(",") if b.strip()])
    work = ns.workdir or Path(tempfile.mkdtemp(prefix="plankg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    all_res: dict[str, Any] = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "datasets": {}, "argv": argv,
                               "code": code_version(),
                               "loadavg_start": os.getloadavg()}
    try:
        if ns.seeds:
            nq = work / "seeds.nq"
            note, dgraphs = seeds_graph(ns.seeds, nq, work)
            if note and not dgraphs:
                print(f"seeds: {note}; using a synthetic graph of {ns.seed_triples:,} triples instead", file=sys.stderr)
                write_nquads(iter_graphs(ns.seed_triples, ns.seed), nq)
            res = run_dataset("seeds", nq, work, backends, ns, dgraphs)
            res["note"] = note
            res["stand_in"] = not dgraphs
            all_res["datasets"]["seeds"] = res
        if ns.triples:
            nq = work / "synthetic.nq"
            t = time.perf_counter()
            graphs = []
            n = write_nquads((graphs.append(g.iri) or g for g in iter_graphs(ns.triples, ns.seed)), nq)
            gen_s = time.perf_counter() - t
            print(f"generated {n:,} quads in {len(graphs)} graphs in {gen_s:.1f} s", file=sys.stderr)
            res = run_dataset("synthetic", nq, work, backends, ns)
            res.update(generate_s=gen_s, graphs=len(graphs), nq_bytes=nq.stat().st_size)
            all_res["datasets"]["synthetic"] = res
    finally:
        if not ns.workdir:
            shutil.rmtree(work, ignore_errors=True)

    all_res["loadavg_end"] = os.getloadavg()
    return report(all_res, ns, argv, backends)


def report(all_res: dict[str, Any], ns: argparse.Namespace, argv: list[str], backends: list[str]) -> int:
    m = all_res["machine"]
    print(f"\nMachine: {m['cpu']} × {m['nproc']}, RAM {m['ram']}, Python {m['python']}, rdflib {m['rdflib']}, "
          f"pyoxigraph {m['pyoxigraph']}, oxrdflib {m['oxrdflib']}")
    for label, res in all_res["datasets"].items():
        print(f"\n### {label}" + (f" (stand-in: {res['note']})" if res.get("note") else ""))
        print(tables(res))
    if "synthetic" in all_res["datasets"] and {"oxigraph", "rdflib-memory"} <= set(backends):
        best, why = choose_default(all_res["datasets"]["synthetic"])
        print(f"\nDefault store: {best} — {why}")
    if ns.json:
        ns.json.write_text(json.dumps(all_res, indent=2, ensure_ascii=False), encoding="utf-8")
    if ns.write_doc:
        write_doc(ns.write_doc, all_res, ns, argv)
        print(f"wrote {ns.write_doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
