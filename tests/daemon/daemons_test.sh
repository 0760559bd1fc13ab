#!/usr/bin/env bash
# `renderq daemons` and the daemon registry (spool/daemon_record.hpp): a
# spool's daemon is listed and gone once stopped; on a PostgreSQL queue two
# daemons with distinct --host names are listed with the job each holds; a
# daemon killed with SIGKILL stays listed until three of its leases passed,
# then only `--all` shows it, marked gone; a daemon stopped with SIGTERM
# removes its row; one restarted under the killed one's name replaces that
# row; `list` says that no daemon on any host serves the queue exactly when
# none is live. Private spool and PostgreSQL server (tests/pg/pg_lib.sh).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
source "$HERE/../pg/pg_lib.sh"

# daemons_by_host [--all]: "host:state:running-ids" of each daemon listed, sorted, on one line.
read -r -d '' BY_HOST <<'PY' || true
import json, sys
rows = [d["host"] + ":" + d["state"] + ":" + ",".join(str(i) for i in d["running"]) for d in json.load(sys.stdin)]
print(" ".join(sorted(rows)))
PY
daemons_by_host() { rq daemons --json "$@" | python3 -c "$BY_HOST"; }
hosts_listed() { daemons_by_host "$@" | sed 's/:[0-9,]*\( \|$\)/\1/g'; }  # without the running ids
listed_hosts() { [ "$(hosts_listed)" = "$LISTED" ]; }

# 1. A spool: the one daemon is listed with its slots' devices, then gone.
[ -z "$(daemons_by_host)" ] || fail "a spool without a daemon lists daemons"
start_daemon --slots 2 --lease 3s
host=$(hostname)
two_devices() { rq daemons --json | grep -q "llvmpipe.*llvmpipe"; }
wait_until 20 two_devices || fail "the spool's daemon never listed its two devices"
rq daemons >"$work/table"
head -1 "$work/table" | grep -q '^HOST  *PID  *UP  *SEEN  *RUNNING  *DEVICES$' || fail "table header: $(cat "$work/table")"
grep -q "^$host  *$(daemon_pid)  .* 2x llvmpipe$" "$work/table" || fail "table row: $(cat "$work/table")"
stop_daemon
[ -z "$(daemons_by_host --all)" ] || fail "a stopped daemon is still recorded: $(daemons_by_host --all)"
rq daemons >"$work/out" 2>"$work/err" || fail "daemons with none exited non-zero"
[ "$(wc -l <"$work/out")" = 1 ] || fail "daemons with none printed more than the header: $(cat "$work/out")"
grep -q "no daemon serves .* now" "$work/err" || fail "daemons with none says nothing: $(cat "$work/err")"
rq daemons --all 2>"$work/err" >/dev/null
grep -q "no daemon has served" "$work/err" || fail "daemons --all with none says nothing: $(cat "$work/err")"
echo "spool: listed with 2 slots, removed on stop"

# 2. A PostgreSQL queue served by hosts h1 and h2.
declare -A daemons=()
kill_daemons() { for p in "${daemons[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done; }
use_pg_queue kill_daemons
start_host() {  # start_host NAME: a daemon for host NAME in the background
  "$RENDERQ" daemon --foreground --host "$1" --lease 1s --grace 1s --devices all >>"$work/$1.log" 2>&1 &
  daemons[$1]=$!
}

rq pause
job=$(rq submit --exec --retries 5 -- sleep 30 2>/dev/null)
rq list >/dev/null 2>"$work/err"
grep -q "no daemon on any host serves" "$work/err" || fail "list without daemons: no note: $(cat "$work/err")"
start_host h1
start_host h2
listed() { [ "$(daemons_by_host "$@")" = "$LISTED" ]; }
LISTED="h1:live h2:live" wait_until 30 listed_hosts || fail "two daemons never listed: $(daemons_by_host)"
[ "$(daemons_by_host)" = "h1:live: h2:live:" ] || fail "listed: $(daemons_by_host)"
rq list >/dev/null 2>"$work/err"
! grep -q "no daemon" "$work/err" || fail "list with two live daemons says none serves: $(cat "$work/err")"

# The job runs on one of them; that one lists it.
rq resume
wait_until 30 state_is "$job" running || fail "job $job never ran"
holder=$(job_field "$job" "j['host']")
other=$([ "$holder" = h1 ] && echo h2 || echo h1)
[ "$(daemons_by_host)" = "$(echo "h1:live:$([ "$holder" = h1 ] && echo "$job") h2:live:$([ "$holder" = h2 ] && echo "$job")")" ] ||
  fail "running job $job on $holder: $(daemons_by_host)"

# SIGKILL: the row stays until three leases (3 s) passed, then --all marks it gone.
kill -9 "${daemons[$holder]}"
wait "${daemons[$holder]}" 2>/dev/null || true
killed_at=$(date +%s%N)
grep -q "$holder:live" <<<"$(hosts_listed)" || fail "a killed daemon vanished at once: $(daemons_by_host)"
LISTED="$other:live" wait_until 20 listed_hosts || fail "killed $holder still listed: $(daemons_by_host)"
gone_ms=$(( ($(date +%s%N) - killed_at) / 1000000 ))
[ "$gone_ms" -ge 1500 ] || fail "killed $holder was dropped after $gone_ms ms, before its staleness limit"
grep -q "$holder:gone" <<<"$(daemons_by_host --all)" || fail "--all does not mark $holder gone: $(daemons_by_host --all)"
rq daemons --all | grep -q "^gone  *$holder " || fail "--all table: $(rq daemons --all)"
echo "killed $holder: gone after $gone_ms ms"

# Its job's lease expires and the other host takes it.
LISTED="$other:live:$job" wait_until 30 listed ||
  fail "$other never listed job $job: $(daemons_by_host)"

# SIGTERM: the row goes with the daemon; with none live, list says so again.
kill -TERM "${daemons[$other]}"
wait "${daemons[$other]}" 2>/dev/null || true
[ "$(daemons_by_host --all)" = "$holder:gone:" ] || fail "after SIGTERM of $other: $(daemons_by_host --all)"
wait_until 10 state_is "$job" queued || fail "job $job not requeued"
rq list >/dev/null 2>"$work/err"
grep -q "no daemon on any host serves .*: 1 queued job waits until" "$work/err" || fail "list with no live daemon: $(cat "$work/err")"

# A daemon restarted under the killed one's name replaces its row.
rq pause
start_host "$holder"
LISTED="$holder:live:" wait_until 30 listed || fail "restarted $holder never listed: $(daemons_by_host)"
[ "$(daemons_by_host --all)" = "$holder:live:" ] || fail "restarted $holder: $(daemons_by_host --all)"
kill -TERM "${daemons[$holder]}"
wait "${daemons[$holder]}" 2>/dev/null || true
[ -z "$(daemons_by_host --all)" ] || fail "after the last stop: $(daemons_by_host --all)"
echo "PASS"
