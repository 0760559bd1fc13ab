# Worker recycling: --max-jobs-per-worker restarts a worker after N jobs and
# --max-worker-rss after a job that left it above the limit (measured by the
# worker itself and sent with its "done", since the daemon may not see a
# worker running as another user under ProtectProc=invisible). Every job
# still succeeds, each in one attempt.
source "$(dirname "$0")/lib.sh"

# 1. Three jobs, a worker recycled after two.
start_daemon --slots 1 --max-jobs-per-worker 2
ids=()
for i in 1 2 3; do ids+=("$(submit_box "$work/jobs-$i.png")"); done
for id in "${ids[@]}"; do wait_until 120 state_is "$id" succeeded || fail "job $id: $(job_field "$id" "j['state']")"; done
for id in "${ids[@]}"; do [ "$(job_field "$id" "j['attempts']")" = 1 ] || fail "job $id took more than one attempt"; done
wait_until 10 grep -q "did 2 jobs: restarting it" "$work/daemon.log" || fail "no worker was recycled after 2 jobs"
[ "$(grep -c "did 2 jobs: restarting it" "$work/daemon.log")" = 1 ] || fail "recycled more than once for 3 jobs"
stop_daemon

# 2. Two jobs with a limit every worker exceeds (1 MiB): recycled after each,
# naming the size the worker reported.
: >"$work/daemon.log"
start_daemon --slots 1 --max-worker-rss 1M
ids=()
for i in 1 2; do ids+=("$(submit_box "$work/rss-$i.png")"); done
for id in "${ids[@]}"; do wait_until 120 state_is "$id" succeeded || fail "job $id: $(job_field "$id" "j['state']")"; done
wait_until 10 test "$(grep -c "MiB (limit 1 MiB): restarting it" "$work/daemon.log")" -ge 2 ||
  fail "workers were not recycled after each job over --max-worker-rss"
grep -Eq "uses [1-9][0-9]* MiB \(limit 1 MiB\)" "$work/daemon.log" || fail "no plausible worker size in the log"
for f in "$work"/jobs-{1,2,3}.png "$work"/rss-{1,2}.png; do png_ok "$f" || fail "$f is not a PNG"; done
stop_daemon
echo "ok: workers recycled by job count and by their reported size"
