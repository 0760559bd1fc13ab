#!/usr/bin/env bash
# IBL prefilter: cold vs cached, on whatever GL device EGL gives (llvmpipe
# without a GPU). Usage: bench/ibl_bench.sh [BUILD_DIR] [extra --env FILE...]
# Prints three tables: a cold process (empty disk cache), a second process
# reading the disk cache, and one process doing cold / memory / disk in turn.
set -euo pipefail
build=${1:-build}
shift || true
bin=$build/bench/ibl_bench
[ -x "$bin" ] || { echo "ibl_bench.sh: build $bin first (cmake --build $build --target ibl_bench)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" --make-hdr "$tmp/studio_2048x1024.hdr" 1024
envs=(--studio --env "$tmp/studio_2048x1024.hdr")
for f in "$@"; do envs+=(--env "$f"); done

rss() { /usr/bin/time -f "# peak RSS %M KiB" "$@"; }
echo "## process 1: cold (empty cache folder)"
rss "$bin" "${envs[@]}" --cache-dir "$tmp/cache" --phase cold
echo "## process 2: disk cache"
rss "$bin" "${envs[@]}" --cache-dir "$tmp/cache" --phase disk
echo "## one process: cold, memory hit, disk hit"
rss "$bin" "${envs[@]}" --phase all
echo "# cache files:"; ls -l "$tmp"/cache/*/ | awk '/ibl-/ {print "#", $5, $9}'
