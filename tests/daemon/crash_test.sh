#!/usr/bin/env bash
# Crash safety: while >= 100 tiny jobs run, kill -9 the worker or the
# supervisor at random moments, restarting the daemon each time it dies.
# Afterwards every job is finished (succeeded: each has retries to spare),
# none succeeded twice (each job log holds at most one "ended: succeeded"),
# no output file is partial, no temporary file is left, and PRAGMA
# integrity_check passes.
source "$(dirname "$0")/lib.sh"

jobs=${CRASH_JOBS:-120}
# A liveness bound, not a speed target: generous, since CI runs other tests beside it on 2 cores.
limit=${CRASH_LIMIT_S:-480}
# A short sleep before each render widens the window in which a kill lands
# mid-job (test-only hook, see renderq-daemon(1)).
export RENDERQ_TEST_HOOKS=1 RENDERQ_TEST_FAULT=delay-ms:60
mkdir -p "$work/out"
rq pause
start_daemon --lease 3s
ids=()
for i in $(seq 1 "$jobs"); do
  ids+=("$(rq submit "$BOX" -o "$work/out/$i.png" --size 16x16 --samples 1 --retries 100 --name "j$i")")
done
rq resume

unfinished() {
  rq list --json | python3 -c 'import json,sys; print(sum(j["state"] in ("queued","running") for j in json.load(sys.stdin)))'
}

# The killer runs beside the check loop, so that slow checks on a busy
# machine do not space the kills out.
killer() {
  while :; do
    sleep "0.$(( RANDOM % 4 + 1 ))"
    local pid
    pid=$(daemon_pid)
    if [ -z "$pid" ]; then start_daemon --lease 3s; continue; fi
    if [ $(( RANDOM % 3 )) -eq 0 ]; then
      kill -9 "$pid" 2>/dev/null && echo supervisor >>"$work/kills"
      wait_until 5 eval '[ -z "$(daemon_pid)" ]' || { echo "killed supervisor still holds the lock" >>"$work/kills"; return; }
      start_daemon --lease 3s
    else
      for w in $(worker_pids); do kill -9 "$w" 2>/dev/null && echo worker >>"$work/kills"; done
    fi
  done
}
touch "$work/kills"
start=$(date +%s)
killer &
killer_pid=$!
while [ "$(unfinished)" -gt 0 ]; do
  if [ $(( $(date +%s) - start )) -ge "$limit" ]; then kill "$killer_pid"; fail "jobs still unfinished after ${limit}s"; fi
  sleep 1
done
took=$(( $(date +%s) - start ))
kill "$killer_pid"
wait "$killer_pid" 2>/dev/null || true
grep -q "still holds" "$work/kills" && fail "a killed supervisor kept its lock"
sup_kills=$(grep -c supervisor "$work/kills" || true)
worker_kills=$(grep -c worker "$work/kills" || true)
stop_daemon

summary=$(rq list --json | python3 -c '
import collections, json, sys
jobs = json.load(sys.stdin)
c = collections.Counter(j["state"] for j in jobs)
print(" ".join("%s=%d" % kv for kv in sorted(c.items())), "attempts=%d" % sum(j["attempts"] for j in jobs))')
echo "$jobs jobs in ${took}s; killed the supervisor $sup_kills times and a worker $worker_kills times; $summary"
[ "$summary" = "succeeded=$jobs ${summary##* }" ] || fail "not every job succeeded: $summary"
[ $((sup_kills + worker_kills)) -ge 10 ] || fail "only $((sup_kills + worker_kills)) kills: the test did not stress anything"
[ $sup_kills -ge 1 ] && [ $worker_kills -ge 1 ] || fail "both kinds of kill must happen"

for id in "${ids[@]}"; do
  n=$(grep -c "ended: succeeded" "$RENDERQ_SPOOL/jobs/$id/job.log" || true)
  [ "$n" -le 1 ] || fail "job $id succeeded $n times"
done
png_ok --size 16x16 "$work"/out/*.png || fail "a partial or broken output file"
[ "$(ls "$work"/out/*.png | wc -l)" -eq "$jobs" ] || fail "outputs missing"
# A worker killed mid-write leaves its .<name>.tmp-<pid>-<n>: the supervisor
# removes it after reaping the worker, or the next daemon when it requeues
# the job of a dead supervisor.
leftover=$(find "$work/out" -name '.*.tmp-*' | wc -l)
removed=$({ grep -ho 'removed [0-9]* temporary' "$work/daemon.log" || true; } | awk '{n += $2} END {print n + 0}')
echo "temporary files: $removed removed by the daemons, $leftover left"
[ "$leftover" -eq 0 ] || fail "temporary files left behind: $(find "$work/out" -name '.*.tmp-*' | head -3)"
[ "$(sqlite3 "$RENDERQ_SPOOL/queue.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed"
echo ok
