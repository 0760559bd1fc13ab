#!/usr/bin/env bash
# Config through the real binary: precedence flag > environment > file >
# default, shown by `renderq config` and applied to what `submit` stores;
# bad files fail every command with exit 2 naming the key and line.
# Usage: config_cli_test.sh RENDERQ SAMPLES_DIR
set -euo pipefail
renderq=$1 samples=$2
work=$(mktemp -d /tmp/renderq-config.XXXXXX)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config HOME=$work RENDERQ_SPOOL=$work/spool
unset RENDERQ_CONFIG RENDERQ_SAMPLES RENDERQ_SIZE RENDERQ_TONEMAP RENDERQ_EXPOSURE RENDERQ_BACKGROUND RENDERQ_ENV \
  RENDERQ_DEVICE RENDERQ_JOB_TIMEOUT
mkdir -p "$XDG_CONFIG_HOME/renderq" "$work/out"
cfg=$XDG_CONFIG_HOME/renderq/config.toml
scene=$samples/Box/glTF-Binary/Box.glb
fails=0
check() {  # check LABEL EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then echo "FAIL $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi
}
setting() {  # setting KEY FIELD [renderq args...]: one field of `renderq config --json`
  local key=$1 field=$2; shift 2
  "$renderq" "$@" config --json | python3 -c "
import json, sys
d = json.load(sys.stdin)
print(next(s for s in d['settings'] if s['key'] == '$key')['$field'])"
}
stored() {  # stored FIELD [submit args...]: a field of the spec submit stored
  local field=$1; shift
  "$renderq" submit "$scene" -o "$work/out/x.png" --json "$@" | python3 -c "
import json, sys
print(json.load(sys.stdin)['spec']['$field'])"
}

# Defaults, with no file.
check "default source" default "$(setting render.samples source)"
check "default stored" 4 "$(stored samples)"

# The file.
printf '# mine\n[render]\nsamples = 8\nsize = "640x480"\n[timeouts]\njob = "90s"\n' >"$cfg"
check "file value" 8 "$(setting render.samples value)"
check "file origin" "$cfg:3" "$(setting render.samples origin)"
check "file stored" 8 "$(stored samples)"
check "file stored width" 640 "$(stored width)"
timeout_ms=$("$renderq" submit "$scene" -o "$work/out/x.png" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['timeout_ms'])")
check "file timeout for submit" 90000 "$timeout_ms"

# The environment beats the file.
export RENDERQ_SAMPLES=2
check "env source" env "$(setting render.samples source)"
check "env stored" 2 "$(stored samples)"

# A flag beats both.
check "flag stored" 16 "$(stored samples --samples 16)"
check "flag source" flag "$(setting spool.dir source --spool "$work/other")"
check "flag value" "$work/other" "$(setting spool.dir value --spool "$work/other")"
unset RENDERQ_SAMPLES

# The text form names origins and reads back as a valid file.
"$renderq" config >"$work/printed.toml"
grep -q "^samples = 8  # file $cfg:3\$" "$work/printed.toml" || { echo "FAIL text form"; cat "$work/printed.toml"; fails=$((fails + 1)); }
check "printed file reads back" 8 "$(setting render.samples value --config "$work/printed.toml")"

# Errors: exit 2, message names key and line; nothing is submitted.
expect_error() {  # expect_error LABEL NEEDLE FILE-CONTENT
  printf '%s' "$3" >"$cfg"
  local rc=0 err
  err=$("$renderq" submit "$scene" -o "$work/out/y.png" 2>&1 >/dev/null) || rc=$?
  check "$1 exit" 2 "$rc"
  grep -qF -- "$2" <<<"$err" || { echo "FAIL $1: '$2' not in: $err"; fails=$((fails + 1)); }
}
expect_error "unknown key" "$cfg:3: unknown key 'render.sampels'" $'[render]\nsamples = 8\nsampels = 8\n'
expect_error "wrong type" "$cfg:2: render.samples: must be an integer" $'[render]\nsamples = "8"\n'
expect_error "bad value" "$cfg:2: render.size" $'[render]\nsize = "big"\n'
expect_error "syntax" "$cfg:1:" $'[render\n'
rm "$cfg"
rc=0; RENDERQ_SIZE=12 "$renderq" config >/dev/null 2>&1 || rc=$?
check "bad env exit" 2 "$rc"
rc=0; "$renderq" --config "$work/missing.toml" config >/dev/null 2>&1 || rc=$?
check "missing --config exit" 2 "$rc"
count=$("$renderq" list --json | python3 -c "
import json, sys
d = json.load(sys.stdin)
print(len(d['jobs'] if isinstance(d, dict) else d))")
check "jobs stored (only the valid submits)" 6 "$count"

[ "$fails" -eq 0 ] && echo "config: all checks passed"
exit "$fails"
