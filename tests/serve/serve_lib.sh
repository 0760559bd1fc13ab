# Shared by the black-box serve tests: a private spool and scene root in a
# fresh temporary folder (removed on exit), `renderq serve` on a free
# loopback port, `renderq daemon`, and small HTTP helpers on curl.
# Source it after setting RENDERQ (the binary).

tmp=$(mktemp -d "${TMPDIR:-/tmp}/renderq-serve-test.XXXXXX")
export RENDERQ_SPOOL=$tmp/spool
mkdir -p "$tmp/root"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

die() { echo "FAIL: $*" >&2; for f in "$tmp"/*.err; do [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done; exit 1; }

# start_server [serve options...]: sets $base (http://127.0.0.1:PORT).
start_server() {
  "$RENDERQ" serve --listen 127.0.0.1:0 --allow-root "$tmp/root" "$@" >"$tmp/url" 2>"$tmp/serve.err" &
  pids+=($!)
  local i
  for i in $(seq 100); do
    [ -s "$tmp/url" ] && break
    sleep 0.05
  done
  base=$(head -n1 "$tmp/url")
  base=${base%/}
  [ -n "$base" ] || die "renderq serve printed no URL"
}

start_daemon() {
  # --foreground: cleanup kills $!, which a detached daemon would outlive.
  "$RENDERQ" daemon --foreground "$@" >"$tmp/daemon.out" 2>"$tmp/daemon.err" &
  pids+=($!)
}

# wait_state ID STATE [seconds]: polls GET /v1/jobs/ID.
wait_state() {
  local id=$1 want=$2 limit=${3:-180} i state
  for i in $(seq $((limit * 5))); do
    state=$(curl -sf "$base/v1/jobs/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    [ "$state" = "$want" ] && return 0
    case $state in succeeded|failed|canceled) die "job $id ended $state, wanted $want: $(curl -s "$base/v1/jobs/$id")";; esac
    sleep 0.2
  done
  die "job $id still $state after ${limit}s"
}

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
