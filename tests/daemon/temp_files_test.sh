#!/usr/bin/env bash
# The temporary files a killed worker leaves (".<name>.tmp-<pid>-<n>", see
# render/atomic_file.cpp) are removed by the supervisor after it reaps the
# worker (here: a cancel), and by the next daemon when it requeues the job of
# a supervisor killed with -9. Files of other processes and other outputs
# stay. The files are planted while the worker hangs, so that the test does
# not depend on a kill landing mid-write (the crash test covers that).
source "$(dirname "$0")/lib.sh"
export RENDERQ_TEST_HOOKS=1 RENDERQ_TEST_FAULT=hang-on-job:hang
mkdir -p "$work/out"

worker_of() { job_field "$1" "j['worker'].rsplit(':', 1)[1]"; }
plant() {  # plant PID: the hanging worker's temporary file and two decoys
  touch "$work/out/.h.png.tmp-$1-0" "$work/out/.h.png.tmp-$(( $1 + 100000 ))-0" "$work/out/.other.png.tmp-$1-0"
}
decoys_kept() {
  [ -f "$work/out/.h.png.tmp-$(( $1 + 100000 ))-0" ] && [ -f "$work/out/.other.png.tmp-$1-0" ]
}

# 1. Cancel: the supervisor kills the worker, reaps it, removes its file.
start_daemon
h=$(submit_box "$work/out/h.png" --name hang)
wait_until 20 state_is "$h" running || fail "hang job did not start"
pid=$(worker_of "$h")
plant "$pid"
rq cancel "$h" >/dev/null
wait_until 5 state_is "$h" canceled || fail "hang job not canceled"
[ ! -e "$work/out/.h.png.tmp-$pid-0" ] || fail "the canceled worker's temporary file is still there"
decoys_kept "$pid" || fail "a file of another process or output was removed"
grep -q "job $h: removed 1 temporary file(s) left by worker pid $pid" "$work/daemon.log" || fail "removal not logged"

# 2. kill -9 of the supervisor (its worker dies with it): the next daemon
# requeues the job and removes the file.
rq retry "$h" >/dev/null
wait_until 20 eval '[ "$(job_field "$h" "j[\"state\"]")" = running ] && [ "$(worker_of "$h")" != "$pid" ]' ||
  fail "retried job did not start"
pid2=$(worker_of "$h")
plant "$pid2"
kill -9 "$(daemon_pid)"
wait_until 5 eval '[ -z "$(daemon_pid)" ]' || fail "killed supervisor kept its lock"
wait_until 5 eval '! kill -0 "$pid2" 2>/dev/null' || fail "the worker outlived its supervisor"
[ -e "$work/out/.h.png.tmp-$pid2-0" ] || fail "the planted file vanished before a daemon ran"
start_daemon
[ ! -e "$work/out/.h.png.tmp-$pid2-0" ] || fail "the next daemon left the dead worker's temporary file"
decoys_kept "$pid2" || fail "a file of another process or output was removed"
state_is "$h" failed || fail "job of the dead supervisor is $(job_field "$h" "j['state']") (no attempts were left)"
stop_daemon
echo ok
