#!/usr/bin/env bash
# A job that ends while its PostgreSQL server is restarting keeps its
# outcome: the daemon stores it once the server is back (within the lease),
# publishes the render's output then, and the job succeeds on its first
# attempt instead of failing lease_expired or rendering again; a `wait`
# begun before the outage waits through it. Against a
# private server (tests/pg/pg_lib.sh); never skipped.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
source "$HERE/../pg/pg_lib.sh"
daemon=
kill_daemon() { [ -n "$daemon" ] && kill -9 "$daemon" 2>/dev/null || true; }
use_pg_queue kill_daemon

# Each render waits 4 s before it draws (test-only hook): it ends while the
# server is down. The command ends then too.
export RENDERQ_TEST_HOOKS=1 RENDERQ_TEST_FAULT=delay-ms:4000
"$RENDERQ" daemon --foreground --slots 2 --lease 30s >"$work/daemon.log" 2>&1 &
daemon=$!
render=$(rq submit "$BOX" -o "$work/box.png" --size 32x32)
command=$(rq submit --exec -- sh -c "sleep 4; echo done > '$work/cmd.txt'")
wait_until 60 eval "state_is $render running && state_is $command running" || fail "the jobs never ran"
# A wait begun before the outage rides it out.
rq wait "$render" "$command" --timeout 90s 2>"$work/wait.err" &
waiter=$!
sleep 0.5
pg_down
sleep 8
pg_ctl_start || fail "PostgreSQL did not start again"
set +e; wait "$waiter"; rc=$?; set -e
[ $rc -eq 0 ] || fail "the wait begun before the outage exited $rc: $(cat "$work/wait.err")"
grep -q "waiting for the server to answer again" "$work/wait.err" || fail "the wait said nothing: $(cat "$work/wait.err")"
set +e; rq wait "$render" "$command" --timeout 60s; rc=$?; set -e
[ $rc -eq 0 ] || fail "wait exited $rc: $(rq list 2>&1)"
for id in "$render" "$command"; do
  [ "$(job_field "$id" "j['attempts']")" = 1 ] || fail "job $id ran $(job_field "$id" "j['attempts']") attempts"
  rq logs "$id" >"$work/log$id"
  grep -q "its outcome waits for the queue" "$work/log$id" || fail "job $id's log: $(cat "$work/log$id")"
  [ "$(grep -c 'ended: succeeded' "$work/log$id")" = 1 ] || fail "job $id's log: $(cat "$work/log$id")"
done
png_ok --size 32x32 "$work/box.png" >/dev/null || fail "box.png is not a 32x32 PNG"
[ "$(cat "$work/cmd.txt")" = done ] || fail "the command's output"
kill -TERM "$daemon"; wait "$daemon" 2>/dev/null || true; daemon=
echo ok
