#!/usr/bin/env bash
# The queue commands say what nothing else shows: no daemon serves the spool
# (queued jobs would wait forever), the queue is paused, a spool was just
# created. A mistyped --spool under a folder that does not exist, or a spool
# path that is a file, is refused with exit 7 and creates nothing.
source "$(dirname "$0")/lib.sh"

expect 7 "submit to a spool whose folder does not exist" "$RENDERQ" --spool "$work/nope/typo/spool" submit "$BOX" -o "$out/x.png"
expect_diag "does not exist"
[ ! -e "$work/nope" ] || fail "a mistyped --spool must create nothing"
RENDERQ_SPOOL=$work/missing/spool expect 7 "RENDERQ_SPOOL under a missing folder" "$RENDERQ" submit "$BOX" -o "$out/x.png"
[ ! -e "$work/missing" ] || fail "a mistyped RENDERQ_SPOOL must create nothing"
touch "$work/afile"
expect 7 "a spool path that is a file" "$RENDERQ" --spool "$work/afile" submit "$BOX" -o "$out/x.png"
expect_diag "not a folder"
expect 7 "list on a spool path that is a file" "$RENDERQ" --spool "$work/afile" list

a=$(submit --name alpha)
expect 0 "list with no daemon" "$RENDERQ" list
grep -q "no daemon serves $RENDERQ_SPOOL: 1 queued job waits until" <<<"$stderr" || fail "list: no no-daemon note: $stderr"
expect 0 "status with no daemon" "$RENDERQ" status "$a"
grep -q "no daemon serves" <<<"$stderr" || fail "status: no no-daemon note: $stderr"
expect 6 "wait with no daemon" "$RENDERQ" wait "$a" --timeout 1s --quiet
grep -q "no daemon serves" <<<"$stderr" || fail "wait should say nothing serves the queue: $stderr"

# A process holding daemon.lock is a serving daemon (what the supervisor does, by flock(2)).
flock "$RENDERQ_SPOOL/daemon.lock" sleep 60 &
holder=$!
for _ in $(seq 50); do flock -n "$RENDERQ_SPOOL/daemon.lock" true 2>/dev/null || break; sleep 0.1; done
expect 0 "list with a daemon" "$RENDERQ" list
[ -z "$stderr" ] || fail "list with a serving daemon should say nothing: $stderr"
expect 0 "submit with a daemon" submit
[ -z "$stderr" ] || fail "submit with a serving daemon should say nothing: $stderr"

"$RENDERQ" pause >/dev/null
expect 0 "list of a paused queue" "$RENDERQ" list
grep -q "the queue is paused" <<<"$stderr" || fail "list should say the queue is paused: $stderr"
expect 0 "status of a queued job in a paused queue" "$RENDERQ" status "$a"
grep -q "the queue is paused" <<<"$stderr" || fail "status should say the queue is paused: $stderr"
"$RENDERQ" resume >/dev/null
expect 0 "list after resume" "$RENDERQ" list
[ -z "$stderr" ] || fail "list after resume should say nothing: $stderr"
pkill -P "$holder" sleep 2>/dev/null || true  # flock exits with its command
wait "$holder" 2>/dev/null || true
finish
