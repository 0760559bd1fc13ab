#!/usr/bin/env bash
# submit --batch: JSON Lines, one job per line (the HTTP job-request form
# with spec.output, and exec jobs); every line checked before anything is
# stored; errors name the line; one id per line, in order; one transaction.
source "$(dirname "$0")/lib.sh"

cd "$out"
rel_scene=$(realpath --relative-to="$out" "$BOX_GLTF")
cat >"$work/jobs.jsonl" <<JSONL
# a comment, then a blank line

{"spec": {"scene": "$BOX", "output": "$out/a.png", "width": 64, "height": 48}, "name": "a", "priority": 3}
{"spec": {"scene": "$rel_scene", "output": "b.png"}, "retries": 2, "timeout": "90s"}
{"exec": {"argv": ["true"], "env": {"MODE": "x"}}, "name": "cmd"}
JSONL
expect 0 "a batch of three jobs" "$RENDERQ" submit --batch "$work/jobs.jsonl"
[ "$(wc -l <<<"$stdout")" -eq 3 ] || fail "want three ids, got: $stdout"
mapfile -t ids <<<"$stdout"
[ "${ids[1]}" -eq $((ids[0] + 1)) ] && [ "${ids[2]}" -eq $((ids[0] + 2)) ] || fail "ids not in line order: ${ids[*]}"
expect 0 "status of the first" "$RENDERQ" status "${ids[0]}" --json
[ "$(json '(j["name"], j["priority"], j["spec"]["width"], j["spec"]["height"], j["spec"]["output"])')" = \
  "('a', 3, 64, 48, '$out/a.png')" ] || fail "first job stored as: $stdout"
expect 0 "status of the second" "$RENDERQ" status "${ids[1]}" --json
[ "$(json '(j["spec"]["scene"], j["spec"]["output"], j["max_attempts"], j["timeout_ms"])')" = \
  "('$BOX_GLTF', '$out/b.png', 3, 90000)" ] || fail "relative paths should be stored absolute: $stdout"
expect 0 "status of the command job" "$RENDERQ" status "${ids[2]}" --json
[ "$(json '(j["kind"], j["exec"]["argv"], j["exec"]["env"]["MODE"], j["exec"]["program"].startswith("/"))')" = \
  "('exec', ['true'], 'x', True)" ] || fail "command job stored as: $stdout"

# Standard input, and --json prints one object per line.
expect 0 "a batch from stdin with --json" bash -c \
  "printf '%s\n' '{\"spec\": {\"scene\": \"$BOX\", \"output\": \"$out/c.png\"}}' '{\"spec\": {\"scene\": \"$BOX\", \"output\": \"$out/d.png\"}}' | '$RENDERQ' submit --batch - --json"
[ "$(wc -l <<<"$stdout")" -eq 2 ] || fail "want two JSON lines: $stdout"
python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <<<"$stdout" || fail "--json lines are not JSON: $stdout"

count=$(job_count)
# Every bad line is refused with its line number, and nothing is stored.
bad() {
  local what=$1 want=$2 text=$3 line=$4
  printf '%s\n' "{\"spec\": {\"scene\": \"$BOX\", \"output\": \"$out/ok.png\"}}" "$line" >"$work/bad.jsonl"
  expect "$want" "$what" "$RENDERQ" submit --batch "$work/bad.jsonl"
  expect_diag "bad.jsonl:2: "
  grep -q -- "$text" <<<"$stderr" || fail "$what: the error should name '$text': $stderr"
  expect_stdout_empty
  [ "$(job_count)" -eq "$count" ] || fail "$what: a bad batch stored jobs"
}
bad "a line that is not JSON" 2 "not a JSON object" '{"spec": '
bad "an unknown field" 2 "unknown field 'colour'" '{"colour": 1}'
bad "a missing output" 2 "spec.output" "{\"spec\": {\"scene\": \"$BOX\"}}"
bad "a priority out of range" 2 "priority" "{\"spec\": {\"scene\": \"$BOX\", \"output\": \"$out/x.png\"}, \"priority\": 5000}"
bad "a missing scene file" 2 "scene not found" "{\"spec\": {\"scene\": \"$out/nope.glb\", \"output\": \"$out/x.png\"}}"
bad "an output extension no encoder writes" 2 ".exr" "{\"spec\": {\"scene\": \"$BOX\", \"output\": \"$out/x.exr\"}}"
bad "a command that does not exist" 2 "no-such-command-xyz" '{"exec": {"argv": ["no-such-command-xyz"]}}'
bad "both spec and exec" 2 "either" "{\"spec\": {\"scene\": \"$BOX\"}, \"exec\": {\"argv\": [\"true\"]}}"
# A dependency that does not exist is found by the store, inside the
# transaction; the whole batch is rolled back and the line is named.
bad "an unknown dependency" 3 "999999" "{\"spec\": {\"scene\": \"$BOX\", \"output\": \"$out/x.png\"}, \"after\": [999999]}"

expect 2 "an empty batch" "$RENDERQ" submit --batch /dev/null
expect_diag "no jobs"
expect 2 "a batch file that does not exist" "$RENDERQ" submit --batch "$work/missing.jsonl"
expect_diag "missing.jsonl"
expect 2 "a batch file that is a folder" "$RENDERQ" submit --batch "$work"
expect_diag "'$work' is a folder"
expect 2 "--batch with a scene" "$RENDERQ" submit --batch "$work/jobs.jsonl" "$BOX"
expect_diag "--batch"
expect 2 "--batch with --priority" "$RENDERQ" submit --batch "$work/jobs.jsonl" --priority 3
expect_diag "--priority"
[ "$(job_count)" -eq "$count" ] || fail "refused batches stored jobs"

# Dependencies on earlier jobs work, and many jobs go in one transaction.
python3 - "$BOX" "$out" "${ids[0]}" >"$work/many.jsonl" <<'PY'
import json, sys
box, out, dep = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(2000):
    print(json.dumps({"spec": {"scene": box, "output": f"{out}/m{i}.png"}, "after": [dep]}))
PY
expect 0 "2000 jobs in one batch" "$RENDERQ" submit --batch "$work/many.jsonl"
[ "$(wc -l <<<"$stdout")" -eq 2000 ] || fail "want 2000 ids"
[ "$(job_count)" -eq $((count + 2000)) ] || fail "want $((count + 2000)) jobs"
finish
