#!/usr/bin/env bash
# The queue page in a real browser: headless Chromium loads "/", and shows a
# submitted job that reached succeeded, with its thumbnail. The screenshot
# is kept as a test artifact.
# usage: page_test.sh RENDERQ SAMPLES_DIR ARTIFACT_DIR
set -euo pipefail
RENDERQ=$1
samples=$2
artifacts=$3
. "$(dirname "$0")/serve_lib.sh"
mkdir -p "$artifacts"
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || die "chromium is not installed (scripts/install-deps.sh test)"

start_server
start_daemon
for m in BoxVertexColors MetalRoughSpheresNoTextures; do
  curl -s -o "$tmp/submit.json" --data-binary @"$samples/$m/glTF-Binary/$m.glb" -H 'Content-Type: model/gltf-binary' \
    "$base/v1/jobs?job=%7B%22name%22%3A%22$m%22%2C%22spec%22%3A%7B%22width%22%3A256%2C%22height%22%3A256%7D%7D"
  id=$(json_field '["id"]' <"$tmp/submit.json")
done
wait_state "$id" succeeded
wait_state 1 succeeded

browse() {
  "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d "$tmp/chrome.XXXXXX")" \
    --window-size=1000,520 --virtual-time-budget=4000 "$@" "$base/" 2>>"$tmp/chrome.err"
}
browse --dump-dom >"$tmp/dom.html"
grep -q "id=\"job-$id\" data-state=\"succeeded\"" "$tmp/dom.html" || die "page does not show job $id succeeded"
grep -q 'class="thumb" src="blob:' "$tmp/dom.html" || die "page shows no thumbnail"
grep -q 'class="state state-succeeded"' "$tmp/dom.html" || die "page shows no succeeded state"
browse --screenshot="$artifacts/queue-page.png" >/dev/null
[ -s "$artifacts/queue-page.png" ] || die "no screenshot"
grep -q '<span id="queue-state" class="">running</span>' "$tmp/dom.html" ||
  die "the queue state is not 'running' with a daemon: $(grep -o '<span id="queue-state"[^/]*' "$tmp/dom.html")"

# Without a daemon, queued jobs wait: the page says so.
kill "${pids[1]}"
wait "${pids[1]}" 2>/dev/null || true
curl -sf -o /dev/null --data-binary @"$samples/Box/glTF-Binary/Box.glb" -H 'Content-Type: model/gltf-binary' "$base/v1/jobs" ||
  die "submit without a daemon failed"
browse --dump-dom >"$tmp/dom2.html"
grep -q '<span id="queue-state" class="nodaemon"[^>]*>no daemon</span>' "$tmp/dom2.html" ||
  die "the page does not say that no daemon serves the queue: $(grep -o '<span id="queue-state"[^/]*' "$tmp/dom2.html")"
echo "ok: screenshot in $artifacts/queue-page.png"
