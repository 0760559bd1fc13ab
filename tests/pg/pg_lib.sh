# A private PostgreSQL server for the black-box shell tests, like
# tests/spool/pg_server.hpp for the unit tests: initdb and pg_ctl (Debian's
# postgresql package, or $RENDERQ_PG_BINDIR) in a fresh folder, a Unix
# socket only, stopped and removed on exit. As root (CI) it runs as the
# unprivileged `postgres` user, since PostgreSQL refuses root. Never
# skipped: when it cannot start, the test fails with the server's log.
#
# Source it after lib.sh, then: pg_start; the queue is $PG_URL.
# pg_restart stops the server (fast) and starts it on the same data; pg_down
# only stops it.

pg_bindir() {
  if [ -n "${RENDERQ_PG_BINDIR:-}" ]; then echo "$RENDERQ_PG_BINDIR"; return; fi
  local best=""
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best=$d
  done
  [ -n "$best" ] || { echo "FAIL: PostgreSQL's initdb/pg_ctl not found (scripts/install-deps.sh test)" >&2; exit 1; }
  echo "$best"
}

pg_as() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}

pg_start() {
  PG_BIN=$(pg_bindir)
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/renderq-pg-test.XXXXXX")
  [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
  pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-sync --no-instructions \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; echo "FAIL: initdb" >&2; exit 1; }
  pg_ctl_start || { cat "$PG_DIR/server.log" >&2; echo "FAIL: pg_ctl start" >&2; exit 1; }
  PG_URL="postgresql://postgres@/postgres?host=$PG_DIR&port=5432"
  # lib.sh's cleanup removes the work folder; stop the server first.
  trap 'pg_stop; cleanup' EXIT
}

pg_ctl_start() {
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-k $PG_DIR -c listen_addresses= -p 5432 -c fsync=off -c full_page_writes=off" start >/dev/null 2>&1
}

pg_restart() {
  pg_down
  pg_ctl_start
}

# pg_down stops the server (fast) and keeps its data; pg_ctl_start brings it back.
pg_down() {
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
