#!/usr/bin/env bash
# Installs what is missing, builds Cairn and its web app, creates a demo
# district once (embedded SQLite, data/local/demo.db) and serves it on
# http://127.0.0.1:${PORT:-8080}/. Safe to run again: the demo is reused.
# Builds only the `cairn` program (no tests, no benchmarks: scripts/test.sh
# builds those).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DCAIRN_BUILD_BENCH=OFF \
  -DCAIRN_BUILD_TESTS=OFF >/dev/null
cmake --build build --target cairn -j"$(nproc)"
if [ -x scripts/build-web.sh ]; then scripts/build-web.sh; fi

db=data/local/demo.db
mkdir -p data/local
if [ ! -f "$db" ]; then
  ./build/cairn demo --db "$db" --students "${CAIRN_DEMO_STUDENTS:-1200}"
fi
cat <<TEXT

Demo logins (password: cairn-demo-2026)
  teacher           teacher-001
  student           student-00001
  guardian          guardian-00001   (parent of student-00001)
  school leader     leader-school-1
  district leader   leader-district
  admin             admin

TEXT
# The server finds web/dist from build/cairn itself (and logs it). --dev: it
# answers on localhost over http, where credentials are for trying out only.
exec ./build/cairn serve --db "$db" --port "${PORT:-8080}" --dev
