#!/usr/bin/env bash
# `cairn serve` as a process: starts on a free port, answers the API, writes
# durably, and stops gracefully on SIGTERM (exit 0, in-flight work kept).
# Usage: CAIRN=path/to/cairn tests/serve_smoke.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cairn="${CAIRN:?set CAIRN to the cairn binary}"
make_workdir

db="$work/cairn.db"
"$cairn" demo --db "$db" --students 40 --seed 5 >/dev/null

start() { start_cairn_serve "$cairn" "$db" "$work/out.txt" "$work/err.txt" --no-log; }

start
check "server printed its URL" test -n "$port"
check "healthz" grep -q '"status":"ok"' <(curl -sf "$base/healthz")
csrf=$(demo_login "$work/jar" teacher-001 | json_string csrf_token)
check "login gives a CSRF token" test -n "$csrf"
status=$(curl -s -o "$work/rating.json" -w '%{http_code}' -b "$work/jar" -H "X-CSRF-Token: $csrf" \
  -H 'Content-Type: application/json' \
  -d '{"student":"student-00001","cpe":"M101.1","level":"advanced","demonstrated_on":"2026-01-20","note":"kept"}' \
  "$base/api/v1/ratings")
check "rating recorded (201)" test "$status" = 201
# Uploads stream through the server into the portfolio's blob store.
# A JPEG's header (SOI, JFIF, start of scan), then 3 MB of "scan data".
jpeg_head='\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00'
jpeg_scan='\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00'
{ printf "$jpeg_head$jpeg_scan"; head -c 3000000 /dev/urandom; } >"$work/photo.jpg"
upload=$(curl -s -b "$work/jar" -H "X-CSRF-Token: $csrf" -F "file=@$work/photo.jpg;filename=page 1.jpg" \
  "$base/api/v1/students/student-00001/artifacts")
check "a 3 MB photo uploads (201)" grep -q '"mime":"image/jpeg"' <<<"$upload"
sha=$(sha256sum "$work/photo.jpg" | cut -d' ' -f1)
check "stored under its SHA-256" grep -q "\"sha256\":\"$sha\"" <<<"$upload"
# A phone photo's EXIF (here a GPS note) is not stored.
{ printf "$jpeg_head"'\xff\xe1\x00\x1aExif\x00\x00MM GPS-SECRET-HOME'"$jpeg_scan"; head -c 1000 /dev/urandom; } >"$work/gps.jpg"
gps=$(curl -s -b "$work/jar" -H "X-CSRF-Token: $csrf" -F "file=@$work/gps.jpg" \
  "$base/api/v1/students/student-00001/artifacts")
gps_id=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$gps")
curl -s -b "$work/jar" -o "$work/gps-back.jpg" "$base/api/v1/artifacts/$gps_id"
check "a photo's location is stripped before it is stored" \
  test "$(grep -c GPS-SECRET "$work/gps-back.jpg")" = 0 -a -s "$work/gps-back.jpg"
check "no stored blob holds it" test "$(grep -rl GPS-SECRET "$db-files/sha256" | wc -l)" = 0
blobs_before=$(find "$db-files/sha256" -type f | wc -l)
{ printf '\xff\xd8\xff\xe0'; head -c 1000000 /dev/urandom; } >"$work/stranger.jpg"
status=$(curl -s -o /dev/null -w '%{http_code}' -F "file=@$work/stranger.jpg" \
  "$base/api/v1/students/student-00001/artifacts")
check "an anonymous upload is 401" test "$status" = 401
check "and stores nothing" test "$(find "$db-files/sha256" -type f | wc -l)" = "$blobs_before"
printf 'MZ\x90\x00 not a photo' >"$work/fake.jpg"
refused=$(curl -s -b "$work/jar" -H "X-CSRF-Token: $csrf" -F "file=@$work/fake.jpg" \
  "$base/api/v1/students/student-00001/artifacts")
check "a program named .jpg is refused, named" grep -q '"message":"fake.jpg: ' <<<"$refused"
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$work/jar" "$base/api/v1/students/student-00039/progress")
check "another teacher's student is 403" test "$status" = 403

# The demo's confirmed awards got credentials at start; one verifies from the
# outside (keys and status list fetched over HTTP), and a tampered copy fails.
demo_login "$work/sjar" student-00001 >/dev/null
uuid=$(curl -sf -b "$work/sjar" "$base/api/v1/students/student-00001/credentials" |
  sed -n 's/.*"uuid":"\([^"]*\)".*/\1/p' | head -1)
check "the demo student has a credential" test -n "$uuid"
curl -sf -b "$work/sjar" "$base/api/v1/credentials/$uuid/badge.png" -o "$work/badge.png"
check "cairn verify accepts the baked badge" "$cairn" verify "$work/badge.png"
curl -sf -b "$work/sjar" "$base/api/v1/credentials/$uuid" | sed 's/"awardedDate":"2/"awardedDate":"1/' >"$work/tampered.json"
check "cairn verify refuses a tampered copy" bash -c "! '$cairn' verify '$work/tampered.json' >/dev/null"

code=0
stop_cairn_serve || code=$?
check "SIGTERM exits 0" test "$code" -eq 0
check "says it stopped" grep -q "Cairn stopped." "$work/out.txt"

# The acknowledged rating survived the stop.
start
demo_login "$work/jar" teacher-001 >/dev/null
check "rating kept across restart" grep -q '"note":"kept"' \
  <(curl -sf -b "$work/jar" "$base/api/v1/students/student-00001/evidence")
stop_cairn_serve || true

finish_checks "$work/out.txt" "$work/err.txt"
