#!/usr/bin/env bash
# Encode time and size per output format for one rendered image, with
# libpng (renderq's PNG writer before libdeflate) as the baseline in the
# same run: PNG through libdeflate must be faster at equal or smaller size,
# and JPEG must encode in at most a quarter of PNG's time (issue 12).
#
#   bench/encode_bench.sh [BUILD_DIR]      (default: build)
#
# Env: BENCH_SIZE (1024), BENCH_RUNS (7, the median is shown), BENCH_MODEL
# (a sample .glb rendered with renderq-full render to make the image).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/bench/encode_bench
full=$build/cli/renderq-full
for b in "$bin" "$full"; do
  [ -x "$b" ] || { echo "encode_bench: build it first: cmake --build $build --target encode_bench renderq-full" >&2; exit 2; }
done
size=${BENCH_SIZE:-1024}
model=${BENCH_MODEL:-tests/data/samples/NormalTangentTest/glTF-Binary/NormalTangentTest.glb}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RENDERQ_CACHE_DIR=$tmp/cache
"$full" render "$model" -o "$tmp/in.png" --size "${size}x${size}" --png-level 0 >/dev/null
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores, $(basename "$model") ${size}², median of ${BENCH_RUNS:-7}" >&2
"$bin" --runs "${BENCH_RUNS:-7}" "$tmp/in.png" >"$tmp/rows.tsv"
# Columns in: encoder setting cpu_ms wall_ms bytes. Ratios are of CPU time.
awk -F'\t' '
BEGIN { printf "%-17s %-11s %8s %8s %9s %8s %8s\n", "encoder", "setting", "cpu ms", "wall ms", "bytes", "cpu/ref", "size/ref" }
{
  # The reference of each row: libpng at the same level and depth; PNG level 1 for the other formats.
  if ($1 == "png-libpng" || $1 == "png16-libpng") ref[$1 "\t" $2] = $3 "\t" $5
  r = $1 == "png-libdeflate" ? ref["png-libpng\t" $2] : $1 == "png16-libdeflate" ? ref["png16-libpng\t" $2] \
      : ($1 ~ /libpng/) ? $3 "\t" $5 : ref["png-libpng\tlevel 1"]
  split(r, rr, "\t")
  printf "%-17s %-11s %8.2f %8.2f %9d %8.3f %8.3f\n", $1, $2, $3, $4, $5, $3 / rr[1], $5 / rr[2]
  ms[$1 "\t" $2] = $3
}
END {
  p = ms["png-libdeflate\tlevel 1"]; j = ms["jpeg\tquality 90"]
  printf "\ntarget: JPEG q90 %.2f ms vs PNG level 1 %.2f ms (CPU): %.3f -> %s\n", j, p, j / p, j <= p / 4 ? "ok (<= 1/4)" : "OVER 1/4"
}' "$tmp/rows.tsv"
