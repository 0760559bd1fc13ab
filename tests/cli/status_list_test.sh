#!/usr/bin/env bash
# status and list: text and JSON output, newest-first order, --state and
# --limit filters, unknown ids (exit 3 naming the id); who submitted a job
# (status's user line, list's user field, --user and --mine, a USER column
# only for jobs of more than one submitter).
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
expect 2 "status of id 0 (ids start at 1)" "$RENDERQ" status 0
expect_diag "'0' is not a valid job id"

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

# Who submitted: on a private spool every job is the caller's.
me=$(id -u)
me_name=$(id -un)
expect 0 "status names the submitter" "$RENDERQ" status "$c"
grep -qx "user: *$me_name" <<<"$stdout" || fail "status lacks the user line: $stdout"
expect 0 "list --format {user}" "$RENDERQ" list --format '{id} {user}'
[ "$stdout" = "$c $me_name
$b $me_name
$a $me_name" ] || fail "{user} on a private spool: $stdout"
expect 0 "list of one submitter has no USER column" "$RENDERQ" list
head -1 <<<"$stdout" | grep -q USER && fail "a private spool's table should have no USER column: $stdout"
[ "$(head -1 <<<"$stdout" | tr -s ' ')" = "ID STATE PRIO PROGRESS CREATED NAME OUTPUT" ] || fail "list header: $stdout"

# Jobs of other submitters, written straight into the database as a shared
# spool would hold them: an account of this host, a uid with no account,
# and a row from before submitters were recorded.
if [ "$me" = 65534 ]; then other=1; else other=65534; fi
other_name=$(id -un "$other")
d=$(submit --name delta 2>/dev/null)
e=$(submit --name epsilon 2>/dev/null)
f=$(submit --name zeta 2>/dev/null)
sqlite3 "$RENDERQ_SPOOL/queue.db" "UPDATE jobs SET submitter_uid = $other WHERE id = $d;
  UPDATE jobs SET submitter_uid = 4000000000 WHERE id = $e; UPDATE jobs SET submitter_uid = NULL WHERE id = $f;"
expect 0 "{user} of other submitters" "$RENDERQ" list --format '{id} {user}' --limit 3
[ "$stdout" = "$f -
$e 4000000000
$d $other_name" ] || fail "{user}: a name, else the uid, else -: $stdout"
expect 0 "status of a job with no recorded submitter" "$RENDERQ" status "$f"
grep -qx "user: *-" <<<"$stdout" || fail "status user line of an old row: $stdout"
expect 0 "list of several submitters has a USER column" "$RENDERQ" list
[ "$(head -1 <<<"$stdout" | tr -s ' ')" = "ID STATE PRIO PROGRESS CREATED USER NAME OUTPUT" ] ||
  fail "USER column header: $stdout"
grep -Eq "^$d +queued .* ago +$other_name +delta " <<<"$stdout" || fail "USER column of $d: $stdout"
grep -Eq "^$e +queued .* ago +4000000000 +epsilon " <<<"$stdout" || fail "USER column of $e: $stdout"
grep -Eq "^$f +queued .* ago +- +zeta " <<<"$stdout" || fail "USER column of $f: $stdout"
grep -Eq "^$c +queued .* ago +$me_name +gamma " <<<"$stdout" || fail "USER column of $c: $stdout"
COLUMNS=80 expect 0 "a USER column at 80 columns" "$RENDERQ" list
widest=$(python3 -c 'import sys; print(max(len(l) for l in sys.stdin.read().splitlines()))' <<<"$stdout")
[ "$widest" -le 80 ] || fail "list with USER at 80 columns has a $widest-column line: $stdout"

expect 0 "list --mine" "$RENDERQ" list --mine --format '{id}'
[ "$(tr '\n' ' ' <<<"$stdout")" = "$c $b $a " ] || fail "--mine: $stdout"
expect 0 "list --mine of one submitter has no USER column" "$RENDERQ" list --mine
head -1 <<<"$stdout" | grep -q USER && fail "--mine lists one submitter: no USER column: $stdout"
expect 0 "list --user NAME" "$RENDERQ" list --user "$other_name" --format '{id}'
[ "$stdout" = "$d" ] || fail "--user $other_name: $stdout"
expect 0 "list --user UID,UID" "$RENDERQ" list --user "4000000000,$other" --format '{id}'
[ "$(tr '\n' ' ' <<<"$stdout")" = "$e $d " ] || fail "--user a,b: $stdout"
expect 0 "list --user with --mine and --state" "$RENDERQ" list --user 4000000000 --mine --state queued --json
[ "$(json '[x["id"] for x in j]')" = "[$e, $c, $a]" ] || fail "--user with --mine and --state: $stdout"
expect 0 "list --user of a uid with no jobs" "$RENDERQ" list --user 4000000001 --format '{id}'
expect_stdout_empty
expect 2 "list --user of an unknown name" "$RENDERQ" list --user no-such-renderq-user
expect_diag no-such-renderq-user
expect_stdout_empty
expect 2 "list --user empty" "$RENDERQ" list --user ''

# A row whose name holds bytes that are not UTF-8 (stored before renderq
# checked them) does not break JSON output for the whole spool.
bad=$(submit --name to-be-damaged)
sqlite3 "$RENDERQ_SPOOL/queue.db" "UPDATE jobs SET name = CAST(X'78FF' AS TEXT) WHERE id = $bad;"
expect 0 "list --json beside a name that is not UTF-8" "$RENDERQ" list --json
[ "$(json "[x['name'] for x in j if x['id'] == $bad][0]")" = "x$(printf '\xef\xbf\xbd')" ] || fail "the damaged name: $stdout"
expect 0 "status --json of that job" "$RENDERQ" status "$bad" --json
finish
