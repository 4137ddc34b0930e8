#!/usr/bin/env bash
# HTTP benchmark: `cairn serve` against nginx in the same run, with wrk.
#   reads:  GET /api/v1/students/{id}/progress (a teacher's session, 40
#           students in rotation) vs nginx serving a static JSON file of the
#           same size as a progress response
#   writes: POST /api/v1/ratings (durable: SQLite WAL, synchronous=FULL) as
#           an integration would send them (an API token with the write
#           scope), spread over the district's students, the four CPEs of
#           M101, the levels and the days of a month
# at 64 and 256 connections. Targets: reads >= 50% of nginx's requests/s,
# writes >= 25%, zero errors.
# Usage: bench/http_bench.sh [path/to/cairn] ; DURATION=10s STUDENTS=1200
#   CAIRN_URL=http://127.0.0.1:PORT  measure a running server of a demo
#                district of STUDENTS students instead of starting one
#                (bench/state_bench.sh does, on its state-sized district)
#   CONNS="64 256"  connection counts; READ_TARGET=0.50 WRITE_TARGET=0.25
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
cairn="${1:-build/cairn}"
duration="${DURATION:-10s}"
require_tools "apt-get install wrk nginx-light curl" wrk nginx curl || exit 1
make_workdir
# nginx's workers run as an unprivileged user: mktemp's 0700 directory would
# get every request a 403 (as this script's first versions did, unnoticed).
chmod 755 "$work"

if [ -n "${CAIRN_URL:-}" ]; then
  base="${CAIRN_URL%/}"
  nginx_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
else
  "$cairn" demo --db "$work/cairn.db" --students "${STUDENTS:-1200}" --quiet >/dev/null
  start_cairn_serve "$cairn" "$work/cairn.db" "$work/serve.out" "$work/serve.err" --no-log
  nginx_port=$((port + 1))
fi
demo_login "$work/jar" teacher-001 >/dev/null
cookie="cairn_session=$(awk '$6 == "cairn_session" {print $7}' "$work/jar")"

# The students this teacher may read and write.
students=$(teacher_students "$work/jar" | tr '\n' ' ')

# The integration's token, made by the admin.
token=$(admin_token "bench integration")

mkdir -p "$work/static"
curl -sf -b "$work/jar" "$base/api/v1/students/$(cut -d' ' -f1 <<<"$students")/progress" \
  >"$work/static/progress.json"
size=$(stat -c %s "$work/static/progress.json")

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  types { application/json json; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/static;
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
bg_pids+=($!)
sleep 0.5
# The peer must really serve the file, byte for byte.
served=$(curl -s -o "$work/nginx-check.json" -w '%{http_code}' "http://127.0.0.1:$nginx_port/progress.json")
if [ "$served" != 200 ] || ! cmp -s "$work/nginx-check.json" "$work/static/progress.json"; then
  echo "nginx does not serve the file (HTTP $served); see $work/nginx-error.log"
  exit 1
fi

cat >"$work/reads.lua" <<LUA
local students = {}
for s in string.gmatch("$students", "%S+") do table.insert(students, s) end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/students/" .. students[(i % #students) + 1] .. "/progress")
end
LUA
# Consecutive requests go to different students, and each student's CPE,
# level and day change from one round to the next (an evidence history of
# realistic length, not thousands of ratings on one CPE).
cat >"$work/writes.lua" <<LUA
local students = ${STUDENTS:-1200}
local levels = {"not_yet", "emerging", "proficient", "advanced"}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  local round = math.floor(i / students)
  local body = string.format(
    '{"student":"student-%05d","cpe":"M101.%d","level":"%s","demonstrated_on":"2026-01-%02d","note":"bench"}',
    (i % students) + 1, (round % 4) + 1, levels[(math.floor(round / 4) % 4) + 1], (i % 28) + 1)
  return wrk.format("POST", "/api/v1/ratings", nil, body)
end
LUA

# Runs wrk; prints "requests_per_second errors".
run() {
  local out
  out=$(wrk -t2 -c"$1" -d"$duration" "${@:2}")
  local rps errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  errors=$(wrk_errors <<<"$out")
  echo "$rps $errors"
}

echo "progress response: $size bytes; $(wc -w <<<"$students") students in rotation; $duration per run"
printf '%-6s %-7s %14s %14s %8s %8s %s\n' conns kind cairn_rps nginx_rps ratio target errors
status=0
for c in ${CONNS:-64 256}; do
  read -r nginx_rps nginx_err < <(run "$c" "http://127.0.0.1:$nginx_port/progress.json")
  [ "$nginx_err" = 0 ] || { echo "nginx answered $nginx_err requests with errors"; status=1; }
  read -r read_rps read_err < <(run "$c" -s "$work/reads.lua" -H "Cookie: $cookie" "$base")
  read -r write_rps write_err < <(run "$c" -s "$work/writes.lua" -H "Authorization: Bearer $token" "$base")
  for kind in read write; do
    rps=${kind}_rps; err=${kind}_err
    target=$([ "$kind" = read ] && echo "${READ_TARGET:-0.50}" || echo "${WRITE_TARGET:-0.25}")
    ratio=$(awk -v a="${!rps}" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')
    ok=$(awk -v r="$ratio" -v t="$target" 'BEGIN {print (r >= t) ? "OK" : "MISSED"}')
    [ "$ok" = OK ] && [ "${!err}" = 0 ] || status=1
    printf '%-6s %-7s %14s %14s %8s %8s %s\n' "$c" "$kind" "${!rps}" "$nginx_rps" "$ratio" ">=$target $ok" "${!err}"
  done
done
exit "$status"
