#!/usr/bin/env bash
# Whole-process latency of `renderq submit` beside task-spooler (`tsp`) and
# `nq` measured in the same run, plus `renderq status` and
# `renderq list --limit 50`. Prints one table: median and p95 in ms. Three
# floor rows (bench/submit_floor, linked like renderq) show what exec alone,
# the least SQLite-durable submit, and the least durable submit handed to a
# warm server cost here.
#
# Usage: bench/submit_bench.sh [RENDERQ_BINARY]   (default build/cli/renderq)
#   RUNS=N      runs per command (default 300, at least 200)
#   FILL=N      extra jobs in the queue before status/list are timed (default 1000)
#   BENCH_DIR   where the private queues go (default /tmp; use a real disk)
#   FLOOR=F     the submit_floor binary (default: ../bench/submit_floor
#               beside the renderq binary's folder, as the build tree has it)
#   BASELINE=B  also time another renderq binary's submit in the same runs
#               (its own spool), e.g. a build of main, to compare under the
#               same load
#
# Every run is one fork+exec from bash, timed with $EPOCHREALTIME around it;
# the tools are interleaved run by run, in a rotating order, so that
# background noise hits them alike; the load average is printed with the
# table. Each tool gets a private queue in a temp folder, removed at exit:
# tsp's server is started up front on a private TS_SOCKET (its error log is
# $TS_SOCKET.error, shown if a tsp run fails). A failed tsp or nq run is
# reported, its queue restarted, and the run retried; more than 3% failures
# stop the bench. Target: renderq submit's median no slower than tsp's, while
# renderq commits durably (synchronous=FULL: the strace line counts the syncs).
set -euo pipefail
cd "$(dirname "$0")/.."
renderq=$(realpath "${1:-build/cli/renderq}")
runs=${RUNS:-300}
fill=${FILL:-1000}
baseline=${BASELINE:+$(realpath "$BASELINE")}
[ "$runs" -ge 200 ] || { echo "RUNS must be at least 200" >&2; exit 2; }
for tool in tsp nq python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-deps.sh all" >&2; exit 2; }
done

work=$(mktemp -d "${BENCH_DIR:-/tmp}/renderq-bench.XXXXXX")
# tsp: a private queue (socket, output files and its error log under $work),
# one slot, and only the last 10 results kept so its job list stays short.
export TS_SOCKET=$work/tsp.socket TMPDIR=$work TS_SLOTS=1 TS_MAXFINISHED=10
export NQDIR=$work/nq RENDERQ_SPOOL=$work/spool
# A Unix socket path longer than sun_path (108 bytes) is cut short by tsp's
# server, and its clients then report "The server didn't come up".
[ "${#TS_SOCKET}" -lt 100 ] || { echo "bench: BENCH_DIR is too long for tsp's socket path: $TS_SOCKET" >&2; rm -rf "$work"; exit 2; }
floor_server=
cleanup() {
  [ -S "$TS_SOCKET" ] && tsp -K >/dev/null 2>&1
  [ -z "$floor_server" ] || kill "$floor_server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/out" "$NQDIR"
scene=$(realpath tests/data/samples/Box/glTF-Binary/Box.glb)
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# tsp_up: starts tsp's server (any tsp command does) and checks it answers.
tsp_up() {
  local i
  for ((i = 0; i < 50; i++)); do
    tsp -S 1 >/dev/null 2>"$work/tsp_up.err" && [ -S "$TS_SOCKET" ] && return 0
    sleep 0.1
  done
  echo "bench: tsp's server does not start on $TS_SOCKET:" >&2
  cat "$work/tsp_up.err" "$TS_SOCKET.error" >&2 2>/dev/null
  return 1
}

# time_one FILE CMD...: runs CMD and appends its start and end times to FILE.
# A failure returns 1 with no time recorded and CMD's stderr in $work/err.
time_one() {
  local file=$1 t0 t1
  shift
  t0=$EPOCHREALTIME
  "$@" >/dev/null 2>"$work/err" || return 1
  t1=$EPOCHREALTIME
  echo "$t0 $t1" >>"$file"
}

# timed FILE CMD...: time_one, retrying a failed run after restarting the
# queue (tsp's server can die under load); renderq failing stops the bench.
failures=0
timed() {
  until time_one "$@"; do
    failures=$((failures + 1))
    echo "bench: '${*:2}' failed: $(tr '\n' ' ' <"$work/err")" >&2
    [ "$2" = tsp ] && { cat "$TS_SOCKET.error" >&2 2>/dev/null || true; tsp_up; }
    [ "$2" = "$renderq" ] && exit 1
    [ "$failures" -le $((runs * 3 / 100 + 1)) ] || { echo "bench: too many failed runs" >&2; exit 1; }
  done
}

# Three floors, linked like renderq (static, bench/submit_floor): exec
# alone; the least SQLite-durable submit run as its own process (open a WAL
# database, insert one row in BEGIN IMMEDIATE, commit with
# synchronous=FULL); and the least durable submit handed to a running
# server that holds the database open (tsp's design, with the commit).
floor_bin=${FLOOR:-$(dirname "$renderq")/../bench/submit_floor}
floor=() exec_floor=() server_floor=()
if [ -x "$floor_bin" ]; then
  "$floor_bin" init "$work/floor.db"
  "$floor_bin" init "$work/server.db"
  "$floor_bin" serve "$work/server.db" "$work/floor.sock" &
  floor_server=$!
  for ((i = 0; i < 50; i++)); do [ -S "$work/floor.sock" ] && break; sleep 0.1; done
  floor=("$floor_bin" "$work/floor.db")
  exec_floor=("$floor_bin")
  server_floor=("$floor_bin" send "$work/floor.sock")
else
  echo "bench: no $floor_bin (build the submit_floor target): floor rows skipped" >&2
fi

# Warm up: start tsp's server, create the spool, fill the page cache.
tsp_up
tsp true >/dev/null
nq true >/dev/null
"$renderq" submit "$scene" -o "$work/out/warm.png" >/dev/null
[ -z "$baseline" ] || "$baseline" --spool "$work/spool-baseline" submit "$scene" -o "$work/out/warm.png" >/dev/null

load_start=$(loadavg)
for ((i = 0; i < runs; i++)); do
  # Rotate the order so no tool always runs right after another's job.
  for ((k = 0; k < 7; k++)); do
    case $(((i + k) % 7)) in
      0) timed "$work/t.renderq" "$renderq" submit "$scene" -o "$work/out/b.png" ;;
      1) timed "$work/t.tsp" tsp true ;;
      2) timed "$work/t.nq" nq true ;;
      3) [ "${#floor[@]}" -eq 0 ] || timed "$work/t.floor" "${floor[@]}" ;;
      5) [ "${#exec_floor[@]}" -eq 0 ] || timed "$work/t.exec" "${exec_floor[@]}" ;;
      6) [ "${#server_floor[@]}" -eq 0 ] || timed "$work/t.server" "${server_floor[@]}" ;;
      4) [ -z "$baseline" ] || timed "$work/t.baseline" "$baseline" --spool "$work/spool-baseline" submit "$scene" -o "$work/out/b.png" ;;
    esac
  done
