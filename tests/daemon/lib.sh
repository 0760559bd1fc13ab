# Shared by the daemon's black-box tests: a private spool made fresh per test
# and always removed, a daemon started on it and always stopped, and small
# helpers. Needs RENDERQ (the binary) and SAMPLES (tests/data/samples).
set -euo pipefail
: "${RENDERQ:?set RENDERQ to the renderq binary}"
: "${SAMPLES:?set SAMPLES to tests/data/samples}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BOX=$SAMPLES/Box/glTF-Binary/Box.glb
work=$(mktemp -d /tmp/renderq-daemon-test.XXXXXX)
export RENDERQ_SPOOL=$work/spool
export LP_NUM_THREADS=${LP_NUM_THREADS:-1}   # two cores shared by everything
unset RENDERQ_TEST_HOOKS RENDERQ_TEST_FAULT

remove_work() { if [ "${KEEP_WORK:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
cleanup() {
  local pid
  pid=$(daemon_pid)
  if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi  # workers die with it
  remove_work
}
trap cleanup EXIT

# use_pg_queue STOP: the rest of the test runs on a PostgreSQL queue of a
# private server (tests/pg/pg_lib.sh, sourced by the test); at exit the
# test's function STOP kills its daemons, then the server stops and $work
# goes.
use_pg_queue() {
  pg_daemons_stop=$1
  pg_start
  trap '"$pg_daemons_stop"; pg_stop; remove_work' EXIT
  export RENDERQ_STORE=$PG_URL XDG_STATE_HOME=$work/state
  unset RENDERQ_SPOOL
}

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$work/daemon.log" ]; then echo "--- daemon.log (tail)" >&2; tail -n 40 "$work/daemon.log" >&2; fi
  exit 1
}

rq() { "$RENDERQ" "$@"; }

# The pid in daemon.lock while a daemon holds the lock, else nothing. (The
# lock, not kill -0: an exited daemon may linger as a zombie for a while.)
daemon_pid() {
  local lock=$RENDERQ_SPOOL/daemon.lock
  [ -f "$lock" ] || return 0
  if flock -n -s "$lock" true; then return 0; fi
  cat "$lock" 2>/dev/null || true
}

worker_pids() {
  local pid
  pid=$(daemon_pid)
  [ -n "$pid" ] && cat "/proc/$pid/task/$pid/children" 2>/dev/null || true
}

# Starts a detached daemon logging to $work/daemon.log; returns once it serves.
start_daemon() { rq daemon --log "$work/daemon.log" "$@"; }
stop_daemon() { rq daemon --stop; }

# job_field ID EXPR: a value from `status --json`, EXPR is Python on `j`.
job_field() {
  rq status "$1" --json | python3 -c "import json,sys; j=json.load(sys.stdin); v=$2; print(v if not isinstance(v,bool) else str(v).lower())"
}

# wait_until SECONDS COMMAND...: polls every 20 ms until COMMAND succeeds.
wait_until() {
  local limit=$1; shift
  local end=$(( $(date +%s%N) + limit * 1000000000 ))
  until "$@"; do
    [ "$(date +%s%N)" -lt "$end" ] || return 1
    sleep 0.02
  done
}

state_is() { [ "$(job_field "$1" "j['state']")" = "$2" ]; }

submit_box() {  # submit_box OUT [submit options...]: a tiny Box render
  local out=$1; shift
  rq submit "$BOX" -o "$out" --size 64x64 --samples 1 "$@"
}

png_ok() { python3 "$HERE/png_check.py" "$@"; }
