#!/usr/bin/env bash
# End to end over HTTP: upload a .glb -> 202 with Location -> poll until
# succeeded -> the output PNG is byte-identical to what `renderq render`
# makes with the same options, apart from the tEXt chunk holding each job's
# spec (its paths differ). Also a sequence (?frame=N) and a job named by
# path. Needs `renderq daemon` and `renderq render` (llvmpipe is enough).
# With RENDERQ_SERVE_TEST_STORE=postgres the same runs on a private
# PostgreSQL server (tests/pg/pg_lib.sh), serve with --shared-dir, the
# daemon on the database: uploads and outputs in the shared folder, the log
# from the database.
# usage: e2e_test.sh RENDERQ SAMPLES_DIR
set -euo pipefail
RENDERQ=$1
samples=$2
. "$(dirname "$0")/serve_lib.sh"

# same_png A B: the two PNGs are byte-identical once tEXt chunks are dropped.
same_png() {
  python3 - "$1" "$2" <<'PY'
import struct, sys
def chunks(path):
    b = open(path, 'rb').read()
    assert b[:8] == b'\x89PNG\r\n\x1a\n', path
    out, at = [], 8
    while at < len(b):
        n = struct.unpack('>I', b[at:at + 4])[0]
        if b[at + 4:at + 8] != b'tEXt':
            out.append(b[at:at + 12 + n])
        at += 12 + n
    return out
sys.exit(0 if chunks(sys.argv[1]) == chunks(sys.argv[2]) else 1)
PY
}

cp "$samples/BoxVertexColors/glTF-Binary/BoxVertexColors.glb" "$tmp/root/scene.glb"
serve_opts=()
if [ "${RENDERQ_SERVE_TEST_STORE:-}" = postgres ]; then
  SRC=$(cd "$(dirname "$0")/../.." && pwd)
  . "$SRC/tests/pg/pg_lib.sh"
  pg_start
  export RENDERQ_STORE=$PG_URL
  unset RENDERQ_SPOOL
  code=0
  timeout 30 "$RENDERQ" serve --listen 127.0.0.1:0 >/dev/null 2>"$tmp/noshared.err" || code=$?
  [ "$code" = 2 ] && grep -q -- "--shared-dir" "$tmp/noshared.err" ||
    die "serve on PostgreSQL without --shared-dir: exit $code, $(cat "$tmp/noshared.err")"
  mkdir -p "$tmp/shared"
  serve_opts=(--shared-dir "$tmp/shared")
else
  code=0
  timeout 30 "$RENDERQ" serve --listen 127.0.0.1:0 --shared-dir "$tmp" >/dev/null 2>"$tmp/spoolshared.err" || code=$?
  [ "$code" = 2 ] && grep -q "PostgreSQL" "$tmp/spoolshared.err" ||
    die "serve on a spool with --shared-dir: exit $code, $(cat "$tmp/spoolshared.err")"
fi
start_server "${serve_opts[@]}"
start_daemon

# 1. Upload with options in the job request.
job='{"spec":{"width":160,"height":120,"samples":4,"background":"#204060","orbit":{"yaw":35,"pitch":20}},"name":"e2e"}'
enc=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$job")
curl -s -D "$tmp/headers" -o "$tmp/submit.json" -w '%{http_code}' --data-binary @"$tmp/root/scene.glb" \
  -H 'Content-Type: model/gltf-binary' "$base/v1/jobs?job=$enc" >"$tmp/code"
[ "$(cat "$tmp/code")" = 202 ] || die "upload answered $(cat "$tmp/code"): $(cat "$tmp/submit.json")"
loc=$(sed -n 's/^[Ll]ocation: //p' "$tmp/headers" | tr -d '\r')
id=$(json_field '["id"]' <"$tmp/submit.json")
[ "$loc" = "/v1/jobs/$id" ] || die "Location '$loc' is not /v1/jobs/$id"
wait_state "$id" succeeded
curl -sf -o "$tmp/http.png" "$base$loc/output" || die "output download failed"
"$RENDERQ" render "$tmp/root/scene.glb" -o "$tmp/cli.png" --size 160x120 --samples 4 --background '#204060' \
  --yaw 35 --pitch 20 2>"$tmp/render.err" || die "renderq render failed"
