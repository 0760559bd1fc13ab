#!/usr/bin/env bash
# submit refuses, at once and by name, a scene or environment that is not a
# regular file: a FIFO (opening one for reading used to hang submit
# forever), a character device, a folder. Nothing is stored.
source "$(dirname "$0")/lib.sh"

# refused WHAT PATH ARGS...: exit 2 within 1 s, naming PATH.
refused() {
  local what=$1 path=$2
  shift 2
  local start took
  start=$(date +%s%N)
  expect 2 "$what" timeout 10 "$RENDERQ" submit "$@" || true
  took=$((($(date +%s%N) - start) / 1000000))
  [ "$took" -lt 1000 ] || fail "$what: submit took ${took}ms"
  expect_diag "$path"
  expect_stdout_empty
}

mkfifo "$work/scene.glb"
refused "a FIFO as the scene" "$work/scene.glb" "$work/scene.glb" -o "$out/a.png"
ln -s "$work/scene.glb" "$work/link.glb"
refused "a symlink to a FIFO as the scene" "$work/link.glb" "$work/link.glb" -o "$out/a.png"
refused "a character device as the scene" /dev/zero /dev/zero -o "$out/a.png"
refused "a folder as the scene" "$work" "$work" -o "$out/a.png"

mkfifo "$work/env.hdr"
refused "a FIFO as the environment" "$work/env.hdr" "$BOX" -o "$out/a.png" --env "$work/env.hdr"
refused "a character device as the environment" /dev/zero "$BOX" -o "$out/a.png" --env /dev/zero
refused "a folder as the environment" "$work" "$BOX" -o "$out/a.png" --env "$work"
[ ! -e "$RENDERQ_SPOOL" ] || fail "a refused submit created the spool"

expect 0 "a symlink to a real scene is fine" "$RENDERQ" submit "$(ln -s "$BOX" "$work/box-link.glb" && echo "$work/box-link.glb")" -o "$out/a.png"
finish
