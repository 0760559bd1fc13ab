#!/usr/bin/env bash
# A spool that cannot be used is refused with exit 7 and a clear message,
# and the file is left exactly as it was: a corrupted queue.db, a file that
# is not a database at all, and a spool written by a newer renderq.
source "$(dirname "$0")/lib.sh"

every_command() {  # runs each command against the current spool, wants exit 7
  local what=$1
  expect 7 "$what: submit" submit
  expect_diag "queue.db"
  expect_stdout_empty
  expect 7 "$what: status" "$RENDERQ" status 1
  expect 7 "$what: list" "$RENDERQ" list
  expect 7 "$what: wait" "$RENDERQ" wait 1 --timeout 1s
  expect 7 "$what: cancel" "$RENDERQ" cancel 1
  expect 7 "$what: retry" "$RENDERQ" retry 1
  expect 7 "$what: purge" "$RENDERQ" purge --older-than 0
}

# 1. Not a database: text where queue.db should be.
mkdir -m 0700 -p "$RENDERQ_SPOOL"
printf 'these are not the pages you are looking for\n%.0s' {1..200} >"$RENDERQ_SPOOL/queue.db"
before=$(sha256sum <"$RENDERQ_SPOOL/queue.db")
every_command "not a database"
[ "$(sha256sum <"$RENDERQ_SPOOL/queue.db")" = "$before" ] || fail "queue.db was modified"
rm -rf "$RENDERQ_SPOOL"

# 2. A real queue whose pages were overwritten: header intact, body garbage.
for _ in 1 2 3; do submit >/dev/null; done
sqlite3 "$RENDERQ_SPOOL/queue.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
size=$(stat -c %s "$RENDERQ_SPOOL/queue.db")
[ "$size" -gt 8192 ] || fail "expected a database of several pages, got $size bytes"
# Overwrite everything after the first page with a repeating garbage byte.
python3 - "$RENDERQ_SPOOL/queue.db" <<'PY'
import sys
path = sys.argv[1]
with open(path, "r+b") as f:
    data = f.read()
    page = int.from_bytes(data[16:18], "big") or 65536
    f.seek(page)
    f.write(b"\xa5" * (len(data) - page))
PY
rm -f "$RENDERQ_SPOOL/queue.db-wal" "$RENDERQ_SPOOL/queue.db-shm"
before=$(sha256sum <"$RENDERQ_SPOOL/queue.db")
every_command "corrupted pages"
[ "$(sha256sum <"$RENDERQ_SPOOL/queue.db")" = "$before" ] || fail "corrupted queue.db was modified"
rm -rf "$RENDERQ_SPOOL"

# 3. A spool from a newer renderq: user_version beyond what we know.
submit >/dev/null
sqlite3 "$RENDERQ_SPOOL/queue.db" 'PRAGMA user_version = 9999; PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
before=$(sha256sum <"$RENDERQ_SPOOL/queue.db")
expect 7 "newer schema: submit" submit
expect_diag "newer"
expect 7 "newer schema: status" "$RENDERQ" status 1
expect 7 "newer schema: list" "$RENDERQ" list
[ "$(sha256sum <"$RENDERQ_SPOOL/queue.db")" = "$before" ] || fail "a newer spool was modified"
[ "$(sqlite3 "$RENDERQ_SPOOL/queue.db" 'PRAGMA user_version')" = 9999 ] || fail "user_version changed"
finish
