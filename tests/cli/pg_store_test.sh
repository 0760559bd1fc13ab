# Every queue command on a PostgreSQL queue (--store / RENDERQ_STORE /
# `store =`), through the `renderq` people type (which runs them in
# renderq-full: it does not link libpq), on a private server
# (tests/pg/pg_lib.sh). Never skipped.
source "$(dirname "$0")/lib.sh"
source "$SRC/tests/pg/pg_lib.sh"
pg_start
unset RENDERQ_SPOOL

# Choosing the store: flag, environment, config file; provenance in config.
expect 0 "submit with --store URL" "$RENDERQ" --store "$PG_URL" submit "$BOX" -o "$out/a.png" --name first
a=$stdout
[ "$a" = 1 ] || fail "submit printed '$a', want 1"
expect 0 "config names the PostgreSQL queue and the flag" "$RENDERQ" --store "$PG_URL" config --json
[ "$(json "j['queue']['kind'], j['queue']['source'], j['queue']['origin']")" = "('postgresql', 'flag', '--store')" ] ||
  fail "config --json queue: $(json "j['queue']")"
export RENDERQ_STORE=$PG_URL
expect 0 "config: from the environment" "$RENDERQ" config
grep -q "^# queue: postgresql postgresql://.*# env RENDERQ_STORE" <<<"$stdout" || fail "config text: $stdout"
cat >"$work/config.toml" <<TOML
[spool]
store = "$PG_URL"
TOML
expect 0 "config: from the file" env -u RENDERQ_STORE "$RENDERQ" --config "$work/config.toml" config --json
[ "$(json "j['queue']['kind'], j['queue']['source']")" = "('postgresql', 'file')" ] || fail "file store: $stdout"
expect 0 "a password in the URL is never printed" "$RENDERQ" --store "postgresql://u:hunter2@/db?host=/nonexistent" config
grep -q hunter2 <<<"$stdout" && fail "config printed the password"
expect 0 "--spool on the command line wins over RENDERQ_STORE" "$RENDERQ" --spool "$work/sp" config --json
[ "$(json "j['queue']['kind']")" = spool ] || fail "--spool did not win: $stdout"
expect 2 "--store and --spool together are a usage error" "$RENDERQ" --store "$PG_URL" --spool "$work/sp" list
expect 2 "a URL of another scheme is refused" "$RENDERQ" --store "mysql://x/y" list
expect_diag "postgresql://"
expect 7 "an unreachable server is a clear error" "$RENDERQ" --store "postgresql://nobody@/none?host=/nonexistent&port=1" list
expect_diag "connect"
[ ! -e "$work/sp" ] || fail "a config or usage error created a spool"

