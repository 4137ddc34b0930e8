# shellcheck shell=bash
# Shell helpers shared by scripts/, tests/ and bench/: a scratch directory
# removed on exit with the processes started in the background, `cairn serve`
# on a free port, signing in to the demo district, and the smoke tests'
# checks. Source it, do not run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# Functions report through the globals they name ($work, $server_pid, $port,
# $base, $passes, $failures); none of them calls `exit` except the exit trap.

# --- scratch directory and cleanup -------------------------------------------

bg_pids=()  # killed (then waited for) on exit

# make_workdir [MKTEMP_TEMPLATE]: sets $work to a new directory and installs
# the exit trap that kills every process in $bg_pids and removes $work. The
# script's exit status is kept.
make_workdir() {
  work=$(mktemp -d ${1:+"$1"}) || return
  trap cleanup_workdir EXIT
}

cleanup_workdir() {
  local status=$?
  local p
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ ${#bg_pids[@]} -eq 0 ] || wait 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}

# require_tools HINT TOOL...: true if every TOOL is on PATH; else says which
# is missing and how to install it (HINT).
require_tools() {
  local hint="$1" tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing $tool ($hint)"; return 1; }
  done
}

# as_root COMMAND...: runs it directly as root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- the server ----------------------------------------------------------------

# start_cairn_serve CAIRN DB OUT ERR [ARGS...]: starts `CAIRN serve --db DB
# --port 0 --dev ARGS...` (a local http: address, so development mode) in the background (in the directory $serve_cwd when set),
# stdout to OUT and stderr to ERR (both emptied first; they may be the same
# file), and waits for the URL it prints. Sets $server_pid (also added to
# $bg_pids), $port and $base (see wait_for_port).
start_cairn_serve() {
  local cairn="$1" db="$2" out="$3" err="$4"
  shift 4
  # Created here, not by the background redirect, so reading them cannot race.
  : >"$out"
  : >"$err"
  (cd "${serve_cwd:-.}" && exec "$cairn" serve --db "$db" --port 0 --dev "$@") >>"$out" 2>>"$err" &
  server_pid=$!
  bg_pids+=("$server_pid")
  wait_for_port "$out" "$server_pid"
}

# wait_for_port LOG [PID]: waits up to 10 s for LOG to name the server's URL
# ("... at http://127.0.0.1:PORT/"), less if PID exits first. Sets $port
# (empty if it never came) and $base.
wait_for_port() {
  port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$1" | head -n1)
    [ -n "$port" ] && break
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then break; fi
    sleep 0.1
  done
  base="http://127.0.0.1:$port"
}

# wait_for_healthz BASE: true once BASE/healthz answers 2xx (up to 10 s).
wait_for_healthz() {
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$1/healthz" && return 0
    sleep 0.1
  done
  return 1
}

# stop_cairn_serve [PID]: SIGTERM (default $server_pid), then waits; returns
# the server's exit status.
stop_cairn_serve() {
  local pid="${1:-$server_pid}" code=0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || code=$?
  return "$code"
}

# --- the demo district's API ---------------------------------------------------

# demo_login JAR USERNAME: signs in with the demo password, keeping the
# session cookie in JAR; prints the response (it holds the CSRF token).
demo_login() {
  curl -sf -c "$1" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"cairn-demo-2026\"}" "$base/api/v1/auth/login"
}

# json_string FIELD: the first "FIELD":"value" of the JSON on stdin.
json_string() {
  sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" | head -n1
}

# admin_token NAME: an API token with the read and write scopes, made by the
# demo admin (cookie jar in $work/admin-jar); prints it.
admin_token() {
  local csrf
  csrf=$(demo_login "$work/admin-jar" admin | json_string csrf_token)
  curl -sf -b "$work/admin-jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"scopes\":[\"read\",\"write\"]}" "$base/api/v1/tokens" |
    json_string token
}

# teacher_students JAR: the ids of the students in the signed-in teacher's
# first two sections, one a line, at most 40.
teacher_students() {
  curl -sf -b "$1" "$base/api/v1/sections" |
    grep -o '"id":"section-[^"]*"' | head -2 | sed 's/"id":"\(.*\)"/\1/' |
    while read -r s; do curl -sf -b "$1" "$base/api/v1/sections/$s/students"; done |
    grep -o '"id":"student-[0-9]*"' | sed 's/"id":"\(.*\)"/\1/' | head -40
}

# wrk_errors: the non-2xx/3xx responses plus socket errors (connect, read,
# write, timeout) in wrk's report on stdin.
wrk_errors() {
  awk '/Non-2xx or 3xx responses:/ {n += $5} /Socket errors:/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}'
}

# --- checks --------------------------------------------------------------------

passes=0
failures=0

# check NAME COMMAND...: runs COMMAND; counts a pass, or prints "FAIL: NAME"
# and counts a failure.
check() {
  local name="$1"
  shift
  if "$@"; then
    passes=$((passes + 1))
  else
    echo "FAIL: $name"
    failures=$((failures + 1))
  fi
}

# contains TEXT NEEDLE: TEXT holds NEEDLE (a fixed string).
contains() { grep -qF -- "$2" <<<"$1"; }

# finish_checks [OUT ERR]: prints the counts and, after a failure, the
# server's stdout and the end of its stderr; true only if nothing failed.
finish_checks() {
  echo "$passes passed, $failures failed"
  if [ "$failures" -ne 0 ] && [ $# -eq 2 ]; then
    echo "--- server stdout"; cat "$1"; echo "--- server stderr"; tail -20 "$2"
  fi
  test "$failures" -eq 0
}
