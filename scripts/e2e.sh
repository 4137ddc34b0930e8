#!/usr/bin/env bash
# Browser tests of the web app against a real server on a fresh demo district.
#
#   scripts/e2e.sh PATH_TO_CAIRN_BINARY
#
# Installs Debian's chromium when it is missing, builds web/dist, creates a
# temporary demo database, starts `cairn serve` on a free port, runs
# `node --test web/e2e/`, then stops the server. Exits non-zero on any
# failure. Screenshots go to $CAIRN_SHOTS (default /tmp/cairn-shots).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 PATH_TO_CAIRN_BINARY" >&2
  exit 2
fi
cairn="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
if [ ! -x "$cairn" ]; then
  echo "e2e: $1 is not an executable" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Debian's chromium: playwright-core drives it; no browser is downloaded.
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "e2e: installing chromium"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
export CHROMIUM_PATH="$chromium"

if ! command -v node >/dev/null 2>&1; then
  echo "e2e: node is not installed (Node.js 20.19 or newer is needed)" >&2
  exit 1
fi

scripts/build-web.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/cairn-e2e.XXXXXX")"
server_pid=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$cairn" demo --db "$work/demo.db" --students 300 >"$work/demo.log"

: >"$work/serve.log"  # created before the background redirect, so reads cannot race
"$cairn" serve --db "$work/demo.db" --port 0 --web-root "$root/web/dist" >>"$work/serve.log" 2>&1 &
server_pid=$!

# The server prints "Cairn is serving DB at http://127.0.0.1:PORT/".
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's|.* at http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$work/serve.log" | head -n1)"
  [ -n "$port" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: the server exited:" >&2
    cat "$work/serve.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "e2e: the server did not say which port it listens on:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
base="http://127.0.0.1:$port"

healthy=""
for _ in $(seq 1 100); do
  if node -e "fetch('$base/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
    healthy=yes
    break
  fi
  sleep 0.1
done
if [ -z "$healthy" ]; then
  echo "e2e: $base/healthz did not answer" >&2
  exit 1
fi
echo "e2e: server at $base (database $work/demo.db)"

status=0
CAIRN_BASE_URL="$base" node --test --test-concurrency=1 --test-timeout=170000 web/e2e/ || status=$?

# The credentials the server issued, verified by independent libraries.
scripts/verify-independent.sh "$base" || status=$?

kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=""
if [ "$server_status" -ne 0 ]; then
  echo "e2e: the server exited with status $server_status after SIGTERM" >&2
  [ "$status" -eq 0 ] && status=1
fi
if [ "$status" -ne 0 ]; then
  echo "e2e: FAILED" >&2
  echo "--- server log (last 40 lines) ---" >&2
  tail -n 40 "$work/serve.log" >&2 || true
fi
exit "$status"
