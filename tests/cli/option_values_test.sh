#!/usr/bin/env bash
# Option values are read as typed (cli/option_rules): job ids and whole
# numbers are decimal (CLI11 alone read 010 as 8 and 0x10 as 16), and an
# empty value is refused instead of being taken as unset or 0. Each refusal
# is exit 2 naming the text, and touches no job.
source "$(dirname "$0")/lib.sh"

for i in $(seq 1 12); do
  "$RENDERQ" submit --exec -- true >/dev/null 2>&1 || fail "setup submit $i"
done

# A job id with a leading zero is decimal: 010 is job 10, never job 8.
expect 0 "cancel 010" "$RENDERQ" cancel 010
[ "$stdout" = "10 canceled" ] || fail "cancel 010 acted on: $stdout"
expect 0 "status 8 is untouched" "$RENDERQ" status 8 --json
[ "$(json "j['state']")" = queued ] || fail "job 8 changed: $stdout"

for id in 0x9 0b1 +3 ' 3' '3 ' -3 0 3.0 99999999999999999999 seven; do
  expect 2 "hold '$id'" "$RENDERQ" hold "$id"
  expect_diag "'$id' is not a valid job id"
  expect_stdout_empty
done
expect 2 "status with an empty id" "$RENDERQ" status ""
expect_diag "empty job id"
expect 2 "retry 0x9" "$RENDERQ" retry 0x9
expect_diag "'0x9'"
expect 2 "logs 010x" "$RENDERQ" logs 010x
expect 2 "wait 0x1" "$RENDERQ" wait 0x1
expect_diag "'0x1'"

# Priorities: decimal, negative allowed.
expect 2 "priority 0x10 2" "$RENDERQ" priority 0x10 2
expect_diag "'0x10'"
expect 2 "priority 2 0x10" "$RENDERQ" priority 2 0x10
expect 0 "priority -07 11" "$RENDERQ" priority -07 11
[ "$stdout" = "11 priority -7" ] || fail "priority -07: $stdout"
expect 2 "submit --priority 0x10" "$RENDERQ" submit --exec --priority 0x10 -- true
expect_diag "--priority: '0x10'"

# --after: decimal ids, one per flag or comma-separated, no empty piece,
# and it never takes the next word.
expect 0 "--after 010" "$RENDERQ" submit --after 010 --json --exec -- true
[ "$(json "j['after']")" = "[10]" ] || fail "--after 010 stored $(json "j['after']")"
expect 0 "--after 1 --after 2,3" "$RENDERQ" submit --after 1 --after 2,3 --json --exec -- true
[ "$(json "j['after']")" = "[1, 2, 3]" ] || fail "--after stored $(json "j['after']")"
expect 2 "--after 1,,2" "$RENDERQ" submit --after 1,,2 --exec -- true
expect_diag "--after: '1,,2'"
expect 2 "--after , -o" "$RENDERQ" submit --after , -o "$out/a.png" "$BOX"
expect_diag "--after: ','"
expect 2 "--after 0x9" "$RENDERQ" submit --after 0x9 --exec -- true
expect_diag "'0x9'"
expect 0 "--after ID then the scene" "$RENDERQ" submit --after 1 "$BOX" -o "$out/a.png" --size 8x8

# Other whole numbers, in renderq and in renderq-full.
expect 2 "--samples 0x4" submit --samples 0x4
expect_diag "--samples: '0x4'"
expect 2 "--retries ' 1'" submit --retries ' 1'
expect 2 "list --limit 0x2" "$RENDERQ" list --limit 0x2
expect 2 "render --frames 010x" "$RENDERQ" render "$BOX" -o "$out/r.png" --frames 010x
expect_diag "--frames"
expect 2 "daemon --slots 0x2" "$RENDERQ" daemon --slots 0x2
expect_diag "--slots: '0x2'"

# An empty value is refused, whatever the option's type.
for opt in --size --priority --png-level --timeout --not-before --retries --quality --fps --time --exposure --fov \
           --yaw --pitch --distance --target --camera --scene --background --animation --max-scene-memory --samples \
           --frames --tonemap --depth --name --label --env --after --output; do
  expect 2 "submit $opt ''" "$RENDERQ" submit "$BOX" -o "$out/e.png" "$opt" ""
  case $opt in
    --after) expect_diag "empty job id" ;;
    *) expect_diag "$opt: empty value" ;;
  esac
done
expect 2 "submit --exec --cwd ''" "$RENDERQ" submit --exec --cwd "" -- true
expect_diag "--cwd: empty value"
expect 2 "list --format ''" "$RENDERQ" list --format ""
expect_diag "--format: empty value"
expect 2 "wait --timeout ''" "$RENDERQ" wait 1 --timeout ""
expect 2 "--spool ''" "$RENDERQ" --spool "" list
expect_diag "--spool: empty value"
expect 2 "--spool '' config" "$RENDERQ" --spool "" config
expect_diag "--spool: empty value"
expect 2 "render --size ''" "$RENDERQ" render "$BOX" -o "$out/r.png" --size ""
expect_diag "--size: empty value"
# An empty argument of a command job is the command's business.
expect 0 "an empty word after --exec --" "$RENDERQ" submit --json --exec -- printf ""
[ "$(json "j['exec']['argv']")" = "['printf', '']" ] || fail "argv: $(json "j['exec']['argv']")"

[ "$(job_count)" = 16 ] || fail "refused commands must store nothing: $(job_count) jobs"
finish
