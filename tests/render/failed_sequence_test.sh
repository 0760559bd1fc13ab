#!/usr/bin/env bash
# A failed multi-frame render leaves none of its frames (issue 13, lower
# items): with frame 6's name taken by a folder, and, as root, on a tmpfs that
# fills after a few frames, `renderq render` and a daemon job fail naming the
# file (and the errno: "No space left on device"), draw no frame after the
# failure, and leave no f_*.png behind. main kept frames 0..5 (and 0..9).
# Needs RENDERQ and SAMPLES (as the daemon tests).
source "$(dirname "$0")/../daemon/lib.sh"

frames_left() { find "$1" -maxdepth 1 -name 'f_*.png' -type f | wc -l; }

# 1. A frame that cannot be written: frame 6's name is a folder.
mkdir -p "$work/seq" "$work/seq/f_0006.png"
rc=0
"$RENDERQ" render "$BOX" -o "$work/seq/f.png" --frames 16 --turntable --size 64x64 --samples 1 \
  >"$work/render.out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "render with an unwritable frame exited $rc: $(cat "$work/render.out")"
grep -q "f_0006.png" "$work/render.out" || fail "the error does not name the frame: $(cat "$work/render.out")"
[ "$(frames_left "$work/seq")" = 0 ] || fail "a failed render left $(frames_left "$work/seq") frames"

start_daemon
id=$(rq submit "$BOX" -o "$work/seq/f.png" --frames 16 --turntable --size 64x64 --samples 1)
rq wait "$id" >/dev/null 2>&1 || true
[ "$(job_field "$id" "j['error_code']")" = output_not_writable ] || fail "job $id: $(rq status "$id")"
[ "$(frames_left "$work/seq")" = 0 ] || fail "a failed job left $(frames_left "$work/seq") frames"
stop_daemon

# 2. A full disk (root only: a 200 KiB tmpfs holds about ten 64x64 frames).
if [ "$(id -u)" = 0 ] && mkdir -p "$work/full" && mount -t tmpfs -o size=200k tmpfs "$work/full" 2>/dev/null; then
  trap 'umount "$work/full" 2>/dev/null || true; cleanup' EXIT
  rc=0
  "$RENDERQ" render "$BOX" -o "$work/full/f.png" --frames 40 --turntable --size 64x64 --samples 1 --png-level 0 \
    >"$work/full.out" 2>&1 || rc=$?
  [ "$rc" != 0 ] || fail "render onto a full disk succeeded"
  grep -q "No space left on device" "$work/full.out" || fail "no errno in: $(cat "$work/full.out")"
  last=$(grep -o 'frame [0-9]*/40' "$work/full.out" | tail -1 | sed 's|frame \([0-9]*\)/40|\1|')
  [ "${last:-0}" -lt 40 ] || fail "every frame was reported although the disk was full"
  [ "$(frames_left "$work/full")" = 0 ] || fail "a render onto a full disk left $(frames_left "$work/full") frames"
  [ -z "$(ls -A "$work/full")" ] || fail "files left on the full disk: $(ls -A "$work/full")"
else
  echo "skip: the full-disk case needs root and tmpfs"
fi
echo "ok: failed sequences leave no frames"
