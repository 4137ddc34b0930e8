#!/usr/bin/env bash
# Issue #12 in one run: the mastery engine against DuckDB on the same
# synthetic ledger (default 200,000 students x 100 = 20M ratings), same
# thread count, same answer (counts and checksums), with PASS/FAIL against
# the targets (steady recompute >= 15x DuckDB's best, cold path <= 0.5x).
#
#   bench/duckdb_compare.sh [path/to/mastery_bench] [mastery_bench options...]
#   bench/duckdb_compare.sh build/bench/mastery_bench --students 20000
#
# DuckDB comes from npm (@duckdb/node-api, pinned in bench/duckdb/
# package-lock.json, installed here with npm ci; not part of the web app).
# SQLite is skipped (mastery_bench alone compares with it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="${1:-$here/../build/bench/mastery_bench}"
[[ $# -gt 0 ]] && shift
if [[ ! -x "$bench" ]]; then
  echo "duckdb_compare: $bench is not an executable (build the mastery_bench target)" >&2
  exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "duckdb_compare: node and npm are needed for the DuckDB side; not run" >&2
  exit 1
fi
if [[ ! -d "$here/duckdb/node_modules/@duckdb/node-api" ]]; then
  if ! (cd "$here/duckdb" && npm ci --no-audit --no-fund >&2); then
    echo "duckdb_compare: npm ci of @duckdb/node-api failed in bench/duckdb (no registry" \
         "access?); the DuckDB comparison cannot run" >&2
    exit 1
  fi
fi
threads="$(nproc)"
exec "$bench" --skip-sqlite --threads "$threads" --duckdb "$here/duckdb/compare.mjs" "$@"
