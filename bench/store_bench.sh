#!/usr/bin/env bash
# The SQLite spool and a PostgreSQL queue side by side on this machine:
# claims per second with 1, 4 and 8 claimers, and the pickup latency from
# submit to a waiting claimer's claim (wake FIFO vs LISTEN/NOTIFY), and
# PostgreSQL's claim, list and counts with 1,000 vs --large (1,000,000) jobs.
# Starts a private PostgreSQL server (initdb + pg_ctl from
# /usr/lib/postgresql/*/bin, as the postgres user when run as root) in a
# temporary folder on a Unix socket, with fsync on (its defaults), and
# removes it afterwards.
#   bench/store_bench.sh [--jobs N] [--rounds R] [--large N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
[ -f "$build/CMakeCache.txt" ] || scripts/build.sh >/dev/null
cmake --build "$build" --target store_bench >&2
bindir=${RENDERQ_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
dir=$(mktemp -d "${TMPDIR:-/tmp}/renderq-pg-bench-XXXXXX")
as=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; as=(runuser -u postgres --); fi
stop() { (cd / && "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1) || true; rm -rf "$dir"; }
trap stop EXIT
(cd / && "${as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null)
(cd / && "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -c listen_addresses= -p 5432" start >/dev/null)
echo "store_bench on $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $("$bindir/postgres" --version)"
"$build/bench/store_bench" --pg "postgresql://postgres@/postgres?host=$dir&port=5432" "$@"
