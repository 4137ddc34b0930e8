#!/usr/bin/env bash
# Installs what is missing, builds Cairn, and runs it on a demo district in an
# embedded SQLite database (data/local/demo.db). Safe to run again: the demo
# district is created once and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DCAIRN_BUILD_BENCH=OFF

db=data/local/demo.db
mkdir -p data/local
if [ ! -f "$db" ]; then
  ./build/cairn demo --db "$db" --students "${CAIRN_DEMO_STUDENTS:-1200}"
fi
./build/cairn catalog show --db "$db" | head -5
echo
echo "== A student's pathway =="
./build/cairn progress --db "$db" --student student-00002
echo
echo "== Why M101 is or is not met =="
./build/cairn explain --db "$db" --student student-00002 --badge M101
echo
./build/cairn tracking-sheet --db "$db" --out data/local/tracking-sheet.csv
echo
echo "Cairn is ready. Try:  ./build/cairn --help   (database: $db)"
