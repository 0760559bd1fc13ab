#!/usr/bin/env bash
# list fits the terminal: a long name or output path is cut with "…" at 80
# and 200 columns (COLUMNS), never without a width (a pipe) or with --wide;
# --format prints one line per job from a template (unknown fields exit 2);
# --name filters by glob; CREATED is relative; status times carry an offset;
# --watch redraws.
source "$(dirname "$0")/lib.sh"

long=$(printf 'n%.0s' $(seq 101))
deep=$out/$(printf 'd%.0s' $(seq 60))/$(printf 'e%.0s' $(seq 60))
mkdir -p "$deep"
a=$(submit --name "$long" 2>/dev/null)
b=$("$RENDERQ" submit "$BOX" -o "$deep/frame.png" --name short-one 2>/dev/null)
c=$(submit --name render-beta 2>/dev/null)

for cols in 80 200; do
  COLUMNS=$cols expect 0 "list at $cols columns" "$RENDERQ" list
  widest=$(python3 -c 'import sys; print(max(len(l) for l in sys.stdin.read().splitlines()))' <<<"$stdout")
  [ "$widest" -le "$cols" ] || fail "list at $cols columns has a $widest-column line:
$stdout"
  grep -q "nnnn…" <<<"$stdout" || fail "the long name should be cut with …: $stdout"
  grep -q "frame.png" <<<"$stdout" || fail "a cut output keeps its file name: $stdout"
done
expect 0 "list in a pipe cuts nothing" "$RENDERQ" list
grep -q "$long" <<<"$stdout" || fail "without a width the name is whole"
COLUMNS=80 expect 0 "list --wide cuts nothing" "$RENDERQ" list --wide
grep -q "$deep/frame.png" <<<"$stdout" || fail "--wide keeps whole outputs"
grep -Eq "^$c +queued +0 +- +[0-9]+s ago +render-beta" <<<"$stdout" || fail "CREATED should be relative: $stdout"

expect 0 "list --format" "$RENDERQ" list --format '{id}\t{state}\t{name}'
[ "$(head -1 <<<"$stdout")" = "$c	queued	render-beta" ] || fail "--format line: $(head -1 <<<"$stdout")"
[ "$(wc -l <<<"$stdout")" = 3 ] || fail "--format prints one line per job and no header: $stdout"
expect 2 "list --format with an unknown field" "$RENDERQ" list --format '{id} {colour}'
expect_diag "colour"
expect 2 "list --format with an open brace" "$RENDERQ" list --format '{id'
expect 2 "list --format with --json" "$RENDERQ" list --format '{id}' --json

expect 0 "list --name glob" "$RENDERQ" list --name 'render-*' --format '{id}'
[ "$stdout" = "$c" ] || fail "--name render-* should list $c only: $stdout"
expect 0 "list --name with a state" "$RENDERQ" list --name 'short*' --state queued --format '{id}'
[ "$stdout" = "$b" ] || fail "--name with --state: $stdout"
expect 0 "list --name with no match" "$RENDERQ" list --name 'zzz*' --format '{id}'
[ -z "$stdout" ] || fail "no match lists nothing: $stdout"

expect 0 "status times carry their offset" "$RENDERQ" status "$a"
grep -Eq '^created: +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$' <<<"$stdout" ||
  fail "created should be ISO 8601 with an offset: $stdout"
TZ=UTC expect 0 "status in UTC" "$RENDERQ" status "$a"
grep -Eq '^created: +.*T.*\+00:00$' <<<"$stdout" || fail "UTC offset +00:00: $stdout"

set +e
timeout 2.5 "$RENDERQ" list --watch 1 --format '{id}' >"$work/watch" 2>/dev/null
set -e
[ "$(grep -cx "$c" "$work/watch")" -ge 2 ] || fail "--watch 1 should redraw within 2.5 s: $(cat "$work/watch")"
finish
