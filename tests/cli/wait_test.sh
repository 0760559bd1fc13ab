#!/usr/bin/env bash
# wait: exit 0 when all succeeded, 4 when any failed, 5 when any canceled,
# 3 for an unknown id, 6 on --timeout; it wakes up when a job finishes.
source "$(dirname "$0")/lib.sh"
worker() { "$WORKER" "$RENDERQ_SPOOL" "$@"; }

ok=$(submit)
worker run ok >/dev/null
expect 0 "wait on a succeeded job" "$RENDERQ" wait "$ok"
[ "$stdout" = "$ok succeeded" ] || fail "wait printed: $stdout"
expect 0 "wait --quiet" "$RENDERQ" wait --quiet "$ok"
expect_stdout_empty

bad=$(submit)
worker run fail >/dev/null
expect 4 "wait on a failed job" "$RENDERQ" wait "$bad"
expect_diag "job $bad failed"

gone=$(submit)
"$RENDERQ" cancel "$gone" >/dev/null
expect 5 "wait on a canceled job" "$RENDERQ" wait "$gone"
expect 4 "failed outranks canceled" "$RENDERQ" wait "$ok" "$gone" "$bad"
expect 0 "the same id twice" "$RENDERQ" wait "$ok" "$ok"
[ "$stdout" = "$ok succeeded" ] || fail "a repeated id is waited for once: $stdout"

expect 3 "wait on an unknown id" "$RENDERQ" wait "$ok" 777777
expect_diag 777777
expect 2 "wait with a bad --timeout" "$RENDERQ" wait "$ok" --timeout soon
expect 2 "wait without ids" "$RENDERQ" wait

q=$(submit)
start=$(date +%s%N)
expect 6 "wait --timeout on a queued job" "$RENDERQ" wait "$q" --timeout 300ms
took=$((($(date +%s%N) - start) / 1000000))
[ "$took" -ge 300 ] || fail "wait --timeout 300ms returned after ${took}ms"
expect_diag "$q"

# A waiter in the background returns soon after the job ends.
"$RENDERQ" wait "$q" --timeout 30s >"$work/bg.out" 2>"$work/bg.err" &
waiter=$!
sleep 0.3
kill -0 "$waiter" 2>/dev/null || fail "wait returned before the job finished"
claimed=$(worker claim)
[ "$claimed" = "$q" ] || fail "the worker claimed $claimed, want $q"
sleep 0.1
kill -0 "$waiter" 2>/dev/null || fail "wait returned while the job was running"
end=$(date +%s%N)
worker finish "$q" ok
set +e
wait "$waiter"
rc=$?
set -e
took=$((($(date +%s%N) - end) / 1000000))
[ "$rc" -eq 0 ] || fail "background wait exited $rc: $(cat "$work/bg.err")"
[ "$(cat "$work/bg.out")" = "$q succeeded" ] || fail "background wait printed: $(cat "$work/bg.out")"
[ "$took" -lt 5000 ] || fail "wait took ${took}ms to notice the job ended"
echo "wait noticed the end after ${took}ms (includes process exit)"
finish
