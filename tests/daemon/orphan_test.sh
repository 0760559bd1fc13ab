#!/usr/bin/env bash
# A job left running by a daemon that was killed stays running (or
# canceling) until a daemon starts again: status and wait say so instead of
# waiting in silence, and the next daemon settles it.
source "$(dirname "$0")/lib.sh"

# A job the daemon's stop sent back to the queue is queued, not failed: its
# error fields stay empty; status shows why its last attempt ended.
start_daemon --grace 1s
back=$(rq submit --exec -- sleep 60)
wait_until 30 state_is "$back" running || fail "job $back never ran"
stop_daemon
state_is "$back" queued || fail "job $back is $(job_field "$back" "j['state']") after the stop"
[ "$(job_field "$back" "j['error_code']")" = "" ] || fail "queued job $back has error_code $(job_field "$back" "j['error_code']")"
[ "$(job_field "$back" "j['error']")" = None ] || fail "queued job $back has an error"
rq status "$back" | grep -q "^last attempt: *shutdown: the daemon stopped" || fail "status: $(rq status "$back")"
rq cancel "$back" >/dev/null

start_daemon
id=$(rq submit --exec -- sleep 60)
wait_until 30 state_is "$id" running || fail "job $id never ran"
kill -9 "$(daemon_pid)"
wait_until 10 eval '[ -z "$(daemon_pid)" ]' || fail "the killed daemon still holds the lock"
[ "$(rq cancel "$id")" = "$id cancel-requested" ] || fail "cancel of the orphaned job"
rq status "$id" >/dev/null 2>"$work/status.err"
grep -q "no daemon serves .*: 1 job left running by a daemon that stopped stays so until \`renderq daemon\` starts" \
  "$work/status.err" || fail "status says nothing of the stopped daemon: $(cat "$work/status.err")"
set +e; rq wait "$id" --timeout 1s 2>"$work/wait.err"; rc=$?; set -e
[ $rc -eq 6 ] || fail "wait on the orphaned job exited $rc, expected 6 (timed out)"
grep -q "left running by a daemon that stopped" "$work/wait.err" || fail "wait says nothing: $(cat "$work/wait.err")"
start_daemon
set +e; rq wait "$id" --timeout 60s 2>/dev/null; rc=$?; set -e
[ $rc -eq 5 ] || fail "after a daemon started the canceled job's wait exited $rc, expected 5"
stop_daemon
echo ok
