#!/usr/bin/env bash
# Throughput of the worker pipeline (issue 12), new build against a baseline
# in the same run, rounds interleaved so machine load hits both alike:
#   drain      N jobs queued in a private spool (paused), then a warm
#              `renderq daemon --foreground` drains them: jobs/s, and the
#              summed busy time of the GPU stages (draw + readback) and of the
#              encoder threads, read from the jobs' logs ("stages:" lines).
#              On a machine with nvidia-smi, mean GPU utilisation during it.
#   turntable  warm turntable frames of a DamagedHelmet-class model at
#              1024² 4x in one process (render_bench): frames/s and busy time
#              per frame of draw, readback and encode.
#   heavy      one frame of a 1.04 M-triangle model (render_bench), against
#              draw_floor: the same triangles in one buffer with a trivial
#              shader, on the same EGL path, 1024² 4x, culled as renderq
#              culls them (item 4: within 2x of the floor). The heavy frame
#              is render_bench's wall per frame (draw, readback, PNG
#              encode); the floor has no readback. Also the floor that draws
#              double-sided primitives whole (--no-closed-cull), as the
#              floor did before renderq culled closed ones. Both floors come
#              from the new build's draw_floor. Each also as process CPU
#              time per frame (all threads), steadier than wall time when
#              other work shares the cores; a baseline whose render_bench
#              lacks that column shows "-". renderq draws this model
#              deferred (render/gl_deferred.hpp); RENDERQ_DEFERRED=0 in the
#              environment makes the new build draw it forward.
#
#   BASELINE=/path/to/old-build bench/throughput_bench.sh [BUILD_DIR]
#
# A build dir holds cli/renderq and bench/render_bench (and, for the new one,
# bench/draw_floor); nothing is compiled here, and only bash, coreutils and
# python3 are needed, so prebuilt binaries can be carried to another machine.
# Env: ROUNDS (3), N_JOBS (200), JOB_MODEL (Box.glb), JOB_SIZE (512),
# JOB_SAMPLES (4), TURN_MODEL (DamagedHelmet if found, else Avocado),
# TURN_FRAMES (24), TURN_SIZE (1024), TURN_SAMPLES (4), HEAVY_MODEL
# (MetalRoughSpheresNoTextures), SKIP ("drain turntable heavy": parts to skip).
# Prints one table (medians over rounds) on stdout; progress on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
new=$(cd "${1:-$here/build}" && pwd)
base=${BASELINE:-}
[ -n "$base" ] && base=$(cd "$base" && pwd)
rounds=${ROUNDS:-3}
n_jobs=${N_JOBS:-200}
samples_dir=$here/tests/data/samples
shared=$here/../shared/gltf-samples
job_model=${JOB_MODEL:-$samples_dir/Box/glTF-Binary/Box.glb}
job_size=${JOB_SIZE:-512}
job_samples=${JOB_SAMPLES:-4}
turn_model=${TURN_MODEL:-}
if [ -z "$turn_model" ]; then
  for m in "$shared/DamagedHelmet/glTF-Binary/DamagedHelmet.glb" "$shared/DamagedHelmet/glTF/DamagedHelmet.gltf" \
           "$shared/Avocado/glTF/Avocado.gltf" "$samples_dir/NormalTangentTest/glTF-Binary/NormalTangentTest.glb"; do
    [ -f "$m" ] && { turn_model=$m; break; }
  done
fi
turn_frames=${TURN_FRAMES:-24}
turn_size=${TURN_SIZE:-1024}
turn_samples=${TURN_SAMPLES:-4}
heavy_model=${HEAVY_MODEL:-$shared/MetalRoughSpheresNoTextures/glTF-Binary/MetalRoughSpheresNoTextures.glb}
[ -f "$heavy_model" ] || heavy_model=$samples_dir/MetalRoughSpheresNoTextures/glTF-Binary/MetalRoughSpheresNoTextures.glb
skip=" ${SKIP:-} "

builds=(new)
[ -n "$base" ] && builds=(base new)
dir_of() { if [ "$1" = new ]; then echo "$new"; else echo "$base"; fi; }
for b in "${builds[@]}"; do
  d=$(dir_of "$b")
  for f in cli/renderq bench/render_bench; do
    [ -x "$d/$f" ] || { echo "throughput_bench: $d/$f is missing" >&2; exit 2; }
  done
done

work=$(mktemp -d /tmp/renderq-throughput.XXXXXX)
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export RENDERQ_CACHE_DIR=$work/cache   # IBL cache shared by both builds: neither pays the prefilter
rows=$work/rows.tsv
: >"$rows"
now() { date +%s.%N; }
has_gpu_smi() { command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; }

