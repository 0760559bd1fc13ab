#!/usr/bin/env bash
# Is --slots worth it? N jobs are queued while paused, the daemon starts with
# --slots S and its workers make their contexts, then the queue is resumed
# and drained; printed: seconds and jobs/s per S, and the ratio to the first S.
# Usage: [N=40] [SIZE=512x512] [SAMPLES=4] [SCENE=FILE] [SLOTS="1 2 3"] bench/slots_bench.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rq=$PWD/$build/cli/renderq
scene=${SCENE:-$PWD/tests/data/samples/Box/glTF-Binary/Box.glb}
n=${N:-40}
size=${SIZE:-512x512}
samples=${SAMPLES:-4}
slots_list=${SLOTS:-1 2 3}
work=$(mktemp -d /tmp/renderq-slots-bench.XXXXXX)
export RENDERQ_SPOOL=$work/spool
cleanup() { "$rq" daemon --stop 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

printf 'renderq --slots benchmark: %d jobs of %s at %s, %d samples; %d cores\n\n' "$n" "$(basename "$scene")" "$size" "$samples" "$(nproc)"
printf '%-6s %10s %10s %8s\n' slots seconds jobs/s ratio
base=""
for s in $slots_list; do
  rm -rf "$RENDERQ_SPOOL" "$work/out"
  mkdir -p "$work/out"
  "$rq" pause
  ids=()
  for i in $(seq "$n"); do ids+=("$("$rq" submit "$scene" -o "$work/out/$i.png" --size "$size" --samples "$samples")"); done
  "$rq" daemon --slots "$s" --log "$work/daemon.log"
  until [ "$(grep -c ' ready on ' "$work/daemon.log")" -ge "$s" ]; do sleep 0.05; done
  t0=$(now_ms)
  "$rq" resume
  "$rq" wait "${ids[@]}" >/dev/null
  t1=$(now_ms)
  "$rq" daemon --stop
  rm -f "$work/daemon.log"
  ms=$((t1 - t0))
  [ -n "$base" ] || base=$ms
  awk -v s="$s" -v ms="$ms" -v n="$n" -v base="$base" \
    'BEGIN { printf "%-6d %10.2f %10.1f %7.2fx\n", s, ms / 1000, 1000 * n / ms, base / ms }'
done
