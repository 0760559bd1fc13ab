#!/usr/bin/env bash
# pause is stored in the spool: it holds across a daemon restart until resume.
source "$(dirname "$0")/lib.sh"

start_daemon
rq pause
id=$(submit_box "$work/p.png")
sleep 0.5
state_is "$id" queued || fail "job ran while paused"
stop_daemon
start_daemon
sleep 0.5
state_is "$id" queued || fail "pause did not survive the restart"
t0=$(date +%s%N)
rq resume
rq wait "$id" --timeout 30s >/dev/null || fail "job did not run after resume"
echo "resume -> succeeded in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
png_ok "$work/p.png" || fail "bad output"
echo ok
