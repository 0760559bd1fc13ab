#!/usr/bin/env bash
# A spool shared by several users (issue 13, point 3), with real users: the
# set-group-id submit helper is the only way into the spool, the submitter
# it records cannot be forged, and the daemon runs each job as its
# submitter, so a job reads and writes only what its submitter could.
# The attack this replays: a group member queued a job, swapped her scene
# for a symlink to the daemon user's 0600 file and her output folder for a
# symlink into its 0700 home, and the daemon rendered the secret there.
#
# Needs root (useradd, chown, the set-group-id bit, a daemon with
# CAP_SETUID): CI runs as root. Run by anyone else it is reported as not
# run (exit 77), never as passed.
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null || ! command -v setpriv >/dev/null; then
  echo "not run: needs root, useradd and setpriv" >&2
  exit 77
fi

tag=$$
daemon_user=rqd$tag alice=rqa$tag bob=rqb$tag
base=$(mktemp -d /tmp/renderq-shared.XXXXXX)
daemon_pid=
serve_pid=
cleanup_shared() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  for u in "$daemon_user" "$alice" "$bob"; do userdel "$u" >/dev/null 2>&1 || true; done
  rm -rf "$base" "$work"
}
trap cleanup_shared EXIT

useradd --system --no-create-home --user-group --shell /usr/sbin/nologin "$daemon_user"
useradd --no-create-home --user-group --shell /bin/sh "$alice"
useradd --no-create-home --user-group --shell /bin/sh "$bob"
alice_uid=$(id -u "$alice")
# A container without CAP_SETUID in its bounding set cannot start such a
# daemon at all: say so and count the test as not run.
if ! setpriv --reuid="$daemon_user" --regid="$daemon_user" --init-groups --inh-caps=+setuid,+setgid \
  --ambient-caps=+setuid,+setgid true 2>/dev/null; then
  echo "not run: this machine cannot give a process CAP_SETUID as an ambient capability" >&2
  exit 77
fi

chmod 0755 "$base"
# The installed layout: renderq set-group-id to the spool's group, beside
# renderq-full (which it execs for everything but the queue commands).
bin=$base/bin
mkdir "$bin"
cp "$RENDERQ" "$bin/renderq"
cp "$(dirname "$RENDERQ")/renderq-full" "$bin/renderq-full"
chown "root:$daemon_user" "$bin/renderq"
chmod 2755 "$bin/renderq"
chmod 0755 "$bin/renderq-full" "$bin"
# The system spool as tmpfiles.d makes it: 2770, the daemon's user and group.
spool=$base/spool
mkdir "$spool"
chown "$daemon_user:$daemon_user" "$spool"
chmod 2770 "$spool"
# The daemon user's secrets: a 0600 scene in a 0700 folder.
secret=$base/daemon-home
mkdir "$secret"
cp "$BOX" "$secret/secret.glb"
chown -R "$daemon_user:$daemon_user" "$secret"
chmod 0700 "$secret"
chmod 0600 "$secret/secret.glb"
for u in "$alice" "$bob"; do
  mkdir -p "$base/$u/out"
  cp "$BOX" "$base/$u/scene.glb"
  chown -R "$u:$u" "$base/$u"
  chmod 0700 "$base/$u"
done

as() {  # as USER CMD...: runs CMD as USER with the shared spool
  local who=$1
  shift
  runuser -u "$who" -- env RENDERQ_SPOOL="$spool" HOME="$base/$who" "$@"
}

# The daemon: its own user, with CAP_SETUID and CAP_SETGID as ambient
# capabilities (as the packaged renderq.service gives them).
setpriv --reuid="$daemon_user" --regid="$daemon_user" --init-groups \
  --inh-caps=+setuid,+setgid --ambient-caps=+setuid,+setgid \
  env RENDERQ_SPOOL="$spool" HOME="$secret" "$bin/renderq-full" daemon --foreground \
  >"$work/daemon.out" 2>"$work/daemon.err" &
