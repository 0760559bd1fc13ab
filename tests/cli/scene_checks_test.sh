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
[ "$(job_count)" -eq 4 ] || fail "refused submits stored jobs: $(job_count) jobs, want 4"
finish
