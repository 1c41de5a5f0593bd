"""Scale series: ingest, incremental change latency and search as the corpus grows.

Real documents first (the seeds, then the state and party documents of the corpus listed
in ``tests/gold/corpus/inventory.json``, as ``benchmarks/corpus_run.py`` selects them),
then synthetic plans made from real ones (:func:`synthetic_text`: other localities,
numbers, dates and wording), ingested cumulatively into one PLANKG_HOME. At each size:

* ingest wall time of the batch that reached the size, documents/s, texts embedded/s;
* peak RSS of this process and its children (``ru_maxrss``: ingest runs in-process here,
  so this is the ingest's peak); disk used by PLANKG_HOME;
* add-one, change-one and remove-one latency of a fresh document: total, the document's
  own extraction (``FileResult.seconds``) and embedding (index ``timings.embed``), and the
  rest — the part that grows with the corpus (graph update, index update);
* search p50/p95 (warm, in-process), the first query after the index is reopened, the
  competency queries; the load average (the machine is shared).

The bulk load uses the hash embedder of the tests (``--embedder hash``, no model: the
default model embeds ~6.5 texts/s on 2 cores); ``--model-texts N`` times the configured
default model on N item texts separately.

Run: ``nice -n 10 python benchmarks/scale_series.py --corpus /work/corpus/src/etl/dataset
--sizes 25,100,300,1000 --budget-minutes 20 --out /tmp/scale.json``. Prints one JSON line
per size and a Markdown table at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PROVINCES = ["Bình Phước", "Đồng Nai", "Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Quảng Ninh",
             "Nghệ An", "Thanh Hóa", "Lâm Đồng", "Khánh Hòa", "Bắc Ninh", "Thái Nguyên", "An Giang", "Lào Cai",
             "Đắk Lắk", "Gia Lai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "Tuyên Quang", "Phú Thọ"]
WORDING = [("triển khai", "thực hiện"), ("đẩy mạnh", "tăng cường"), ("nâng cao", "cải thiện"),
           ("xây dựng", "hình thành"), ("hoàn thành", "hoàn tất"), ("chủ động", "tích cực")]
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


def synthetic_text(text: str, rng: random.Random) -> str:
    """A plausible other plan from a real one: every province name mapped to another, every
    document number and date shifted, some verbs reworded (order-preserving)."""
    mapping = dict(zip(PROVINCES, rng.sample(PROVINCES, len(PROVINCES))))
    pattern = re.compile("|".join(re.escape(p) for p in sorted(PROVINCES, key=len, reverse=True)))
    text = pattern.sub(lambda m: mapping[m.group(0)], text)
    upper = {p.upper(): mapping[p].upper() for p in PROVINCES}
    pattern_up = re.compile("|".join(re.escape(p) for p in sorted(upper, key=len, reverse=True)))
    text = pattern_up.sub(lambda m: upper[m.group(0)], text)
    shift = rng.randint(1, 900)
    text = re.sub(r"(?<![\d/])(\d{1,4})(?=(?:/\d{4})?/[A-ZĐ]{1,6}-|-[A-ZĐ]{2,6}/)",
                  lambda m: str((int(m.group(1)) + shift) % 9000 + 1), text)
    text = re.sub(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (20\d\d)",
                  lambda m: f"ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {rng.choice((2024, 2025, 2026))}",
                  text)
    for a, b in WORDING:
        if rng.random() < 0.5:
            text = text.replace(a, b)
    return text


class Documents:
    """Real files first, then synthetic ones written under ``folder``; each used once."""

    def __init__(self, real: list[Path], folder: Path, seed: int = 57) -> None:
        self.real, self.folder, self.rng = list(real), folder, random.Random(seed)
        self.used = 0
        self.synthetic = 0
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, n: int) -> list[Path]:
        out: list[Path] = []
        for _ in range(n):
            if self.used < len(self.real):
                out.append(self.real[self.used])
            else:
                src = self.real[self.rng.randrange(len(self.real))]
                self.synthetic += 1
                dest = self.folder / f"synthetic-{self.synthetic:05d}{src.suffix}"
                dest.write_text(synthetic_text(src.read_text("utf-8", errors="replace"), self.rng), "utf-8")
                out.append(dest)
            self.used += 1
        return out


# --------------------------------------------------------------------------- measuring

def peak_rss_mb() -> float:
    """Peak resident memory of this process plus its (waited-for) children, MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + kids) / 1024, 1)


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


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    from plankg.search.index.embedders import register_backend
    from tests.fake_embedders import HashEmbedder

    register_backend("hash", lambda arg, opts: HashEmbedder("hash", 384))
    os.environ["PLANKG_EMBEDDER"] = args.embedder
    work = Path(tempfile.mkdtemp(prefix="plankg-scale-"))
    docs = Documents(real_documents(Path(args.seeds), Path(args.corpus) if args.corpus else None), work / "files")
    bench = Bench(work / "home")
    rng = random.Random(7)
    deadline = time.monotonic() + args.budget_minutes * 60
    rows: list[dict[str, Any]] = []
    have = 0
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            if time.monotonic() > deadline:
                print(f"budget spent: stopping before {size}", file=sys.stderr)
                break
            batch = docs.take(size - have)
            load_before = load()
            t = time.perf_counter()
            step = bench.ingest(batch)
            wall = time.perf_counter() - t
            have = size
            row: dict[str, Any] = {"size": size, "real": min(size, len(docs.real)), "synthetic": max(0, size - len(docs.real)),
                                   "ingest_s": round(wall, 1), "docs_per_s": round(len(batch) / wall, 2),
                                   "texts_per_s": round(step["texts"] / max(step["index"], 1e-9), 1),
                                   "failed": step["failed"], "peak_rss_mb": peak_rss_mb(), "disk_mb": disk_mb(bench.home),
                                   "triples": bench.store.triple_count(), "load_before": load_before}
            extra = docs.take(1)[0]
            added = bench.ingest([extra])
            change_one(extra, rng)
            changed = bench.ingest([extra])
            removed = bench.remove(extra.name)
            for label, m in (("add", added), ("change", changed), ("remove", removed)):
                row[f"{label}_total_s"] = round(m["total"], 2)
                row[f"{label}_own_s"] = round(m["own_extraction"] + m["own_embedding"], 2)
                row[f"{label}_grows_s"] = round(m["grows"], 2)
                row[f"{label}_detail"] = {"graph_s": round(m["graph"], 2), "index_s": round(m["index"], 2),
                                          "build": {k: round(v, 3) if isinstance(v, float) else v
                                                    for k, v in m["build"].items()},
                                          "index_timings": m["index_timings"]}
            row |= bench.search() | bench.competency()
            from plankg.search.index.builder import index_info

            row["items"] = (index_info(bench.settings).get("counts") or {}).get("items")
            row["load_after"] = load()
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
    head = ("| docs (real+synth) | triples | items | ingest s | docs/s | peak RSS MB | disk MB | add grows / own s "
            "| change grows / own s | remove s | search p50/p95 ms | first query ms | competency median/max ms | load |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        lines.append(f"| {r['size']} ({r['real']}+{r['synthetic']}) | {r['triples']:,} | {r.get('items')} | {r['ingest_s']} "
                     f"| {r['docs_per_s']} | {r['peak_rss_mb']} | {r['disk_mb']} | {r['add_grows_s']} / {r['add_own_s']} "
                     f"| {r['change_grows_s']} / {r['change_own_s']} | {r['remove_total_s']} | {r['p50_ms']} / {r['p95_ms']} "
                     f"| {r['first_ms']} | {r['competency_median_ms']} / {r['competency_max_ms']} "
                     f"| {r['load_before']}–{r['load_after']} |")
    for key in ("add_grows_s", "change_grows_s", "remove_total_s"):
        lines.append(f"\nexponent of {key}: {exponent(rows, key)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=os.environ.get("PLANKG_SEEDS", str(REPO.parent / "shared" / "seeds")))
    ap.add_argument("--corpus", default=None, help="the scraped corpus folder (state/party documents are used)")
    ap.add_argument("--sizes", default="25,100,300,1000,3000")
    ap.add_argument("--budget-minutes", type=float, default=20.0, help="no new size is started after this")
    ap.add_argument("--embedder", default="hash", help="embedder of the bulk load (hash: no model)")
    ap.add_argument("--model-texts", type=int, default=0, help="time the default model on N texts afterwards")
    ap.add_argument("--out", default=None)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args(argv)
    rows = run(args)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
