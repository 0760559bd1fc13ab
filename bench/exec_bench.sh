#!/usr/bin/env bash
# The cost of a command job: `true` through a warm daemon (one slot) against
# running `true` directly (fork + exec + wait from Python), as a table.
#   direct         median wall time of one `true` run by the benchmark itself
#   queue, drain   N `true` jobs queued while paused, then resumed: wall time
#                  from resume to the last finish, per job (claim, fork, exec,
#                  reap, finish: the daemon's whole per-job path)
#   queue, in-job  median finished_ms - started_ms of those jobs (ms clock)
# Target (issue 15): drain per job <= direct + 5 ms.
# Usage: bench/exec_bench.sh [BUILD_DIR] (build the target renderq first); N=200 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rq=$PWD/$build/cli/renderq
n=${N:-200}
work=$(mktemp -d /tmp/renderq-exec-bench.XXXXXX)
export RENDERQ_SPOOL=$work/spool
cleanup() { "$rq" daemon --stop 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$rq" daemon --log "$work/daemon.log" --slots 1
for _ in $(seq 100); do grep -q ' ready on ' "$work/daemon.log" && break; sleep 0.1; done
# Warm up: a few jobs through the daemon.
warm=()
for _ in 1 2 3; do warm+=("$("$rq" submit --exec -- true)"); done
"$rq" wait "${warm[@]}" >/dev/null

python3 - "$rq" "$n" <<'PY'
import json, os, statistics, subprocess, sys, time
rq, n = sys.argv[1], int(sys.argv[2])
true = subprocess.run(["sh", "-c", "command -v true"], capture_output=True, text=True).stdout.strip() or "/bin/true"

direct = []
for _ in range(n):
    t = time.perf_counter()
    subprocess.run([true])
    direct.append((time.perf_counter() - t) * 1000)
d50 = statistics.median(direct)

subprocess.run([rq, "pause"], check=True, capture_output=True)
ids = [subprocess.run([rq, "submit", "--exec", "--name", "bench", "--", "true"], check=True,
                      capture_output=True, text=True).stdout.strip() for _ in range(n)]
subprocess.run([rq, "resume"], check=True, capture_output=True)
# `wait` blocks without loading the machine; the figures come from the
# store's start and finish times, not from when wait noticed.
subprocess.run([rq, "wait", *ids], capture_output=True)
jobs = [j for j in json.loads(subprocess.run([rq, "list", "--json", "--name", "bench"], check=True,
                                              capture_output=True).stdout)]
end_ms = max(j["finished_ms"] for j in jobs)
start_ms = min(j["started_ms"] for j in jobs)
failed = sum(j["state"] != "succeeded" for j in jobs)
drain = (end_ms - start_ms) / len(jobs)
in_job = statistics.median(j["finished_ms"] - j["started_ms"] for j in jobs)
over = drain - d50
print(f"renderq exec benchmark: `true`, n={n}, one slot, {os.cpu_count()} cores\n")
print(f"{'measure':<44} {'value':>10} {'target':>16} ok")
print(f"{'direct run, median':<44} {d50:>7.2f} ms")
print(f"{'queue drain, per job (first start..last end)':<44} {drain:>7.2f} ms")
print(f"{'queue in-job (started..finished), median':<44} {in_job:>7.2f} ms")
print(f"{'overhead per job (drain - direct)':<44} {over:>7.2f} ms {'<= 5 ms':>16} {'yes' if over <= 5 else 'NO'}")
if failed:
    print(f"WARNING: {failed} job(s) did not succeed")
PY
