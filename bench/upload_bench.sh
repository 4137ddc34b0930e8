#!/usr/bin/env bash
# Upload benchmark: portfolio file uploads to `cairn serve` against nginx
# storing request bodies (client_body_in_file_only) in the same run, with the
# same curl multipart uploads of distinct 2 MB files over loopback.
# Target: Cairn's throughput >= 50% of nginx's, memory flat (peak RSS before
# and after the run printed).
# Usage: bench/upload_bench.sh [path/to/cairn] ; COUNT=1000 SIZE_MB=2 PARALLEL=8
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
cairn="${1:-build/cairn}"
count="${COUNT:-1000}"
size_mb="${SIZE_MB:-2}"
parallel="${PARALLEL:-8}"
require_tools "apt-get install nginx-light curl" nginx curl || exit 1
make_workdir
[ -n "${KEEP:-}" ] && trap - EXIT

echo "generating $count distinct files of $size_mb MB..."
mkdir -p "$work/files"
# Phone photos: a well-formed JPEG header (SOI, a JFIF APP0 segment, a
# start-of-scan segment), then incompressible bytes as the scan, then EOI.
# Type detection and metadata stripping read the header; the bytes are what
# costs. (A bare SOI+APP0 marker and random bytes, as this bench used to
# send, is a corrupt JPEG that the metadata stripper rightly refuses.)
header='\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00'
header+='\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00'
for i in $(seq 1 "$count"); do
  { printf "$header"; head -c "$((size_mb * 1024 * 1024 - 32))" /dev/urandom; printf '\xff\xd9'; } \
    >"$work/files/f$i.bin"
done

"$cairn" demo --db "$work/cairn.db" --students 120 >/dev/null
start_cairn_serve "$cairn" "$work/cairn.db" "$work/serve.out" "$work/serve.err" --no-log
cairn_pid=$server_pid
csrf=$(demo_login "$work/jar" teacher-001 | json_string csrf_token)
# The teacher's students, so the uploads spread over several portfolios.
students=$(teacher_students "$work/jar")
nstudents=$(wc -l <<<"$students")
mapfile -t student_list <<<"$students"

nginx_port=$((port + 1))
mkdir -p "$work/nginx-body"
cat >"$work/nginx.conf" <<CONF
user '$(id -un)';
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_max_body_size 64m;
  server {
    listen 127.0.0.1:$nginx_port;
    # The standard way to make nginx store an upload: the body goes to a
    # file that is kept; the backend only learns its name.
    location /upload {
      client_body_in_file_only on;
      client_body_temp_path $work/nginx-body;
      proxy_pass http://127.0.0.1:$((nginx_port + 1))/done;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-File \$request_body_file;
    }
  }
  server {
    listen 127.0.0.1:$((nginx_port + 1));
    location /done { return 201; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
bg_pids+=($!)
sleep 0.5

rss_peak() { awk '/VmHWM/ {print $2}' "/proc/$cairn_pid/status"; }

export JAR="$work/jar" CSRF="$csrf" FILES="$work/files" NSTUDENTS="$nstudents" FAILS="$work/fails"
# Arrays do not cross exec: each child rebuilds the list from a string.
export STUDENTS_LIST="${student_list[*]}"
: >"$work/fails"
rss_before=$(rss_peak)
export TARGET="$base/api/v1/students/@STUDENT@/artifacts"
cairn_s=$(start=$(date +%s.%N);
  seq 1 "$count" | xargs -P "$parallel" -I{} bash -c '
    STUDENTS=($STUDENTS_LIST); i={}; s=${STUDENTS[$(( (i - 1) % NSTUDENTS ))]}
    url=${TARGET//@STUDENT@/$s}
    code=$(curl -s -o /dev/null -w "%{http_code}" -b "$JAR" -H "X-CSRF-Token: $CSRF" \
      -F "file=@$FILES/f$i.bin;filename=photo-$i.jpg" "$url")
    case "$code" in 2*) ;; *) echo "cairn upload $i: HTTP $code" >&2; echo x >>"$FAILS";; esac
  ' 2>>"$work/errors.txt"; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')
cairn_fail=$(wc -l <"$work/fails")
rss_after=$(rss_peak)
: >"$work/fails"
export TARGET="http://127.0.0.1:$nginx_port/upload"
nginx_s=$(start=$(date +%s.%N);
  seq 1 "$count" | xargs -P "$parallel" -I{} bash -c '
    i={}
    code=$(curl -s -o /dev/null -w "%{http_code}" -F "file=@$FILES/f$i.bin;filename=photo-$i.jpg" "$TARGET")
    case "$code" in 2*) ;; *) echo "nginx upload $i: HTTP $code" >&2; echo x >>"$FAILS";; esac
  ' 2>>"$work/errors.txt"; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')
nginx_fail=$(wc -l <"$work/fails")

total_mb=$((count * size_mb))
printf '%d files x %d MB, %d parallel curls, spread over %d portfolios\n' "$count" "$size_mb" "$parallel" "$nstudents"
printf '%-6s %9s %9s %8s\n' server seconds MB/s failures
printf '%-6s %9s %9.1f %8d\n' cairn "$cairn_s" "$(awk -v m=$total_mb -v s=$cairn_s 'BEGIN {print m / s}')" "$cairn_fail"
printf '%-6s %9s %9.1f %8d\n' nginx "$nginx_s" "$(awk -v m=$total_mb -v s=$nginx_s 'BEGIN {print m / s}')" "$nginx_fail"
ratio=$(awk -v a="$cairn_s" -v b="$nginx_s" 'BEGIN {printf "%.2f", b / a}')
echo "throughput ratio cairn/nginx: $ratio (target >= 0.50)"
echo "cairn peak RSS: ${rss_before} kB before, ${rss_after} kB after $total_mb MB of uploads"
stored=$(find "$work/cairn.db-files/sha256" -type f | wc -l)
echo "blobs stored by cairn: $stored"
[ -s "$work/errors.txt" ] && head -5 "$work/errors.txt"
ok=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.5) ? 1 : 0}')
[ "$ok" = 1 ] && [ "$cairn_fail" = 0 ] && [ "$nginx_fail" = 0 ]
