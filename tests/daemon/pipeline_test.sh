#!/usr/bin/env bash
# The pipelined worker (render/encoder_pool, render/gl_readback) with more
# encoder threads than cores, so frames finish out of order: a turntable job
# writes exactly the frames it reports, each once; a cancel in the middle of
# the pipeline publishes every reported frame whole, nothing more, and
# leaves no temporary or staged file.
source "$(dirname "$0")/lib.sh"
export RENDERQ_ENCODER_THREADS=4

tmp_files() { find "$1" -name '.*.tmp-*' -o -name '.*.stage-*' | wc -l; }

start_daemon
mkdir -p "$work/spin"
id=$(rq submit "$BOX" -o "$work/spin/f_%04d.png" --size 96x96 --samples 4 --frames 30 --turntable)
rq wait "$id" >/dev/null || fail "turntable job did not succeed"
[ "$(job_field "$id" "j['progress']['done']")" = 30 ] || fail "progress $(job_field "$id" "j['progress']")"
wrote=$(rq logs "$id" | grep -c "wrote $work/spin/f_")
[ "$wrote" = 30 ] || fail "the job log lists $wrote written frames, not 30"
[ "$(rq logs "$id" | grep "wrote $work/spin/f_" | sort -u | wc -l)" = 30 ] || fail "a frame is listed twice"
[ "$(ls -A "$work/spin" | wc -l)" = 30 ] || fail "$(ls -A "$work/spin" | wc -l) files for 30 frames"
png_ok --size 96x96 "$work/spin"/f_*.png || fail "a frame is not a whole PNG"
rq logs "$id" | grep -q "(4 threads)" || fail "the stage line does not name the encoder threads"
# Each frame is logged as it is written, in order, before the render's
# summary (logs --follow shows a sequence grow, not all of it at the end).
first_wrote=$(rq logs "$id" | grep -n "wrote $work/spin/f_" | head -1 | cut -d: -f1)
stages=$(rq logs "$id" | grep -n "stages:" | cut -d: -f1)
[ -n "$first_wrote" ] && [ "$first_wrote" -lt "$stages" ] || fail "frames are logged only after the render ended"
[ "$(rq logs "$id" | grep "wrote $work/spin/f_" | head -1 | grep -c f_0000.png)" = 1 ] || fail "frame 0 is not logged first"

# Cancel mid-pipeline: the frames logged so far are the files that exist.
mkdir -p "$work/long"
long=$(rq submit "$BOX" -o "$work/long/f_%06d.png" --size 128x128 --samples 4 --frames 100000 --turntable)
wait_until 30 eval '[ "$(job_field "$long" "j[\"progress\"][\"done\"]")" -ge 8 ]' || fail "long job made no progress"
rq cancel "$long" >/dev/null
wait_until 10 state_is "$long" canceled || fail "long job not canceled"
done_n=$(job_field "$long" "j['progress']['done']")
[ "$(tmp_files "$work/long")" = 0 ] || fail "temporary files left after the cancel: $(find "$work/long" -name '.*')"
for ((i = 0; i < done_n; i++)); do
  f=$(printf "%s/long/f_%06d.png" "$work" "$i")
  [ -f "$f" ] || fail "frame $i was reported ($done_n done) but is missing"
done
[ "$(ls "$work/long" | wc -l)" = "$done_n" ] || fail "$(ls "$work/long" | wc -l) files for $done_n reported frames"
png_ok --size 128x128 "$work/long"/f_*.png || fail "a file left by the canceled job is not a whole PNG"
[ "$(rq logs "$long" | grep -c "wrote $work/long/f_")" -ge "$done_n" ] || fail "the log of the canceled job lists fewer frames than were reported"
echo "canceled after $done_n reported frames; $(ls "$work/long" | wc -l) files, all whole"
echo ok
