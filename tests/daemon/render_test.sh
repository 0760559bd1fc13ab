#!/usr/bin/env bash
# submit -> the daemon renders -> succeeded and a whole PNG; the job row
# records worker, device and progress; the job log tells the story; a second
# daemon on the spool is refused (exit 7); a failing job fails with its code.
source "$(dirname "$0")/lib.sh"

start_daemon
pid=$(daemon_pid)
[ -n "$pid" ] || fail "no daemon pid in daemon.lock after start"

id=$(submit_box "$work/box.png")
rq wait "$id" >/dev/null || fail "wait exited $? for a Box render"
state_is "$id" succeeded || fail "job $id is $(job_field "$id" "j['state']")"
png_ok --size 64x64 "$work/box.png" || fail "output is not a whole 64x64 PNG"
[ -n "$(job_field "$id" "j['device']")" ] || fail "no device recorded"
[[ "$(job_field "$id" "j['worker']")" == *:* ]] || fail "no worker recorded"
[ "$(job_field "$id" "j['progress']['done']")/$(job_field "$id" "j['progress']['total']")" = 1/1 ] ||
  fail "progress not 1/1"

log=$(rq logs "$id")
for want in "attempt 1/1 started by worker" "worker: rendering $BOX" "stages: load" "wrote $work/box.png" \
            "attempt 1 ended: succeeded"; do
  grep -qF "$want" <<<"$log" || fail "job log lacks '$want':"$'\n'"$log"
done
rq logs "$id" --follow >/dev/null || fail "logs --follow of a succeeded job exited $?"

# One daemon per spool.
set +e
rq daemon --foreground --log "$work/second.log" 2>"$work/second.err"
rc=$?
set -e
[ $rc -eq 7 ] || fail "a second daemon exited $rc, expected 7"
grep -q "already served by daemon pid $pid" "$work/second.err" || fail "refusal does not name the daemon"

# A job that cannot render fails with the renderer's code; the daemon goes on.
cp "$BOX" "$work/gone.glb"
rq pause  # else the daemon renders it before the file goes
bad=$(rq submit "$work/gone.glb" -o "$work/gone.png" --size 64x64)
rm "$work/gone.glb"
rq resume
set +e
rq logs "$bad" --follow >"$work/bad.log"
rc=$?
set -e
[ $rc -eq 4 ] || fail "logs --follow of a failed job exited $rc, expected 4"
[ "$(job_field "$bad" "j['error_code']")" = scene_missing ] || fail "error code $(job_field "$bad" "j['error_code']")"
grep -q "error: scene_missing" "$work/bad.log" || fail "the job log does not show the error"

set +e; rq logs 999999 >/dev/null 2>&1; rc=$?; set -e
[ $rc -eq 3 ] || fail "logs of an unknown job exited $rc, expected 3"

id2=$(submit_box "$work/box2.png")
rq wait "$id2" >/dev/null || fail "the job after a failed one did not render"
[ "$(daemon_pid)" = "$pid" ] || fail "the supervisor changed"

stop_daemon
[ -z "$(daemon_pid)" ] || fail "daemon still running after --stop"
grep -q "stopped" "$work/daemon.log" || fail "no 'stopped' line in the daemon log"
echo ok
