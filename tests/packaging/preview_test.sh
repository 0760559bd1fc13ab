#!/usr/bin/env bash
# The preview under Xvfb: drive the window with the mouse and keys (xdotool),
# take a screenshot of it (xwd), and check that
#   1. the screenshot matches `renderq render` with the options the preview
#      printed (the renderer's golden metric, RMS YIQ in dB), and
#   2. it does not match the view before the drag (so the check can fail).
# Usage: preview_test.sh RENDERQ IMAGE_DIFF SAMPLES_DIR
set -euo pipefail
renderq=$1 image_diff=$2 samples=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/renderq-preview.XXXXXX)
pids=()
cleanup() {
  rc=$?
  if [ "$rc" -ne 0 ] && [ -f "$work/stderr" ]; then
    echo "--- preview stderr (test exit $rc):"; cat "$work/stderr"
    echo "--- preview stdout:"; cat "$work/stdout"
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache HOME=$work LP_NUM_THREADS=2
scene=$samples/Box/glTF-Binary/Box.glb
opts=(--size 160x120 --background '#336699' --samples 4)
threshold=-40   # dB; identical pixels give -inf

# A private X server on a free display.
exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 640x480x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=:$(head -n1 "$work/display")

"$renderq" preview "$scene" -o "$work/unused.png" "${opts[@]}" --log-frames >"$work/stdout" 2>"$work/stderr" &
pids+=($!)
preview=$!
shown() { grep -c '^renderq: preview: shown' "$work/stderr" || true; }
wait_shown() {  # wait_shown N: until N images were shown
  for _ in $(seq 600); do
    [ "$(shown)" -ge "$1" ] && return 0
    kill -0 "$preview" 2>/dev/null || { echo "preview exited:"; cat "$work/stderr"; return 1; }
    sleep 0.1
  done
  echo "timed out waiting for image $1"; cat "$work/stderr"; return 1
}
wait_lines() {  # wait_lines N: until stdout has N lines
  for _ in $(seq 100); do [ "$(wc -l <"$work/stdout")" -ge "$1" ] && return 0; sleep 0.1; done
  echo "no submit line printed"; return 1
}
wait_shown 1
win=$(xdotool search --name '^renderq preview' | head -n1)
xdotool key --window "$win" p
wait_lines 1
before=$(sed -n 1p "$work/stdout")

# Drag left-right and down, scroll in once, switch tone mapping.
n=$(shown)
xdotool mousemove --window "$win" 80 60 mousedown 1 mousemove --window "$win" 120 80 mouseup 1
wait_shown $((n + 1))
n=$(shown)
xdotool mousemove --window "$win" 80 60 click 4
wait_shown $((n + 1))
n=$(shown)
xdotool key --window "$win" t
wait_shown $((n + 1))
sleep 0.5  # let any image still in flight land before the screenshot
xdotool key --window "$win" p
wait_lines 2
after=$(sed -n 2p "$work/stdout")
xwd -id "$win" -silent -out "$work/window.xwd"
python3 "$here/xwd_to_png.py" "$work/window.xwd" "$work/window.png"
# Only the key press: the window closes on it, before a release could reach it.
xdotool keydown --window "$win" q
wait "$preview"
on_quit=$(sed -n 3p "$work/stdout")

fails=0
[ "$after" = "$on_quit" ] || { echo "FAIL quitting printed another line:"; echo "$after"; echo "$on_quit"; fails=$((fails + 1)); }
[ "$before" != "$after" ] || { echo "FAIL the view did not change: $after"; fails=$((fails + 1)); }
grep -q -- '--tonemap aces' <<<"$after" || { echo "FAIL t did not switch tone mapping: $after"; fails=$((fails + 1)); }

# Render the printed lines (as `render`, to files of ours) and compare.
render_printed() {  # render_printed LINE OUT
  local out=$2 args=()
  eval "set -- $1"
  [ "$1 $2" = "renderq submit" ] || { echo "FAIL not a submit line: $*"; return 1; }
  shift 2
  while [ $# -gt 0 ]; do
    if [ "$1" = -o ]; then shift 2; continue; fi
    args+=("$1"); shift
  done
  "$renderq" render "${args[@]}" -o "$out" -q
}
render_printed "$after" "$work/after.png"
render_printed "$before" "$work/before.png"
same=$("$image_diff" "$work/window.png" "$work/after.png" "$work/diff.png")
other=$("$image_diff" "$work/window.png" "$work/before.png")
echo "screenshot vs render of the printed options: $same dB; vs the view before the drag: $other dB"
python3 -c "import sys; sys.exit(0 if float('$same') <= $threshold else 1)" ||
  { echo "FAIL screenshot differs from the render ($same dB > $threshold dB)"; fails=$((fails + 1)); }
python3 -c "import sys; sys.exit(0 if float('$other') > $threshold else 1)" ||
  { echo "FAIL the check cannot tell views apart ($other dB)"; fails=$((fails + 1)); }
# Bad input: no display, a missing scene, a sequence. Each a clear error, no window left.
rc=0; env -u DISPLAY "$renderq" preview "$scene" 2>"$work/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q 'needs a display' "$work/err" || { echo "FAIL no display: rc $rc: $(cat "$work/err")"; fails=$((fails + 1)); }
rc=0; "$renderq" preview "$work/missing.glb" 2>"$work/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q 'missing.glb: no such file' "$work/err" || { echo "FAIL missing scene: rc $rc: $(cat "$work/err")"; fails=$((fails + 1)); }
rc=0; "$renderq" preview "$scene" --frames 4 2>"$work/err" || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL --frames: rc $rc: $(cat "$work/err")"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "preview: all checks passed"
exit "$fails"
