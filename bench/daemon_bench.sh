#!/usr/bin/env bash
# The daemon's benchmarks, printed as a table against the issue's targets:
#   pickup latency   submit -> running, median and p99 over N_PICKUP jobs (idle daemon)
#   overhead         64x64 Box jobs through the queue vs the same renders in one process
#   memory           supervisor + workers RSS after 10 and after 1,000 jobs
#   idle CPU         supervisor + workers over 10 s with nothing to do
# Usage: bench/daemon_bench.sh [BUILD_DIR]   (build the targets renderq and daemon_bench first)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rq=$PWD/$build/cli/renderq
drv=$PWD/$build/bench/daemon_bench
box=$PWD/tests/data/samples/Box/glTF-Binary/Box.glb
n_pickup=${N_PICKUP:-200}
n_queue=${N_QUEUE:-200}
work=$(mktemp -d /tmp/renderq-bench.XXXXXX)
export RENDERQ_SPOOL=$work/spool
mkdir -p "$work/out"
cleanup() { "$rq" daemon --stop 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

field() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p"; }
daemon_pids() {
  local sup
  sup=$(cat "$RENDERQ_SPOOL/daemon.lock")
  echo "$sup" $(cat "/proc/$sup/task/$sup/children")
}

"$rq" daemon --log "$work/daemon.log"
sleep 1  # the worker makes its context

q10=$("$drv" queue 10 "$box" "$work/out")
rss10=$("$drv" rss $(daemon_pids) | field rss_kib)
pick=$("$drv" pickup "$n_pickup" "$box" "$work/out")
queue=$("$drv" queue "$n_queue" "$box" "$work/out")
inproc=$("$drv" inproc "$n_queue" "$box" "$work/out")
rest=$((1000 - 10 - n_pickup - n_queue))
[ $rest -gt 0 ] && "$drv" queue "$rest" "$box" "$work/out" >/dev/null
rss1000=$("$drv" rss $(daemon_pids) | field rss_kib)
sleep 2  # let the last job's writes settle
idle=$("$drv" cpu 10 $(daemon_pids) | field percent)
workers=$(($(daemon_pids | wc -w) - 1))

p50=$(echo "$pick" | sed -n 's/.*commit->running median \([0-9.]*\) p99 \([0-9.]*\) max \([0-9.]*\).*/\1/p')
p99=$(echo "$pick" | sed -n 's/.*commit->running median \([0-9.]*\) p99 \([0-9.]*\).*/\2/p')
pmax=$(echo "$pick" | sed -n 's/.*max \([0-9.]*\) ms;.*/\1/p')
c50=$(echo "$pick" | sed -n 's/.*call->running median \([0-9.]*\).*/\1/p')
qjob=$(echo "$queue" | field per_job)
ijob=$(echo "$inproc" | field per_job)
qps=$(echo "$queue" | field jobs_per_s)
ips=$(echo "$inproc" | field jobs_per_s)

awk -v p50="$p50" -v p99="$p99" -v pmax="$pmax" -v c50="$c50" -v qjob="$qjob" -v ijob="$ijob" \
    -v qps="$qps" -v ips="$ips" -v r10="$rss10" -v r1000="$rss1000" -v idle="$idle" \
    -v np="$n_pickup" -v nq="$n_queue" -v w="$workers" -v cpu="$(nproc)" 'BEGIN {
  ov = qjob - ijob; growth = 100 * (r1000 - r10) / r10
  printf "renderq daemon benchmark (%d cores, %d worker(s), llvmpipe unless a GPU is present)\n\n", cpu, w
  printf "%-44s %14s %12s %s\n", "measure", "value", "target", "ok"
  printf "%-44s %11.2f ms %12s %s\n", "pickup commit->running, median (n=" np ")", p50, "<= 5 ms", (p50 <= 5 ? "yes" : "NO")
  printf "%-44s %11.2f ms %12s\n", "pickup commit->running, p99", p99, ""
  printf "%-44s %11.2f ms %12s\n", "pickup commit->running, max", pmax, ""
  printf "%-44s %11.2f ms %12s\n", "pickup submit call->running, median", c50, ""
  printf "%-44s %11.1f /s %12s\n", "64x64 Box through the queue (n=" nq ")", qps, ""
  printf "%-44s %11.1f /s %12s\n", "64x64 Box in one process (baseline)", ips, ""
  printf "%-44s %11.2f ms %12s %s\n", "queue overhead per job", ov, "<= 5 ms", (ov <= 5 ? "yes" : "NO")
  printf "%-44s %10.1f MiB %12s\n", "daemon RSS after 10 jobs", r10 / 1024, ""
  printf "%-44s %10.1f MiB %12s\n", "daemon RSS after 1,000 jobs", r1000 / 1024, ""
  printf "%-44s %12.1f %% %12s %s\n", "memory growth 10 -> 1,000 jobs", growth, "<= 5 %", (growth <= 5 ? "yes" : "NO")
  printf "%-44s %12.2f %% %12s\n", "idle CPU over 10 s (of one core)", idle, ""
}'
