#!/usr/bin/env bash
# Per-job controls: submit --hold / --not-before / --label, hold, release,
# priority, list --label, wait --all. The fake worker claims as a daemon
# would, so "skipped by the claim" is checked for real.
source "$(dirname "$0")/lib.sh"
worker() { "$WORKER" "$RENDERQ_SPOOL" "$@"; }

expect 0 "submit --hold --label" submit --hold --label project=dune --label shot=0420 --priority 5
held=$stdout
expect 0 "submit --not-before +1h" submit --not-before +1h --priority 4
later=$stdout
expect 0 "a plain job" submit
plain=$stdout

expect 0 "status --json of the held job" "$RENDERQ" status "$held" --json
[ "$(json '(j["held"], j["labels"], j["not_before_ms"])')" = "(True, {'project': 'dune', 'shot': '0420'}, None)" ] ||
  fail "held job stored as: $stdout"
expect 0 "status --json of the later job" "$RENDERQ" status "$later" --json
python3 -c "import json,sys,time; j=json.loads(sys.argv[1]); d=j['not_before_ms']/1000-time.time(); sys.exit(0 if 3500<d<=3600 else 1)" "$stdout" ||
  fail "not_before_ms should be about an hour ahead: $stdout"
expect 0 "list shows held and scheduled" "$RENDERQ" list --wide
grep -Eq "^$held +held " <<<"$stdout" || fail "list should show job $held as held: $stdout"
grep -Eq "^$later +scheduled " <<<"$stdout" || fail "list should show job $later as scheduled: $stdout"
expect 0 "status says how to release" "$RENDERQ" status "$held"
grep -q "held: renderq release $held" <<<"$stdout" || fail "status of a held job: $stdout"

# The claim skips both, whatever their priority.
run worker run ok
[ "$stdout" = "$plain" ] || fail "the claim should take only the plain job $plain, took: $stdout ($stderr)"
expect 3 "nothing else is claimable" worker claim

expect 0 "list --label" "$RENDERQ" list --label project=dune --format '{id}'
[ "$stdout" = "$held" ] || fail "list --label project=dune printed: $stdout"
expect 0 "list --label with no match" "$RENDERQ" list --label project=x --format '{id}'
[ -z "$stdout" ] || fail "list --label project=x printed: $stdout"
expect 2 "a bad label" submit --label "two words=x"
expect_diag "label"
expect 2 "list --label without a value" "$RENDERQ" list --label project
expect_diag "NAME=VALUE"
expect 2 "a bad time" submit --not-before "next week"
expect_diag "not a time"

# priority, then release: the released job runs first (priority 9 > 4).
expect 0 "priority 9" "$RENDERQ" priority 9 "$held"
[ "$stdout" = "$held priority 9" ] || fail "priority printed: $stdout"
expect 0 "release" "$RENDERQ" release "$held"
[ "$stdout" = "$held released" ] || fail "release printed: $stdout"
run worker run ok
[ "$stdout" = "$held" ] || fail "the released job should run next, ran: $stdout ($stderr)"

# Only queued jobs: a finished job is a conflict (8), an unknown one 3, and
# every id is tried.
expect 8 "hold a succeeded job" "$RENDERQ" hold "$held" "$later"
[ "$stdout" = "$later held" ] || fail "hold should still hold $later: $stdout"
expect_diag "job $held already succeeded; only queued jobs"
expect 3 "release an unknown job" "$RENDERQ" release 999999
expect 2 "priority out of range" "$RENDERQ" priority 5000 "$later"
expect 0 "a negative priority" "$RENDERQ" priority -7 "$later"
expect 0 "status after" "$RENDERQ" status "$later" --json
[ "$(json '(j["priority"], j["held"])')" = "(-7, True)" ] || fail "job $later: $stdout"

# wait --all: waits for what is unfinished now; a held job is named.
expect 0 "release the later job" "$RENDERQ" release "$later"
expect 0 "another job" submit
last=$stdout
"$RENDERQ" wait --all --timeout 30s >"$work/wait.out" 2>"$work/wait.err" &
waiter=$!
sleep 0.3
kill -0 "$waiter" 2>/dev/null || fail "wait --all returned while jobs were unfinished"
run worker run ok  # takes $last: $later is still not due
[ "$stdout" = "$last" ] || fail "the worker should take $last, took: $stdout"
expect 0 "cancel the later job" "$RENDERQ" cancel "$later"
set +e
wait "$waiter"
rc=$?
set -e
[ "$rc" -eq 5 ] || fail "wait --all should exit 5 (a job was canceled), got $rc: $(cat "$work/wait.err")"
expect 0 "wait --all with nothing unfinished" "$RENDERQ" wait --all
expect 2 "wait with ids and --all" "$RENDERQ" wait --all "$last"
expect 2 "wait with neither" "$RENDERQ" wait
expect_diag "wait needs job ids or --all"
finish
