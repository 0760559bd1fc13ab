#!/usr/bin/env bash
# A second `renderq serve` on a port already in use exits 1 at once with a
# message saying so (the library's SO_REUSEPORT once let both listen and
# split the requests between them). The first keeps serving.
# usage: port_in_use_test.sh RENDERQ
set -euo pipefail
RENDERQ=$1
. "$(dirname "$0")/serve_lib.sh"

start_server
port=${base##*:}
set +e
RENDERQ_SPOOL=$tmp/spool2 timeout 10 "$RENDERQ" serve --listen "127.0.0.1:$port" >"$tmp/second.out" 2>"$tmp/second.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || die "the second server exited $rc, want 1 ($(cat "$tmp/second.err"))"
grep -q "in use" "$tmp/second.err" || die "no 'in use' in: $(cat "$tmp/second.err")"
[ ! -s "$tmp/second.out" ] || die "the second server printed a URL: $(cat "$tmp/second.out")"
for i in 1 2 3 4 5 6; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")
  [ "$code" = 200 ] || die "request $i to the first server answered $code"
done
echo "ok: second server refused, the first keeps serving"
