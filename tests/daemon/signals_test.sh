#!/usr/bin/env bash
# SIGTERM lets a running job finish within --grace; past the grace the job is
# killed and requeued without using an attempt; a second signal stops at
# once; SIGHUP reopens the log.
source "$(dirname "$0")/lib.sh"

# 1. A job that finishes within the grace period succeeds.
RENDERQ_TEST_HOOKS=1 RENDERQ_TEST_FAULT=delay-ms:1500 start_daemon --grace 20s
id=$(submit_box "$work/a.png")
wait_until 10 state_is "$id" running || fail "job did not start"
kill -TERM "$(daemon_pid)"
wait_until 15 eval '[ -z "$(daemon_pid)" ]' || fail "daemon did not exit after its job"
state_is "$id" succeeded || fail "job not finished during the grace period: $(job_field "$id" "j['state']")"
grep -q "stopping: no new jobs" "$work/daemon.log" || fail "no stop line in the log"

# 2. Past the grace period the job is killed and goes back to the queue.
RENDERQ_TEST_HOOKS=1 RENDERQ_TEST_FAULT=hang-on-job:hang start_daemon --grace 500ms
h=$(submit_box "$work/h.png" --name hang)
wait_until 10 state_is "$h" running || fail "hang job did not start"
t0=$(date +%s%N)
kill -TERM "$(daemon_pid)"
wait_until 10 eval '[ -z "$(daemon_pid)" ]' || fail "daemon did not stop after its grace period"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
state_is "$h" queued || fail "killed job is $(job_field "$h" "j['state']"), expected queued"
[ "$(job_field "$h" "j['attempts']")" = 0 ] || fail "the interrupted attempt was counted"
echo "grace 500ms: stopped in $ms ms"

# 3. A second signal stops at once, whatever the grace.
RENDERQ_TEST_HOOKS=1 RENDERQ_TEST_FAULT=hang-on-job:hang start_daemon --grace 1h
wait_until 10 state_is "$h" running || fail "requeued job did not restart"
pid=$(daemon_pid)
kill -INT "$pid"
sleep 0.2
[ -n "$(daemon_pid)" ] || fail "one SIGINT stopped a daemon with a running job and 1h grace"
kill -INT "$pid"
wait_until 5 eval '[ -z "$(daemon_pid)" ]' || fail "second signal did not stop the daemon"
state_is "$h" queued || fail "job not requeued on the second signal"
rq cancel "$h" >/dev/null

# 4. SIGHUP reopens the log (after logrotate moved it).
start_daemon
mv "$work/daemon.log" "$work/daemon.log.1"
kill -HUP "$(daemon_pid)"
wait_until 5 test -s "$work/daemon.log" || fail "no new log after SIGHUP"
n=$(submit_box "$work/n.png")
rq wait "$n" >/dev/null
# The daemon writes its line just after the commit that `wait` saw.
wait_until 5 grep -q "job $n succeeded" "$work/daemon.log" || fail "new log does not get the daemon's lines"
stop_daemon
echo ok
