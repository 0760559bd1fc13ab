#!/usr/bin/env bash
# HTTP benchmark of `renderq serve` (not a test): is the API responsive while
# the daemon renders? wrk on loopback against GET /v1/jobs/{id} for 10 s,
# first with the daemon idle (the baseline, same run), then while it renders
# a long job; then jobs submitted per second over HTTP (wrk POSTing a job
# request that names a scene by path). Prints a table; target p99 <= 10 ms.
# STORE=postgres runs the same against a private PostgreSQL server
# (tests/pg/pg_lib.sh; serve with --shared-dir, the daemon on the database).
# usage: [STORE=spool|postgres] bench/http_bench.sh [RENDERQ_BINARY] [DURATION_S]
set -euo pipefail
cd "$(dirname "$0")/.."
RENDERQ=${1:-build/cli/renderq}
DURATION=${2:-10}
CONNECTIONS=${CONNECTIONS:-8}
command -v wrk >/dev/null || { echo "bench: wrk is not installed (scripts/install-deps.sh all)" >&2; exit 1; }
[ -x "$RENDERQ" ] || { echo "bench: no renderq binary at $RENDERQ" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/renderq-http-bench.XXXXXX")
export RENDERQ_SPOOL=$tmp/spool
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/root"
STORE=${STORE:-spool}
store_args=()
if [ "$STORE" = postgres ]; then
  SRC=$PWD
  . tests/pg/pg_lib.sh
  pg_start  # its EXIT trap stops the server, then runs cleanup
  export RENDERQ_STORE=$PG_URL
  unset RENDERQ_SPOOL
  mkdir -p "$tmp/shared"
  store_args=(--shared-dir "$tmp/shared")
elif [ "$STORE" != spool ]; then
  echo "bench: STORE must be spool or postgres" >&2
  exit 2
fi
cp tests/data/samples/MetalRoughSpheresNoTextures/glTF-Binary/MetalRoughSpheresNoTextures.glb "$tmp/root/scene.glb"

"$RENDERQ" serve --listen 127.0.0.1:0 --allow-root "$tmp/root" --max-queued 100000000 --threads "$CONNECTIONS" \
  "${store_args[@]}" >"$tmp/url" 2>"$tmp/serve.err" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/url" ] && break; sleep 0.05; done
base=$(head -n1 "$tmp/url"); base=${base%/}

submit() {  # submit JSON_SPEC -> id
  curl -sf -H 'Content-Type: application/json' -d "{\"spec\":$1}" "$base/v1/jobs" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
state() { curl -sf "$base/v1/jobs/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'; }

# wrk_get URL -> "p50_ms p99_ms req_per_s non2xx"
wrk_get() {
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" >"$tmp/wrk.txt" 2>&1
  python3 - "$tmp/wrk.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r'^\s*' + label + r'\s+([\d.]+)(us|ms|s)\s*$', t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
bad = re.search(r'Non-2xx or 3xx responses:\s+(\d+)', t)
print(f"{ms('50%'):.3f} {ms('99%'):.3f} {rps:.0f} {bad.group(1) if bad else 0}")
PY
}

scene="\"$tmp/root/scene.glb\""
probe=$(submit "{\"scene\":$scene,\"width\":64,\"height\":64}")

# Baseline: no daemon, nothing rendering.
read -r b50 b99 brps bbad < <(wrk_get "$base/v1/jobs/$probe")

# A long job: many large 4x MSAA frames, so it outlasts the measurement.
# --foreground: a detached daemon would outlive the bench (cleanup kills $!);
# --grace 1s: the long job is stopped at the end instead of waited for.
"$RENDERQ" daemon --foreground --grace 1s >"$tmp/daemon.out" 2>"$tmp/daemon.err" &
pids+=($!)
long=$(submit "{\"scene\":$scene,\"width\":2048,\"height\":2048,\"samples\":4,\"frames\":400,\"turntable\":true}")
for _ in $(seq 600); do [ "$(state "$probe")" = succeeded ] && [ "$(state "$long")" = running ] && break; sleep 0.1; done
[ "$(state "$long")" = running ] || { echo "bench: the long job is not running: $(state "$long")" >&2; tail "$tmp/daemon.err" >&2; exit 1; }
read -r r50 r99 rrps rbad < <(wrk_get "$base/v1/jobs/$long")
[ "$(state "$long")" = running ] || echo "bench: warning: the long job ended during the measurement" >&2

# Submissions per second: each POST stores a job (fsync'd); they wait on the
# long job (after) so the daemon does not start them.
cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"spec":{"scene":$scene,"width":64,"height":64},"after":[$long]}'
LUA
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$tmp/post.lua" "$base/v1/jobs" >"$tmp/post.txt" 2>&1
srps=$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$tmp/post.txt")
sbad=$(sed -n 's/^[[:space:]]*Non-2xx or 3xx responses:[[:space:]]*//p' "$tmp/post.txt")
stored=$(curl -sf "$base/metrics" | sed -n 's/^renderq_jobs{state="queued"} //p')

printf '\nrenderq serve on a %s queue, wrk -t2 -c%s -d%ss on loopback, %s cores\n\n' "$STORE" "$CONNECTIONS" \
  "$DURATION" "$(nproc)"
printf '| %-44s | %8s | %8s | %9s | %6s |\n' "measurement" "p50 ms" "p99 ms" "req/s" "non2xx"
printf '|%s|%s|%s|%s|%s|\n' "----------------------------------------------" "----------" "----------" "-----------" "--------"
printf '| %-44s | %8s | %8s | %9s | %6s |\n' "GET /v1/jobs/{id}, daemon idle (baseline)" "$b50" "$b99" "$brps" "$bbad"
printf '| %-44s | %8s | %8s | %9s | %6s |\n' "GET /v1/jobs/{id}, while rendering 2048² 4×" "$r50" "$r99" "$rrps" "$rbad"
printf '| %-44s | %8s | %8s | %9s | %6s |\n' "POST /v1/jobs (stored jobs/s)" "" "" "$srps" "${sbad:-0}"
printf '\njobs queued after the POST run: %s; target p99 <= 10 ms while rendering: %s\n' "$stored" \
  "$(python3 -c "print('met' if $r99 <= 10 else 'NOT met')")"
printf 'load average (1/5/15 min) at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
