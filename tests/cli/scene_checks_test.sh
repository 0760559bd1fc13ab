#!/usr/bin/env bash
# submit refuses at once what the daemon would fail on later (core/
# scene_probe): a camera or scene the file does not have, a .gltf whose
# .bin or image is missing, a truncated .glb, JSON that does not parse.
# Exit 2 naming the problem, nothing stored; good files still pass.
source "$(dirname "$0")/lib.sh"
cameras=$(realpath "$SAMPLES/Cameras/glTF/Cameras.gltf")
scenes=$(realpath "$SAMPLES/MultipleScenes/glTF/MultipleScenes.gltf")

refused() {
  local what=$1 text=$2
  shift 2
  expect 2 "$what" "$RENDERQ" submit "$@" -o "$out/x.png"
  expect_diag "$text"
  expect_stdout_empty
}
refused "a camera the file does not have" "no camera 'nope'" "$BOX" --camera nope
refused "a camera index out of range" "no camera '2'" "$cameras" --camera 2
refused "a scene index out of range" "--scene 5 does not exist" "$BOX" --scene 5
expect 0 "a camera by index" "$RENDERQ" submit "$cameras" --camera 1 -o "$out/c.png"
expect 0 "the second scene of a two-scene file" "$RENDERQ" submit "$scenes" --scene 1 -o "$out/s.png"

# A .gltf whose .bin is missing, or shorter than it says.
mkdir -p "$work/nobin"
cp "$BOX_GLTF" "$work/nobin/Box.gltf"
refused "a .gltf whose .bin is missing" "Box0.bin" "$work/nobin/Box.gltf"
head -c 100 "$(dirname "$BOX_GLTF")/Box0.bin" >"$work/nobin/Box0.bin"
refused "a .bin shorter than its byteLength" "has 100 bytes" "$work/nobin/Box.gltf"
cp "$(dirname "$BOX_GLTF")/Box0.bin" "$work/nobin/Box0.bin"
expect 0 "the same .gltf with its .bin" "$RENDERQ" submit "$work/nobin/Box.gltf" -o "$out/b.png"
mv "$work/nobin/Box0.bin" "$work/nobin/Box 0.bin"
sed -i 's/"Box0.bin"/"Box%200.bin"/' "$work/nobin/Box.gltf"
expect 0 "a percent-escaped uri" "$RENDERQ" submit "$work/nobin/Box.gltf" -o "$out/b2.png"

# A truncated .glb, at several lengths, and a .gltf that is not JSON.
size=$(stat -c %s "$BOX")
for n in 19 100 $((size / 2)) $((size - 1)); do
  head -c "$n" "$BOX" >"$work/cut.glb"
  refused "a .glb cut to $n of $size bytes" ".glb" "$work/cut.glb"
done
printf '{"asset": {"version": "2.0"}, "scenes": [' >"$work/broken.gltf"
refused "a .gltf whose JSON does not parse" "does not parse" "$work/broken.gltf"
printf '{"asset": {"version": "1.0"}}' >"$work/old.gltf"
refused "glTF 1.0" "glTF 2.0" "$work/old.gltf"

# The batch path checks the same.
printf '{"spec": {"scene": "%s", "output": "%s", "camera": "nope"}}\n' "$BOX" "$out/x.png" >"$work/b.jsonl"
expect 2 "a batch line with a camera the file lacks" "$RENDERQ" submit --batch "$work/b.jsonl"
expect_diag "b.jsonl:1: no camera 'nope'"
# A .gltf over the probe's 16 MiB read is still checked (it once skipped
# every check): its JSON is parsed as it is read.
mkdir -p "$work/big"
python3 - "$BOX_GLTF" "$work/big/big.gltf" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
g['extras'] = {'p': 'x' * (17 << 20)}
open(sys.argv[2], 'w').write(json.dumps(g))
PY
refused "a 17 MiB .gltf whose .bin is missing" "Box0.bin" "$work/big/big.gltf"
cp "$(dirname "$BOX_GLTF")/Box0.bin" "$work/big/"
refused "a 17 MiB .gltf with --scene 7" "--scene 7 does not exist" "$work/big/big.gltf" --scene 7
refused "a 17 MiB .gltf with --camera nope" "no camera 'nope'" "$work/big/big.gltf" --camera nope
head -c $((17 << 20)) "$work/big/big.gltf" >"$work/big/cut.gltf"
refused "a 17 MiB .gltf whose JSON does not parse" "does not parse" "$work/big/cut.gltf"

# What render refuses, submit refuses: a turntable with a file camera, an
# environment that is not a Radiance .hdr.
refused "--turntable with --camera" "drop --camera" "$cameras" --camera 0 --turntable --frames 3
refused "a .glb as --env" "Radiance" "$BOX" --env "$BOX"
printf '#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 1\n\x80\x80\x80\x81' >"$work/tiny.hdr"
expect 0 "a Radiance .hdr as --env" "$RENDERQ" submit "$BOX" --env "$work/tiny.hdr" -o "$out/e.png"

# Every string stored in the job must be valid UTF-8 (one bad byte once made
# `list --json` fail for the whole spool): exit 2 naming the field.
latin1=$(printf 'caf\xe9')
refused "a name that is not UTF-8" "--name" "$BOX" --name "x$(printf '\xff')"
refused "a label value that is not UTF-8" "label 'k'" "$BOX" --label "k=$(printf '\xff')"
cp "$BOX" "$work/$latin1.glb"
refused "a scene path that is not UTF-8" "scene path" "$work/$latin1.glb"
expect 2 "an output path that is not UTF-8" "$RENDERQ" submit "$BOX" -o "$out/$latin1.png"
expect_diag "output path"
refused "a camera that is not UTF-8" "camera" "$BOX" --camera "$latin1"
expect 2 "a command job's name that is not UTF-8" "$RENDERQ" submit --exec --name "$latin1" -- true
expect_diag "--name"
mkdir "$work/$latin1"
printf '{"spec": {"scene": "%s", "output": "x.png"}}\n' "$BOX" >"$work/$latin1/b.jsonl"
expect 2 "a batch run from a folder whose name is not UTF-8" \
  bash -c 'cd "$1" && exec "$2" submit --batch b.jsonl' _ "$work/$latin1" "$RENDERQ"
expect_diag "output path"
expect 0 "list --json after the refusals" "$RENDERQ" list --json
expect 0 "a UTF-8 name and label are fine" "$RENDERQ" submit "$BOX" -o "$out/u.png" --name "$(printf 'caf\xc3\xa9')" \
  --label "k=$(printf '\xe2\x82\xac')"
expect 0 "list --json shows them" "$RENDERQ" list --json
[ "$(json "j[0]['name'], j[0]['labels']['k']")" = "('café', '€')" ] || fail "name or label changed: $stdout"
[ "$(job_count)" -eq 6 ] || fail "refused submits stored jobs: $(job_count) jobs, want 6"
finish
