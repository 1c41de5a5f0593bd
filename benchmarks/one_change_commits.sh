#!/bin/bash
# One add, change and remove on a kept home (benchmarks/one_change_on_home.py), for several
# commits of this repository run in turn, and the turns repeated (A B A B …), so that each
# commit meets the same load on this shared machine (issue #11, growing part).
# Usage: benchmarks/one_change_commits.sh HOME FILE OUT COMMIT...
#   HOME    a kept home (scale_series.py --keep: <work>/home); one_change_on_home.py copies it
#   FILE    the fresh document to add, change and remove
#   OUT     the log written: one "#####" line per run (commit, time, load), then its rounds
#   COMMIT  commits to compare, each staged from `git archive` as an importable tree (the
#           top-level folders mapped to plankg.* by symbolic links, as pyproject's package-dir)
# PASSES (default 2) turns over the commits; REPEAT (default 3) rounds per run, the first of
# which pays what a process pays once (read the later, warm rounds).
set -eu
SRC=$1; FILE=$2; OUT=$3; shift 3
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python}
WORK=$(mktemp -d /tmp/one-change-commits-XXXX)
trap 'rm -rf "$WORK"' EXIT
for c in "$@"; do
  d="$WORK/$c"; mkdir -p "$d/src" "$d/site/plankg"
  git -C "$REPO" archive "$c" | tar -x -C "$d/src"
  for f in "$d"/src/plankg/*; do ln -s "$f" "$d/site/plankg/"; done
  for p in ontology ingest store search api; do ln -s "$d/src/$p" "$d/site/plankg/$p"; done
  cp -r "$d/src/benchmarks" "$d/src/tests" "$d/site/"
done
: > "$OUT"
for pass in $(seq "${PASSES:-2}"); do
  for c in "$@"; do
    echo "##### $c pass $pass $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
    (cd "$WORK/$c/site" && nice -n 5 "$PY" benchmarks/one_change_on_home.py --home "$SRC" --file "$FILE" \
        --repeat "${REPEAT:-3}" 2>&1 | grep -v "Warning\|warn(" >> "$OUT") || true
  done
done
echo "##### done $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
