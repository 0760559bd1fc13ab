#!/usr/bin/env bash
# The queue page's actions from the keyboard alone (issue 16), in headless
# Chromium driven over the DevTools protocol by Node (page_keys.mjs): Tab
# shows a focus ring; Enter on hold, priority +, retry, log and pause/resume
# changes the queue as the API then reports. A manual check (not in CTest:
# Debian 12 has no Node 20); exits 77 without
# Node 20+, which is not among the build's dependencies.
# usage: page_keyboard_test.sh RENDERQ SAMPLES_DIR
set -euo pipefail
RENDERQ=$1
samples=$2
here=$(dirname "$0")
command -v node >/dev/null && node --experimental-websocket -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null ||
  { echo "skipped: needs node with WebSocket (20+)"; exit 77; }
. "$here/serve_lib.sh"
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || die "chromium is not installed (scripts/install-deps.sh test)"
cp "$samples/Box/glTF-Binary/Box.glb" "$tmp/root/box.glb"

start_daemon
start_server
done_id=$("$RENDERQ" submit "$tmp/root/box.glb" -o "$tmp/root/a.png" --size 32x32 --name done)
wait_state "$done_id" succeeded
curl -sf -X POST --data '' "$base/v1/queue/pause" >/dev/null || die "pause failed"
queued=$("$RENDERQ" submit "$tmp/root/box.glb" -o "$tmp/root/q.png" --size 32x32 --name queued 2>/dev/null)
canceled=$("$RENDERQ" submit "$tmp/root/box.glb" -o "$tmp/root/c.png" --size 32x32 --name canceled 2>/dev/null)
curl -sf -X DELETE "$base/v1/jobs/$canceled" >/dev/null || die "cancel failed"

profile=$(mktemp -d "$tmp/chrome.XXXXXX")
"$chrome" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-sync \
  --user-data-dir="$profile" --remote-debugging-port=0 --window-size=1280,900 "$base/" 2>"$tmp/chrome.err" &
pids+=($!)
for _ in $(seq 100); do [ -s "$profile/DevToolsActivePort" ] && break; sleep 0.1; done
port=$(head -n1 "$profile/DevToolsActivePort" 2>/dev/null) || die "chromium opened no DevTools port"
ws=$(curl -sf "http://127.0.0.1:$port/json" | python3 -c 'import json,sys; print([t for t in json.load(sys.stdin) if t["type"] == "page"][0]["webSocketDebuggerUrl"])')
node --experimental-websocket "$here/page_keys.mjs" "$ws" \
  "[\"hold-$queued\", \"prio-up-$queued\", \"prio-up-$queued\", \"retry-$canceled\", \"pause\", \"log-$done_id\"]" 2>&1 |
  grep -v ExperimentalWarning || die "keyboard steps failed"

job() { curl -sf "$base/v1/jobs/$1" | json_field "$2"; }
[ "$(job "$queued" '["held"]')" = True ] || die "hold from the keyboard did not hold job $queued"
[ "$(job "$queued" '["priority"]')" = 2 ] || die "priority + twice did not give job $queued priority 2"
state=$(job "$canceled" '["state"]')
case $state in queued|running|succeeded) ;; *) die "retry from the keyboard left job $canceled $state";; esac
[ "$(curl -sf "$base/v1/queue" | json_field '["paused"]')" = False ] || die "resume from the keyboard did not resume"
echo "ok: hold, priority, retry, resume and log from the keyboard"
