"""Scale series: ingest, incremental change latency and search as the corpus grows.

Real documents first (the seeds, then the state and party documents of the corpus listed
in ``tests/gold/corpus/inventory.json``, as ``benchmarks/corpus_run.py`` selects them),
then synthetic plans made from the real ones (``benchmarks/synthetic_plans.py``: other
localities, registry agencies, symbols, dates, numbers and wording, same file layouts),
ingested cumulatively into one PLANKG_HOME. At each size:

* ingest wall time of the batch that reached the size, documents/s, texts embedded/s;
* peak RSS summed over this process and its descendants (the extraction workers), sampled
  every 0.5 s (:class:`TreeRss`), beside ``ru_maxrss``; this process's RSS after the step
  (what the ingest keeps); disk used by PLANKG_HOME;
* add-one, change-one and remove-one latency of a fresh document: total, the document's
  own extraction (``FileResult.seconds``) and embedding (index ``timings.embed``), and the
  rest — the part that grows with the corpus (graph update, index update);
* search p50/p95 (warm, in-process), the first query after the index is reopened; with
  ``--http`` a fresh server process on the home: seconds to ``/readyz`` 200, the first
  ``/api/search`` after it, warm HTTP p50/p95; the competency queries (up to
  ``--competency-max-size``); the load average (the machine is shared).

The bulk load uses the hash embedder of the tests (``--embedder hash``, no model: the
default model embeds ~6.5 texts/s on 2 cores); ``--model-texts N`` times the configured
default model on N item texts separately.

Run: ``nice -n 10 python benchmarks/scale_series.py --corpus /work/corpus/src/etl/dataset
--sizes 40,160 --synthetic 1000,3000 --http --budget-minutes 60 --out /tmp/scale.json``.
Prints one JSON line per size and a Markdown table at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

QUERIES = ["chuyển đổi số", "bệnh án điện tử", "hạ tầng số", "dịch vụ công trực tuyến", "đào tạo nhân lực số",
           "an toàn thông tin", "kinh tế số", "chính quyền số", "sở khoa học và công nghệ", "trung tâm dữ liệu",
           "chuyen doi so", "nghị quyết 57", "thương mại điện tử", "đổi mới sáng tạo", "xã hội số",
           "ứng dụng trí tuệ nhân tạo", "cơ sở dữ liệu dân cư", "kế hoạch năm 2025", "phổ cập kỹ năng số", "5G"]


# --------------------------------------------------------------------------- documents

def real_documents(seeds: Path, corpus: Path | None) -> list[Path]:
    """The seeds, then the corpus's state and party documents (inventory order by name)."""
    files = sorted(seeds.glob("*.txt"))
    if corpus is not None:
        inventory = json.loads((REPO / "tests" / "gold" / "corpus" / "inventory.json").read_text("utf-8"))
        names = sorted(e["file"] for e in inventory if e.get("header") in ("state", "party"))
        files += [corpus / n for n in names if (corpus / n).exists()]
    return files


class Documents:
    """Real files first, then synthetic plans made from them (:mod:`benchmarks.synthetic_plans`)
    written under ``folder``; each used once."""

    def __init__(self, real: list[Path], folder: Path, seed: int = 57) -> None:
        self.real, self.folder, self.seed = list(real), folder, seed
        # the plans to vary: the corpus's Markdown when there is any. The seeds are OCR text
        # without tone marks, where the generator's locality, agency and date rules find
        # nothing, so their copies would be renditions of the seed, not other plans.
        self.templates = [p for p in self.real if p.suffix == ".md"] or self.real
        self.used = 0
        self.synthetic = 0

    def take(self, n: int) -> list[Path]:
        from benchmarks.synthetic_plans import generate_plans

        real = self.real[self.used:self.used + n]
        self.used += len(real)
        extra = n - len(real)
        made = generate_plans(self.templates, extra, self.folder, self.seed, start=self.synthetic) if extra else []
        self.synthetic += extra
        self.used += extra
        return real + made