same_png "$tmp/http.png" "$tmp/cli.png" || die "HTTP output differs from renderq render's"
[ "$(curl -s "$base$loc/log" | wc -c)" -gt 0 ] || die "job log is empty"
[ "$(curl -s "$base/v1/queue" | json_field '["served"]')" = True ] ||
  die "GET /v1/queue does not say a daemon serves the queue: $(curl -s "$base/v1/queue")"
if [ "${#serve_opts[@]}" -gt 0 ]; then
  [ -f "$tmp/shared/jobs/$id/output.png" ] && [ -f "$tmp/shared/jobs/$id/scene.glb" ] ||
    die "the upload and its output are not in the shared folder: $(ls -R "$tmp/shared")"
  "$RENDERQ" status "$id" | grep -q "^log: .*job_log" || die "status does not name the database's log"
fi

# 2. A sequence by path under the root, multipart-free: frame 1 of 2.
curl -s -o "$tmp/seq.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"spec\":{\"scene\":\"$tmp/root/scene.glb\",\"width\":64,\"height\":64,\"frames\":2,\"turntable\":true}}" \
  "$base/v1/jobs" >"$tmp/code"
[ "$(cat "$tmp/code")" = 202 ] || die "path submit answered $(cat "$tmp/code"): $(cat "$tmp/seq.json")"
sid=$(json_field '["id"]' <"$tmp/seq.json")
wait_state "$sid" succeeded
curl -sf -o "$tmp/f1.png" "$base/v1/jobs/$sid/output?frame=1" || die "frame 1 download failed"
"$RENDERQ" render "$tmp/root/scene.glb" -o "$tmp/seq_%04d.png" --size 64x64 --frames 2 --turntable \
  2>"$tmp/render2.err" || die "renderq render of the sequence failed"
same_png "$tmp/f1.png" "$tmp/seq_0001.png" || die "HTTP frame 1 differs from renderq render's"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/jobs/$sid/output?frame=2")
[ "$code" = 404 ] || die "frame 2 of 2 answered $code, not 404"

# 3. (PostgreSQL) A server restart: the pooled connections it ended are
# opened again before use, so no request fails.
if [ "${#serve_opts[@]}" -gt 0 ]; then
  pg_restart || die "PostgreSQL did not restart"
  for i in 1 2 3 4; do
    code=$(curl -s -o "$tmp/after.json" -w '%{http_code}' "$base/v1/jobs")
    [ "$code" = 200 ] || die "GET /v1/jobs after a PostgreSQL restart answered $code: $(cat "$tmp/after.json")"
  done
  # While the server is down: 503 store_unavailable with Retry-After, then
  # served again once it is back.
  pg_down
  code=$(curl -s -D "$tmp/down.h" -o "$tmp/down.json" -w '%{http_code}' "$base/v1/jobs")
  [ "$code" = 503 ] && grep -q '"store_unavailable"' "$tmp/down.json" && grep -qi '^retry-after: 1' "$tmp/down.h" ||
    die "GET /v1/jobs with PostgreSQL down answered $code: $(cat "$tmp/down.json")"
  pg_ctl_start || die "PostgreSQL did not start again"
  code=$(curl -s -o "$tmp/up.json" -w '%{http_code}' "$base/v1/jobs")
  [ "$code" = 200 ] || die "GET /v1/jobs once PostgreSQL is back answered $code: $(cat "$tmp/up.json")"
fi

# 4. Metrics saw the renders.
grep -q '^renderq_render_duration_seconds_count{outcome="succeeded"} 2$' <<<"$(curl -sf "$base/metrics")" ||
  die "metrics do not count two succeeded renders"
echo "ok: HTTP outputs identical to renderq render"
