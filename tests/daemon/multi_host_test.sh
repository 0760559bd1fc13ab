# Several hosts on one PostgreSQL queue (issue 14): three daemons with
# distinct host names serve 300 jobs (100 tiny renders, 200 commands) while
# daemons are killed with SIGKILL 20 times at random and restarted, and the
# server restarts once in the middle. At the end every job succeeded exactly
# once (its log says "ended: succeeded" once) or failed with a reason, none
# is left running or queued, every output is a whole PNG and no temporary
# output is left behind. Runs against a private server (tests/pg/pg_lib.sh);
# never skipped.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
source "$HERE/../pg/pg_lib.sh"
kill_daemons() { for p in "${daemons[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done; }
use_pg_queue kill_daemons
out=$work/out
mkdir -p "$out"
RANDOM=14

declare -a daemons=()
start_host() {  # start_host I: daemon for host hI in the background
  "$RENDERQ" daemon --foreground --host "h$1" --lease 2s --grace 1s >>"$work/d$1.log" 2>&1 &
  daemons[$1]=$!
}
# The queue paused while it fills, so that the kills fall on a busy run:
# 100 renders, 200 commands that take 0.15 s and write their output through
# a temporary file and a rename.
rq pause
for i in 1 2 3; do start_host "$i"; done
ids=()
for n in $(seq 1 300); do
  if [ $((n % 3)) = 0 ]; then
    ids+=("$(rq submit "$BOX" -o "$out/r$n.png" --size 32x32 --retries 8 2>/dev/null)")
  else
    ids+=("$(rq submit --exec --retries 8 -- sh -c 'sleep 0.15; echo "$RENDERQ_ATTEMPT" > "$1.tmp.$$" && mv "$1.tmp.$$" "$1"' sh "$out/c$n.txt" 2>/dev/null)")
  fi
done
echo "submitted ${#ids[@]} jobs"
started=$(date +%s)
rq resume

# 20 kills at random moments, one PostgreSQL restart after the tenth.
for k in $(seq 1 20); do
  sleep "0.$((RANDOM % 8 + 2))"
  i=$((RANDOM % 3 + 1))
  kill -9 "${daemons[$i]}" 2>/dev/null || true
  wait "${daemons[$i]}" 2>/dev/null || true
  start_host "$i"
  if [ "$k" = 10 ]; then pg_restart || fail "PostgreSQL did not restart"; echo "server restarted"; fi
done
echo "20 kills done; $(rq list --state succeeded --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') jobs had succeeded"

rq wait --quiet --timeout 90s "${ids[@]}" || true  # failed jobs are checked below
rq list --json >"$work/list.json"
python3 - "$work/list.json" <<'PY' || fail "final states"
import json, sys
jobs = json.load(open(sys.argv[1]))
assert len(jobs) == 300, f"{len(jobs)} jobs"
bad = [j for j in jobs if j["state"] not in ("succeeded", "failed")]
assert not bad, f"unfinished: {[(j['id'], j['state']) for j in bad]}"
nofail = [j["id"] for j in jobs if j["state"] == "failed" and not (j["error_code"] and j["error_message"])]
assert not nofail, f"failed without a reason: {nofail}"
hosts = {j["host"] for j in jobs if j["state"] == "succeeded"}
assert hosts <= {"h1", "h2", "h3"} and len(hosts) >= 2, f"hosts {hosts}"
print("succeeded", sum(j["state"] == "succeeded" for j in jobs), "failed", sum(j["state"] == "failed" for j in jobs),
      "hosts", sorted(hosts), "attempts > 1:", sum(j["attempts"] > 1 for j in jobs))
PY
# Exactly once: no job's log (in the database, read as any host would)
# says "ended: succeeded" twice, and no failed job's says it at all; each
# output is whole.
python3 - "$work/list.json" >"$work/ids" <<'PY'
import json, sys
for j in json.load(open(sys.argv[1])):
    out = j["spec"]["output"] if j["kind"] == "render" else j["exec"]["argv"][-1]
    print(j["id"], j["state"], j["kind"], out)
PY
# (A daemon killed between the finish's commit and the log line after it
# leaves that line out: at most one job per kill.)
unlogged=0
while read -r id state kind path; do
  n=$(rq logs "$id" | grep -c "ended: succeeded" || true)
  if [ "$state" = succeeded ]; then
    [ "$n" -le 1 ] || fail "job $id: its log says 'ended: succeeded' $n times"
    [ "$n" = 1 ] || unlogged=$((unlogged + 1))
    [ -s "$path" ] || fail "job $id succeeded without its output $path"
    [ "$kind" = render ] && { python3 "$HERE/png_check.py" --size 32x32 "$path" >/dev/null || fail "job $id: $path is not a whole PNG"; }
  else
    [ "$n" = 0 ] || fail "failed job $id has a succeeded attempt in its log"
  fi
done <"$work/ids"
[ "$unlogged" -le 20 ] || fail "$unlogged succeeded jobs lack their closing log line (at most one per kill)"
[ "$unlogged" = 0 ] || echo "note: $unlogged job(s) whose daemon was killed right after the finish lack its log line"
leftover=$(find "$out" -name '.*.tmp-*' -o -name '*.tmp.*' | head)
[ -z "$leftover" ] || echo "note: command temporaries of killed attempts: $(echo "$leftover" | wc -l)"
[ -z "$(find "$out" -name '.*.tmp-*')" ] || fail "render temporary outputs left: $(find "$out" -name '.*.tmp-*')"
# Staged files of killed attempts: removed by the killed daemon's successor
# (same host name) or by the job's next attempt on any host.
[ -z "$(find "$out" -name '.*.stage-*')" ] || fail "staged outputs left: $(find "$out" -name '.*.stage-*' | head -3)"
echo "ok: 300 jobs on 3 hosts, 20 kills, one server restart, $(( $(date +%s) - started )) s from resume to checked"
