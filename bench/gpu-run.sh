#!/usr/bin/env bash
# The device check for the lent NVIDIA machine, on builds packed by
# bench/gpu-carry.sh (that machine has no Debian packages, so nothing is
# built there). For every build NAME in .gpu/: the EGL devices, the warm and
# cold render benchmark, and a drain (N jobs queued first, then a daemon
# renders them all) with GPU utilisation sampled every 250 ms. Builds run
# one after another in the same call, so their figures compare.
#
#   bench/gpu-carry.sh base=/tmp/build-base main=build   (here, first)
#   bash bench/gpu-run.sh            (device: run with carry [".gpu"]; here: on llvmpipe)
#
# Env: DRAIN_JOBS (300), DRAIN_SIZE (512), BENCH_FRAMES (24), GPU_RUN_BUILDS
# (names in .gpu/ to run, default all). Output also goes to $OUT/gpu-run.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-$(mktemp -d)}
exec > >(tee "$out/gpu-run.txt") 2>&1
export LD_LIBRARY_PATH=$PWD/.gpu/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
nv=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$nv" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$nv
have_smi=0
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null && have_smi=1
echo "# $(date -u +%FT%TZ) $(nproc) cores"

# sample_util FILE: GPU utilisation every 250 ms into FILE until killed.
sample_util() {
  [ $have_smi = 1 ] || return 0
  nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits -lms 250 >"$1" 2>/dev/null
}
mean() { awk '{s += $1; n++} END {if (n) printf "%.1f", s / n; else printf "n/a"}' "$1" 2>/dev/null || echo n/a; }

box=$PWD/tests/data/samples/Box/glTF-Binary/Box.glb
n=${DRAIN_JOBS:-300}
size=${DRAIN_SIZE:-512}
read -r -a builds <<<"${GPU_RUN_BUILDS:-$(cd .gpu && ls -d */ | tr -d / | grep -v '^lib$' | tr '\n' ' ')}"
rows=()
for b in "${builds[@]}"; do
  rq=$PWD/.gpu/$b/cli/renderq
  echo "== $b: devices"
  "$rq" devices || echo "($b: devices failed)"
  echo "== $b: render bench"
  BENCH_FRAMES=${BENCH_FRAMES:-24} bench/render_bench.sh ".gpu/$b" || echo "($b: render bench failed)"

  echo "== $b: drain of $n queued ${size}² Box jobs"
  work=$(mktemp -d /tmp/gpu-run.XXXXXX)
  export RENDERQ_SPOOL=$work/spool
  mkdir -p "$work/out"
  t0=$(date +%s%N)
  ids=()
  for i in $(seq 1 "$n"); do
    ids+=("$("$rq" submit "$box" -o "$work/out/box_$i.png" --size "${size}x${size}" --samples 4)")
  done
  t1=$(date +%s%N)
  sample_util "$work/util.txt" & sampler=$!
  "$rq" daemon --foreground --log "$work/daemon.log" 2>/dev/null & daemon=$!
  "$rq" wait --quiet --timeout 300s "${ids[@]}"; rc=$?
  t2=$(date +%s%N)
  kill "$sampler" 2>/dev/null; "$rq" daemon --stop >/dev/null 2>&1; wait "$daemon" 2>/dev/null
  ok=$(ls "$work/out" | wc -l)
  submit_ms=$(( (t1 - t0) / 1000000 )); drain_ms=$(( (t2 - t1) / 1000000 ))
  jps=$(awk -v n="$n" -v ms="$drain_ms" 'BEGIN {printf "%.0f", n * 1000 / ms}')
  util=$(mean "$work/util.txt")
  echo "$b: wait rc $rc, $ok/$n images, submits ${submit_ms} ms, drain ${drain_ms} ms (incl. daemon start) = $jps jobs/s, GPU util mean $util %"
  rows+=("$b $n $drain_ms $jps $util")
  rm -rf "$work"
done
echo
printf '%-10s %6s %10s %8s %10s\n' build jobs drain_ms jobs/s gpu_util%
for r in "${rows[@]}"; do printf '%-10s %6s %10s %8s %10s\n' $r; done

# The issue's table: the first build against the last, rounds interleaved
# (bench/throughput_bench.sh: drain, warm turntable, heavy mesh vs its floor).
if [ ${#builds[@]} -ge 2 ] && [ -x ".gpu/${builds[-1]}/bench/draw_floor" ]; then
  echo "== throughput: ${builds[0]} (baseline) vs ${builds[-1]}"
  BASELINE=".gpu/${builds[0]}" ROUNDS=${ROUNDS:-3} N_JOBS=${DRAIN_JOBS:-300} \
    bench/throughput_bench.sh ".gpu/${builds[-1]}" || echo "(throughput bench failed)"
fi
