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
. scripts/lib.sh

# Debian's chromium: playwright-core drives it; no browser is downloaded.
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "e2e: installing chromium"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
export CHROMIUM_PATH="$chromium"

if ! command -v node >/dev/null 2>&1; then
  echo "e2e: node is not installed (Node.js 20.19 or newer is needed)" >&2
  exit 1
fi

scripts/build-web.sh

make_workdir "${TMPDIR:-/tmp}/cairn-e2e.XXXXXX"
trap 'exit 130' INT TERM

"$cairn" demo --db "$work/demo.db" --students 300 >"$work/demo.log"

# A local SMTP server (Debian's python3-aiosmtpd, from scripts/install-deps.sh)
# that keeps every message in a maildir: 23-email reads the emails back.
smtp_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/mail/tmp" "$work/mail/new" "$work/mail/cur"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/mail" \
  >"$work/smtp.log" 2>&1 &
bg_pids+=("$!")
for _ in $(seq 50); do
  /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $smtp_port), 0.2)" 2>/dev/null && break
  sleep 0.1
done

# The server prints "Cairn is serving DB at http://127.0.0.1:PORT/".
start_cairn_serve "$cairn" "$work/demo.db" "$work/serve.log" "$work/serve.log" \
  --web-root "$root/web/dist" --smtp-url "smtp://127.0.0.1:$smtp_port" \
  --mail-from "cairn@demo.cairn.test" --notify-every-ms 300
if [ -z "$port" ]; then
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: the server did not say which port it listens on:" >&2
  else
    echo "e2e: the server exited:" >&2
  fi
  cat "$work/serve.log" >&2
  exit 1
fi
if ! wait_for_healthz "$base"; then
  echo "e2e: $base/healthz did not answer" >&2
  exit 1
fi
echo "e2e: server at $base (database $work/demo.db)"

status=0
# Tests that need their own server (an empty district) start it from CAIRN_BIN.
CAIRN_BASE_URL="$base" CAIRN_MAILDIR="$work/mail" CAIRN_BIN="$cairn" CAIRN_WEB_ROOT="$root/web/dist" node --test --test-concurrency=1 --test-timeout=170000 web/e2e/ || status=$?

# The credentials the server issued, verified by independent libraries; then
# a fresh district behind TLS, keys fetched live (issue #14's acceptance).
scripts/verify-independent.sh "$base" || status=$?
scripts/verify-https.sh "$cairn" || status=$?

server_status=0
stop_cairn_serve || server_status=$?
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
