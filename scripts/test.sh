#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every
# test twice: a normal build and an AddressSanitizer + UBSan build. CTest
# includes a small run of the benchmark so it cannot rot.
#
# CI has two cores and a hard time limit, and compiling is most of the run,
# so neither build carries full debug information: the optimised build has
# none (-g costs ~30% of its compile time) and the sanitizer build keeps line
# tables only (-g1), which is all a sanitizer report needs for file:line.
set -euo pipefail
cd "$(dirname "$0")/.."
stage() { echo "== $1 (at ${SECONDS}s) =="; }
scripts/install-deps.sh

stage "Build (-O2, -Werror)"
scripts/build.sh build-ci -DCAIRN_WERROR=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG"
stage "Tests"
(cd build-ci && ctest --output-on-failure -j"$(nproc)")

stage "Browser tests (Debian chromium + playwright-core, axe-core)"
scripts/e2e.sh build-ci/cairn

stage "Build (ASan + UBSan)"
BUILD_TYPE=Debug scripts/build.sh build-asan -DCAIRN_WERROR=ON -DCAIRN_SANITIZE=ON \
  -DCAIRN_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS_DEBUG=-g1
stage "Tests under ASan + UBSan"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j"$(nproc)")
stage "All passed"
