#!/usr/bin/env bash
# status and list: text and JSON output, newest-first order, --state and
# --limit filters, unknown ids (exit 3 naming the id).
source "$(dirname "$0")/lib.sh"

expect 0 "list on a spool that does not exist yet" "$RENDERQ" list --json
[ "$stdout" = "[]" ] || fail "want [], got $stdout"

a=$(submit --name alpha)
b=$(submit --name beta --priority 3)
c=$(submit --name gamma --size 64x32)

expect 0 "status text" "$RENDERQ" status "$c"
grep -qx "id: *$c" <<<"$stdout" || fail "status lacks the id line: $stdout"
grep -qx "name: *gamma" <<<"$stdout" || fail "status lacks the name"
grep -qx "state: *queued" <<<"$stdout" || fail "status lacks the state"
grep -qx "size: *64x32" <<<"$stdout" || fail "status lacks the size"
grep -qx "output: *$out/box.png" <<<"$stdout" || fail "status lacks the output"
[ "$stderr" = "renderq: no daemon serves $RENDERQ_SPOOL: 3 queued jobs wait until \`renderq daemon\` starts" ] ||
  fail "status of a queued job with no daemon should say so, and nothing else: $stderr"

expect 0 "status --json" "$RENDERQ" status "$b" --json
[ "$(json 'j["id"], j["name"], j["state"], j["priority"], j["attempts"], j["started_ms"]')" = \
  "($b, 'beta', 'queued', 3, 0, None)" ] || fail "status --json: $stdout"
[ "$(json 'j["created_ms"] > 1.7e12 and j["log"].endswith("/job.log")')" = True ] ||
  fail "status --json times/log: $stdout"

expect 3 "status of an unknown id" "$RENDERQ" status 424242
expect_diag 424242
expect_stdout_empty
expect 3 "status of id 0" "$RENDERQ" status 0

expect 0 "list text" "$RENDERQ" list
[ "$(head -1 <<<"$stdout" | awk '{print $1, $2}')" = "ID STATE" ] || fail "list header: $stdout"
[ "$(awk 'NR > 1 {print $1}' <<<"$stdout" | tr '\n' ' ')" = "$c $b $a " ] ||
  fail "list should be newest first: $stdout"
expect 0 "list --json" "$RENDERQ" list --json
[ "$(json '[x["id"] for x in j]')" = "[$c, $b, $a]" ] || fail "list --json order: $stdout"
expect 0 "list --limit 2" "$RENDERQ" list --limit 2 --json
[ "$(json '[x["id"] for x in j]')" = "[$c, $b]" ] || fail "list --limit: $stdout"

"$RENDERQ" cancel "$b" >/dev/null
expect 0 "list --state canceled" "$RENDERQ" list --state canceled --json
[ "$(json '[x["id"] for x in j]')" = "[$b]" ] || fail "--state canceled: $stdout"
expect 0 "list --state repeated" "$RENDERQ" list --state canceled --state queued --json
[ "$(json '[x["id"] for x in j]')" = "[$c, $b, $a]" ] || fail "--state twice: $stdout"
expect 0 "list --state comma-separated" "$RENDERQ" list --state queued,failed --json
[ "$(json '[x["id"] for x in j]')" = "[$c, $a]" ] || fail "--state a,b: $stdout"
expect 0 "list --state with no match" "$RENDERQ" list --state running
[ "$(wc -l <<<"$stdout")" = 1 ] || fail "an empty list is the header alone: $stdout"
expect 2 "list --state bogus" "$RENDERQ" list --state bogus
expect_diag bogus
expect 2 "list --limit -1" "$RENDERQ" list --limit -1
finish
