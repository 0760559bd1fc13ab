#!/usr/bin/env bash
# The manual covers the binary: every subcommand that `renderq --help` lists
# has man/renderq-<name>.1 and appears in renderq(1)'s SYNOPSIS; renderq(1)
# has the required sections and documents every exit code of
# cli/exit_codes.hpp; every page formats without groff warnings.
source "$(dirname "$0")/lib.sh"
man=$SRC/man

"$RENDERQ" --help >"$work/help"
commands=$(awk '/^Subcommands:/ {f = 1; next} f && /^  [a-z]/ {print $1}' "$work/help")
[ -n "$commands" ] || fail "no subcommands in renderq --help"

# The SYNOPSIS section of renderq(1): from .SH SYNOPSIS to the next .SH.
synopsis=$(awk '/^\.SH /{f = ($2 == "SYNOPSIS")} f' "$man/renderq.1")
for c in $commands; do
  page=$man/renderq-$c.1
  if [ -f "$page" ]; then pass "renderq-$c.1 exists"; else fail "no man page $page for '$c'"; continue; fi
  grep -q "^\.TH RENDERQ-${c^^} 1" "$page" || fail "$page: .TH should be RENDERQ-${c^^} 1"
  for section in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" "SEE ALSO"; do
    grep -q "^\.SH \"\?$section\"\?$" "$page" || fail "$page lacks section $section"
  done
  # Convention: each command's synopsis line in renderq(1) starts
  # ".B renderq NAME", and SEE ALSO lists ".BR renderq-NAME (1)".
  grep -q "^\.B renderq $c\( \|$\)" <<<"$synopsis" ||
    fail "renderq.1 SYNOPSIS lacks a line '.B renderq $c ...'"
  grep -q "^\.BR renderq-$c (1)" "$man/renderq.1" || fail "renderq.1 does not list '.BR renderq-$c (1)'"
done

for section in NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
  grep -q "^\.SH \"\?$section\"\?$" "$man/renderq.1" || fail "renderq.1 lacks section $section"
done

# Every exit code in the enum appears as a tagged paragraph in EXIT STATUS.
exit_status=$(awk '/^\.SH /{f = ($0 ~ /EXIT STATUS/)} f' "$man/renderq.1")
codes=$(sed -n 's/^ *[A-Za-z]* = \([0-9]*\),.*/\1/p' "$SRC/cli/exit_codes.hpp")
[ -n "$codes" ] || fail "no exit codes parsed from cli/exit_codes.hpp"
for n in $codes; do
  grep -q "^\.B $n$" <<<"$exit_status" || fail "EXIT STATUS does not document exit code $n"
done
pass "exit codes: $(echo $codes)"

# Pages format cleanly (groff's own warnings, e.g. a bad macro).
if command -v groff >/dev/null; then
  for page in "$man"/*.1; do
    warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1 || true)
    [ -z "$warnings" ] || fail "$(basename "$page"): $warnings"
  done
fi
finish