# --------------------------------------------------------------------------- measuring

def peak_rss_mb() -> float:
    """Peak resident memory of this process plus its largest (waited-for) child, MB
    (``ru_maxrss``: a high-water mark, not a sum over processes; see :class:`TreeRss`)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + kids) / 1024, 1)


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size (pages shared with other processes, such as a forked worker's
    copy-on-write pages, counted by share), kB; 0 where unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it (from /proc/*/stat parent ids)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    out, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, pp in parent.items() if pp in frontier]
        out += frontier
    return out


class TreeRss:
    """Peak of the RSS *summed* over this process and all its descendants (the extraction
    workers), sampled every ``interval`` seconds in a background thread: the figure the #11
    goal is about (``ru_maxrss`` only gives the largest single process)."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval, self.peak_kb, self.peak_pss_kb = interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            pids = _descendants(os.getpid())
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in pids))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(p) for p in pids))

    def start(self) -> TreeRss:
        self._thread.start()
        return self

    def take_peak_mb(self) -> float:
        """The peak since the last call (then reset), MB."""
        peak, self.peak_kb = self.peak_kb, 0
        return round(peak / 1024, 1)

    def take_peak_pss_mb(self) -> float:
        """The peak of the summed PSS since the last call (then reset), MB: shared pages
        counted once, where the RSS sum counts a forked worker's inherited pages again."""
        peak, self.peak_pss_kb = self.peak_pss_kb, 0
        return round(peak / 1024, 1)

    def stop(self) -> None:
        self._stop.set()


def rss_now_mb() -> float:
    """Resident memory of this process now, MB (what the ingest keeps between steps)."""
    return round(_rss_kb(os.getpid()) / 1024, 1)


def disk_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def load() -> float:
    return round(os.getloadavg()[0], 2)


class Bench:
    def __init__(self, home: Path) -> None:
        os.environ["PLANKG_HOME"] = str(home)
        from plankg.config import load_settings
        from plankg.ingest.pipeline import Workspace
        from plankg.store.open import open_store

        self.home = home
        self.settings = load_settings()
        self.store = open_store(self.settings)
        self.ws = Workspace(self.settings, self.store)

    def ingest(self, paths: list[Path]) -> dict[str, Any]:
        from plankg.search.index.upkeep import after_change

        t0 = time.perf_counter()
        report = self.ws.ingest([str(p) for p in paths])
        t1 = time.perf_counter()
        info = after_change(self.settings, self.store)
        t2 = time.perf_counter()
        own = sum(f.seconds for f in report.files)
        embed = float((info.get("timings") or {}).get("embed", 0.0))
        return {"graph": t1 - t0, "index": t2 - t1, "total": t2 - t0, "own_extraction": own, "own_embedding": embed,
                "grows": t2 - t0 - own - embed, "failed": len(report.failed), "texts": info.get("embedded_texts", 0),
                "update": info.get("update"), "build": dict(self.ws.last_build.timings) if self.ws.last_build else {},
                "index_timings": info.get("timings")}

    def remove(self, name: str) -> dict[str, Any]:
        from plankg.search.index.upkeep import after_change

        t0 = time.perf_counter()
        self.ws.remove([name])
        t1 = time.perf_counter()
        info = after_change(self.settings, self.store)
        t2 = time.perf_counter()
        return {"graph": t1 - t0, "index": t2 - t1, "total": t2 - t0, "own_extraction": 0.0, "own_embedding": 0.0,
                "grows": t2 - t0, "build": dict(self.ws.last_build.timings), "index_timings": info.get("timings")}

    def search(self) -> dict[str, float]:
        from plankg.search.index import builder
        from plankg.search.service import search

        builder._OPEN.clear()
        t = time.perf_counter()
        search(self.settings, self.store, QUERIES[0], k=10)
        first = time.perf_counter() - t
        warm = []
        for q in QUERIES[1:] * 2:
            t = time.perf_counter()
            search(self.settings, self.store, q, k=10)
            warm.append(time.perf_counter() - t)
        return {"first_ms": round(first * 1000, 1), "p50_ms": round(pct(warm, 50) * 1000, 1),
                "p95_ms": round(pct(warm, 95) * 1000, 1)}

    def competency(self) -> dict[str, float]:
        from plankg.ontology import competency_queries
        from plankg.store.read.queries import run_query

        times = []
        for _name, q in competency_queries().items():
            t = time.perf_counter()
            run_query(self.store, self.settings, q)
            times.append(time.perf_counter() - t)
        return {"competency_median_ms": round(statistics.median(times) * 1000, 1),
                "competency_max_ms": round(max(times) * 1000, 1), "competency_queries": len(times)}