daemon_pid=$!
for _ in $(seq 100); do [ -S "$spool/daemon.sock" ] || [ -e "$spool/queue.db" ] && break; sleep 0.1; done
[ -e "$spool/queue.db" ] || fail "the daemon did not create the spool's queue: $(cat "$work/daemon.err")"
[ "$(stat -c %a "$spool/queue.db")" = 660 ] || fail "queue.db is $(stat -c %a "$spool/queue.db"), want 660 on a shared spool"

# 1. Nobody gets in but through the helper: alice cannot reach queue.db.
run as "$alice" sqlite3 "$spool/queue.db" "UPDATE jobs SET submitter_uid = 0"
[ "$rc" -ne 0 ] || fail "alice wrote queue.db directly"
run as "$alice" cat "$spool/queue.db"
[ "$rc" -ne 0 ] || fail "alice read queue.db directly"

# 2. An ordinary job of alice's runs as alice: its output is hers.
expect 0 "alice submits through the helper" as "$alice" "$bin/renderq" submit "$base/$alice/scene.glb" \
  -o "$base/$alice/out/ok.png" --size 64x64
ok_id=$stdout
expect 0 "alice's job succeeds" as "$alice" "$bin/renderq" wait "$ok_id" --timeout 120s
[ "$(stat -c %U "$base/$alice/out/ok.png" 2>/dev/null)" = "$alice" ] ||
  fail "alice's output should be hers: $(ls -l "$base/$alice/out" 2>&1)"
expect 0 "status of alice's job" as "$alice" "$bin/renderq" status "$ok_id" --json
[ "$(json 'j["submitter_uid"]')" = "$alice_uid" ] || fail "the job should record alice's uid: $stdout"

# 3. The attack: a held job whose scene and output folder are swapped for
# symlinks into the daemon user's files before it runs.
expect 0 "alice queues a held job" as "$alice" "$bin/renderq" submit "$base/$alice/scene.glb" \
  -o "$base/$alice/out/stolen.png" --size 64x64 --hold
attack_id=$stdout
as "$alice" sh -c "rm '$base/$alice/scene.glb' && ln -s '$secret/secret.glb' '$base/$alice/scene.glb' &&
  rm -r '$base/$alice/out' && ln -s '$secret' '$base/$alice/out'"
expect 0 "alice releases it" as "$alice" "$bin/renderq" release "$attack_id"
run as "$alice" "$bin/renderq" wait "$attack_id" --timeout 120s
[ "$rc" -ne 0 ] || fail "the swapped job should fail, it exited $rc"
expect 0 "status of the swapped job" as "$alice" "$bin/renderq" status "$attack_id" --json
[ "$(json 'j["state"]')" = failed ] || fail "the swapped job should have failed: $stdout"
grep -qi "permission denied" <<<"$(json 'j["error_message"]')" || fail "it should fail on alice's rights: $stdout"
[ "$(ls -A "$secret")" = secret.glb ] || fail "something was written into the daemon user's folder: $(ls -la "$secret")"

# 4. Another user's jobs: bob may list them, not change them or read their log.
expect 0 "bob lists the queue" as "$bob" "$bin/renderq" list
run as "$bob" "$bin/renderq" cancel "$ok_id"
[ "$rc" -ne 0 ] && grep -q "permission denied" <<<"$stderr" || fail "bob canceled alice's job: rc $rc, $stderr"
run as "$bob" "$bin/renderq" logs "$ok_id"
[ "$rc" -ne 0 ] && grep -q "permission denied" <<<"$stderr" || fail "bob read alice's log: rc $rc, $stderr"
run as "$bob" "$bin/renderq" pause
[ "$rc" -ne 0 ] && grep -q "permission denied" <<<"$stderr" || fail "bob paused the shared queue: rc $rc, $stderr"
# ...and alice reads her own log (it was 0600 in a 0700 folder: empty, exit 0).
expect 0 "alice reads her job's log" as "$alice" "$bin/renderq" logs "$ok_id"
[ -n "$stdout" ] || fail "alice's log is empty"

# 5. A command job runs as its submitter too.
expect 0 "alice queues a command" as "$alice" "$bin/renderq" submit --exec --cwd /tmp -- /usr/bin/id -u
exec_id=$stdout
expect 0 "the command succeeds" as "$alice" "$bin/renderq" wait "$exec_id" --timeout 60s
expect 0 "its log" as "$alice" "$bin/renderq" logs "$exec_id"
grep -qx "$alice_uid" <<<"$stdout" || fail "the command should run as uid $alice_uid: $stdout"

