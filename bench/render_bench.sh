#!/usr/bin/env bash
# Per-stage render times and peak memory for sample models at 1024² with 4x
# MSAA, cold (one process per image) and warm (one process, models already
# loaded, turntable frames so PNG encoding overlaps the next draw).
#
#   bench/render_bench.sh [BUILD_DIR]      (default: build)
#
# Env: BENCH_SIZE (1024), BENCH_SAMPLES (4), BENCH_FRAMES (8 warm frames),
# BENCH_MODELS (space-separated .glb/.gltf paths), BENCH_GEOMETRY_MODELS (the
# same; a path ending in @animate plays its animation; empty to skip),
# BENCH_FORMATS (png jpg webp: warm rows per output format, all on a grey
# background since JPEG has no alpha). Prints a table; the last lines check
# the warm target: no stage outside the draw costs more than it, and JPEG
# encodes in at most a quarter of PNG's time.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/bench/render_bench
[ -x "$bin" ] || { echo "render_bench: build it first: cmake --build $build --target render_bench" >&2; exit 2; }
size=${BENCH_SIZE:-1024}
samples=${BENCH_SAMPLES:-4}
frames=${BENCH_FRAMES:-8}
s=tests/data/samples
read -r -a models <<<"${BENCH_MODELS:-$s/MetalRoughSpheresNoTextures/glTF-Binary/MetalRoughSpheresNoTextures.glb $s/NormalTangentTest/glTF-Binary/NormalTangentTest.glb $s/TextureSettingsTest/glTF-Binary/TextureSettingsTest.glb}"
[ -d ../shared/gltf-samples/Avocado/glTF ] && [ -z "${BENCH_MODELS:-}" ] && models+=(../shared/gltf-samples/Avocado/glTF/Avocado.gltf)
# Geometry features (BENCH_GEOMETRY_MODELS): an animated skin posed per frame, a
# Draco file, an instanced one. A warm group of their own: the renderer keeps
# four scenes, and mixing them into the rotation above would evict.
draco=$s/MorphPrimitivesTest/glTF-Draco/MorphPrimitivesTest.gltf
[ -d ../shared/gltf-samples/Avocado/glTF-Draco ] && draco=../shared/gltf-samples/Avocado/glTF-Draco/Avocado.gltf
read -r -a geometry <<<"${BENCH_GEOMETRY_MODELS-$s/RiggedSimple/glTF-Binary/RiggedSimple.glb@animate $draco $s/SimpleInstancing/glTF-Binary/SimpleInstancing.glb}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RENDERQ_CACHE_DIR=$tmp/cache
args=(--size "$size" --samples "$samples" --out "$tmp")

echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores, ${size}² ${samples}x MSAA" >&2
{
  for m in "${models[@]}" "${geometry[@]}"; do
    rm -rf "$tmp/cache"
    "$bin" "${args[@]}" --frames 1 "$m" | sed 's/^/cold-ibl\t/'            # empty IBL cache
    "$bin" "${args[@]}" --frames 1 "$m" | sed 's/^/cold\t/'                # IBL from disk
  done
  # Warm: every model rendered 3 times in one process; repeats 1 and 2 find the
  # scene, textures, IBL and framebuffers cached.
  "$bin" "${args[@]}" --frames "$frames" --repeat 3 "${models[@]}" | sed 's/^/warm\t/'
  [ ${#geometry[@]} -eq 0 ] || "$bin" "${args[@]}" --frames "$frames" --repeat 3 "${geometry[@]}" | sed 's/^/warm\t/'
  # Per format: the same warm job, opaque background for all.
  for f in ${BENCH_FORMATS:-png jpg webp}; do
    "$bin" "${args[@]}" --frames "$frames" --repeat 2 --format "$f" --background '#808080' "${models[@]}" |
      sed "s/^/w-$f\t/"
  done
} >"$tmp/rows.tsv"

awk -F'\t' '
BEGIN {
  printf "%-9s %-28s %7s %7s %7s %7s %7s %7s %7s %7s %7s %9s %7s\n", "mode", "model", "context", "load", "decode", "upload", "ibl", "draw", "readbk", "encode", "wall/fr", "frames", "peakMB"
}
($1 == "warm" || $1 ~ /^w-/) && $3 == 0 { next }   # first warm pass loads; it is what "cold" shows
$1 ~ /^w-/ { enc[$1] += $12; encn[$1]++ }
{
  key = $1 "\t" $2
  printf "%-9s %-28s %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f %9s %7.0f\n", $1, $2, $5, $6, $7, $8, $9, $10, $11, $12, $13, $4, $14
  if ($1 == "warm") {
    worst = $6; name = "load"
    if ($7 > worst) { worst = $7; name = "decode" }
    if ($8 > worst) { worst = $8; name = "upload" }
    if ($9 > worst) { worst = $9; name = "ibl" }
    if ($11 > worst) { worst = $11; name = "readback" }
    if ($12 > worst) { worst = $12; name = "encode (overlapped)" }
    verdict[$2] = sprintf("%s: draw %.1f ms, largest other stage %s %.1f ms -> %s", $2, $10, name, worst, worst <= $10 ? "ok" : "OVER")
  }
}
END {
  print ""; for (m in verdict) print "warm target: " verdict[m]
  if (encn["w-png"] && encn["w-jpg"]) {
    p = enc["w-png"] / encn["w-png"]; j = enc["w-jpg"] / encn["w-jpg"]
    printf "format target: encode per frame png %.1f ms, jpg %.1f ms (%.2f of png) -> %s\n", p, j, j / p, j <= p / 4 ? "ok" : "OVER 1/4"
  }
  if (encn["w-webp"]) printf "               webp (one animation, lossless) %.1f ms per frame\n", enc["w-webp"] / encn["w-webp"]
}
' "$tmp/rows.tsv"
