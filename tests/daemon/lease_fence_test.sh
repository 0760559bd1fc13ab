# A host frozen past its lease (SIGSTOP of its daemon and worker) whose job
# then runs on another host is resumed: it must not finish that job, write
# its row, or overwrite the other host's output (issue 14). Its worker
# renders on into its own staged files (core/staged_output.hpp), which only
# a finish the store accepts publishes, and which it removes once it learns
# the lease is lost. Also: logs --follow from the database, and an output
# folder a host cannot write. On a private PostgreSQL server
# (tests/pg/pg_lib.sh), hosts a and b on one machine.
# FENCE_WAKE=workers-first|together|supervisor-first picks the order host a
# wakes in (default: one at random, printed).

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
source "$HERE/../pg/pg_lib.sh"
declare -a daemons=()
kill_daemons() {  # stopped ones too (SIGCONT first, their workers with them)
  for p in "${daemons[@]:-}"; do
    [ -n "$p" ] || continue
    kill -CONT "$p" $(cat "/proc/$p/task/$p/children" 2>/dev/null) 2>/dev/null || true
    kill -9 "$p" 2>/dev/null || true
  done
}
use_pg_queue kill_daemons
out=$work/out
mkdir -p "$out"
# Name, inode and mtime to the nanosecond: a rename over a frame changes its
# inode, a write into it its mtime, whatever the bytes.
frames() { stat -c '%n %i %y' "$out"/f_*.png 2>/dev/null | sort; }
leftovers() { find "$out" -name '.*.stage-*' -o -name '.*.tmp-*'; }

"$RENDERQ" daemon --foreground --host a --lease 2s >"$work/a.log" 2>&1 &
daemons[0]=$!
# About 3 s of frames on llvmpipe, so the freeze falls in the middle.
id=$(rq submit "$BOX" -o "$out/f_%04d.png" --size 1024x1024 --frames 60 --turntable --retries 3)
on_a() { [ "$(job_field "$id" "j['host']")" = a ]; }
wait_until 20 on_a || fail "host a never ran the job"
sleep 0.5
a=${daemons[0]}
a_workers=$(cat "/proc/$a/task/$a/children")
kill -STOP "$a" $a_workers
echo "host a frozen with its job running"

"$RENDERQ" daemon --foreground --host b --lease 2s >"$work/b.log" 2>&1 &
daemons[1]=$!
rq wait --quiet --timeout 60s "$id" || fail "host b did not finish the job: $(rq status "$id")"
[ "$(job_field "$id" "j['host']")" = b ] || fail "the job did not end on host b"
[ "$(job_field "$id" "j['attempts']")" = 2 ] || fail "attempts: $(job_field "$id" "j['attempts']")"
before=$(frames)
[ "$(wc -l <<<"$before")" = 60 ] || fail "host b wrote $(wc -l <<<"$before") frames, want 60"

# Host a wakes. Woken workers first, its worker renders on (into staged
# files) while the supervisor's first heartbeat learns of the loss; a frame
# finished in those milliseconds used to be renamed over host b's.
orders=(workers-first together supervisor-first)
wake=${FENCE_WAKE:-${orders[RANDOM % 3]}}
echo "host a wakes: $wake"
case $wake in
  workers-first) kill -CONT $a_workers 2>/dev/null || true; sleep 0.3; kill -CONT "$a" ;;
  together) kill -CONT $a_workers "$a" 2>/dev/null || true ;;
  supervisor-first) kill -CONT "$a"; sleep 0.3; kill -CONT $a_workers 2>/dev/null || true ;;
  *) fail "FENCE_WAKE=$wake: workers-first, together or supervisor-first" ;;
esac
lost() { grep -q "lease lost" "$work/a.log"; }
wait_until 10 lost || fail "host a did not notice it lost the lease: $(tail -5 "$work/a.log")"
sleep 3                      # heartbeats, the lease scan, a worker restart
[ "$(job_field "$id" "j['state']")" = succeeded ] || fail "the job is $(job_field "$id" "j['state']") after host a woke"
[ "$(job_field "$id" "j['host']")" = b ] || fail "host a rewrote the job's row"
[ "$(job_field "$id" "j['attempts']")" = 2 ] || fail "the attempts changed after host a woke"
[ "$(frames)" = "$before" ] || fail "host a overwrote frames of host b's attempt: $(diff <(echo "$before") <(frames) | head -5)"
[ -z "$(leftovers)" ] || fail "staged or temporary files left: $(leftovers | head -3)"
staged=$({ grep -ho 'removed [0-9]* staged' "$work/a.log" || true; } | awk '{n += $2} END {print n + 0}')
echo "host a removed $staged staged file(s) of its fenced attempt; host b's 60 frames untouched"
n=$(rq logs "$id" | grep -c "ended: succeeded" || true)
[ "$n" = 1 ] || fail "the job's log says 'ended: succeeded' $n times"
kill -0 "$a" || fail "host a's daemon died"
echo "ok: host a woke after host b finished; row, log and frames are host b's"

# `logs --follow` reads a running command's output from the database as
# the daemon copies it there, and exits like wait.
live=$(rq submit --exec -- sh -c 'echo early; sleep 1.5; echo late')
rq logs --follow "$live" >"$work/follow.out" || fail "logs --follow exit $?"
grep -qx early "$work/follow.out" && grep -qx late "$work/follow.out" || fail "logs --follow printed: $(cat "$work/follow.out")"
grep -q "ended: succeeded" "$work/follow.out" || fail "logs --follow lacks the closing line"
echo "ok: logs --follow shows a command's output from the database"

# A host that cannot write the output folder (not mounted there) fails the
# job with a named error instead of leaving it queued or running.
mkdir "$out/elsewhere"
rq pause
bad=$(rq submit "$BOX" -o "$out/elsewhere/x.png" --size 32x32 2>/dev/null)
rmdir "$out/elsewhere"
rq resume
set +e; rq wait --quiet --timeout 30s "$bad"; rc=$?; set -e
[ "$rc" = 4 ] || fail "wait on a job whose output folder is missing: exit $rc, want 4"
[ "$(job_field "$bad" "j['error_code']")" = output_not_writable ] || fail "error: $(job_field "$bad" "j['error_code']")"
echo "ok: an output folder this host cannot write fails the job with output_not_writable"
