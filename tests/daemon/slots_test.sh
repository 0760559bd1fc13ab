#!/usr/bin/env bash
# --slots 3: three workers on the one device run three jobs at once, never
# four; each job still runs once and succeeds. A bad --slots is a usage error.
source "$(dirname "$0")/lib.sh"

set +e; rq daemon --foreground --slots 0 2>/dev/null; rc=$?; set -e
[ $rc -eq 2 ] || fail "--slots 0 exited $rc, expected 2"
set +e; rq daemon --foreground --slots 65 2>/dev/null; rc=$?; set -e
[ $rc -eq 2 ] || fail "--slots 65 exited $rc, expected 2"
# A device index that no EGL device has is refused at start, not retried forever.
set +e; rq daemon --foreground --devices 99 2>"$work/devices.err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "--devices 99 exited $rc, expected 2"
grep -q "no EGL device 99" "$work/devices.err" || fail "--devices 99: $(cat "$work/devices.err")"

# Each render waits 1.5 s first, so the jobs overlap whatever the machine's load.
export RENDERQ_TEST_HOOKS=1 RENDERQ_TEST_FAULT=delay-ms:1500
start_daemon --slots 3
wait_until 60 bash -c "[ \$(grep -c ' ready on ' '$work/daemon.log') -ge 3 ]" || fail "three workers did not start"
n=$(worker_pids | wc -w)
[ "$n" -eq 3 ] || fail "$n worker processes, expected 3"
# The default scene memory budget (half the memory) is shared by the three
# workers, which may load at once: each is given a third of it.
half=$(awk '/^MemTotal:/ { print $2 * 1024 / 2 }' /proc/meminfo)
for pid in $(worker_pids); do
  budget=$(tr '\0' '\n' <"/proc/$pid/cmdline" | sed -n '/^--max-scene-memory$/{n;p}')
  [ -n "$budget" ] || { fail "worker $pid has no --max-scene-memory"; continue; }
  awk -v b="$budget" -v h="$half" 'BEGIN { exit !(b * 3 <= h + 3) }' || fail "worker $pid's budget $budget is over a third of $half"
done
# So are the CPUs that encode frames: a third each (at least 1, at most 16).
threads=$(( $(nproc) / 3 )); [ "$threads" -ge 1 ] || threads=1; [ "$threads" -le 16 ] || threads=16
for pid in $(worker_pids); do
  given=$(tr '\0' '\n' <"/proc/$pid/cmdline" | sed -n '/^--worker-encoder-threads$/{n;p}')
  [ "$given" = "$threads" ] || fail "worker $pid encodes with '$given' threads, expected $threads of $(nproc) CPUs"
done

ids=()
for i in 1 2 3 4 5 6 7; do ids+=("$(submit_box "$work/out$i.png" --name "j$i")"); done

# Sample the running set until every job has finished.
python3 - "$RENDERQ" "$work/max" <<'PY'
import json, subprocess, sys, time
rq, out = sys.argv[1], sys.argv[2]
most, workers, end = 0, set(), time.time() + 120
while time.time() < end:
    jobs = json.loads(subprocess.run([rq, "list", "--json"], check=True, capture_output=True).stdout)
    running = [j for j in jobs if j["state"] == "running"]
    if len(running) > most:
        most = len(running)
    workers |= {j["worker"] for j in running}
    if all(j["state"] in ("succeeded", "failed", "canceled") for j in jobs):
        break
    time.sleep(0.02)
open(out, "w").write(f"{most} {len(workers)}\n")
PY
read -r most workers < "$work/max"
[ "$most" -le 3 ] || fail "$most jobs ran at once with --slots 3"
[ "$most" -eq 3 ] || fail "at most $most jobs ran at once, expected 3"
[ "$workers" -eq 3 ] || fail "jobs ran on $workers workers, expected 3"
rq wait "${ids[@]}" >/dev/null || fail "not every job succeeded"
for i in 1 2 3 4 5 6 7; do
  png_ok --size 64x64 "$work/out$i.png" >/dev/null || fail "out$i.png is not a 64x64 PNG"
  [ "$(job_field "${ids[$((i - 1))]}" "j['attempts']")" = 1 ] || fail "job $i ran more than once"
done
rq logs "${ids[0]}" | grep -q "($threads threads)" || fail "job 1's stage line does not say $threads encoder threads"
devices=$(rq list --json | python3 -c 'import json,sys; print(len({j["device"] for j in json.load(sys.stdin)}))')
[ "$devices" -eq 1 ] || fail "the jobs ran on $devices devices, expected the one"
stop_daemon
echo ok
