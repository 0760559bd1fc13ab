#!/usr/bin/env bash
# The systemd units as installed (`cmake --install` into a scratch prefix, so
# ExecStart= names a binary that exists): every unit passes
# `systemd-analyze verify`; every system service scores an exposure of at
# most 4.0 in `systemd-analyze security --offline=true`; the daemon keeps the
# settings GPU rendering needs; the sandbox's writable paths follow the spool
# of tmpfiles.d and config.toml; and each unit's ExecStart= line, expanded
# from its own Environment= the way systemd does for whole words, runs:
# purge keeps recent jobs and purges them all with a drop-in's age of 0,
# serve answers on loopback, with and without the documented token drop-in. No running systemd is needed (CI has none).
# Usage: units_test.sh BUILD_DIR
set -euo pipefail
build=$1
command -v systemd-analyze >/dev/null ||
  { echo "FAIL systemd-analyze is missing: scripts/install-deps.sh installs package systemd"; exit 1; }
work=$(mktemp -d /tmp/renderq-units.XXXXXX)
serve_pid=
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

prefix=$work/usr
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
sys=$prefix/lib/systemd/system usr=$prefix/lib/systemd/user
units=(renderq.service renderq-serve.service renderq-purge.service renderq-purge.timer)
for scope in "$sys" "$usr"; do
  for u in "${units[@]}"; do [ -s "$scope/$u" ] || fail "not installed: $scope/$u"; done
done
[ "$fails" -eq 0 ] || exit "$fails"

