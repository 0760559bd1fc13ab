#!/usr/bin/env bash
# Claim order: priority first, FIFO within a priority, dependencies first;
# a dependent of a failed job fails with dependency_failed.
source "$(dirname "$0")/lib.sh"

rq pause
start_daemon
a=$(submit_box "$work/a.png" --name a)
b=$(submit_box "$work/b.png" --name b)
c=$(submit_box "$work/c.png" --name c --priority 5)
d=$(submit_box "$work/d.png" --name d --priority 9 --after "$a")
e=$(submit_box "$work/e.png" --name e --after "$d")
cp "$BOX" "$work/gone.glb"
x=$(rq submit "$work/gone.glb" -o "$work/x.png" --size 64x64 --name x --priority -1)
rm "$work/gone.glb"
y=$(submit_box "$work/y.png" --name y --after "$x")
sleep 0.3
state_is "$a" queued || fail "a job started while paused"
rq resume
set +e; rq wait "$a" "$b" "$c" "$d" "$e" "$x" "$y" >/dev/null; rc=$?; set -e
[ $rc -eq 4 ] || fail "wait exited $rc, expected 4 (x fails)"

# One worker runs one job at a time, so the order of the daemon's "job N
# succeeded" lines is the start order (tiny jobs can share a millisecond of
# started_ms, so the stamps cannot tell).
order=$(rq list --json | python3 -c '
import json, re, sys
names = {j["id"]: j["name"] for j in json.load(sys.stdin)}
done = [int(m) for m in re.findall(r"job (\d+) succeeded", open(sys.argv[1]).read())]
print(" ".join(names[i] for i in done))' "$work/daemon.log")
# c (priority 5) first; a before b (FIFO); d (priority 9) as soon as a is
# done, so before b; e after d.
[ "$order" = "c a d b e" ] || fail "start order '$order', expected 'c a d b e'"
[ "$(job_field "$x" "j['error_code']")" = scene_missing ] || fail "x did not fail with scene_missing"
[ "$(job_field "$y" "j['state']")" = failed ] || fail "y is not failed"
[ "$(job_field "$y" "j['error_code']")" = dependency_failed ] || fail "y is not dependency_failed"
echo ok
