#!/usr/bin/env bash
# The test command: installs what is missing, builds with -Werror, runs every
# test with CTest. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
BUILD_DIR=${BUILD_DIR:-build} scripts/build.sh -DRENDERQ_WERROR=ON -DBUILD_TESTING=ON
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --timeout 900 -j "$(nproc)"