done
load_submit=$(loadavg)

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
  timed "$work/t.status" "$renderq" status "$middle"
  timed "$work/t.list" "$renderq" list --limit 50
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
[ -s "$work/t.baseline" ] && row "baseline renderq submit (durable)" "$work/t.baseline"
row "tsp true" "$work/t.tsp"
row "nq true" "$work/t.nq"
[ -s "$work/t.floor" ] && row "floor: SQLite durable insert" "$work/t.floor"
[ -s "$work/t.server" ] && row "floor: durable, via a warm server" "$work/t.server"
[ -s "$work/t.exec" ] && row "floor: exec of a static binary" "$work/t.exec"
row "renderq status ID ($jobs jobs)" "$work/t.status"
row "renderq list --limit 50 ($jobs jobs)" "$work/t.list"
read -r rq rq95 < <(stats "$work/t.renderq")
read -r ts ts95 < <(stats "$work/t.tsp")
echo "renderq submit / tsp: median $(awk -v a="$rq" -v b="$ts" 'BEGIN {printf "%.2f", a / b}')," \
  "p95 $(awk -v a="$rq95" -v b="$ts95" 'BEGIN {printf "%.2f", a / b}') (target: median <= 1.00)"
if [ -s "$work/t.baseline" ]; then
  read -r bl bl95 < <(stats "$work/t.baseline")
  echo "baseline submit / tsp: median $(awk -v a="$bl" -v b="$ts" 'BEGIN {printf "%.2f", a / b}')," \
    "p95 $(awk -v a="$bl95" -v b="$ts95" 'BEGIN {printf "%.2f", a / b}'); baseline: $baseline"
fi
if [ -s "$work/t.floor" ]; then
  read -r fl fl95 < <(stats "$work/t.floor")
  echo "renderq submit / SQLite floor: median $(awk -v a="$rq" -v b="$fl" 'BEGIN {printf "%.2f", a / b}');" \
    "SQLite floor / tsp: median $(awk -v a="$fl" -v b="$ts" 'BEGIN {printf "%.2f", a / b}')"
fi
if [ -s "$work/t.server" ]; then
  read -r sv sv95 < <(stats "$work/t.server")
  echo "durable via a warm server / tsp: median $(awk -v a="$sv" -v b="$ts" 'BEGIN {printf "%.2f", a / b}')"
fi
echo "fsync/fdatasync calls in one renderq submit: $syncs"
echo "failed tsp/nq runs (retried): $failures"
echo "load average (1/5/15 min): $load_start before the submit runs, $load_submit after, $(loadavg) at the end"
echo "machine: $(nproc) cores, $(uname -r), spool on $(stat -f -c %T "$work")"
