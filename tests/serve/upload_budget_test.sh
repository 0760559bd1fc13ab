#!/usr/bin/env bash
# Uploads sized before they are loaded (issue 13, H1): `renderq serve` under
# a 2 GiB address-space limit answers 422 scene_too_large to a 262 KB .glb
# whose three images' headers say 16384x16384 and to a .glb whose accessor
# declares 2^28/3 vertices, keeps serving (health checks and a good upload
# after each), and leaves no staged upload behind. On main the image upload
# killed the server (std::bad_alloc in a decode thread).
# usage: upload_budget_test.sh RENDERQ SAMPLES_DIR
set -euo pipefail
real=$1
samples=$2
RENDERQ=$real
. "$(dirname "$0")/serve_lib.sh"

python3 "$(dirname "$0")/../gltf/budget_bombs.py" "$tmp/bombs"
# The server, and everything it runs, under `ulimit -v` (2 GiB).
cat >"$tmp/limited" <<SH
#!/usr/bin/env bash
ulimit -v 2097152
exec "$real" "\$@"
SH
chmod +x "$tmp/limited"
RENDERQ=$tmp/limited
start_server
server=${pids[-1]}

upload() {  # upload FILE: prints the HTTP status; the body goes to $tmp/reply.json
  curl -s -o "$tmp/reply.json" -w '%{http_code}' --data-binary @"$1" -H 'Content-Type: model/gltf-binary' \
    "$base/v1/jobs" || true
}

for bomb in image_bomb.glb accessor_bomb.glb; do
  code=$(upload "$tmp/bombs/$bomb")
  [ "$code" = 422 ] || die "$bomb answered $code: $(cat "$tmp/reply.json")"
  got=$(json_field '["error"]["code"]' <"$tmp/reply.json")
  [ "$got" = scene_too_large ] || die "$bomb answered $got: $(cat "$tmp/reply.json")"
  kill -0 "$server" 2>/dev/null || die "the server died on $bomb"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" = 200 ] || die "no health check after $bomb"
  code=$(upload "$samples/Box/glTF-Binary/Box.glb")
  [ "$code" = 202 ] || die "a good upload after $bomb answered $code: $(cat "$tmp/reply.json")"
done
left=$(find "$RENDERQ_SPOOL/uploads" -type f 2>/dev/null | wc -l)
[ "$left" = 0 ] || die "$left staged upload(s) left in $RENDERQ_SPOOL/uploads"
echo "ok: both bombs answered 422 scene_too_large under a 2 GiB address space; the server kept serving"
