#!/usr/bin/env bash
# Queueing many jobs: N jobs through one `renderq submit --batch` against N
# `tsp` calls and N single `renderq submit` calls, on private queues in the
# same run. Prints one table: total seconds, jobs per second and the ratio
# to tsp. Target (issue 16): the batch at least 50x faster than tsp.
#
# Usage: bench/batch_bench.sh [RENDERQ_BINARY]   (default build/cli/renderq)
#   N=COUNT     jobs per tool (default 10000)
#   REPEAT=R    batch repetitions, median reported (default 3)
#   BENCH_DIR   where the private queues go (default /tmp)
#
# tsp runs each `true` as it comes on one slot (a tsp job that waits keeps
# a client process alive, so queuing 10,000 behind a long job exhausts the
# server's connections); its finished list is kept short. renderq's jobs
# only queue (no daemon runs). Every tool is timed with $EPOCHREALTIME
# around the whole loop.
set -euo pipefail
cd "$(dirname "$0")/.."
renderq=$(realpath "${1:-build/cli/renderq}")
n=${N:-10000}
repeat=${REPEAT:-3}
command -v tsp >/dev/null || { echo "missing tsp: run scripts/install-deps.sh all" >&2; exit 2; }
work=$(mktemp -d "${BENCH_DIR:-/tmp}/renderq-batch.XXXXXX")
export TS_SOCKET=$work/tsp.socket TMPDIR=$work TS_SLOTS=1 TS_MAXFINISHED=10
cleanup() {
  [ -S "$TS_SOCKET" ] && tsp -K >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
scene=$(realpath tests/data/samples/Box/glTF-Binary/Box.glb)
mkdir -p "$work/out"
now() { echo "$EPOCHREALTIME"; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }

python3 - "$scene" "$work/out" "$n" >"$work/jobs.jsonl" <<'PY'
import json, sys
scene, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):
    print(json.dumps({"spec": {"scene": scene, "output": f"{out}/j{i}.png", "width": 64, "height": 64}}))
PY

# --batch, REPEAT times on fresh spools; the median total.
batch_times=()
for r in $(seq "$repeat"); do
  t0=$(now)
  RENDERQ_SPOOL=$work/spool-batch-$r "$renderq" submit --batch "$work/jobs.jsonl" >"$work/batch.ids" 2>/dev/null
  t1=$(now)
  [ "$(wc -l <"$work/batch.ids")" -eq "$n" ] || { echo "bench: --batch printed $(wc -l <"$work/batch.ids") ids, want $n" >&2; exit 1; }
  batch_times+=("$(secs "$t0" "$t1")")
done
batch=$(printf '%s\n' "${batch_times[@]}" | sort -n | sed -n "$(((repeat + 1) / 2))p")

# tsp: N `true`s.
t0=$(now)
for i in $(seq "$n"); do tsp true >/dev/null; done
t1=$(now)
tsp_total=$(secs "$t0" "$t1")

# N single submits.
t0=$(now)
for i in $(seq "$n"); do
  RENDERQ_SPOOL=$work/spool-single "$renderq" submit "$scene" -o "$work/out/s$i.png" --size 64x64 >/dev/null 2>&1
done
t1=$(now)
single=$(secs "$t0" "$t1")

python3 - "$n" "$batch" "$tsp_total" "$single" "$(cut -d' ' -f1-3 /proc/loadavg)" "${batch_times[*]}" <<'PY'
import sys
n = int(sys.argv[1]); batch, tsp, single = map(float, sys.argv[2:5])
print(f"queueing {n} jobs (load {sys.argv[5]}; --batch runs: {sys.argv[6]} s)")
print(f"| {'how':<40} | {'total s':>8} | {'jobs/s':>9} | {'vs tsp':>7} |")
print(f"|{'-'*42}|{'-'*10}|{'-'*11}|{'-'*9}|")
for name, t in ((f"renderq submit --batch (median of runs)", batch), (f"tsp true x{n}", tsp), (f"renderq submit x{n}", single)):
    print(f"| {name:<40} | {t:>8.3f} | {n / t:>9.0f} | {tsp / t:>6.1f}x |")
PY
