#!/usr/bin/env bash
# Builds (if needed) and runs the libFuzzer harnesses in fuzz/, one process at a time.
#
#   scripts/fuzz.sh TARGET SECONDS     TARGET: gltf_load image_decode hdr_decode job_spec config http, or all
#
# Prints one table row per target: executions, executions per second, the corpus size and what
# this run found (crash, oom, timeout, leak: each saved as an artifact under FUZZ_WORK). Exits 1 when anything was
# found, 2 on bad usage.
#
# Environment: FUZZ_BUILD_DIR (build-fuzz), FUZZ_WORK (FUZZ_BUILD_DIR/work: corpora, artifacts
# and logs, kept between runs so each run continues the last), FUZZ_SAMPLES (../shared/gltf-samples,
# from where the seeds are made; missing is fine), FUZZ_NICE (10), FUZZ_ARGS (more libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(gltf_load image_decode hdr_decode job_spec config http)
usage() { echo "usage: $0 {${all_targets[*]// /|}|all} SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
[[ $2 =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || usage
if [ "$1" = all ]; then
  targets=("${all_targets[@]}")
else
  [[ " ${all_targets[*]} " == *" $1 "* ]] || usage
  targets=("$1")
fi
seconds=$2
build=${FUZZ_BUILD_DIR:-build-fuzz}
work=${FUZZ_WORK:-$build/work}
samples=${FUZZ_SAMPLES:-../shared/gltf-samples}
nice_level=${FUZZ_NICE:-10}

# Build: clang with libFuzzer, ASan and UBSan, in a build folder of its own.
if [ ! -f "$build/CMakeCache.txt" ]; then
  gen=()
  command -v ninja >/dev/null && gen=(-G Ninja)
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  CC=clang CXX=clang++ cmake -S . -B "$build" "${gen[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRENDERQ_FUZZ=ON -DBUILD_TESTING=OFF >&2
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" >&2

# Huge single allocations get std::bad_alloc rather than ending the run (the loader's budgets
# are checked by its own tests; the harnesses count such inputs); growth past -rss_limit_mb is
# still an oom finding.
export ASAN_OPTIONS=${ASAN_OPTIONS:-max_allocation_size_mb=1024:allocator_may_return_null=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

found=0
printf '%-13s %8s %12s %9s %7s %6s %5s %8s %5s\n' target seconds executions exec/s corpus crash oom timeout leak
for t in "${targets[@]}"; do
  corpus=$work/corpus/$t
  seeds=$work/seeds/$t
  artifacts=$work/artifacts/$t
  log=$work/logs/$t.log
  # The harnesses' temporary files (a crashed run cannot remove its own).
  export TMPDIR=$work/tmp/$t
  rm -rf "$TMPDIR"
  mkdir -p "$corpus" "$seeds" "$artifacts" "$work/logs" "$TMPDIR"
  python3 fuzz/make_seeds.py "$t" "$seeds" "$samples" tests/data 2>>"$work/logs/seeds.log"
  stamp=$work/logs/$t.start
  touch "$stamp"
  # New inputs go to the first folder only; the seeds and regression inputs are read.
  dirs=("$corpus" "$seeds")
  for d in "fuzz/seeds/$t" "fuzz/regressions/$t"; do [ -d "$d" ] && dirs+=("$d"); done
  dict=()
  [ -f "fuzz/dicts/$t.dict" ] && dict=(-dict="fuzz/dicts/$t.dict")
  rc=0
  started=$SECONDS
  nice -n "$nice_level" "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 \
    -rss_limit_mb=2560 -malloc_limit_mb=2048 -timeout=25 -artifact_prefix="$artifacts/" \
    "${dict[@]}" ${FUZZ_ARGS:-} "${dirs[@]}" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # What this run saved (slow-unit-* files are only slow, not findings).
  count() { find "$artifacts" -type f -name "$1-*" -newer "$stamp" | wc -l; }
  new=$(( $(count crash) + $(count oom) + $(count timeout) + $(count leak) ))
  printf '%-13s %8s %12s %9s %7s %6s %5s %8s %5s\n' "$t" "$((SECONDS - started))" "${execs:-?}" "${rate:-?}" \
    "$(ls "$corpus" | wc -l)" "$(count crash)" "$(count oom)" "$(count timeout)" "$(count leak)"
  grep -h '^renderq fuzz:' "$log" >&2 || true  # e.g. inputs that hit the allocation cap
  if [ "$rc" -ne 0 ] || [ "$new" -gt 0 ]; then
    found=1
    echo "renderq: fuzz_$t stopped (exit $rc), see $log and $artifacts/" >&2
    grep -m1 -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|ERROR: libFuzzer' "$log" >&2 || true
  fi
done
exit "$found"