# 5b. The daemon stops a user's running jobs although their processes are
# not its own: a command and a render, canceled mid-run.
expect 0 "alice queues a long command" as "$alice" "$bin/renderq" submit --exec --cwd /tmp -- /bin/sleep 60
sleep_id=$stdout
for _ in $(seq 100); do pgrep -u "$alice" -x sleep >/dev/null && break; sleep 0.1; done
pgrep -u "$alice" -x sleep >/dev/null || fail "alice's command did not start as alice"
expect 0 "alice cancels it" as "$alice" "$bin/renderq" cancel "$sleep_id"
run as "$alice" "$bin/renderq" wait "$sleep_id" --timeout 30s
[ "$rc" -ne 0 ] || fail "the canceled command should not succeed"
pgrep -u "$alice" -x sleep >/dev/null && fail "alice's canceled command is still running"
mkdir -p "$base/$alice/frames"
chown "$alice:$alice" "$base/$alice/frames"
expect 0 "alice queues a long render" as "$alice" "$bin/renderq" submit "$BOX" -o "$base/$alice/frames/f.png" \
  --size 128x128 --frames 400 --turntable
long_id=$stdout
for _ in $(seq 300); do
  [ "$(as "$alice" "$bin/renderq" status "$long_id" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = running ] && break
  sleep 0.1
done
expect 0 "alice cancels the render" as "$alice" "$bin/renderq" cancel "$long_id"
run as "$alice" "$bin/renderq" wait "$long_id" --timeout 30s
expect 0 "status of the canceled render" as "$alice" "$bin/renderq" status "$long_id" --json
[ "$(json 'j["state"]')" = canceled ] || fail "the render should be canceled within 30 s: $stdout"
ls -A "$base/$alice/frames" | grep -q '\.stage-\|\.tmp' && fail "staged or temporary frames left: $(ls -A "$base/$alice/frames")"

# 6. The helper acts for the caller everywhere else: a render outside the
# queue cannot write with the spool's group.
run as "$alice" "$bin/renderq" render "$BOX" -o "$spool/evil.png" --size 16x16
[ "$rc" -ne 0 ] || fail "renderq render wrote into the shared spool with the helper's group"
[ -e "$spool/evil.png" ] && fail "evil.png landed in the spool"

# 7. The HTTP server answers only the local users who may use its spool
# (M4). Alice serves her own private spool on loopback: bob gets 403.
start_serve() {  # start_serve USER SPOOL: the server's URL in $url
  local who=$1 dir=$2
  # Emptied here, not by the background job's redirection, which may come
  # after the loop below has read the previous server's URL.
  : >"$work/serve.out"
  runuser -u "$who" -- env RENDERQ_SPOOL="$dir" "$bin/renderq-full" serve --listen 127.0.0.1:0 \
    >"$work/serve.out" 2>"$work/serve.err" &
  serve_pid=$!
  url=
  for _ in $(seq 100); do url=$(head -1 "$work/serve.out" 2>/dev/null); [ -n "$url" ] && break; sleep 0.1; done
  [ -n "$url" ] || fail "serve did not start: $(cat "$work/serve.err")"
}
stop_serve() { kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true; serve_pid=; }
http() {  # http USER METHOD PATH: the status code in $code
  code=$(runuser -u "$1" -- curl -s -o /dev/null -w '%{http_code}' -X "$2" "${url%/}$3") || true
}
private=$base/$alice/spool
expect 0 "alice submits to her own spool" runuser -u "$alice" -- env RENDERQ_SPOOL="$private" \
  "$bin/renderq" submit "$BOX" -o "$base/$alice/private.png" --size 16x16 --hold
start_serve "$alice" "$private"
http "$alice" GET /v1/jobs
[ "$code" = 200 ] || fail "alice listing her own spool over HTTP: $code"
for req in "GET /v1/jobs" "GET /v1/jobs/1" "DELETE /v1/jobs/1" "GET /v1/jobs/1/log" "POST /v1/queue/pause"; do
  http "$bob" $req
  [ "$code" = 403 ] || fail "bob's $req on alice's private spool: $code, want 403"
done
run runuser -u "$alice" -- env RENDERQ_SPOOL="$private" "$bin/renderq" status 1 --json
[ "$(json 'j["state"]')" = queued ] || fail "bob's refused cancel changed the job: $stdout"
stop_serve

# On the shared spool, served by the daemon's user, every local user may
# come in (the helper lets them), but bob cannot cancel alice's job.
expect 0 "alice queues another held job" as "$alice" "$bin/renderq" submit "$BOX" \
  -o "$base/$alice/held.png" --size 16x16 --hold
held_id=$stdout
start_serve "$daemon_user" "$spool"
http "$bob" GET /v1/jobs
[ "$code" = 200 ] || fail "bob listing the shared spool over HTTP: $code"
http "$bob" DELETE "/v1/jobs/$held_id"
[ "$code" = 403 ] || fail "bob canceling alice's job over HTTP: $code, want 403"
http "$bob" POST /v1/queue/pause
[ "$code" = 403 ] || fail "bob pausing the shared queue over HTTP: $code, want 403"
http "$alice" DELETE "/v1/jobs/$held_id"
[ "$code" = 200 ] || fail "alice canceling her own job over HTTP: $code, want 200"
stop_serve

# Alice serves a PostgreSQL queue: on loopback the server answers the users
# who could use her --shared-dir themselves, so bob is turned away.
source "$SRC/tests/pg/pg_lib.sh"
pg_start
trap 'pg_stop; cleanup_shared' EXIT
chmod 0711 "$PG_DIR"  # alice's server reaches the socket in it
shared=$base/$alice/shared
mkdir "$shared"
chown "$alice:$alice" "$shared"
chmod 0700 "$shared"
: >"$work/serve.out"
runuser -u "$alice" -- env -u RENDERQ_SPOOL RENDERQ_STORE="$PG_URL" "$bin/renderq-full" serve \
  --listen 127.0.0.1:0 --shared-dir "$shared" >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
url=
for _ in $(seq 100); do url=$(head -1 "$work/serve.out" 2>/dev/null); [ -n "$url" ] && break; sleep 0.1; done
[ -n "$url" ] || fail "serve on PostgreSQL did not start: $(cat "$work/serve.err")"
http "$alice" GET /v1/jobs
[ "$code" = 200 ] || fail "alice listing her PostgreSQL queue over HTTP: $code"
for req in "GET /v1/jobs" "POST /v1/queue/pause"; do
  http "$bob" $req
  [ "$code" = 403 ] || fail "bob's $req on alice's PostgreSQL server: $code, want 403"
done
stop_serve

# 8. A user's worker dies with the daemon (the parent-death signal is set
# again after the switch of uid, which clears it).
# Bob's job first, so that the worker restarts as alice for hers.
expect 0 "bob queues one" as "$bob" "$bin/renderq" submit "$BOX" -o "$base/$bob/last.png" --size 16x16
as "$bob" "$bin/renderq" wait "$stdout" --timeout 120s >/dev/null || fail "bob's last job did not succeed"
expect 0 "alice queues one more" as "$alice" "$bin/renderq" submit "$BOX" -o "$base/$alice/last.png" --size 32x32
wait_id=$stdout
as "$alice" "$bin/renderq" wait "$wait_id" --timeout 120s >/dev/null || true
pgrep -u "$alice" >/dev/null || fail "no process of alice's (her worker) after her job"
# The job names the process that ran it: alice's worker, not the daemon's
# own that claimed the job and made way for hers.
run as "$alice" "$bin/renderq" status "$wait_id" --json
ran_by=$(json 'j["worker"]')
[ "$(ps -o user= -p "${ran_by##*:}" 2>/dev/null | tr -d ' ')" = "$alice" ] ||
  fail "job $wait_id names worker $ran_by, not alice's process ($(pgrep -u "$alice" | tr '\n' ' '))"
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null || true
daemon_pid=
for _ in $(seq 50); do pgrep -u "$alice" >/dev/null || break; sleep 0.1; done
pgrep -u "$alice" >/dev/null && fail "alice's worker outlived the daemon: $(pgrep -a -u "$alice")"

finish
