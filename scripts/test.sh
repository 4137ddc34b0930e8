#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every
# test twice: a normal build and an AddressSanitizer + UBSan build. CTest
# includes a small run of the benchmark so it cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== Build (RelWithDebInfo, -Werror) =="
scripts/build.sh build-ci -DCAIRN_WERROR=ON
echo "== Tests =="
(cd build-ci && ctest --output-on-failure -j"$(nproc)")

echo "== Browser tests (Debian chromium + playwright-core, axe-core) =="
scripts/e2e.sh build-ci/cairn

echo "== Build (ASan + UBSan) =="
BUILD_TYPE=Debug scripts/build.sh build-asan -DCAIRN_WERROR=ON -DCAIRN_SANITIZE=ON \
  -DCAIRN_BUILD_BENCH=OFF
echo "== Tests under ASan + UBSan =="
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j"$(nproc)")
