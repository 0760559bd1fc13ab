#!/usr/bin/env bash
# Store latency with 1,000 vs 1,000,000 jobs (mostly finished) in the queue:
# claim, list --limit 50, list --state queued --limit 50, counts, status (get).
# Builds bench/spool_bench if needed and prints its table.
#   bench/spool_bench.sh [spool_bench options, e.g. --samples 500 --dir /var/tmp]
# Needs about 1 GB free in $TMPDIR (or --dir) for the large queue.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
[ -f "$build/CMakeCache.txt" ] || scripts/build.sh >/dev/null
cmake --build "$build" --target spool_bench >&2
echo "spool_bench on $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$build/bench/spool_bench" "$@"
