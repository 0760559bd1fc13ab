#!/usr/bin/env bash
# submit refuses bad input before storing anything: exit 2 and a diagnostic
# naming the problem; the spool is not created by a refused submit, and an
# existing one keeps exactly the jobs it had.
source "$(dirname "$0")/lib.sh"

expect 2 "missing scene" "$RENDERQ" submit "$work/nope.glb" -o "$out/a.png"
expect_diag "$work/nope.glb"
expect_stdout_empty
[ ! -e "$RENDERQ_SPOOL" ] || fail "a refused submit created the spool"

expect 0 "one good job" submit
[ "$(job_count)" = 1 ] || fail "want 1 job"

printf 'hello, not a model\n' >"$work/text.glb"
expect 2 "a text file is not glTF" "$RENDERQ" submit "$work/text.glb" -o "$out/a.png"
expect_diag "$work/text.glb"
: >"$work/empty.gltf"
expect 2 "an empty file is not glTF" "$RENDERQ" submit "$work/empty.gltf" -o "$out/a.png"
printf '\x89PNG\r\n\x1a\n0000000000000000' >"$work/image.glb"
expect 2 "a PNG is not glTF" "$RENDERQ" submit "$work/image.glb" -o "$out/a.png"
expect 2 "a folder is not a scene" "$RENDERQ" submit "$work" -o "$out/a.png"

expect 2 "output folder does not exist" "$RENDERQ" submit "$BOX" -o "$work/no/such/folder/a.png"
expect_diag "$work/no/such/folder"
expect 2 "output is a folder" "$RENDERQ" submit "$BOX" -o "$out"
: >"$work/plainfile"
expect 2 "output folder is a file" "$RENDERQ" submit "$BOX" -o "$work/plainfile/a.png"

# An output folder that exists but cannot be written. As an ordinary user a
# mode 0500 folder is enough; root writes there anyway, so for root the
# folder is made truly read-only with a read-only bind mount in a private
# mount namespace (unshare -m), which the kernel enforces for root too.
ro=$work/readonly
mkdir -p "$ro"
if [ "$(id -u)" -ne 0 ]; then
  chmod 0500 "$ro"
  expect 2 "output folder not writable (mode 0500)" "$RENDERQ" submit "$BOX" -o "$ro/a.png"
  expect_diag "$ro"
  chmod 0700 "$ro"
elif unshare -m true 2>/dev/null; then
  expect 2 "output folder on a read-only mount" unshare -m bash -c '
    mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" || exit 99
    shift; exec "$@"' _ "$ro" "$RENDERQ" submit "$BOX" -o "$ro/a.png"
  expect_diag "$ro"
else
  echo "skip: running as root without mount namespaces: no honest read-only folder"
fi

expect 2 "size 0x0" submit --size 0x0
expect_diag "0x0"
expect 2 "size 100000x100000" submit --size 100000x100000
expect_diag "100000x100000"
expect 2 "size without x" submit --size 640
expect 2 "size with garbage" submit --size 64x64x64
expect 2 "samples 3" submit --samples 3
expect 2 "samples 0" submit --samples 0
expect 2 "frames 0" submit --frames 0
expect 2 "frames with neither --turntable nor --animate" submit --frames 3
expect_diag "animate"
expect 2 "--fps 0" submit --fps 0
expect_diag "--fps 0 is out of range"
expect 2 "--fps 0.5e3" submit --fps 0.5e3 --animate --frames 2
expect_diag "--fps 500 is out of range"
expect 2 "--time with --animate" submit --animate --time 1
expect 2 "non-numeric --time" submit --time noon
expect 2 "bad --timeout" submit --timeout 5parsecs
expect_diag "5parsecs"
expect 2 "negative --timeout" submit --timeout -3s
expect 2 "zero --timeout" submit --timeout 0
expect 2 "negative --retries" submit --retries -1
expect 2 "--name with a newline" submit --name "$(printf 'a\nb')"
expect 2 "bad --background" submit --background '#12345'
expect 2 "missing -o" "$RENDERQ" submit "$BOX"
expect 2 "missing scene argument" "$RENDERQ" submit -o "$out/a.png"
expect 2 "unknown option" submit --shiny
expect_diag "shiny"
expect 2 "non-numeric --priority" submit --priority high
expect 2 "--priority beyond 1000" submit --priority 99999
expect_diag "priority 99999 is out of range (-1000 to 1000)"
expect 2 "non-numeric --after" submit --after seven
expect_diag "--after: 'seven' is not a valid job id"
# CLI11's own wording never reaches the user; a typo gets a suggestion.
expect 2 "a mistyped option" submit --sise 512x512
expect_diag "unknown option '--sise' for \`renderq submit\` (did you mean --size?)"
grep -q "The following" <<<"$stderr" && fail "CLI11's wording leaked: $stderr"
expect 2 "an extra argument" submit "$BOX"
expect_diag "unexpected argument"
expect 2 "retry with no id" "$RENDERQ" retry
expect_diag "needs ID"
# --after takes several ids separated by commas (an unknown one is exit 3, nothing stored).
expect 3 "--after with comma-separated unknown ids" submit --after 424242,424243

# render: a scene that fails to load prints its error alone, no device banner before it.
expect 1 "render of a broken scene" "$RENDERQ" render "$SRC/tests/data/bad/index_out_of_range.gltf" -o "$out/bad.png" --size 32x32
[ "$(wc -l <<<"$stderr")" = 1 ] || fail "render's error should be the only line on stderr: $stderr"
expect_diag "index 7 is not below the vertex count"

[ "$(job_count)" = 1 ] || fail "refused submits must store nothing: $(job_count) jobs"
# One byte-size grammar: serve's --max-upload takes what the daemon's sizes take (1.5G),
# and refuses what they refuse.
timeout 3 "$RENDERQ" serve --listen 127.0.0.1:0 --max-upload 1.5G >/dev/null 2>"$work/serve.err" && true
rc=$?
[ "$rc" = 124 ] || fail "serve --max-upload 1.5G should start (exit $rc: $(cat "$work/serve.err"))"
expect 2 "serve --max-upload 1.5X" "$RENDERQ" serve --listen 127.0.0.1:0 --max-upload 1.5X
expect_diag "--max-upload"
finish
