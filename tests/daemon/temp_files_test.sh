#!/usr/bin/env bash
# The temporary files a killed worker leaves (".<name>.tmp-<pid>-<n>", see
# render/atomic_file.cpp) and its staged outputs
# (".<name>.stage-<job>-<attempt>-<host>-<pid>", core/staged_output.hpp)
# are removed by the supervisor after it reaps the
# worker (here: a cancel), and by the next daemon when it requeues the job of
# a supervisor killed with -9. Files of other processes and other outputs
# stay. The files are planted while the worker hangs, so that the test does
# not depend on a kill landing mid-write (the crash test covers that).
source "$(dirname "$0")/lib.sh"
export RENDERQ_TEST_HOOKS=1 RENDERQ_TEST_FAULT=hang-on-job:hang
mkdir -p "$work/out"

worker_of() { job_field "$1" "j['worker'].rsplit(':', 1)[1]"; }
# The staged name job $1's current attempt writes under.
staged_of() {
  job_field "$1" "'$work/out/.h.png.stage-%d-%d-%s-%s' % (j['id'], j['attempts'], *j['worker'].rsplit(':', 1))"
}
plant() {  # plant PID JOB: the hanging worker's temporary and staged files, and three decoys
  touch "$work/out/.h.png.tmp-$1-0" "$work/out/.h.png.tmp-$(( $1 + 100000 ))-0" "$work/out/.other.png.tmp-$1-0"
  touch "$(staged_of "$2")" "$work/out/.h.png.stage-$(( $2 + 1000 ))-1-x-$1"
}
decoys_kept() {  # decoys_kept PID JOB
  [ -f "$work/out/.h.png.tmp-$(( $1 + 100000 ))-0" ] && [ -f "$work/out/.other.png.tmp-$1-0" ] &&
    [ -f "$work/out/.h.png.stage-$(( $2 + 1000 ))-1-x-$1" ]
}

# 1. Cancel: the supervisor kills the worker, reaps it, removes its file.
start_daemon
h=$(submit_box "$work/out/h.png" --name hang)
wait_until 20 state_is "$h" running || fail "hang job did not start"
pid=$(worker_of "$h")
staged=$(staged_of "$h")
plant "$pid" "$h"
rq cancel "$h" >/dev/null
wait_until 5 state_is "$h" canceled || fail "hang job not canceled"
[ ! -e "$work/out/.h.png.tmp-$pid-0" ] || fail "the canceled worker's temporary file is still there"
[ ! -e "$staged" ] || fail "the canceled attempt's staged file is still there"
[ ! -e "$work/out/h.png" ] || fail "a canceled still was published"
decoys_kept "$pid" "$h" || fail "a file of another process or output was removed"
grep -q "job $h: removed 1 temporary file(s) left by worker pid $pid" "$work/daemon.log" || fail "removal not logged"
grep -q "job $h: removed 1 staged file(s) of attempt" "$work/daemon.log" || fail "staged removal not logged"

# 2. kill -9 of the supervisor (its worker dies with it): the next daemon
# requeues the job and removes the file.
rq retry "$h" >/dev/null
wait_until 20 eval '[ "$(job_field "$h" "j[\"state\"]")" = running ] && [ "$(worker_of "$h")" != "$pid" ]' ||
  fail "retried job did not start"
pid2=$(worker_of "$h")
staged=$(staged_of "$h")
plant "$pid2" "$h"
kill -9 "$(daemon_pid)"
wait_until 5 eval '[ -z "$(daemon_pid)" ]' || fail "killed supervisor kept its lock"
wait_until 5 eval '! kill -0 "$pid2" 2>/dev/null' || fail "the worker outlived its supervisor"
[ -e "$work/out/.h.png.tmp-$pid2-0" ] || fail "the planted file vanished before a daemon ran"
start_daemon
[ ! -e "$work/out/.h.png.tmp-$pid2-0" ] || fail "the next daemon left the dead worker's temporary file"
[ ! -e "$staged" ] || fail "the next daemon left the dead worker's staged file"
decoys_kept "$pid2" "$h" || fail "a file of another process or output was removed"
state_is "$h" failed || fail "job of the dead supervisor is $(job_field "$h" "j['state']") (no attempts were left)"
stop_daemon
echo ok