# 1. verify: syntax, unknown keys, ExecStart exists, Documentation= resolves
# (MANPATH is the install's), a timer's service exists beside it. The user
# units are checked in system mode too: `--user` needs a user manager's
# runtime folder, and every key they use is valid in both.
export MANPATH=$prefix/share/man:
for f in "$sys"/* "$usr"/*; do
  if ! out=$(cd "$work" && systemd-analyze verify "$f" 2>&1) || [ -n "$out" ]; then
    fail "systemd-analyze verify $f:"; echo "$out"
  fi
done

# 2. The exposure score of every system service, the number systemd prints.
for f in "$sys"/*.service; do
  rc=0; out=$(cd "$work" && systemd-analyze security --offline=true --threshold=40 "$f" 2>&1) || rc=$?
  score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
  echo "exposure $(basename "$f"): ${score:-?}"
  if [ -z "$score" ]; then fail "no exposure score for $f:"; echo "$out"
  elif ! awk -v s="$score" 'BEGIN { exit !(s <= 4.0) }'; then fail "$(basename "$f") exposure $score > 4.0"; echo "$out" | grep '✗'
  elif [ "$rc" -ne 0 ]; then fail "systemd-analyze security --threshold=40 exited $rc for $f"; fi
done

# 3. What GPU rendering needs in the daemon's sandbox (a higher score is
# worth less than working GPUs): the device nodes through the device cgroup,
# not hidden by PrivateDevices; JIT-compiled shaders (no W^X); /proc's
# non-process files (/proc/driver/nvidia, /proc/meminfo); the device groups.
d=$sys/renderq.service
has() { grep -qx -- "$2" "$1" || fail "$(basename "$1") lacks '$2'"; }
lacks() { ! grep -q -- "$2" "$1" || fail "$(basename "$1") has '$(grep -- "$2" "$1")'"; }
has "$d" 'DevicePolicy=closed'
has "$d" 'DeviceAllow=char-drm rw'
has "$d" 'DeviceAllow=char-nvidia\* rw'
has "$d" 'SupplementaryGroups=render video'
lacks "$d" '^PrivateDevices=\(yes\|true\|on\|1\)'
lacks "$d" '^MemoryDenyWriteExecute='
lacks "$d" '^ProcSubset='
lacks "$d" '^PrivateUsers='  # would unmap the render and video groups' files
# The daemon's own network stays closed; serve's is loopback unless a drop-in opens it.
has "$d" 'RestrictAddressFamilies=AF_UNIX'
has "$sys/renderq-serve.service" 'IPAddressAllow=localhost'

# 4. The spool the sandbox lets each system service write is the one
# tmpfiles.d creates and config.toml names.
spool=$(awk '$1 == "d" { print $2 }' "$prefix/lib/tmpfiles.d/renderq.conf")
[ "$spool" = /var/spool/renderq ] || fail "tmpfiles.d spool: '$spool'"
grep -qx "dir = \"$spool\"" "$prefix/etc/renderq/config.toml" || fail "config.toml spool.dir is not $spool"
for u in renderq.service renderq-serve.service renderq-purge.service; do
  has "$sys/$u" "ReadWritePaths=$spool"
  has "$sys/$u" "Environment=RENDERQ_CONFIG=$prefix/etc/renderq/config.toml"
  has "$sys/$u" 'User=renderq'
done
for t in "$sys/renderq-purge.timer" "$usr/renderq-purge.timer"; do
  has "$t" 'Persistent=true'
  cal=$(sed -n 's/^OnCalendar=//p' "$t")
  systemd-analyze calendar "$cal" >/dev/null || fail "$(basename "$t"): OnCalendar=$cal"
  grep -q '^RandomizedDelaySec=' "$t" || fail "$(basename "$t") has no RandomizedDelaySec="
done

# 5. ExecStart= as systemd runs it: Environment=K=V lines (one assignment
# each), then later assignments (a drop-in's); "${K}" is one word, "$K" its
# value split at whitespace (an empty value is no word). Fills `envv`
# (K=V, for env(1)) and `argv`.
exec_line() {
  local unit=$1; shift
  declare -A env=()
  local line kv w
  while IFS= read -r line; do
    kv=${line#Environment=}
    [[ $kv =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*$ ]] || { fail "$(basename "$unit"): unparsed '$line'"; return 1; }
    env[${kv%%=*}]=${kv#*=}
  done < <(grep '^Environment=' "$unit")
  for kv in "$@"; do env[${kv%%=*}]=${kv#*=}; done
  envv=() argv=()
  for w in "${!env[@]}"; do envv+=("$w=${env[$w]}"); done
  local -a words split
  read -r -a words <<<"$(sed -n 's/^ExecStart=//p' "$unit")"
  for w in "${words[@]}"; do
    if [[ $w =~ ^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$ ]]; then argv+=("${env[${BASH_REMATCH[1]}]-}")
    elif [[ $w =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
      read -r -a split <<<"${env[${BASH_REMATCH[1]}]-}"; argv+=("${split[@]}")
    else argv+=("$w"); fi
  done
}
# A private spool (RENDERQ_SPOOL beats the config file's spool.dir) with one
# finished job: submitted, then canceled.
export RENDERQ_SPOOL=$work/spool XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache HOME=$work
rq=$prefix/bin/renderq
id=$("$rq" submit --exec -- /bin/true)
"$rq" cancel "$id" >/dev/null
for scope in "$sys" "$usr"; do
  unit=$scope/renderq-purge.service
  exec_line "$unit" || continue
  rc=0; out=$(env "${envv[@]}" "${argv[@]}" 2>&1) || rc=$?
  [ "$rc" -eq 0 ] && [ -z "$out" ] || fail "$unit (${argv[*]}): exit $rc: $out"
  "$rq" status "$id" >/dev/null 2>&1 || fail "$unit purged a job younger than its default age"
done
exec_line "$sys/renderq-purge.service" RENDERQ_PURGE_OLDER_THAN=0
rc=0; out=$(env "${envv[@]}" "${argv[@]}" 2>&1) || rc=$?
[ "$rc" -eq 0 ] && [ "$out" = "$id" ] || fail "purge with a drop-in's age 0 (${argv[*]}): exit $rc: '$out'"
rc=0; "$rq" status "$id" >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "job $id still there after the purge"

# serve: the unit's line with a drop-in's port 0 (whatever is free); then
# with the man page's drop-in for a network: a token file and a root, as one
# RENDERQ_SERVE_ARGS split into words (checked on loopback).
serve_check() {  # UNIT TOKEN ASSIGNMENT...
  local unit=$1 token=$2; shift 2
  exec_line "$unit" RENDERQ_SERVE_LISTEN=127.0.0.1:0 "$@" || return 0
  env "${envv[@]}" "${argv[@]}" >"$work/serve.out" 2>"$work/serve.err" &
  serve_pid=$!
  local url= code
  for _ in $(seq 100); do url=$(head -n1 "$work/serve.out"); [ -n "$url" ] && break; sleep 0.05; done
  if [ -z "$url" ]; then fail "$unit (${argv[*]}) printed no URL: $(cat "$work/serve.err")"
  else
    curl -fsS "${url}healthz" >/dev/null || fail "$unit: GET ${url}healthz failed"
    code=$(curl -s -o /dev/null -w '%{http_code}' "${url}v1/jobs")
    if [ -n "$token" ]; then
      [ "$code" = 401 ] || fail "$unit (${argv[*]}): /v1/jobs without the token: $code"
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "${url}v1/jobs")
    fi
    [ "$code" = 200 ] || fail "$unit (${argv[*]}): /v1/jobs: $code"
  fi
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=
  : >"$work/serve.out"
}
serve_check "$sys/renderq-serve.service" ""
serve_check "$usr/renderq-serve.service" ""
token=0123456789abcdef0123456789abcdef
(umask 077 && echo "$token" >"$work/serve.token")
serve_check "$sys/renderq-serve.service" "$token" \
  "RENDERQ_SERVE_ARGS=--token-file=$work/serve.token --allow-root=$work"

[ "$fails" -eq 0 ] && echo "units: all checks passed"
exit "$fails"
