#!/usr/bin/env bash
# cancel (queued at once, running by request, finished refused), retry
# (failed/canceled only) and purge (finished jobs older than DUR and their
# spool folders; never queued or running jobs).
source "$(dirname "$0")/lib.sh"
worker() { "$WORKER" "$RENDERQ_SPOOL" "$@"; }
state() { "$RENDERQ" status "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'; }

q=$(submit)
expect 0 "cancel a queued job" "$RENDERQ" cancel "$q"
[ "$stdout" = "$q canceled" ] || fail "cancel printed: $stdout"
[ "$(state "$q")" = canceled ] || fail "job $q should be canceled"
expect 0 "cancel it again" "$RENDERQ" cancel "$q"

r=$(submit)
[ "$(worker claim)" = "$r" ] || fail "the worker should claim $r"
expect 0 "cancel a running job" "$RENDERQ" cancel "$r"
[ "$stdout" = "$r cancel-requested" ] || fail "cancel printed: $stdout"
[ "$(state "$r")" = running ] || fail "a running job stays running until its daemon stops it"
expect 0 "status shows the request" "$RENDERQ" status "$r" --json
[ "$(json 'j["cancel_requested"]')" = True ] || fail "cancel_requested not set"
worker finish "$r" fail
[ "$(state "$r")" = canceled ] || fail "a job ended after a cancel request is canceled, got $(state "$r")"

s=$(submit)
worker run ok >/dev/null
expect 8 "cancel a succeeded job" "$RENDERQ" cancel "$s"
expect_diag "$s"
t=$(submit)
expect 3 "cancel an unknown id among good ones" "$RENDERQ" cancel 555555 "$t"
expect_diag 555555
[ "$stdout" = "$t canceled" ] || fail "the other ids are still canceled: $stdout"

# retry
expect 0 "retry a canceled job" "$RENDERQ" retry "$q"
[ "$stdout" = "$q queued" ] || fail "retry printed: $stdout"
[ "$(state "$q")" = queued ] || fail "retried job should be queued"
expect 8 "retry a queued job" "$RENDERQ" retry "$q"
expect_diag "$q"
expect 8 "retry a succeeded job" "$RENDERQ" retry "$s"
expect_diag "job $s already succeeded"
expect 3 "retry an unknown id" "$RENDERQ" retry 666666
expect_diag 666666
# Several ids, as cancel takes: each is tried; the first problem decides the exit code.
"$RENDERQ" cancel "$q" >/dev/null
expect 3 "retry several ids, one unknown" "$RENDERQ" retry 666666 "$q"
[ "$stdout" = "$q queued" ] || fail "retry of several ids should still queue the good one: $stdout"
[ "$(state "$q")" = queued ] || fail "$q should be queued again"
f=$(submit --priority 10)  # claimed before the retried job q
[ "$(worker run fail)" = "$f" ] || fail "the worker should run $f"
expect 0 "retry a failed job" "$RENDERQ" retry "$f"
expect 0 "status after retry" "$RENDERQ" status "$f" --json
[ "$(json 'j["state"], j["error_code"]')" = "('queued', '')" ] || fail "retry should clear the error: $stdout"

# purge: finished jobs r (canceled), s (succeeded), t (canceled) go; the
# queued q and f stay. Their spool folders go with them.
for id in "$r" "$s" "$q"; do mkdir -p "$RENDERQ_SPOOL/jobs/$id" && echo log >"$RENDERQ_SPOOL/jobs/$id/job.log"; done
expect 0 "purge --older-than 1h keeps recent jobs" "$RENDERQ" purge --older-than 1h
expect_stdout_empty
sleep 0.05
expect 0 "purge --older-than 0" "$RENDERQ" purge --older-than 0
[ "$(sort -n <<<"$stdout" | tr '\n' ' ')" = "$(printf '%s\n' "$r" "$s" "$t" | sort -n | tr '\n' ' ')" ] ||
  fail "purge printed: $stdout"
[ ! -e "$RENDERQ_SPOOL/jobs/$r" ] && [ ! -e "$RENDERQ_SPOOL/jobs/$s" ] || fail "purge left job folders"
[ -e "$RENDERQ_SPOOL/jobs/$q/job.log" ] || fail "purge removed a queued job's folder"
expect 3 "a purged job is gone" "$RENDERQ" status "$s"
expect 0 "list after purge" "$RENDERQ" list --json
[ "$(json 'sorted(x["id"] for x in j)')" = "[$q, $f]" ] || fail "left after purge: $stdout"
expect 2 "purge needs --older-than" "$RENDERQ" purge
expect 2 "purge with a bad duration" "$RENDERQ" purge --older-than forever
expect_diag forever

# A chain a <- b <- c: canceling a fails b and c (dependency_failed); a
# retry of a queues them again with it, so naming them too prints their
# lines and is no conflict. b alone, while a is canceled, is.
a=$(submit --hold)
b=$(submit --after "$a")
c=$(submit --after "$b")
"$RENDERQ" cancel "$a" >/dev/null
[ "$(state "$c")" = failed ] || fail "c should have failed with its dependency: $(state "$c")"
expect 8 "retry a dependent before its dependency" "$RENDERQ" retry "$b"
expect_diag "retry that first"
expect 0 "retry a chain, dependency first" "$RENDERQ" retry "$a" "$b" "$c"
[ "$stdout" = "$(printf '%s queued\n%s queued\n%s queued' "$a" "$b" "$c")" ] || fail "retry of the chain printed: $stdout"
for id in "$a" "$b" "$c"; do [ "$(state "$id")" = queued ] || fail "$id is $(state "$id") after the retry"; done
finish
