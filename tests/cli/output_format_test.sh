#!/usr/bin/env bash
# The output's extension picks the format. submit and render refuse, with
# exit 2 and before anything is stored or rendered, an extension no encoder
# writes and a format that cannot hold what is asked; render writes each
# format, and a multi-frame .webp is one animated file.
source "$(dirname "$0")/lib.sh"

expect 2 "submit -o x.exr" "$RENDERQ" submit "$BOX" -o "$out/x.exr"
expect_diag "x.exr"
expect_stdout_empty
[ ! -e "$RENDERQ_SPOOL" ] || fail "a refused submit created the spool"
expect 2 "submit -o without an extension" "$RENDERQ" submit "$BOX" -o "$out/x"
expect 2 "submit a frame pattern without an extension" "$RENDERQ" submit "$BOX" -o "$out/f_%03d" --frames 3
expect 2 "submit JPEG with a transparent background" "$RENDERQ" submit "$BOX" -o "$out/x.jpg"
expect_diag "--background"
expect 2 "submit --depth 16 as WebP" "$RENDERQ" submit "$BOX" -o "$out/x.webp" --depth 16
expect 2 "submit --depth 12" "$RENDERQ" submit "$BOX" -o "$out/x.png" --depth 12
expect 2 "submit --quality 0" "$RENDERQ" submit "$BOX" -o "$out/x.webp" --quality 0
expect 2 "submit --fps 500" "$RENDERQ" submit "$BOX" -o "$out/x.webp" --fps 500
[ ! -e "$RENDERQ_SPOOL" ] || fail "refused submits created the spool"

expect 0 "submit JPEG with a background" "$RENDERQ" submit "$BOX" -o "$out/x.JPG" --background '#ffffff' --quality 80
expect 0 "submit an animated WebP" "$RENDERQ" submit "$BOX" -o "$out/spin.webp" --frames 36 --turntable --fps 30
id=$stdout
expect 0 "status --json" "$RENDERQ" status "$id" --json
[ "$(json "j['spec']['fps'], j['spec']['frames']")" = "(30.0, 36)" ] || fail "the stored spec lost fps: $stdout"
[ "$(job_count)" = 2 ] || fail "want 2 jobs"

# The same checks in render, before any GL work.
expect 2 "render -o x.exr" "$RENDERQ" render "$BOX" -o "$out/x.exr"
expect_diag "x.exr"
expect 2 "render JPEG with a transparent background" "$RENDERQ" render "$BOX" -o "$out/x.jpeg"
[ -z "$(ls -A "$out")" ] || fail "refused renders wrote: $(ls -A "$out")"

# Each format written for real (llvmpipe without a GPU), checked by its magic.
magic() { head -c 16 "$1" | od -An -c | tr -s ' '; }
expect 0 "render PNG 16-bit" "$RENDERQ" render "$BOX" -o "$out/d.png" --size 32x32 --depth 16 -q
python3 - "$out/d.png" <<'PY' || fail "d.png is not a 16-bit RGBA PNG with the spec"
import json, struct, sys
b = open(sys.argv[1], 'rb').read()
assert b[:8] == b'\x89PNG\r\n\x1a\n'
assert b[24] == 16 and b[25] == 6, (b[24], b[25])   # IHDR bit depth, colour type
k = b.index(b'tEXtrenderq\x00') + 12
n = struct.unpack('>I', b[k - 16:k - 12])[0] - 8
assert json.loads(b[k:k + n])['depth'] == 16
PY
expect 0 "render JPEG" "$RENDERQ" render "$BOX" -o "$out/j.jpg" --size 32x32 --background '#336699' -q
case "$(magic "$out/j.jpg")" in *377\ 330\ 377*) ;; *) fail "j.jpg is not a JPEG: $(magic "$out/j.jpg")" ;; esac
expect 0 "render an animated WebP" "$RENDERQ" render "$BOX" -o "$out/spin.webp" --size 32x32 --frames 3 --turntable -q
[ "$stdout" = "$out/spin.webp" ] || fail "render should print the one animated file, got: $stdout"
python3 - "$out/spin.webp" <<'PY' || fail "spin.webp is not an animated WebP of 3 frames"
import sys
b = open(sys.argv[1], 'rb').read()
assert b[:4] == b'RIFF' and b[8:12] == b'WEBP'
assert b.count(b'ANMF') == 3 and b'ANIM' in b
PY
[ ! -e "$out/spin_0000.webp" ] || fail "an animation must not write frame files"
[ -z "$(find "$out" -name '.*.tmp-*')" ] || fail "temporary files left: $(find "$out" -name '.*.tmp-*')"

# One frame to an output with a frame field writes frame 0's name (it once
# wrote a file named one_%04d.png literally), rendered here or by a daemon.
expect 0 "render one frame to a frame pattern" "$RENDERQ" render "$BOX" -o "$out/one_%04d.png" --size 32x32 -q
[ "$stdout" = "$out/one_0000.png" ] || fail "render should print one_0000.png, got: $stdout"
[ -f "$out/one_0000.png" ] || fail "one_0000.png was not written: $(ls "$out")"
export LP_NUM_THREADS=1
trap '"$RENDERQ" daemon --stop >/dev/null 2>&1 || true; cleanup' EXIT
expect 0 "start a daemon" "$RENDERQ" daemon --log "$work/daemon.log"
expect 0 "submit one frame to a frame pattern" "$RENDERQ" submit "$BOX" -o "$out/queued_%04d.png" --size 32x32
id=$stdout
expect 0 "wait for it" "$RENDERQ" wait "$id"
[ -f "$out/queued_0000.png" ] || fail "the daemon did not write queued_0000.png: $(ls "$out")"
expect 0 "stop the daemon" "$RENDERQ" daemon --stop
[ -z "$(find "$out" -name '*%*')" ] || fail "a file named after the pattern: $(find "$out" -name '*%*')"

finish
