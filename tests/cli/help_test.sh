#!/usr/bin/env bash
# --help goes to stdout with exit 0 for renderq and every subcommand; usage
# errors (no subcommand, unknown subcommand, unknown option) exit 2 with a
# diagnostic on stderr and nothing on stdout.
source "$(dirname "$0")/lib.sh"

expect 0 "renderq --help" "$RENDERQ" --help
[ -n "$stdout" ] && [ -z "$stderr" ] || fail "--help should print on stdout only"
commands=$(awk '/^Subcommands:/ {f = 1; next} f && /^  [a-z]/ {print $1}' <<<"$stdout")
[ -n "$commands" ] || fail "no subcommands found in --help"
for c in $commands; do
  expect 0 "renderq $c --help" "$RENDERQ" "$c" --help
  case "$stdout" in *"$c"*) ;; *) fail "$c --help does not name the command" ;; esac
  [ -z "$stderr" ] || fail "$c --help wrote to stderr: $stderr"
done

expect 0 "--version" "$RENDERQ" --version
case "$stdout" in "renderq "[0-9]*) ;; *) fail "--version printed: $stdout" ;; esac

expect 2 "no subcommand is a usage error" "$RENDERQ"
expect_stdout_empty
expect 2 "unknown subcommand" "$RENDERQ" frobnicate
expect_diag "frobnicate"
expect 2 "unknown option" "$RENDERQ" list --frobnicate
expect_diag "frobnicate"
expect_stdout_empty
expect 2 "unknown submit option" "$RENDERQ" submit "$BOX" -o "$out/x.png" --no-such-thing
expect 2 "non-numeric job id" "$RENDERQ" status seven
[ ! -e "$RENDERQ_SPOOL/queue.db" ] || fail "a usage error created the spool"
finish
