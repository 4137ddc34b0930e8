#!/usr/bin/env bash
# Soak: mixed reads, durable writes and uploads against `cairn serve` at 256
# connections for a long while (default 10 minutes), sampling the server's
# memory (RSS) and the write-ahead log every 10 s.
# Memory must track the data, not time: the ledger grows with every write, so
# the check is RSS growth per new rating after the first minute's warm-up
# (at most 300 bytes), then a read-only tail (90 s) whose RSS stays within
# 10%. Also: no errors, and the WAL stays bounded (512 MB).
# Usage: bench/soak.sh [path/to/cairn] ; DURATION=600 CONNECTIONS=256
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
cairn="${1:-build/cairn}"
duration="${DURATION:-600}"
conns="${CONNECTIONS:-256}"
require_tools "apt-get install wrk curl" wrk curl || exit 1
make_workdir

"$cairn" demo --db "$work/cairn.db" --students "${STUDENTS:-1200}" >/dev/null
start_cairn_serve "$cairn" "$work/cairn.db" "$work/serve.out" "$work/serve.err" --no-log
server=$server_pid
token=$(admin_token soak)

# Seven reads (progress, evidence, a section grid) for every three writes.
cat >"$work/mixed.lua" <<LUA
local students = ${STUDENTS:-1200}
local levels = {"not_yet", "emerging", "proficient", "advanced"}
local i = 0
-- (A headers table given to wrk.format replaces wrk.headers, -H included.)
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  local s = string.format("student-%05d", (i * 7919) % students + 1)
  local k = i % 10
  if k < 4 then
    return wrk.format("GET", "/api/v1/students/" .. s .. "/progress")
  elseif k < 6 then
    return wrk.format("GET", "/api/v1/students/" .. s .. "/evidence")
  elseif k < 7 then
    return wrk.format("GET", "/api/v1/sections/section-1-alg1-1/grid")
  end
  local round = math.floor(i / students)
  local body = string.format(
    '{"student":"%s","cpe":"M101.%d","level":"%s","demonstrated_on":"2026-01-%02d","note":"soak"}',
    s, (round % 4) + 1, levels[(math.floor(round / 4) % 4) + 1], (i % 28) + 1)
  return wrk.format("POST", "/api/v1/ratings", nil, body)
end
LUA

# Uploads beside the load: a 200 kB JPEG-headed file, one after another.
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00' >"$work/photo.jpg"
head -c 200000 /dev/urandom >>"$work/photo.jpg"
(
  ok=0 failed=0
  end=$((SECONDS + duration))
  while [ $SECONDS -lt $end ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
      -F "file=@$work/photo.jpg" "$base/api/v1/students/student-00001/artifacts" || echo 000)
    if [ "$code" = 201 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
    # New bytes each time: every upload is stored.
    printf '%08d' "$ok" | dd of="$work/photo.jpg" bs=1 seek=40 conv=notrunc status=none
  done
  echo "$ok $failed" >"$work/uploads.txt"
) &
bg_pids+=($!)

ratings() {
  python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1], timeout=30).execute("SELECT COUNT(*) FROM ratings").fetchone()[0])' "$work/cairn.db" 2>/dev/null || echo 0
}
# Samples: seconds, RSS (kB), WAL (bytes), ratings.
(
  while kill -0 "$server" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status" 2>/dev/null || echo 0)
    wal=$(stat -c %s "$work/cairn.db-wal" 2>/dev/null || echo 0)
    echo "$SECONDS $rss $wal $(ratings)" >>"$work/samples.txt"
    sleep 10
  done
) &
bg_pids+=($!)

out=$(wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s -s "$work/mixed.lua" \
  -H "Authorization: Bearer $token" "$base")
sleep 2
# The read-only tail: the same data, only reads.
cat >"$work/reads.lua" <<LUA
local students = ${STUDENTS:-1200}
local i = 0
request = function()
  i = i + 1
  local s = string.format("student-%05d", (i * 7919) % students + 1)
  if i % 2 == 0 then return wrk.format("GET", "/api/v1/students/" .. s .. "/progress") end
  return wrk.format("GET", "/api/v1/students/" .. s .. "/evidence")
end
LUA
rss_now() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
tail_out=$(wrk -t2 -c"$conns" -d10s --timeout 10s -s "$work/reads.lua" -H "Authorization: Bearer $token" "$base")
tail_start=$(rss_now)
tail_out=$(wrk -t2 -c"$conns" -d90s --timeout 10s -s "$work/reads.lua" -H "Authorization: Bearer $token" "$base")
tail_end=$(rss_now)
tail_errors=$(wrk_errors <<<"$tail_out")
read -r uploads upload_failures <"$work/uploads.txt" || { uploads=0; upload_failures=unknown; }
rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
total=$(awk '/requests in/ {print $1}' <<<"$out")
errors=$(wrk_errors <<<"$out")
# RSS and ratings after the first minute vs at the end of the mixed run
# (before the tail); the largest WAL seen.
mixed_end=$(( $(head -1 "$work/samples.txt" | cut -d' ' -f1) + duration ))
read -r rss_start rss_end wal_max r_start r_end < <(awk -v end="$mixed_end" 'NR == 1 {t0 = $1} $1 - t0 >= 60 && !s {s = $2; rs = $4} $1 <= end {e = $2; re = $4} {if ($3 > w) w = $3} END {print s + 0, e + 0, w + 0, rs + 0, re + 0}' "$work/samples.txt")
per_rating=$(awk -v a="$rss_start" -v b="$rss_end" -v x="$r_start" -v y="$r_end" 'BEGIN {printf "%.0f", (y > x) ? (b - a) * 1024 / (y - x) : 0}')
tail_growth=$(awk -v a="$tail_start" -v b="$tail_end" 'BEGIN {printf "%.1f", a ? (b - a) * 100 / a : 0}')
echo "soak: ${duration}s at $conns connections (7 reads : 3 durable writes) + uploads in a loop"
echo "requests: $total ($rps/s), errors: $errors; uploads: $uploads ok, $upload_failures failed"
echo "RSS after 1 min: $((rss_start / 1024)) MB with $r_start ratings; at the end: $((rss_end / 1024)) MB with $r_end ratings: $per_rating bytes per new rating"
echo "read-only tail (90 s): RSS $((tail_start / 1024)) -> $((tail_end / 1024)) MB ($tail_growth%), errors: $tail_errors; largest WAL: $((wal_max / 1048576)) MB"
# What kind of errors, if any (status codes vs socket errors and timeouts).
grep -E "Non-2xx|Socket errors" <<<"$out" | sed 's/^/mixed: /' || true
grep -E "Non-2xx|Socket errors" <<<"$tail_out" | sed 's/^/tail: /' || true
status=0
[ "$errors" = 0 ] && [ "$upload_failures" = 0 ] && [ "$tail_errors" = 0 ] || status=1
awk -v g="$per_rating" 'BEGIN {exit !(g <= 300)}' || status=1
awk -v g="$tail_growth" 'BEGIN {exit !(g <= 10)}' || status=1
[ "$wal_max" -lt $((512 * 1048576)) ] || status=1
[ "$status" = 0 ] && echo "soak: PASSED" || echo "soak: FAILED"
exit "$status"