# The queue commands.
expect 0 "submit --json" "$RENDERQ" submit "$BOX" -o "$out/b.png" --priority 5 --json
b=$(json "j['id']")
[ "$(json "j['state'], j['priority']")" = "('queued', 5)" ] || fail "submit --json: $stdout"
expect 0 "submit --exec" "$RENDERQ" submit --exec --name cmd -- true
e=$stdout
expect 0 "list" "$RENDERQ" list --json
[ "$(json "[x['id'] for x in j]")" = "[$e, $b, $a]" ] || fail "list order: $stdout"
[ "$(json "[x['kind'] for x in j]")" = "['exec', 'render', 'render']" ] || fail "list kinds: $stdout"
expect 0 "list --name" "$RENDERQ" list --name 'fir*' --json
[ "$(json "[x['id'] for x in j]")" = "[$a]" ] || fail "list --name: $stdout"
expect 0 "list --mine and {user}" "$RENDERQ" list --mine --format '{id} {user}'
[ "$stdout" = "$e $(id -un)
$b $(id -un)
$a $(id -un)" ] || fail "list --mine: $stdout"
expect 0 "list --user of a uid with no jobs" "$RENDERQ" list --user 4000000000,4000000001 --json
[ "$stdout" = "[]" ] || fail "list --user of others: $stdout"
expect 2 "list --user of an unknown name" "$RENDERQ" list --user no-such-renderq-user
expect_diag no-such-renderq-user
expect 0 "status" "$RENDERQ" status "$a"
grep -q "^state: *queued" <<<"$stdout" || fail "status: $stdout"
grep -qx "user: *$(id -un)" <<<"$stdout" || fail "status user line: $stdout"
grep -q "^log: .*job_log" <<<"$stdout" || fail "status names no database log: $stdout"
expect 3 "status of an unknown id" "$RENDERQ" status 999
expect 0 "pause" "$RENDERQ" pause
expect 0 "list says the queue is paused" "$RENDERQ" list
expect_diag "paused"
expect 0 "resume" "$RENDERQ" resume
expect 0 "cancel a queued job" "$RENDERQ" cancel "$a"
[ "$stdout" = "$a canceled" ] || fail "cancel: $stdout"
expect 5 "wait on a canceled job" "$RENDERQ" wait "$a"
expect 0 "retry" "$RENDERQ" retry "$a"
expect 6 "wait --timeout on a queued job" "$RENDERQ" wait --timeout 300ms "$a"
expect 0 "logs of a job that has not run" "$RENDERQ" logs "$a"
expect_stdout_empty
expect 3 "logs of an unknown job" "$RENDERQ" logs 999

expect 2 "serve on a PostgreSQL queue needs a shared folder" timeout 20 "$RENDERQ" serve --listen 127.0.0.1:0
expect_diag "--shared-dir"
expect 2 "serve's shared folder must exist" timeout 20 "$RENDERQ" serve --listen 127.0.0.1:0 --shared-dir "$work/nowhere"
expect_diag "nowhere"
expect 2 "serve's --store-connections must be positive" timeout 20 "$RENDERQ" serve --listen 127.0.0.1:0 \
  --shared-dir "$work" --store-connections 0
# A shared folder belongs to one queue: the first server marks it with its
# queue's id; a server of another database is refused it (their sweepers
# would remove each other's job folders); the first may come back.
mkdir -p "$work/shared"
serve_briefly() {  # serve_briefly URL: serve the folder until it answers, then stop; the exit status of serve
  local pid url=
  : >"$work/brief.out"
  "$RENDERQ" --store "$1" serve --listen 127.0.0.1:0 --shared-dir "$work/shared" >"$work/brief.out" 2>"$work/brief.err" &
  pid=$!
  for _ in $(seq 100); do url=$(head -1 "$work/brief.out"); [ -n "$url" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if [ -n "$url" ]; then kill "$pid"; wait "$pid" 2>/dev/null || true; return 0; fi
  wait "$pid"
}
serve_briefly "$PG_URL" || fail "serve on an unclaimed shared folder: $(cat "$work/brief.err")"
[ -s "$work/shared/.renderq-queue" ] || fail "serve did not mark its shared folder"
pg_as "$PG_BIN/createdb" -h "$PG_DIR" -p 5432 -U postgres other
other_url=${PG_URL/\/postgres\?/\/other?}
set +e; serve_briefly "$other_url"; rc=$?; set -e
[ $rc -eq 2 ] || fail "a second queue's server on the same shared folder exited $rc, want 2: $(cat "$work/brief.err")"
grep -q "holds the files of another queue" "$work/brief.err" || fail "the refusal: $(cat "$work/brief.err")"
serve_briefly "$PG_URL" || fail "the folder's own queue was refused: $(cat "$work/brief.err")"

# wait returns when another process cancels the job: woken by NOTIFY.
"$RENDERQ" wait "$b" >/dev/null 2>&1 &
waiter=$!
sleep 0.3
"$RENDERQ" cancel "$b" >/dev/null
set +e
wait "$waiter"
rc=$?
set -e
[ "$rc" -eq 5 ] && pass "wait ends with 5 when another process cancels" || fail "wait exit $rc, want 5"

expect 0 "cancel the rest" "$RENDERQ" cancel "$a" "$e"
expect 0 "purge" "$RENDERQ" purge --older-than 0
[ "$(sort -n <<<"$stdout" | tr '\n' ' ')" = "$a $b $e " ] || fail "purge printed: $stdout"
expect 0 "list after purge" "$RENDERQ" list --json
[ "$stdout" = "[]" ] || fail "list after purge: $stdout"
finish
