#!/usr/bin/env bash
# submit: prints only the id; stores absolute paths and every option; --json
# prints one object; --after links jobs; an unknown dependency is refused.
source "$(dirname "$0")/lib.sh"

expect 0 "submit prints an id" submit
[[ "$stdout" =~ ^[0-9]+$ ]] || fail "submit printed '$stdout', want only an id"
# The first submit makes the spool and says so; with no daemon it says that nothing will run the job.
grep -q "created a new spool at $RENDERQ_SPOOL" <<<"$stderr" || fail "submit should say it created the spool: $stderr"
grep -q "no daemon serves" <<<"$stderr" || fail "submit should say no daemon serves the spool: $stderr"
first=$stdout
expect 0 "a second submit creates nothing" submit
grep -q "created a new spool" <<<"$stderr" && fail "only the first submit creates the spool: $stderr"
[ "$(stat -c %a "$RENDERQ_SPOOL")" = 700 ] || fail "spool folder mode is $(stat -c %a "$RENDERQ_SPOOL"), want 700"

# Relative paths are stored absolute, resolved against the caller's folder.
rel_scene=$(realpath --relative-to="$out" "$BOX_GLTF")
cd "$out"
expect 0 "submit with relative paths and every job option" \
  "$RENDERQ" submit "$rel_scene" -o ./sub/../rel.png --size 320x200 --samples 8 \
  --priority 5 --after "$first" --timeout 90s --retries 2 --name "the box"
cd - >/dev/null
second=$stdout
[ "$second" -gt "$first" ] || fail "ids should increase: $first then $second"
expect 0 "status --json of the second job" "$RENDERQ" status "$second" --json
[ "$(json 'j["spec"]["scene"]')" = "$BOX_GLTF" ] || fail "scene stored as $(json 'j["spec"]["scene"]')"
[ "$(json 'j["spec"]["output"]')" = "$out/rel.png" ] || fail "output stored as $(json 'j["spec"]["output"]')"
[ "$(json '(j["spec"]["width"], j["spec"]["height"], j["spec"]["samples"])')" = "(320, 200, 8)" ] ||
  fail "size/samples not stored"
[ "$(json '(j["priority"], j["max_attempts"], j["timeout_ms"], j["after"], j["name"], j["state"])')" = \
  "(5, 3, 90000, [$first], 'the box', 'queued')" ] || fail "job options not stored: $stdout"

expect 0 "submit --json prints one object" submit --json --name json
[ "$(json 'j["state"], j["name"], type(j["id"]).__name__')" = "('queued', 'json', 'int')" ] ||
  fail "submit --json printed: $stdout"
[ "$(wc -l <<<"$stdout")" -eq 1 ] || fail "submit --json should print one line"

expect 3 "--after an unknown job" submit --after 999999
expect_diag 999999
expect_stdout_empty

# A job whose dependency was already canceled is stored failed at once, and
# submit says so on stderr while still printing the id.
expect 0 "a job to cancel" submit
dep=$stdout
"$RENDERQ" cancel "$dep" >/dev/null
expect 0 "--after a canceled job is stored" submit --after "$dep"
[[ "$stdout" =~ ^[0-9]+$ ]] || fail "submit printed '$stdout'"
orphan=$stdout
expect_diag "failed"
expect 0 "status of the orphan" "$RENDERQ" status "$orphan" --json
[ "$(json 'j["state"], j["error_code"]')" = "('failed', 'dependency_failed')" ] ||
  fail "orphan should fail with dependency_failed: $stdout"

# --spool beats $RENDERQ_SPOOL.
expect 0 "--spool chooses the spool" "$RENDERQ" --spool "$work/other" submit "$BOX" -o "$out/o.png"
[ "$stdout" = 1 ] || fail "a fresh spool should start at id 1, got $stdout"
[ -f "$work/other/queue.db" ] || fail "--spool did not create $work/other/queue.db"
finish
