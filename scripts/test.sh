#!/usr/bin/env bash
# The test command: installs what is missing, builds with -Werror, runs every
# test with CTest. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
BUILD_DIR=${BUILD_DIR:-build} scripts/build.sh -DRENDERQ_WERROR=ON -DBUILD_TESTING=ON
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure --timeout 900 -j "$(nproc)")

# The loader's and the .hdr decoder's bad-input suites again under ASan+UBSan: only that target is
# built, so this stays cheap (CTest label badinput).
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
gen=()
command -v ninja >/dev/null && [ ! -f build-asan/CMakeCache.txt ] && gen=(-G Ninja)
cmake -S . -B build-asan "${gen[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Debug \
  -DRENDERQ_SANITIZE=address,undefined -DRENDERQ_WERROR=ON -DBUILD_TESTING=ON >&2
cmake --build build-asan -j "$(nproc)" --target gltf_bad_input_test ibl_hdr_test >&2
# The CLI's badinput scripts need the whole renderq binary, which this cheap build skips.
(cd build-asan && ctest -L badinput -E '^cli_' --output-on-failure --timeout 900 -j "$(nproc)")

# Fuzzing smoke run: each libFuzzer harness (fuzz/) for a short time, continuing the corpus
# of the last run in build-fuzz; any crash, hang, leak or oom fails. The regression inputs
# (fuzz/regressions/) were already replayed by CTest above (fuzz_replay_*).
scripts/fuzz.sh all "${FUZZ_SMOKE_SECONDS:-15}"
