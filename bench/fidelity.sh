#!/usr/bin/env bash
# Render fidelity against model-viewer (three.js), the reference the issue
# tracker uses: every sample model is rendered by model-viewer in headless
# Chromium (SwiftShader) at model-viewer's own default framing, then by each
# renderq binary given, with the camera model-viewer reports, the same
# environment and PBR Neutral tone mapping; prints model-viewer's metric (RMS
# YIQ in dB, more negative = closer) per model and binary, and the mean.
#
#   bench/fidelity.sh RENDERQ_FULL SAMPLES_DIR [BASELINE_RENDERQ_FULL]
#
# RENDERQ_FULL is a `renderq-full` (or `renderq`) binary; SAMPLES_DIR holds
# <Model>/glTF-Binary/*.glb or <Model>/glTF/*.gltf (the first found is used).
# The reference harness (model-viewer, puppeteer-core, pngjs) must be set up
# outside the repository as ../shared/refrender/README.md says.
#
# Env: SIZE (256), MODELS (space-separated model names; default all),
# REFRENDER (the harness scripts; default ../shared/refrender),
# REFRENDER_HOME (its node_modules; default /tmp/refrender), KEEP (a folder to
# keep the images and the per-image JSON in; default a temporary folder).
# Nothing is written inside the repository.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,20p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
new=$(realpath "$1")
samples=$(realpath "$2")
base=${3:+$(realpath "$3")}
size=${SIZE:-256}
refrender=$(realpath "${REFRENDER:-$here/../shared/refrender}")
export REFRENDER_HOME=${REFRENDER_HOME:-/tmp/refrender}
[ -x "$new" ] || { echo "fidelity: not an executable: $new" >&2; exit 2; }
[ -d "$REFRENDER_HOME/node_modules/@google/model-viewer" ] ||
  { echo "fidelity: set up the reference harness first ($refrender/README.md)" >&2; exit 2; }

if [ -n "${KEEP:-}" ]; then work=$(realpath -m "$KEEP"); mkdir -p "$work"
else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/ref" "$work/new" "$work/base"
export RENDERQ_CACHE_DIR=$work/cache

# One environment for both renderers: the harness's sky gradient without its
# sun, so the comparison does not depend on how each maps azimuth.
node "$refrender/make_env.mjs" --out "$work/env.hdr" --no-sun >/dev/null

# The models: glTF-Binary first, then glTF.
names=()
files=()
for dir in "$samples"/*/; do
  name=$(basename "$dir")
  if [ -n "${MODELS:-}" ] && [[ " $MODELS " != *" $name "* ]]; then continue; fi
  f=$(ls "$dir"glTF-Binary/*.glb 2>/dev/null | head -1 || true)
  [ -n "$f" ] || f=$(ls "$dir"glTF/*.gltf 2>/dev/null | head -1 || true)
  [ -n "$f" ] || continue
  names+=("$name")
  files+=("$f")
done
[ ${#names[@]} -gt 0 ] || { echo "fidelity: no models in $samples" >&2; exit 2; }

# Reference images, one browser for the batch; model-viewer's default framing
# (orbit 0deg 75deg 105%, auto target, 30 degrees).
{
  echo '['
  for i in "${!names[@]}"; do
    [ "$i" -gt 0 ] && echo ','
    printf '{"model":"%s","out":"%s"}' "${files[$i]}" "$work/ref/${names[$i]}.png"
  done
  echo ']'
} >"$work/batch.json"
echo "fidelity: model-viewer reference for ${#names[@]} models at ${size}²" >&2
node "$refrender/render.mjs" --batch "$work/batch.json" --size "$size" --orbit "0deg 75deg 105%" \
  --fov auto --env "$work/env.hdr" --exposure 1 --tonemap neutral --transparent \
  >"$work/ref.jsonl" || echo "fidelity: some reference images failed (see $work/ref.jsonl)" >&2

# The camera model-viewer used, per image, as renderq flags:
# yaw = theta, pitch = 90 - phi, distance = radius, target, vertical FoV.
camera_flags() {
  node -e '
    const fs = require("fs");
    for (const line of fs.readFileSync(process.argv[1], "utf8").split("\n")) {
      if (!line.startsWith("{")) continue;
      const j = JSON.parse(line);
      if (j.event !== "image" || j.out !== process.argv[2] || !j.ok) continue;
      const c = j.camera;
      console.log(["--yaw", c.theta_deg, "--pitch", 90 - c.phi_deg, "--distance", c.radius_m,
                   "--target", c.target.join(","), "--fov", c.vfov_deg].join(" "));
    }' "$work/ref.jsonl" "$1"
}

metric() {
  node "$refrender/metric.mjs" "$1" "$2" 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const j=JSON.parse(s);console.log(j.db===null?"-inf":j.db.toFixed(1))}catch(e){console.log("n/a")}})'
}

render_one() {  # binary out model flags...
  local bin=$1 out=$2 model=$3
  shift 3
  "$bin" render -q "$model" -o "$out" --size "${size}x${size}" --env "$work/env.hdr" \
    --tonemap pbr-neutral --exposure 0 "$@" >/dev/null 2>"$out.err"
}

if [ -n "$base" ]; then printf '%-32s %10s %10s %8s\n' model "base dB" "new dB" change
else printf '%-32s %10s\n' model "dB"; fi
sum_new=0 sum_base=0 n=0
for i in "${!names[@]}"; do
  name=${names[$i]}
  ref=$work/ref/$name.png
  if [ ! -s "$ref" ]; then printf '%-32s %10s\n' "$name" "no-ref"; continue; fi
  read -r -a flags <<<"$(camera_flags "$ref")"
  d_new=failed d_base=failed
  render_one "$new" "$work/new/$name.png" "${files[$i]}" "${flags[@]}" && d_new=$(metric "$ref" "$work/new/$name.png")
  if [ -n "$base" ]; then
    render_one "$base" "$work/base/$name.png" "${files[$i]}" "${flags[@]}" && d_base=$(metric "$ref" "$work/base/$name.png")
    change=$(awk -v a="$d_base" -v b="$d_new" 'BEGIN { if (a+0 == a && b+0 == b) printf "%+.1f", b - a; else print "" }')
    printf '%-32s %10s %10s %8s\n' "$name" "$d_base" "$d_new" "$change"
  else
    printf '%-32s %10s\n' "$name" "$d_new"
  fi
  if [[ $d_new =~ ^-?[0-9.]+$ ]] && { [ -z "$base" ] || [[ $d_base =~ ^-?[0-9.]+$ ]]; }; then
    sum_new=$(awk -v s="$sum_new" -v d="$d_new" 'BEGIN { print s + d }')
    [ -n "$base" ] && sum_base=$(awk -v s="$sum_base" -v d="$d_base" 'BEGIN { print s + d }')
    n=$((n + 1))
  fi
done
if [ "$n" -gt 0 ]; then
  if [ -n "$base" ]; then
    awk -v b="$sum_base" -v s="$sum_new" -v n="$n" \
      'BEGIN { printf "%-32s %10.1f %10.1f %+8.1f\n", "mean (" n " models)", b / n, s / n, (s - b) / n }'
  else
    awk -v s="$sum_new" -v n="$n" 'BEGIN { printf "%-32s %10.1f\n", "mean (" n " models)", s / n }'
  fi
fi
