#!/usr/bin/env bash
# Installs the Debian 12 packages renderq needs to build, test and benchmark.
# Idempotent: only missing packages are installed; uses sudo when not root.
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config ccache
  libcli11-dev libsqlite3-dev libsqlitecpp-dev sqlite3 libpq-dev
  libegl-dev libgl-dev libepoxy-dev libegl-mesa0 libgl1-mesa-dri libglfw3-dev
  nlohmann-json3-dev libpng-dev libjpeg62-turbo-dev libglm-dev
  libcpp-httplib-dev libtomlplusplus-dev libsystemd-dev
  libdeflate-dev libwebp-dev libxxhash-dev libdraco-dev libmeshoptimizer-dev
  catch2
)
# postgresql: the store tests start private servers with its initdb and pg_ctl.
# passwd (useradd), util-linux (runuser, setpriv) and procps (pgrep): the
# shared-spool test's real users and their processes.
test_pkgs=( xvfb xauth x11-apps xdotool python3 curl chromium bash zsh fish systemd dpkg-dev file postgresql
  passwd util-linux procps )
bench_pkgs=( task-spooler nq wrk hyperfine time )
# The libFuzzer harnesses (fuzz/, scripts/fuzz.sh), which CI smoke-runs: clang with its
# fuzzer and sanitizer runtimes.
fuzz_pkgs=( clang libfuzzer-14-dev libclang-rt-14-dev python3 )

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test) want+=("${test_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
  fuzz) want+=("${fuzz_pkgs[@]}") ;;
  all) want+=("${test_pkgs[@]}" "${fuzz_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|fuzz|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "renderq: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
