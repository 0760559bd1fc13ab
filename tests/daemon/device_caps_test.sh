#!/usr/bin/env bash
# The daemon records what its devices allow (<spool>/devices.json, written
# when a worker has its context), and submit refuses a render no device can
# do: --samples beyond every device's GL_MAX_SAMPLES, also in --batch; a
# command job and a render within the limit pass; before any daemon ran,
# nothing is known and submit accepts.
source "$(dirname "$0")/lib.sh"

early=$(rq submit "$BOX" -o "$work/early.png" --size 32x32 --samples 16) || fail "submit before any daemon ran should accept"
start_daemon
wait_until 30 test -s "$RENDERQ_SPOOL/devices.json" || fail "the daemon wrote no devices.json"
max=$(python3 -c 'import json,sys; print(max(d["max_samples"] for d in json.load(open(sys.argv[1]))["devices"]))' \
  "$RENDERQ_SPOOL/devices.json")
[ "$max" -ge 1 ] || fail "devices.json has no sample limit: $(cat "$RENDERQ_SPOOL/devices.json")"
over=$((max * 2))
rc=0
rq submit "$BOX" -o "$work/over.png" --samples "$over" >"$work/out" 2>"$work/err" || rc=$?
[ "$rc" = 2 ] || fail "--samples $over (devices allow $max) exited $rc"
grep -q "at most $max" "$work/err" || fail "the error should name the limit: $(cat "$work/err")"
[ -s "$work/out" ] && fail "a refused submit printed: $(cat "$work/out")"
printf '{"spec": {"scene": "%s", "output": "%s", "samples": %d}}\n' "$BOX" "$work/b.png" "$over" >"$work/b.jsonl"
rc=0
rq submit --batch "$work/b.jsonl" >/dev/null 2>"$work/err" || rc=$?
[ "$rc" = 2 ] && grep -q "b.jsonl:1: " "$work/err" || fail "--batch over the limit: exit $rc, $(cat "$work/err")"
ok=$(rq submit "$BOX" -o "$work/ok.png" --size 32x32 --samples "$max") || fail "--samples $max should be accepted"
rq wait "$ok" >/dev/null || fail "the job within the limit failed"
rq submit --exec -- true >/dev/null || fail "a command job should not be checked against render limits"
# The job stored before the daemon ran fails by name when it renders.
timeout 60 "$RENDERQ" wait "$early" >/dev/null 2>&1 || true
[ "$(job_field "$early" "j['error_code']")" = samples_out_of_range ] || fail "early job: $(rq status "$early")"
echo ok
