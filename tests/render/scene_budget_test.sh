#!/usr/bin/env bash
# Scenes sized before they are loaded (issue 13, H1 and M5), through the real
# binary under a 2 GiB address-space limit (`ulimit -v`):
#   - `renderq render` refuses the 976-byte accessor bomb, the .glb whose three
#     images say 16384x16384 and a buffer on a 3 GiB sparse file, exit 1,
#     naming the budget (main peaked at 7.1 GB, aborted, read 3 GiB);
#   - a FIFO or a character device as a buffer uri is refused at once (main
#     hung forever on the FIFO);
#   - submit refuses the FIFO and device buffers at once (core/scene_probe);
#   - through submit and a daemon (whose workers inherit the limit) the same
#     jobs fail with scene_too_large / gltf_invalid, and the daemon goes on
#     rendering; a buffer swapped for a FIFO or device after submit (the job
#     held, the file swapped, the job released) fails by name too;
#   - a job's own --max-scene-memory lowers the daemon's budget.
# Needs RENDERQ and SAMPLES (as the daemon tests).
source "$(dirname "$0")/../daemon/lib.sh"

bombs=$work/bombs
python3 "$HERE/../gltf/budget_bombs.py" "$bombs" --special
limited() { (ulimit -v 2097152 && exec "$@"); }

# render_refused FILE WANT SECONDS: render exits 1 within SECONDS, saying WANT.
render_refused() {
  local file=$1 want=$2 limit=$3 start took rc=0
  start=$(date +%s%N)
  limited timeout 60 "$RENDERQ" render "$bombs/$file" -o "$work/out.png" --size 64x64 >"$work/render.out" 2>&1 || rc=$?
  took=$((($(date +%s%N) - start) / 1000000))
  [ "$rc" = 1 ] || fail "render $file exited $rc: $(cat "$work/render.out")"
  grep -q "$want" "$work/render.out" || fail "render $file did not say '$want': $(cat "$work/render.out")"
  [ "$took" -lt $((limit * 1000)) ] || fail "render $file took ${took} ms"
}
render_refused accessor_bomb.gltf "over the scene memory budget" 30
render_refused image_bomb.glb "over the scene memory budget" 30
render_refused sparse_buffer.gltf "over the scene memory budget" 30
render_refused fifo_buffer.gltf "is a FIFO, not a regular file" 30
[ -e "$bombs/device_buffer.gltf" ] && render_refused device_buffer.gltf "is a character device, not a regular file" 30
# (The bound is the renderer's start; the refusal itself takes milliseconds.)

# submit looks at the buffers' files and refuses special ones at once.
for f in fifo_buffer.gltf device_buffer.gltf; do
  [ -e "$bombs/$f" ] || continue
  rc=0
  timeout 10 "$RENDERQ" submit "$bombs/$f" -o "$work/$f.png" --size 64x64 >"$work/submit.out" 2>&1 || rc=$?
  [ "$rc" = 2 ] || fail "submit $f exited $rc: $(cat "$work/submit.out")"
  grep -q "not a regular file" "$work/submit.out" || fail "submit $f: $(cat "$work/submit.out")"
done

# The daemon under the same limit. The special buffers are swapped in after
# submit: a regular .bin at submit, the FIFO or device when the job runs.
(ulimit -v 2097152 && start_daemon)
declare -A want=([accessor_bomb.gltf]=scene_too_large [image_bomb.glb]=scene_too_large
                 [sparse_buffer.gltf]=scene_too_large [fifo_buffer.gltf]=gltf_invalid)
[ -e "$bombs/device_buffer.gltf" ] && want[device_buffer.gltf]=gltf_invalid
declare -A ids=()
for f in "${!want[@]}"; do
  case $f in
    fifo_buffer.gltf) special=fifo.bin ;;
    device_buffer.gltf) special=zero.bin ;;
    *) ids[$f]=$(rq submit "$bombs/$f" -o "$work/$f.png" --size 64x64); continue ;;
  esac
  mv "$bombs/$special" "$bombs/$special.special"
  head -c 36 /dev/zero >"$bombs/$special"
  ids[$f]=$(rq submit "$bombs/$f" -o "$work/$f.png" --size 64x64 --hold)
  mv -f "$bombs/$special.special" "$bombs/$special"
  rq release "${ids[$f]}" >/dev/null
done
small=$(submit_box "$work/small.png" --max-scene-memory 1K)
good=$(submit_box "$work/good.png")
for f in "${!want[@]}"; do
  timeout 120 "$RENDERQ" wait "${ids[$f]}" >/dev/null 2>&1 || true
  state_is "${ids[$f]}" failed || fail "job $f is $(job_field "${ids[$f]}" "j['state']")"
  got=$(job_field "${ids[$f]}" "j['error_code']")
  [ "$got" = "${want[$f]}" ] || fail "job $f failed with $got, expected ${want[$f]}: $(rq logs "${ids[$f]}")"
done
timeout 120 "$RENDERQ" wait "$small" >/dev/null 2>&1 || true
[ "$(job_field "$small" "j['error_code']")" = scene_too_large ] || fail "a job's 1K budget was not applied"
timeout 120 "$RENDERQ" wait "$good" >/dev/null || fail "the daemon stopped rendering after the refused jobs"
png_ok --size 64x64 "$work/good.png" || fail "no whole PNG for the good job"
echo "ok: every oversized or special-file scene refused by name under a 2 GiB address space"
