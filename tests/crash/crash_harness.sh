#!/usr/bin/env bash
# kill -9 `cairn serve` at random points while clients write; after each
# crash check every acknowledged fact, PRAGMA integrity_check, the files the
# database refers to, and that `cairn blobs sweep` clears the orphans.
# Usage: tests/crash/crash_harness.sh --cairn build/cairn [--cycles 1000] [--clients 4]
#        (CAIRN=build/cairn works too; --help lists the rest)
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/crash_harness.py" "$@"
