"""Kill real ingests of the seeds with SIGKILL at random moments, then check, repair and
compare with a clean ingest (issue 11).

Run (under ``nice``; each round is a real ``plankg`` subprocess, ~20-60 s on 2 busy cores)::

    nice -n 10 python scripts/kill9_ingest.py --rounds 20 [--seed 11] [--seeds ../shared/seeds]

Each round starts a fresh home in one of three states and runs one command in its own
process group, killed with SIGKILL (all of its processes: the CLI and its extraction
workers) after a random delay drawn uniformly below the command's time (the clean ingest's at
first, then the last time this command ran to its end before its kill came):

- ``add``: an empty home, ``plankg ingest SEEDS``;
- ``add-more``: a home holding the first three seeds, ``plankg ingest SEEDS``;
- ``remove``: a home holding all seeds, ``plankg remove <the fourth seed>``.

Then ``plankg check --json`` (what it reports is counted), then the recovery: on even rounds
``plankg check --repair`` first, then the command again (for ``remove``: ``remove`` if the
source is still recorded, else a plain ``ingest`` of the remaining seeds, which must
complete the interrupted journal itself). Then ``plankg check`` must be clean and every
named graph must equal the clean run's, apart from ``pk:ingestedAt`` and blank-node labels.

Each home starts with the clean run's embedding cache (``index/embeddings``), as a home
that embedded these texts before would: the rounds test the writes of ingest, not the
embedding model's speed. ``--cold`` leaves it out.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLANKG = [sys.executable, "-c", "from plankg.api.cli import app; app()"]
INGESTED_AT = "https://w3id.org/plankg/ontology#ingestedAt"


def plankg(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANKG_HOME": str(home)}
    res = subprocess.run([*PLANKG, *args], env=env, capture_output=True, text=True)
    if check and res.returncode != 0:
        raise SystemExit(f"plankg {' '.join(args)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return res


def quads(home: Path) -> dict[str, object]:
    """Every named graph of the home's store as an rdflib Graph, without ingest timestamps."""
    import rdflib

    from plankg.config import Settings
    from plankg.store.open import open_store

    with open_store(Settings(home=home), read_only=True) as store:
        out = {}
        for g in store.graph_names():
            graph = rdflib.Graph()
            for t in store.get_graph(g):
                if str(t[1]) != INGESTED_AT:
                    graph.add(t)
            out[g] = graph
    return out


def same(a: dict[str, object], b: dict[str, object]) -> str | None:
    """None when the two stores hold the same graphs (isomorphic), else what differs."""
    from rdflib.compare import isomorphic

    if sorted(a) != sorted(b):
        return f"graphs differ: {sorted(set(a) ^ set(b))}"
    for g in a:
        if not isomorphic(a[g], b[g]):  # type: ignore[arg-type]
            return f"graph {g} differs"
    return None


