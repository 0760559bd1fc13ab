#!/usr/bin/env bash
# A worker that crashes on a job (test-only fault hook) does not take the
# daemon down: the job is retried while attempts remain, then fails with
# worker_crashed, and the next job renders on a fresh worker.
source "$(dirname "$0")/lib.sh"

RENDERQ_TEST_HOOKS=1 RENDERQ_TEST_FAULT=crash-on-job:boom,segv-on-job:segv start_daemon
pid=$(daemon_pid)
boom=$(submit_box "$work/boom.png" --name boom --retries 2)
segv=$(submit_box "$work/segv.png" --name segv)
ok=$(submit_box "$work/ok.png" --name fine)
set +e; rq wait "$boom" "$segv" >/dev/null; set -e
[ "$(job_field "$boom" "j['state']")" = failed ] || fail "crashing job not failed"
[ "$(job_field "$boom" "j['error_code']")" = worker_crashed ] || fail "error code $(job_field "$boom" "j['error_code']")"
[ "$(job_field "$boom" "j['attempts']")" = 3 ] || fail "crashing job had $(job_field "$boom" "j['attempts']") attempts, expected 3"
[ "$(job_field "$segv" "j['error_code']")" = worker_crashed ] || fail "segv job: $(job_field "$segv" "j['error_code']")"
grep -q "signal 11" <<<"$(job_field "$segv" "j['error_message']")" || fail "segv not named in the message"
rq wait "$ok" >/dev/null || fail "the next job did not render"
png_ok "$work/ok.png" || fail "bad output after crashes"
[ "$(daemon_pid)" = "$pid" ] || fail "the supervisor died"
[ ! -e "$work/boom.png" ] || fail "a crashed job left an output"

# Without RENDERQ_TEST_HOOKS=1 the fault variable does nothing.
stop_daemon
RENDERQ_TEST_FAULT=crash-on-job:boom start_daemon
again=$(submit_box "$work/boom2.png" --name boom)
rq wait "$again" >/dev/null || fail "the fault hook fired without RENDERQ_TEST_HOOKS=1"
echo ok
