# Shared helpers for the black-box CLI tests. Each test script sources this
# with: RENDERQ (the binary), SRC (the source tree), WORKER (the fake worker)
# as its three arguments. Every script gets a private spool in a fresh temp
# folder that is removed on exit, whatever happens.
set -euo pipefail

RENDERQ=$(realpath "$1")
SRC=$2
WORKER=${3:+$(realpath "$3")}
SAMPLES=$SRC/tests/data/samples
BOX=$(realpath "$SAMPLES/Box/glTF-Binary/Box.glb")
BOX_GLTF=$(realpath "$SAMPLES/Box/glTF/Box.gltf")

work=$(realpath "$(mktemp -d "${TMPDIR:-/tmp}/renderq-cli-test.XXXXXX")")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
export RENDERQ_SPOOL=$work/spool
unset XDG_STATE_HOME NO_COLOR
out=$work/out
mkdir -p "$out"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# run CMD...: runs it, keeping its exit code in $rc, stdout in $stdout and
# stderr in $stderr; never aborts the script.
run() {
  set +e
  "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
  stdout=$(cat "$work/stdout")
  stderr=$(cat "$work/stderr")
}

# expect CODE DESCRIPTION CMD...: runs CMD and checks its exit code.
expect() {
  local want=$1 what=$2
  shift 2
  run "$@"
  if [ "$rc" -ne "$want" ]; then
    fail "$what: exit $rc, want $want (stdout: $stdout) (stderr: $stderr)"
    return 1
  fi
  pass "$what"
}

# Checks that the last run printed a diagnostic with the renderq prefix,
# containing the given text (a name the message must mention).
expect_diag() {
  local text=$1
  case "$stderr" in
    "renderq: "*"$text"*) ;;
    *) fail "stderr should be a renderq diagnostic naming '$text', got: $stderr" ;;
  esac
}

expect_stdout_empty() { [ -z "$stdout" ] || fail "stdout should be empty, got: $stdout"; }

# json EXPR: evaluates a Python expression over the last stdout parsed as
# JSON (bound to `j`) and prints the result; "a, b" prints a tuple.
json() { python3 -c "import json,sys; j=json.loads(sys.stdin.read()); print(($1))" <<<"$stdout"; }

# Number of jobs in the spool, through the CLI.
job_count() {
  local s
  s=$("$RENDERQ" list --json) || { echo "list failed" >&2; return 1; }
  python3 -c "import json,sys; print(len(json.loads(sys.stdin.read())))" <<<"$s"
}

submit() { "$RENDERQ" submit "$BOX" -o "$out/box.png" "$@"; }

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