def run_killed(home: Path, args: list[str], delay: float) -> tuple[bool, float]:
    """Run ``plankg args`` and SIGKILL its whole process group after ``delay`` seconds.
    Returns (killed, seconds it ran); False when it finished first."""
    env = {**os.environ, "PLANKG_HOME": str(home)}
    started = time.perf_counter()
    proc = subprocess.Popen([*PLANKG, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        proc.wait(timeout=delay)
        return False, time.perf_counter() - started
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return True, time.perf_counter() - started


def checked(home: Path) -> dict:
    res = plankg(home, "check", "--json", check=False)
    return json.loads(res.stdout)


class Lab:
    """The reference homes and the start states, built once."""

    def __init__(self, work: Path, seeds: list[Path], cold: bool) -> None:
        self.work, self.seeds, self.cold = work, seeds, cold
        self.folder = work / "seeds"
        self.folder.mkdir(exist_ok=True)
        for s in seeds:
            shutil.copy(s, self.folder / s.name)
        self.gone = seeds[3].name  # the source the remove rounds drop
        self.rest = [str(self.folder / s.name) for s in seeds if s.name != self.gone]

    def build(self) -> None:
        t = time.perf_counter()
        plankg(self.work / "full", "ingest", str(self.folder))
        print(f"clean ingest of {len(self.seeds)} seeds: {time.perf_counter() - t:.1f} s (cold)", flush=True)
        self.cache = self.work / "full" / "index" / "embeddings"
        self.start_empty = self.work / "start-empty"
        self._seeded(self.start_empty)
        self.start_three = self.work / "start-three"
        self._seeded(self.start_three)
        plankg(self.start_three, "ingest", *[str(self.folder / s.name) for s in self.seeds[:3]])
        self.without = self.work / "without"
        self._seeded(self.without)
        plankg(self.without, "ingest", *self.rest)
        t = time.perf_counter()
        warm = self.work / "warm"
        self._seeded(warm)
        plankg(warm, "ingest", str(self.folder))
        self.seconds = time.perf_counter() - t
        print(f"clean ingest with the embedding cache: {self.seconds:.1f} s (the kill delays are drawn below it)",
              flush=True)
        (self.work / "lab.json").write_text(json.dumps({"seconds": self.seconds}), "utf-8")
        self.load_clean()

    def reuse(self) -> None:
        """The reference homes of an earlier run's work folder (``--reuse``)."""
        self.cache = self.work / "full" / "index" / "embeddings"
        self.start_empty, self.start_three, self.without = (self.work / n for n in ("start-empty", "start-three",
                                                                                   "without"))
        self.seconds = json.loads((self.work / "lab.json").read_text("utf-8"))["seconds"]
        print(f"reusing {self.work}: clean ingest with the embedding cache took {self.seconds:.1f} s", flush=True)
        self.load_clean()

    def load_clean(self) -> None:
        self.clean = {"full": quads(self.work / "full"), "without": quads(self.without)}

    def _seeded(self, home: Path) -> None:
        home.mkdir()
        if not self.cold and self.cache.is_dir():
            shutil.copytree(self.cache, home / "index" / "embeddings")

    def start(self, scenario: str, home: Path) -> list[str]:
        """Lay the round's home; returns the command to kill."""
        if scenario == "add":
            shutil.copytree(self.start_empty, home)
            return ["ingest", str(self.folder)]
        if scenario == "add-more":
            shutil.copytree(self.start_three, home)
            return ["ingest", str(self.folder)]
        shutil.copytree(self.work / "full", home)
        return ["remove", self.gone]

    def recover(self, scenario: str, home: Path, repair: bool) -> None:
        if repair:
            plankg(home, "check", "--repair")
        if scenario != "remove":
            plankg(home, "ingest", str(self.folder))
            return
        recorded = json.loads(plankg(home, "sources", "--json").stdout or "[]")
        if not any(s["name"] == self.gone for s in recorded):
            plankg(home, "ingest", *self.rest)  # must complete an interrupted journal by itself
            return
        # still recorded; but an unfinished journal may already drop it: then remove completes
        # that journal first and has nothing left to remove ("chưa được nạp", exit 1)
        res = plankg(home, "remove", self.gone, check=False)
        if res.returncode != 0 and "chưa được nạp" not in res.stdout + res.stderr:
            raise SystemExit(f"plankg remove failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=os.environ.get("PLANKG_SEEDS", str(REPO.parent / "shared" / "seeds")))
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=11, help="random seed (fixed: the same kill moments every run)")
    ap.add_argument("--cold", action="store_true", help="no embedding cache in the rounds' homes")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (printed)")
    ap.add_argument("--reuse", type=Path, default=None,
                    help="the work folder of an earlier run (kept): reuse its clean homes, skip building them")
    args = ap.parse_args()
    seeds = sorted(p for p in Path(args.seeds).iterdir() if p.is_file())
    if len(seeds) < 4:
        raise SystemExit(f"need at least 4 seed files in {args.seeds}")
    rng = random.Random(args.seed)
    work = args.reuse or Path(tempfile.mkdtemp(prefix="plankg-kill9-"))
    lab = Lab(work, seeds, args.cold)
    if args.reuse:
        lab.reuse()
    else:
        lab.build()
    tally: Counter[str] = Counter()
    failures: list[str] = []
    took = {"add": lab.seconds, "add-more": lab.seconds, "remove": lab.seconds}  # last uninterrupted run of each
    for i in range(1, args.rounds + 1):
        scenario = rng.choice(["add", "add-more", "remove"])
        delay = 0.5 + rng.random() * (took[scenario] - 0.5)
        home = work / f"round-{i:03d}"
        shutil.rmtree(home, ignore_errors=True)
        command = lab.start(scenario, home)
        killed, ran = run_killed(home, command, delay)
        if not killed:  # it ran shorter than the clean ingest: draw later kills of this command below its time
            took[scenario] = ran
        report = checked(home)
        damage = sorted({f["code"] for f in report["findings"] if f["damage"]})
        tally["killed" if killed else "finished before the kill"] += 1
        tally["damage reported" if damage else "no damage reported"] += 1
        lab.recover(scenario, home, repair=i % 2 == 0)
        final = checked(home)
        diff = same(quads(home), lab.clean["without" if scenario == "remove" else "full"])
        ok = final["ok"] and diff is None
        tally["recovered = clean" if ok else "NOT recovered"] += 1
        if not ok:
            failures.append(f"round {i} ({scenario}, killed at {ran:.1f} s): check ok={final['ok']}, {diff}")
        print(f"round {i:2d}: {scenario:8s} {'killed' if killed else 'finished'} at {ran:5.1f} s; "
              f"check: {', '.join(damage) or 'no damage'}; recovered by {'repair + ' if i % 2 == 0 else ''}re-run: "
              f"{'equal to clean' if ok else 'DIFFERENT'}", flush=True)
        shutil.rmtree(home, ignore_errors=True)
    print(f"\nsummary over {args.rounds} rounds (seed {args.seed}, load average {os.getloadavg()[0]:.2f}): "
          + "; ".join(f"{k}: {v}" for k, v in sorted(tally.items())))
    for f in failures:
        print("FAILED", f)
    if args.keep or args.reuse:
        print(f"work folder: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
