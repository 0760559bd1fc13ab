#!/usr/bin/env bash
# Command jobs (submit --exec) with real processes: what submit refuses;
# exit statuses and signals recorded; exactly the environment asked for;
# progress; output captured up to the cap; binary output through `logs`; a
# cwd that vanished; a stubborn process tree gone within the kill grace after
# cancel and after a timeout; nothing left after the daemon is SIGKILLed;
# --slots 3 runs three commands at once and never four.
source "$(dirname "$0")/lib.sh"

mark=rqexec-$$-$RANDOM          # in the argv of every stubborn process
leftovers() { pgrep -f -- "$1" || true; }
kill_marked() { local p; for p in $(leftovers "$mark"); do kill -9 "$p" 2>/dev/null || true; done; }
trap 'kill_marked; cleanup' EXIT

expect_rc() {  # expect_rc RC WHAT CMD...
  local want=$1 what=$2; shift 2
  set +e; "$@" >/dev/null 2>"$work/err"; local rc=$?; set -e
  [ "$rc" -eq "$want" ] || fail "$what: exit $rc, expected $want ($(cat "$work/err"))"
}
field() { job_field "$@"; }
finished() { case "$(field "$1" "j['state']")" in succeeded|failed|canceled) return 0;; esac; return 1; }
wait_done() { wait_until "${2:-60}" finished "$1" || fail "job $1 did not finish"; }

# ---- submit refuses what cannot run, storing nothing ---------------------
expect_rc 2 "no command" rq submit --exec
expect_rc 2 "unknown command" rq submit --exec -- no-such-command-$mark
printf 'echo hi\n' > "$work/noexec.sh"
expect_rc 2 "not executable" rq submit --exec -- "$work/noexec.sh"
expect_rc 2 "missing cwd" rq submit --exec --cwd "$work/no/such/dir" -- true
expect_rc 2 "bad --env" rq submit --exec --env NOEQUALS -- true
expect_rc 2 "--cwd without --exec" rq submit "$BOX" -o "$work/a.png" --cwd /tmp
expect_rc 2 "--cwd naming a file" rq submit --exec --cwd "$BOX" -- true
grep -q "'$BOX' is not a folder" "$work/err" || fail "--cwd FILE: $(cat "$work/err")"
# Render options are refused, not dropped; the first one given is named.
expect_rc 2 "--exec with render options" rq submit --exec --size 32x32 --samples 64 --frames 5 --turntable \
  --tonemap aces -- true
grep -q -- "--size is a render option" "$work/err" || fail "--exec --size: $(cat "$work/err")"
for opt in "--turntable" "--animate" "--samples 8" "--fps 10" "--camera 0" "--max-scene-memory 1G" "--background #000000"; do
  # shellcheck disable=SC2086
  expect_rc 2 "--exec with $opt" rq submit --exec $opt -- true
  grep -q -- "${opt%% *} is a render option" "$work/err" || fail "--exec $opt: $(cat "$work/err")"
