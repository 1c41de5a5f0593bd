"""Search latency and index build time on the seeds.

Measures, on this machine (load average printed: other processes change the figures):

* index build: from scratch (empty embedding cache), rebuild with a warm cache, and the
  no-op update run after an unchanged ingest;
* query latency in-process, warm (model loaded, index open, one warm-up query excluded):
  p50/p95 over distinct queries seen for the first time (each pays its query embedding),
  and over the same queries again (query embeddings cached, as for paging/facet clicks);
* over HTTP when ``plankg.api.server.create_app`` exists (FastAPI TestClient in this
  process, ``GET /api/search?q=…``, query-embedding cache cleared first): the same two
  passes; otherwise it says the API is pending.

    python benchmarks/search_latency.py --seeds ../shared/seeds --home /tmp/plankg-latency [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]

EXTRA_QUERIES = [
    "nhiệm vụ của Sở Tài chính năm 2026", "chỉ tiêu năm 2030", "dịch vụ công trực tuyến toàn trình",
    "kinh te so", "Sở Giáo dục và Đào tạo", "trung tâm dữ liệu tỉnh", "nền tảng số dùng chung",
    "tuyên truyền Nghị quyết 57", "hợp tác quốc tế", "khởi nghiệp sáng tạo", "nhan luc chat luong cao",
    "chính quyền địa phương hai cấp", "định danh điện tử VNeID", "kế hoạch năm 2025", "Đề án 06 Công an tỉnh",
]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p * (len(xs) - 1))))]


def summary(xs: list[float]) -> dict[str, float]:
    ms = [1000 * x for x in xs]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(pct(ms, 0.95), 1),
            "max_ms": round(max(ms), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=Path(os.environ.get("PLANKG_SEEDS", REPO.parent / "shared" / "seeds")))
    ap.add_argument("--home", type=Path, default=Path("/tmp/plankg-search-latency"))
    ap.add_argument("--skip-cold", action="store_true", help="do not rebuild with an empty embedding cache")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO / "benchmarks"))
    from search_eval import open_seeded

    from plankg.search.evaluation import load_eval_set
    from plankg.search.index.builder import build_index, load_index, update_index
    from plankg.search.service import search

    report: dict[str, object] = {"load_average": os.getloadavg(), "cpus": os.cpu_count()}
    settings, store = open_seeded(args.home, args.seeds)

    builds = {}
    if not args.skip_cold:
        shutil.rmtree(settings.index_path, ignore_errors=True)
        t0 = time.perf_counter()
        info = build_index(settings, store, rebuild=True)
        builds["from_scratch_s"] = round(time.perf_counter() - t0, 1)
        builds["texts_embedded"] = info.get("embedded_texts")
        builds["items"] = info["counts"]["items"]
        builds["breakdown_s"] = json.loads((settings.index_path / "meta.json").read_text("utf-8")).get("timings")
    t0 = time.perf_counter()
    build_index(settings, store, rebuild=True)
    builds["rebuild_warm_cache_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    update_index(settings, store)
    builds["update_unchanged_s"] = round(time.perf_counter() - t0, 3)
    report["index_build"] = builds
    print("index build:", json.dumps(builds, ensure_ascii=False))

    queries = list(dict.fromkeys([q.query for q in load_eval_set(REPO / "tests" / "search_eval.json")] + EXTRA_QUERIES))
    t0 = time.perf_counter()
    load_index(settings, store)
    search(settings, store, "khởi động", k=10)  # first model load + first query: excluded
    report["first_query_with_model_load_s"] = round(time.perf_counter() - t0, 2)
    first, again = [], []
    for q in queries:
        t0 = time.perf_counter()
        search(settings, store, q, k=10)
        first.append(time.perf_counter() - t0)
    for q in queries:
        t0 = time.perf_counter()
        search(settings, store, q, k=10)
        again.append(time.perf_counter() - t0)
    report["in_process_first_time"] = summary(first)
    report["in_process_repeated"] = summary(again)
    print(f"in-process, {len(queries)} distinct queries, first time: {report['in_process_first_time']}")
    print(f"in-process, same queries again (embedding cached): {report['in_process_repeated']}")
    store.close()

    try:
        from plankg.api.server import create_app
    except ImportError:
        report["http"] = "pending: plankg.api.server.create_app does not exist yet"
        print("HTTP: pending (plankg.api.server.create_app does not exist yet)")
    else:
        report["http"] = _http(create_app, queries)
        print("HTTP:", report["http"])
    report["load_average_after"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    return 0


def _http(create_app, queries: list[str]) -> object:
    try:
        from fastapi.testclient import TestClient
    except ImportError as exc:  # httpx missing
        return f"not measured: {exc}"
    from plankg.search import service

    service._EMBED_CACHE.clear()  # the queries are new to the HTTP run too
    out: dict[str, object] = {"via": "FastAPI TestClient, GET /api/search?q=…&k=10"}
    with TestClient(create_app()) as client:
        r = client.get("/api/search", params={"q": "khởi động", "k": 10})
        if r.status_code != 200:
            return f"not measured: GET /api/search answered {r.status_code}"
        for label in ("first_time", "repeated"):
            times = []
            for q in queries:
                t0 = time.perf_counter()
                r = client.get("/api/search", params={"q": q, "k": 10})
                times.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    return f"not measured: GET /api/search?q={q!r} answered {r.status_code}"
            out[label] = summary(times)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
