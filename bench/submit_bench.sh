#!/usr/bin/env bash
# Whole-process latency of `renderq submit` beside task-spooler (`tsp`) and
# `nq` measured in the same run, plus `renderq status` and
# `renderq list --limit 50`. Prints one table: median and p95 in ms.
#
# Usage: bench/submit_bench.sh [RENDERQ_BINARY]   (default build/cli/renderq)
#   RUNS=N      runs per command (default 300, at least 200)
#   FILL=N      extra jobs in the queue before status/list are timed (default 1000)
#   BENCH_DIR   where the private queues go (default /tmp; use a real disk)
#
# Every run is one fork+exec from bash, timed with $EPOCHREALTIME around it;
# the tools are interleaved run by run so that background noise hits them
# alike. Each tool gets a private queue in a temp folder, removed at exit.
# Target: renderq submit's median no slower than tsp's, while renderq commits
# durably (synchronous=FULL: the strace line below counts the syncs).
set -euo pipefail
cd "$(dirname "$0")/.."
renderq=$(realpath "${1:-build/cli/renderq}")
runs=${RUNS:-300}
fill=${FILL:-1000}
[ "$runs" -ge 200 ] || { echo "RUNS must be at least 200" >&2; exit 2; }
for tool in tsp nq python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-deps.sh all" >&2; exit 2; }
done

work=$(mktemp -d "${BENCH_DIR:-/tmp}/renderq-bench.XXXXXX")
export TS_SOCKET=$work/tsp.socket TMPDIR=$work NQDIR=$work/nq RENDERQ_SPOOL=$work/spool
cleanup() { tsp -K >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/out" "$NQDIR"
scene=$(realpath tests/data/samples/Box/glTF-Binary/Box.glb)

# time_one FILE CMD...: appends the command's wall time in ms to FILE.
time_one() {
  local file=$1 t0 t1
  shift
  t0=$EPOCHREALTIME
  "$@" >/dev/null
  t1=$EPOCHREALTIME
  echo "$t0 $t1" >>"$file"
}

# Warm up: start tsp's server, create the spool, fill the page cache.
tsp true >/dev/null
nq true >/dev/null
"$renderq" submit "$scene" -o "$work/out/warm.png" >/dev/null

for ((i = 0; i < runs; i++)); do
  time_one "$work/t.renderq" "$renderq" submit "$scene" -o "$work/out/b.png"
  time_one "$work/t.tsp" tsp true
  time_one "$work/t.nq" nq true
done

# status and list on a queue of FILL+ jobs (no daemon: all queued).
python3 - "$renderq" "$scene" "$work/out/f.png" "$fill" <<'PY'
import subprocess, sys
renderq, scene, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
for _ in range(n):
    subprocess.run([renderq, "submit", scene, "-o", out], check=True, stdout=subprocess.DEVNULL)
PY
last=$("$renderq" list --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
middle=$((last / 2))
for ((i = 0; i < runs; i++)); do
  time_one "$work/t.status" "$renderq" status "$middle"
  time_one "$work/t.list" "$renderq" list --limit 50
done

# Durability check: the syncs one submit makes.
syncs="(strace not installed)"
if command -v strace >/dev/null; then
  syncs=$(strace -f -e trace=fsync,fdatasync,sync_file_range -o "$work/strace" \
    "$renderq" submit "$scene" -o "$work/out/s.png" >/dev/null && grep -c 'sync' "$work/strace" || true)
fi

stats() {  # FILE -> "median p95" in ms
  awk '{printf "%.6f\n", ($2 - $1) * 1000}' "$1" | sort -n |
    awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
         p = v[int(NR * 0.95 + 0.999999)]; printf "%.3f %.3f\n", m, p}'
}
jobs=$("$renderq" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
printf '%-34s %6s %10s %10s\n' "command (whole process)" runs "median ms" "p95 ms"
row() { read -r m p < <(stats "$2"); printf '%-34s %6d %10s %10s\n' "$1" "$(wc -l <"$2")" "$m" "$p"; }
row "renderq submit (durable)" "$work/t.renderq"
row "tsp true" "$work/t.tsp"
row "nq true" "$work/t.nq"
row "renderq status ID ($jobs jobs)" "$work/t.status"
row "renderq list --limit 50 ($jobs jobs)" "$work/t.list"
read -r rq _ < <(stats "$work/t.renderq")
read -r ts _ < <(stats "$work/t.tsp")
echo "renderq submit median / tsp median: $(awk -v a="$rq" -v b="$ts" 'BEGIN {printf "%.2f", a / b}')"
echo "fsync/fdatasync calls in one renderq submit: $syncs"
echo "machine: $(nproc) cores, $(uname -r), spool on $(stat -f -c %T "$work")"
