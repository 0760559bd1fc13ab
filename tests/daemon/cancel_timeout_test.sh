#!/usr/bin/env bash
# Cancel a queued job; cancel a running one (stopped within a second);
# a per-job timeout fails the job with "timeout"; the worker is replaced and
# the next job renders.
source "$(dirname "$0")/lib.sh"

# A render that would take hours: many frames of the real renderer.
long_job() { rq submit "$BOX" -o "$work/$1_%06d.png" --size 64x64 --samples 1 --frames 100000 --turntable --name "$1" "${@:2}"; }

start_daemon --default-timeout 10m
rq pause
q=$(submit_box "$work/q.png")
[ "$(rq cancel "$q")" = "$q canceled" ] || fail "cancel of a queued job"
state_is "$q" canceled || fail "queued job not canceled"
rq resume

r=$(long_job running)
wait_until 20 eval '[ "$(job_field "$r" "j[\"progress\"][\"done\"]")" -gt 0 ]' || fail "long job never made progress"
t0=$(date +%s%3N)
rq cancel "$r" >/dev/null
wait_until 5 state_is "$r" canceled || fail "running job not canceled"
# Measured to the commit of the outcome, not to when this loop noticed it.
ms=$(( $(job_field "$r" "j['finished_ms']") - t0 ))
[ $ms -le 1000 ] || fail "cancel took $ms ms"
echo "cancel of a running job took $ms ms"
grep -q "cancel requested" <<<"$(rq logs "$r")" || fail "job log does not record the cancel"

t=$(long_job timed --timeout 1s)
set +e; rq wait "$t" >/dev/null; rc=$?; set -e
[ $rc -eq 4 ] || fail "wait on a timed-out job exited $rc"
[ "$(job_field "$t" "j['error_code']")" = timeout ] || fail "error code $(job_field "$t" "j['error_code']")"
ms=$(( $(job_field "$t" "j['finished_ms']") - $(job_field "$t" "j['started_ms']") ))
[ $ms -ge 1000 ] && [ $ms -lt 2000 ] || fail "a 1s timeout ended the job after $ms ms"
echo "1s timeout: failed after $ms ms"
[ "$(job_field "$t" "j['progress']['done']")" -gt 0 ] || fail "no progress recorded before the timeout"

n=$(submit_box "$work/next.png")
rq wait "$n" >/dev/null || fail "next job after cancel and timeout did not render"
png_ok "$work/next.png" || fail "next output broken"

# The daemon default applies to jobs without their own timeout.
stop_daemon
start_daemon --default-timeout 1s
dflt=$(long_job dflt)
set +e; rq wait "$dflt" >/dev/null; set -e
[ "$(job_field "$dflt" "j['error_code']")" = timeout ] || fail "--default-timeout not applied"
echo ok
