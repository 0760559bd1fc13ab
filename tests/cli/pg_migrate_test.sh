# renderq migrate --to URL: a spool's jobs move into an empty PostgreSQL
# queue with their ids, states, dependencies and logs; a second migrate
# into a queue that holds jobs and a bad URL are refused and change nothing. On a private server (tests/pg/pg_lib.sh). Never skipped.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/pg/pg_lib.sh"
pg_start

# A spool with queued, canceled, failed-by-dependency and command jobs, and a log.
a=$(submit --name first --priority 3 2>/dev/null)
b=$(submit --after "$a" 2>/dev/null)
"$RENDERQ" cancel "$a" >/dev/null
c=$(submit --after "$a" 2>/dev/null)   # stored failed: its dependency was canceled
d=$("$RENDERQ" submit --exec --name cmd -- true 2>/dev/null)
e=$(submit --after "$d" 2>/dev/null)
mkdir -p "$RENDERQ_SPOOL/jobs/$d"
printf 'line one\n\x00\xffbinary\n' >"$RENDERQ_SPOOL/jobs/$d/job.log"
"$RENDERQ" list --json >"$work/before.json"

expect 2 "--to must be a PostgreSQL URL" "$RENDERQ" migrate --to "$work/other"
expect 0 "migrate" "$RENDERQ" migrate --to "$PG_URL"
grep -q "^5 jobs copied" <<<"$stdout" || fail "migrate said: $stdout"
expect 0 "list on PostgreSQL" "$RENDERQ" --store "$PG_URL" list --json
python3 - "$work/before.json" "$work/stdout" <<'PY' || fail "the jobs differ after migrate"
import json, sys
before, after = (json.load(open(p)) for p in sys.argv[1:3])
keys = ["id", "state", "name", "priority", "created_ms", "finished_ms", "attempts", "max_attempts", "after",
        "error_code", "error_message", "kind", "spec", "exec"]
pick = lambda js: [{k: j[k] for k in keys} for j in js]
assert pick(before) == pick(after), (pick(before), pick(after))
PY
"$RENDERQ" --store "$PG_URL" logs "$d" >"$work/log.out"
cmp -s "$work/log.out" "$RENDERQ_SPOOL/jobs/$d/job.log" && pass "the log moved byte for byte" || fail "log differs"
expect 0 "a new job on PostgreSQL gets the next id" "$RENDERQ" --store "$PG_URL" submit "$BOX" -o "$out/n.png"
[ "$stdout" = $((e + 1)) ] || fail "new id $stdout, want $((e + 1))"
expect 0 "retry of the canceled job brings back its failed dependent" "$RENDERQ" --store "$PG_URL" retry "$a"
[ "$("$RENDERQ" --store "$PG_URL" status "$c" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = queued ] ||
  fail "the dependent stayed failed: dependencies did not move"

expect 8 "a second migrate into a queue with jobs is refused" "$RENDERQ" migrate --to "$PG_URL"
expect_diag "already holds jobs"
expect 0 "the spool is left as it was" "$RENDERQ" list --json
[ "$stdout" = "$(cat "$work/before.json")" ] || fail "migrate changed the spool"
expect 7 "an unreachable server is an error" "$RENDERQ" migrate --to "postgresql://nobody@/none?host=/nonexistent&port=1"
finish