done
[ "$(rq list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ] || fail "a refused submit stored a job"
# Render defaults from the config file or the environment are not options
# given: a command job with every queue option is still accepted.
printf '[render]\nsize = "64x64"\nsamples = 8\n' >"$work/render-defaults.toml"
cfg_job=$(RENDERQ_CONFIG=$work/render-defaults.toml RENDERQ_TONEMAP=aces rq submit --exec --name cfg --priority 2 \
  --retries 1 --timeout 5s --not-before +1h --label a=b --hold -- true) || fail "--exec with render defaults in the config was refused"
rq cancel "$cfg_job" >/dev/null

# ---- a daemon with three slots, a short kill grace and an 8 MiB cap ------
start_daemon --slots 3 --kill-grace 1s --exec-output-cap 8M
wait_until 60 bash -c "[ \$(grep -c ' ready on ' '$work/daemon.log') -ge 3 ]" || fail "three workers did not start"

# ---- outcomes ------------------------------------------------------------
ok=$(rq submit --exec -- true)
three=$(rq submit --exec -- sh -c 'echo about to fail; exit 3')
sig=$(rq submit --exec -- sh -c 'kill -USR1 $$')
for id in $ok $three $sig; do wait_done "$id"; done
[ "$(field "$ok" "j['state']")" = succeeded ] || fail "true did not succeed"
[ "$(field "$ok" "j['kind']")" = exec ] || fail "kind is not exec"
[ "$(field "$three" "j['state']+' '+j['error_code']")" = "failed exit_status" ] || fail "exit 3 not recorded"
field "$three" "j['error_message']" | grep -q 3 || fail "the message does not name status 3"
[ "$(field "$sig" "j['state']+' '+j['error_code']")" = "failed signal" ] || fail "SIGUSR1 not recorded"
field "$sig" "j['error_message']" | grep -q SIGUSR1 || fail "the message does not name SIGUSR1"
rq status "$three" | grep -q "exit_status" || fail "status does not show exit_status"
rq logs "$three" | grep -q "about to fail" || fail "the output is not in the log"
expect_rc 4 "wait on a failed command" rq wait "$three"

# ---- the environment is exactly what was asked ---------------------------
envjob=$(env -i PATH=/usr/bin:/bin HOME=/tmp/h LANG=C.UTF-8 LC_TIME=C SECRET=s3cret RENDERQ_SPOOL="$RENDERQ_SPOOL" \
  "$RENDERQ" submit --exec --env FOO=bar --env 'SP=a b' -- env)
envall=$(env -i PATH=/usr/bin:/bin SECRET=s3cret RENDERQ_SPOOL="$RENDERQ_SPOOL" "$RENDERQ" submit --exec --env-all -- env)
wait_done "$envjob"; wait_done "$envall"
log=$RENDERQ_SPOOL/jobs/$envjob/job.log
got=$(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$log" | cut -d= -f1 | sort | tr '\n' ' ')
want="CUDA_VISIBLE_DEVICES FOO HOME LANG LC_TIME PATH RENDERQ_ATTEMPT RENDERQ_DEVICE RENDERQ_JOB_ID RENDERQ_PROGRESS_FD SP "
[ "$got" = "$want" ] || fail "environment names: got '$got', want '$want'"
grep -qx "SP=a b" "$log" || fail "SP=a b not passed as one value"
grep -qx "RENDERQ_JOB_ID=$envjob" "$log" || fail "RENDERQ_JOB_ID is wrong"
grep -qx "RENDERQ_ATTEMPT=1" "$log" || fail "RENDERQ_ATTEMPT is wrong"
grep -qx "CUDA_VISIBLE_DEVICES=" "$log" || fail "CUDA_VISIBLE_DEVICES is not empty on a software device"
grep -qx "SECRET=s3cret" "$RENDERQ_SPOOL/jobs/$envall/job.log" || fail "--env-all did not pass SECRET"

# ---- progress, cwd ---------------------------------------------------------
mkdir "$work/here"
prog=$(rq submit --exec --cwd "$work/here" -- bash -c 'echo 3/10 >&$RENDERQ_PROGRESS_FD; pwd; echo 10/10 >&$RENDERQ_PROGRESS_FD')
wait_done "$prog"
[ "$(field "$prog" "str(j['progress']['done'])+'/'+str(j['progress']['total'])")" = 10/10 ] || fail "progress not stored"
grep -qx "$work/here" "$RENDERQ_SPOOL/jobs/$prog/job.log" || fail "the command did not run in --cwd"
rq pause >/dev/null
mkdir "$work/gone"
gone=$(rq submit --exec --cwd "$work/gone" -- true)
rmdir "$work/gone"
rq resume >/dev/null
wait_done "$gone"
[ "$(field "$gone" "j['state']+' '+j['error_code']")" = "failed cwd_missing" ] || fail "a vanished cwd: $(field "$gone" "j['error_code']")"

# ---- output: up to the cap, binary bytes do not break logs ---------------
big=$(rq submit --exec -- sh -c "head -c 10485760 /dev/zero | tr '\\0' x")
bin=$(rq submit --exec -- sh -c "head -c 65536 /dev/urandom; printf '\\377\\376\\300 invalid utf-8\\n'")
wait_done "$big" 120; wait_done "$bin"
[ "$(field "$big" "j['state']")" = succeeded ] || fail "the 10 MB job did not succeed"
xs=$(tr -cd x < "$RENDERQ_SPOOL/jobs/$big/job.log" | wc -c)
[ "$xs" -eq $((8 << 20)) ] || fail "captured $xs bytes of output, expected the 8 MiB cap"
grep -q "output cut after" "$RENDERQ_SPOOL/jobs/$big/job.log" || fail "the log does not say it was cut"
rq logs "$bin" > "$work/bin.out" || fail "logs of binary output failed"
grep -aq "invalid utf-8" "$work/bin.out" || fail "logs lost the output after the binary bytes"

# ---- a stubborn process tree: cancel and timeout -------------------------
cat > "$work/stubborn.sh" <<'SH'
#!/bin/bash
# Ignores SIGTERM, as do its three children.
trap '' TERM
for i in 1 2 3; do bash -c 'trap "" TERM; while :; do sleep 0.05; done' "$1-child" & done
echo started
while :; do sleep 0.05; done
SH
chmod +x "$work/stubborn.sh"
# Functions, not `bash -c`: a shell whose argv holds the marker would match itself.
none_marked() { ! pgrep -f -- "$1" >/dev/null; }
marked_at_least() { [ "$(pgrep -f -- "$1" | wc -l)" -ge "$2" ]; }
gone_within() { wait_until "$1" none_marked "$2"; }  # gone_within SECONDS MARKER
for how in cancel timeout; do
  m=$mark-$how
  if [ $how = timeout ]; then id=$(rq submit --exec --timeout 2s -- "$work/stubborn.sh" "$m")
  else id=$(rq submit --exec -- "$work/stubborn.sh" "$m"); fi
  wait_until 30 marked_at_least "$m" 4 || fail "$how: the process tree did not start"
  t0=$(date +%s%N)
  if [ $how = cancel ]; then rq cancel "$id" >/dev/null; fi
  # SIGTERM is ignored; SIGKILL follows after the 1 s grace. Slack: the
  # heartbeat (0.5 s) and a loaded machine.
  gone_within 30 "$m" || fail "$how: processes left: $(pgrep -af -- "$m")"
  took=$(( ($(date +%s%N) - t0) / 1000000 ))
  if [ $how = cancel ] && [ $took -gt 4000 ]; then fail "cancel: the tree took $took ms to go (grace 1 s)"; fi
  wait_done "$id" 30
  want=canceled; [ $how = timeout ] && want="failed timeout"
  got=$(field "$id" "j['state']+(' '+j['error_code'] if j['state']=='failed' else '')")
  [ "$got" = "$want" ] || fail "$how: state '$got', expected '$want'"
done

# ---- --slots 3: three at once, never four ---------------------------------
ids=()
for i in 1 2 3 4 5 6 7; do ids+=("$(rq submit --exec --name s$i -- sleep 1.5)"); done
python3 - "$RENDERQ" "$work/max" <<'PY'
import json, subprocess, sys, time
rq, out = sys.argv[1], sys.argv[2]
most, end = 0, time.time() + 120
while time.time() < end:
    jobs = [j for j in json.loads(subprocess.run([rq, "list", "--json"], check=True, capture_output=True).stdout)
            if j["name"].startswith("s")]
    most = max(most, sum(j["state"] == "running" for j in jobs))
    if all(j["state"] in ("succeeded", "failed", "canceled") for j in jobs):
        break
    time.sleep(0.02)
open(out, "w").write(f"{most}\n")
PY
read -r most < "$work/max"
[ "$most" -eq 3 ] || fail "at most $most command jobs ran at once with --slots 3, expected 3"
rq wait "${ids[@]}" >/dev/null || fail "not every sleep succeeded"

# ---- the daemon SIGKILLed during a command job ----------------------------
m=$mark-crash
id=$(rq submit --exec -- "$work/stubborn.sh" "$m")
wait_until 30 marked_at_least "$m" 4 || fail "crash: the process tree did not start"
kill -9 "$(daemon_pid)"
# The leader dies with the daemon (PR_SET_PDEATHSIG); the next daemon kills the rest.
wait_until 10 flock -n -s "$RENDERQ_SPOOL/daemon.lock" true || fail "crash: the lock was not released"
start_daemon --kill-grace 1s
gone_within 40 "$m" || fail "crash: processes left after the next daemon started: $(pgrep -af -- "$m")"
wait_done "$id" 30
[ "$(field "$id" "j['state']")" = failed ] || fail "crash: the job (no retries) is $(field "$id" "j['state']"), expected failed"
stop_daemon
echo ok