# drain BUILD ROUND: one warm daemon, N paused jobs, resume, wait for all.
drain() {
  local b=$1 r=$2 d rq spool out ids t0 t1 smi_pid=
  d=$(dir_of "$b")
  rq=$d/cli/renderq
  spool=$work/spool-$b-$r
  out=$work/out-$b-$r
  mkdir -p "$out"
  export RENDERQ_SPOOL=$spool
  # Warm-up: the worker makes its context and compiles its shaders first.
  local warm
  warm=$("$rq" submit "$job_model" -o "$out/warm.png" --size "${job_size}x$job_size" --samples "$job_samples")
  "$rq" daemon --foreground --log "$work/daemon-$b-$r.log" 2>/dev/null &
  daemon_pid=$!
  "$rq" wait -q --timeout 120s "$warm"
  "$rq" pause >/dev/null
  ids=()
  for ((i = 0; i < n_jobs; i++)); do
    ids+=("$("$rq" submit "$job_model" -o "$out/job_$i.png" --size "${job_size}x$job_size" --samples "$job_samples")")
  done
  if has_gpu_smi; then
    nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits -lms 250 >"$work/smi-$b-$r.txt" 2>/dev/null &
    smi_pid=$!
  fi
  t0=$(now)
  "$rq" resume >/dev/null
  "$rq" wait -q --timeout 3600s "${ids[@]}"
  t1=$(now)
  [ -n "$smi_pid" ] && kill "$smi_pid" 2>/dev/null && wait "$smi_pid" 2>/dev/null || true
  kill -TERM "$daemon_pid" && wait "$daemon_pid" || true
  daemon_pid=
  python3 - "$b" "$r" "$t0" "$t1" "$spool" "${ids[@]}" >>"$rows" <<'EOF'
import re, sys, pathlib
b, r, t0, t1, spool, ids = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6:]
wall = t1 - t0
busy = {"draw": 0.0, "readback": 0.0, "encode": 0.0}
for i in ids:
    log = pathlib.Path(spool, "jobs", i, "job.log")
    text = log.read_text() if log.exists() else ""
    m = re.search(r"stages: (.*)", text)
    if not m:
        continue
    for k in busy:
        v = re.search(k + r" ([0-9.]+) ms", m.group(1))
        if v:
            busy[k] += float(v.group(1)) / 1000.0
print(f"{b}\tdrain_jobs_per_s\t{r}\t{len(ids) / wall:.2f}")
print(f"{b}\tdrain_wall_s\t{r}\t{wall:.3f}")
print(f"{b}\tdrain_gpu_busy_s\t{r}\t{busy['draw'] + busy['readback']:.3f}")
print(f"{b}\tdrain_encode_busy_s\t{r}\t{busy['encode']:.3f}")
EOF
  if [ -s "$work/smi-$b-$r.txt" ]; then
    awk -v b="$b" -v r="$r" '{ s += $1; n++ } END { if (n) printf "%s\tdrain_gpu_util_pct\t%s\t%.1f\n", b, r, s / n }' \
      "$work/smi-$b-$r.txt" >>"$rows"
  fi
  unset RENDERQ_SPOOL
}

# turntable BUILD ROUND: one process, the model twice; the second pass is warm.
turntable() {
  local b=$1 r=$2 d
  d=$(dir_of "$b")
  mkdir -p "$work/turn-$b"
  "$d/bench/render_bench" --frames "$turn_frames" --size "$turn_size" --samples "$turn_samples" --repeat 2 \
      --out "$work/turn-$b" "$turn_model" 2>/dev/null |
    awk -F'\t' -v b="$b" -v r="$r" '$2 == 1 {
      printf "%s\tturn_frames_per_s\t%s\t%.2f\n", b, r, 1000 / $12
      printf "%s\tturn_draw_ms\t%s\t%.2f\n", b, r, $9
      printf "%s\tturn_readback_ms\t%s\t%.2f\n", b, r, $10
      printf "%s\tturn_encode_ms\t%s\t%.2f\n", b, r, $11
    }' >>"$rows"
}

# heavy BUILD ROUND: one frame, three times in one process; the mean of the
# last two (warm) is the round's figure.
heavy() {
  local b=$1 r=$2 d
  d=$(dir_of "$b")
  mkdir -p "$work/heavy-$b"
  "$d/bench/render_bench" --frames 1 --size 1024 --samples 4 --repeat 3 --out "$work/heavy-$b" "$heavy_model" 2>/dev/null |
    awk -F'\t' -v b="$b" -v r="$r" '$2 >= 1 { s += $12; c += $18; n++ } END {
      if (n) printf "%s\theavy_frame_ms\t%s\t%.1f\n", b, r, s / n
      if (n && c > 0) printf "%s\theavy_cpu_ms\t%s\t%.1f\n", b, r, c / n
    }' >>"$rows"
  if [ "$b" = new ] && [ -x "$d/bench/draw_floor" ]; then
    "$d/bench/draw_floor" --size 1024 --samples 4 --frames 3 "$heavy_model" |
      awk -v r="$r" '{ printf "new\tfloor_frame_ms\t%s\t%s\nnew\tfloor_cpu_ms\t%s\t%s\n", r, $5, r, $11 }' >>"$rows"
    "$d/bench/draw_floor" --size 1024 --samples 4 --frames 3 --no-closed-cull "$heavy_model" |
      awk -v r="$r" '{ printf "new\tfloor_whole_frame_ms\t%s\t%s\nnew\tfloor_whole_cpu_ms\t%s\t%s\n", r, $5, r, $11 }' >>"$rows"
    printf 'new\tload_avg\t%s\t%s\n' "$r" "$(cut -d' ' -f1 /proc/loadavg)" >>"$rows"
  fi
}

echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores; new=$new base=${base:-none}; $rounds round(s)" >&2
for ((r = 1; r <= rounds; r++)); do
  for b in "${builds[@]}"; do
    case $skip in *" drain "*) ;; *) echo "round $r: $b drain ($n_jobs jobs)" >&2; drain "$b" "$r" ;; esac
    case $skip in *" turntable "*) ;; *) echo "round $r: $b turntable" >&2; turntable "$b" "$r" ;; esac
    case $skip in *" heavy "*) ;; *) echo "round $r: $b heavy" >&2; heavy "$b" "$r" ;; esac
  done
done

python3 - "$rows" "$n_jobs" "$job_size" "$job_samples" "$(basename "$job_model")" "$(basename "$turn_model")" \
  "$turn_size" "$turn_samples" "$turn_frames" "$(basename "$heavy_model")" <<'EOF'
import statistics, sys
rows, n_jobs, js, jsamp, jmodel, tmodel, ts, tsamp, tframes, hmodel = sys.argv[1:]
vals = {}
for line in open(rows):
    b, key, r, v = line.rstrip("\n").split("\t")
    vals.setdefault((b, key), []).append(float(v))
med = lambda b, k: statistics.median(vals[(b, k)]) if (b, k) in vals else None
label = {
    "drain_jobs_per_s": f"drain {n_jobs} x {jmodel} {js}² {jsamp}x: jobs/s",
    "drain_wall_s": "drain: wall s",
    "drain_gpu_busy_s": "drain: GPU stages busy s (draw+readback)",
    "drain_encode_busy_s": "drain: encoder threads busy s (sum)",
    "drain_gpu_util_pct": "drain: mean GPU utilisation % (nvidia-smi)",
    "turn_frames_per_s": f"turntable {tmodel} {ts}² {tsamp}x, {tframes} warm frames: frames/s",
    "turn_draw_ms": "turntable: draw busy ms/frame",
    "turn_readback_ms": "turntable: readback busy ms/frame",
    "turn_encode_ms": "turntable: encode busy ms/frame (thread-ms)",
    "heavy_frame_ms": f"heavy {hmodel} 1024² 4x: ms/frame",
    "floor_frame_ms": "floor (draw_floor, culled as renderq culls): ms/frame",
    "floor_whole_frame_ms": "floor, double-sided drawn whole (--no-closed-cull): ms/frame",
    "heavy_cpu_ms": "heavy: process CPU ms/frame (all threads)",
    "floor_cpu_ms": "floor: process CPU ms/frame",
    "floor_whole_cpu_ms": "whole floor: process CPU ms/frame",
    "load_avg": "1-minute load average after each round's heavy part",
}
print(f"{'measure (medians over rounds)':62s} {'baseline':>10s} {'new':>10s} {'new/base':>9s}")
for k, text in label.items():
    b, n = med("base", k), med("new", k)
    if b is None and n is None:
        continue
    f = lambda x: f"{x:10.2f}" if x is not None else f"{'-':>10s}"
    ratio = f"{n / b:9.2f}" if (b and n is not None) else f"{'-':>9s}"
    print(f"{text:62s} {f(b)} {f(n)} {ratio}")
# Ratios per round (the floor and both heavy frames ran back to back), then
# their median: steadier on a shared machine than a ratio of medians.
def ratio(b, hk, fk):
    per = [h / f for h, f in zip(vals.get((b, hk), []), vals.get(("new", fk), []))]
    return statistics.median(per) if per else None
for hk, fk, name in (("heavy_frame_ms", "floor_frame_ms", "floor"),
                     ("heavy_frame_ms", "floor_whole_frame_ms", "whole floor"),
                     ("heavy_cpu_ms", "floor_cpu_ms", "floor, CPU"),
                     ("heavy_cpu_ms", "floor_whole_cpu_ms", "whole floor, CPU")):
    for b in ("base", "new"):
        x = ratio(b, hk, fk)
        if x:
            print(f"{'heavy / ' + name + ' (' + b + '), median of rounds':62s} {x:10.2f}" +
                  ("   target <= 2" if b == "new" and fk == "floor_frame_ms" else ""))
EOF