_SERVER = """
import sys
sys.path.insert(0, {repo!r})
from plankg.search.index.embedders import register_backend
from tests.fake_embedders import HashEmbedder
register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
import uvicorn
from plankg.api.server import create_app
uvicorn.run(create_app(), host="127.0.0.1", port={port}, log_level="warning")
"""


def _get(url: str, timeout: float = 30.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


def http_search(port: int, log: Path) -> dict[str, float]:
    """``plankg serve``'s app in a fresh process on this home (the caller has closed the store):
    seconds until ``/readyz`` answers 200, the first ``/api/search`` after it, then warm
    p50/p95 over HTTP."""
    from urllib.parse import quote

    base = f"http://127.0.0.1:{port}"
    with log.open("ab") as err:
        proc = subprocess.Popen([sys.executable, "-c", _SERVER.format(repo=str(REPO), port=port)],
                                stdout=subprocess.DEVNULL, stderr=err)
    try:
        t0 = time.perf_counter()
        while _get(f"{base}/readyz", 5) != 200:
            if proc.poll() is not None or time.perf_counter() - t0 > 600:
                return {"http_error": 1.0}
            time.sleep(0.1)
        ready = time.perf_counter() - t0
        times = []
        for q in QUERIES + QUERIES[1:]:
            t = time.perf_counter()
            _get(f"{base}/api/search?q={quote(q)}&k=10")
            times.append(time.perf_counter() - t)
        warm = times[1:]
        return {"readyz_s": round(ready, 1), "http_first_ms": round(times[0] * 1000, 1),
                "http_p50_ms": round(pct(warm, 50) * 1000, 1), "http_p95_ms": round(pct(warm, 95) * 1000, 1)}
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def change_one(path: Path, rng: random.Random) -> None:
    """A new version of a file: reworded and one paragraph dropped."""
    text = path.read_text("utf-8")
    paras = text.split("\n\n")
    if len(paras) > 6:
        del paras[rng.randrange(3, len(paras) - 1)]
    path.write_text("\n\n".join(paras).replace("thực hiện", "triển khai thực hiện", 1) + "\n", "utf-8")


def model_texts_per_second(n: int) -> dict[str, Any]:
    """The configured default model on ``n`` real item-like texts (a separate figure)."""
    from plankg.search.index.embedders import DEFAULT_EMBEDDER, get_embedder

    texts = [line.strip() for p in sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
             for line in p.read_text("utf-8").splitlines() if len(line.strip()) > 40][:n]
    emb = get_embedder(DEFAULT_EMBEDDER)
    emb.embed_documents(texts[:2])  # load the model
    t = time.perf_counter()
    emb.embed_documents(texts)
    dt = time.perf_counter() - t
    return {"model": emb.name, "texts": len(texts), "texts_per_s": round(len(texts) / dt, 2), "load": load()}


_BULK = """
import json, os, sys, time
sys.path.insert(0, {repo!r})
from plankg.search.index.embedders import register_backend
from tests.fake_embedders import HashEmbedder
register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
from plankg.config import load_settings
from plankg.ingest.pipeline import Workspace, ingest_lock
from plankg.search.index.upkeep import after_change
from plankg.store.open import open_store
paths = json.loads(open({paths!r}, encoding="utf-8").read())
settings = load_settings()
with ingest_lock(settings), open_store(settings, read_only=False) as store:  # as `plankg ingest` does
    ws = Workspace(settings, store)
    c0 = os.times()
    t0 = time.perf_counter()
    report = ws.ingest(paths)
    t1 = time.perf_counter()
    info = after_change(settings, store)
    t2 = time.perf_counter()
    c1 = os.times()
print(json.dumps({{"graph": t1 - t0, "index": t2 - t1, "failed": len(report.failed),
                  "cpu_main": c1.user + c1.system - c0.user - c0.system,
                  "cpu_workers": c1.children_user + c1.children_system - c0.children_user - c0.children_system,
                  "texts": info.get("embedded_texts", 0), "build": dict(ws.last_build.timings) if ws.last_build else {{}},
                  "index_timings": info.get("timings"), "update": info.get("update")}}, default=str))
"""


def ingest_in_process(bench: Bench, paths: list[Path], work: Path) -> tuple[Bench, dict[str, Any]]:
    """The bulk ingest as ``plankg ingest`` runs it: a fresh process (its extraction workers
    forked from a small parent), the ingest then the index update; the bench's store is
    closed meanwhile and reopened after."""
    listing = work / "bulk-paths.json"
    listing.write_text(json.dumps([str(p) for p in paths]), "utf-8")
    bench.store.close()
    proc = subprocess.run([sys.executable, "-c", _BULK.format(repo=str(REPO), paths=str(listing))],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"bulk ingest failed ({proc.returncode}): {proc.stderr[-3000:]}")
    step: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return Bench(bench.home), step


def bulk_step(bench: Bench, docs: Documents, size: int, have: int, ctx: dict[str, Any],
              own_process: bool) -> tuple[Bench, dict[str, Any]]:
    """Ingest the batch that brings the corpus to ``size`` documents and describe it."""
    tree: TreeRss = ctx["tree"]
    batch = docs.take(size - have)
    load_before = load()
    tree.take_peak_mb()
    tree.take_peak_pss_mb()
    t = time.perf_counter()
    if own_process:
        bench, step = ingest_in_process(bench, batch, ctx["work"])
    else:
        step = bench.ingest(batch)
    wall = time.perf_counter() - t
    index_s = step["index"]
    return bench, {
        "size": size, "real": min(size, len(docs.real)), "synthetic": max(0, size - len(docs.real)),
        "batch": len(batch), "ingest_s": round(wall, 1), "docs_per_s": round(len(batch) / wall, 2),
        "graph_s": round(step["graph"], 1), "index_s": round(index_s, 1), "bulk_process": own_process,
        # CPU seconds of the ingest process and of its extraction workers: less sensitive to
        # the shared machine's load than wall time (own process only)
        "cpu_main_s": round(step.get("cpu_main", 0.0), 1), "cpu_workers_s": round(step.get("cpu_workers", 0.0), 1),
        "cpu_s_per_doc": round((step.get("cpu_main", 0.0) + step.get("cpu_workers", 0.0)) / max(len(batch), 1), 2),
        "texts": step["texts"], "texts_per_s": round(step["texts"] / max(index_s, 1e-9), 1),
        "failed": step["failed"], "peak_rss_tree_mb": tree.take_peak_mb(), "peak_pss_tree_mb": tree.take_peak_pss_mb(),
        "peak_rss_mb": peak_rss_mb(), "rss_after_mb": rss_now_mb(), "disk_mb": disk_mb(bench.home),
        "triples": bench.store.triple_count(), "load_before": load_before, "load_during_end": load(),
        "bulk_build": {k: round(v, 2) if isinstance(v, float) else v for k, v in (step.get("build") or {}).items()},
        "bulk_index_timings": step.get("index_timings"), "bulk_update": step.get("update")}


def one_doc_steps(bench: Bench, docs: Documents, rng: random.Random, tree: TreeRss) -> dict[str, Any]:
    """Add one fresh document, change it, remove it: latency split into own and growing parts."""
    row: dict[str, Any] = {}
    original = docs.take(1)[0]
    # a copy: change_one rewrites the file, and a real one may be a seed or a corpus page
    # (an earlier version edited ../shared/seeds and the corpus checkout in place)
    extra = docs.folder / f"changed-{original.name}"
    docs.folder.mkdir(parents=True, exist_ok=True)  # a real-only series generates no synthetic plan there
    shutil.copyfile(original, extra)
    added = bench.ingest([extra])
    change_one(extra, rng)
    changed = bench.ingest([extra])
    removed = bench.remove(extra.name)
    row["one_doc_peak_rss_tree_mb"] = tree.take_peak_mb()
    for label, m in (("add", added), ("change", changed), ("remove", removed)):
        row[f"{label}_total_s"] = round(m["total"], 2)
        row[f"{label}_own_s"] = round(m["own_extraction"] + m["own_embedding"], 2)
        row[f"{label}_grows_s"] = round(m["grows"], 2)
        row[f"{label}_detail"] = {"graph_s": round(m["graph"], 2), "index_s": round(m["index"], 2),
                                  "build": {k: round(v, 3) if isinstance(v, float) else v
                                            for k, v in m["build"].items()},
                                  "index_timings": m["index_timings"]}
    return row


def measure_size(bench: Bench, docs: Documents, size: int, have: int, args: argparse.Namespace,
                 ctx: dict[str, Any]) -> tuple[Bench, dict[str, Any]]:
    """One row of the series; returns the (possibly reopened) bench and the row."""
    from plankg.search.index.builder import index_info

    bench, row = bulk_step(bench, docs, size, have, ctx, not args.bulk_in_bench)
    print(json.dumps({"bulk": row}, ensure_ascii=False), flush=True)
    row |= one_doc_steps(bench, docs, ctx["rng"], ctx["tree"])
    row |= bench.search()
    if size <= args.competency_max_size:
        row |= bench.competency()
    row["items"] = (index_info(bench.settings).get("counts") or {}).get("items")
    if args.http:
        bench.store.close()
        row |= http_search(args.port, ctx["work"] / "server.log")
        bench = Bench(bench.home)
    row["load_after"] = load()
    return bench, row


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    from plankg.search.index.embedders import register_backend
    from tests.fake_embedders import HashEmbedder

    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
    os.environ["PLANKG_EMBEDDER"] = args.embedder
    work = Path(tempfile.mkdtemp(prefix="plankg-scale-"))
    real = real_documents(Path(args.seeds), Path(args.corpus) if args.corpus else None)
    docs = Documents(real[:args.max_real] if args.max_real else real, work / "files", seed=args.seed)
    bench = Bench(work / "home")
    ctx = {"rng": random.Random(7), "tree": TreeRss().start(), "work": work}
    deadline = time.monotonic() + args.budget_minutes * 60
    sizes = [int(x) for x in args.sizes.split(",") if x] + [int(x) for x in (args.synthetic or "").split(",") if x]
    rows: list[dict[str, Any]] = []
    have = 0
    try:
        for size in sizes:
            if time.monotonic() > deadline:
                print(f"budget spent: stopping before {size}", file=sys.stderr)
                break
            bench, row = measure_size(bench, docs, size, have, args, ctx)
            have = size
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            if args.out:
                Path(args.out).write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
        if args.model_texts:
            model = model_texts_per_second(args.model_texts)
            print(json.dumps({"default_model": model}, ensure_ascii=False), flush=True)
            if args.out:
                Path(args.out).write_text(json.dumps({"sizes": rows, "default_model": model}, ensure_ascii=False,
                                                     indent=1), "utf-8")
    finally:
        ctx["tree"].stop()
        bench.store.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def exponent(rows: list[dict[str, Any]], key: str) -> float | None:
    """Least-squares slope of log(latency) on log(size): latency ∝ size^exponent."""
    import math

    pts = [(math.log(r["size"]), math.log(max(r[key], 1e-3))) for r in rows if r.get(key) is not None]
    if len(pts) < 2:
        return None
    mx, my = statistics.mean(p[0] for p in pts), statistics.mean(p[1] for p in pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / den, 2) if den else None


def table(rows: list[dict[str, Any]]) -> str:
    head = ("| docs (real+synth) | triples | items | ingest s (batch) | docs/s | texts/s | peak MB (RSS tree / PSS tree / ru_maxrss) "
            "| RSS after MB | disk MB | add grows / own s | change grows / own s | remove s | search p50/p95 ms "
            "| first query ms | /readyz s, first / p50 / p95 HTTP ms | competency median/max ms | load |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        http = (f"{r['readyz_s']}, {r['http_first_ms']} / {r['http_p50_ms']} / {r['http_p95_ms']}"
                if "readyz_s" in r else "not run")
        comp = (f"{r['competency_median_ms']} / {r['competency_max_ms']}" if "competency_median_ms" in r
                else "not run")
        lines.append(f"| {r['size']} ({r['real']}+{r['synthetic']}) | {r['triples']:,} | {r.get('items')} "
                     f"| {r['ingest_s']} ({r['batch']}) | {r['docs_per_s']} | {r['texts_per_s']} "
                     f"| {r['peak_rss_tree_mb']} / {r.get('peak_pss_tree_mb', '-')} / {r['peak_rss_mb']} | {r['rss_after_mb']} | {r['disk_mb']} "
                     f"| {r['add_grows_s']} / {r['add_own_s']} | {r['change_grows_s']} / {r['change_own_s']} "
                     f"| {r['remove_total_s']} | {r['p50_ms']} / {r['p95_ms']} | {r['first_ms']} | {http} | {comp} "
                     f"| {r['load_before']}–{r['load_after']} |")
    for key in ("add_grows_s", "change_grows_s", "remove_total_s"):
        lines.append(f"\nexponent of {key}: {exponent(rows, key)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=os.environ.get("PLANKG_SEEDS", str(REPO.parent / "shared" / "seeds")))
    ap.add_argument("--corpus", default=None, help="the scraped corpus folder (state/party documents are used)")
    ap.add_argument("--sizes", default="25,100,300", help="corpus sizes (real documents first, synthetic past them)")
    ap.add_argument("--synthetic", default="", help="further sizes, e.g. 1000,3000 (synthetic plans past the real ones)")
    ap.add_argument("--max-real", type=int, default=0, help="use only the first N real documents (0: all)")
    ap.add_argument("--seed", type=int, default=57, help="seed of the synthetic plans")
    ap.add_argument("--competency-max-size", type=int, default=10**9,
                    help="skip the competency queries above this size (one scales badly: 223 s at 320 documents)")
    ap.add_argument("--http", action="store_true", help="also time /readyz and HTTP search in a fresh server process")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--budget-minutes", type=float, default=20.0, help="no new size is started after this")
    ap.add_argument("--embedder", default="hash", help="embedder of the bulk load (hash: no model)")
    ap.add_argument("--model-texts", type=int, default=0, help="time the default model on N texts afterwards")
    ap.add_argument("--bulk-in-bench", action="store_true",
                    help="run each bulk ingest in the benchmark process (as before 2026-12-06 afternoon) instead of a "
                         "fresh process as `plankg ingest` runs it; the RSS sum then counts the grown bench's pages again "
                         "in every forked extraction worker")
    ap.add_argument("--out", default=None)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args(argv)
    rows = run(args)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
