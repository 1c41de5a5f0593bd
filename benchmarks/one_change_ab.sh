#!/bin/bash
# Before/after of one add, change and remove on the same kept home (issue #11, growing part).
# Usage: benchmarks/one_change_ab.sh HOME BEFORE_SITE OUT [FILE]
#   HOME         a kept home (scale_series.py --keep: <work>/home); copied twice, never changed
#   BEFORE_SITE  the "before" code staged: `python .ci/stage.py DIR` from a checkout of that
#                commit, then copy its benchmarks/ and tests/ and this branch's
#                benchmarks/profile_one_doc.py into DIR/site; pass DIR/site
#   OUT          the log written (one "=====" line per step and side)
# A warm-up add and remove come first (the first update after a bulk load merges BM25);
# STEPS=add,change,remove leaves it out (a home whose first update was made already).
set -u
SRC=$1; BEFORE=$2; OUT=$3
FILE=${4:-/work/corpus/src/etl/dataset/be5392d4f50c27a6.md}
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python}
WORK=$(mktemp -d /tmp/one-change-ab-XXXX)
: > "$OUT"
for side in before after; do cp -a "$SRC" "$WORK/$side"; done
for side in before after; do
  echo "##### $side $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
  if [ "$side" = before ]; then cd "$BEFORE"; else cd "$REPO"; fi
  nice -n 10 "$PY" benchmarks/profile_one_doc.py --home "$WORK/$side" --no-copy --file "$FILE" --top 0 \
      --steps "${STEPS:-add,remove,add,change,remove}" 2>&1 | grep -v "Warning\|warn(" >> "$OUT"
done
echo "##### done $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
rm -rf "$WORK"
