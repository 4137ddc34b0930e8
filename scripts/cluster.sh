#!/usr/bin/env bash
# Several stateless `cairn serve` processes on one PostgreSQL database behind
# nginx, for trying issue #12 by hand: a throwaway PostgreSQL server (initdb
# and pg_ctl in a folder, a unix socket, no TCP), a demo district loaded once,
# N servers sharing the database and one --files folder, and nginx spreading
# requests over them (round robin). Ctrl-C stops everything.
#
#   scripts/cluster.sh [-n N] [--port PORT] [--dir DIR] [--students N]
#
#   -n N        servers (default 2), on ports PORT+1 .. PORT+N
#   --port      nginx's port (default 8080): open http://127.0.0.1:PORT/
#   --dir       where the database, files and logs go (kept, and reused on the
#               next run); default: a new folder under /tmp, deleted at the end
#   --students  size of the demo district (default 1200)
#
# CAIRN_START_TIMEOUT=seconds bounds each server's start (default 30; a first
# start after a state-sized demo issues its credentials first), and
# CAIRN_SERVE_ARGS adds flags to every `cairn serve` (bench/state_bench.sh
# passes --no-log).
#
# Uses build/cairn (built like scripts/run.sh when missing; CAIRN=path for
# another), PostgreSQL from $CAIRN_PG_BIN or /usr/lib/postgresql/{17,16,15}/bin,
# and nginx. As root, PostgreSQL runs as the `postgres` user and nginx's
# workers as `nobody`.
set -euo pipefail
cd "$(dirname "$0")/.."

servers=2
port=8080
dir=""
students="${CAIRN_DEMO_STUDENTS:-1200}"
while [ $# -gt 0 ]; do
  case "$1" in
    -n) servers="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --students) students="$2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "cluster.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$servers" in ''|*[!0-9]*|0) echo "cluster.sh: -n needs a positive number" >&2; exit 2 ;; esac

cairn="${CAIRN:-build/cairn}"
if [ ! -x "$cairn" ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_BUILD_BENCH=OFF \
    -DCAIRN_BUILD_TESTS=OFF >/dev/null
  cmake --build build --target cairn -j"$(nproc)"
fi
cairn="$(realpath "$cairn")"

pg_bin="${CAIRN_PG_BIN:-}"
if [ -z "$pg_bin" ]; then
  for v in 17 16 15; do
    if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then pg_bin="/usr/lib/postgresql/$v/bin"; break; fi
  done
fi
[ -x "$pg_bin/pg_ctl" ] || { echo "cluster.sh: PostgreSQL server binaries not found (apt-get install postgresql, or set CAIRN_PG_BIN)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "cluster.sh: nginx not found (apt-get install nginx)" >&2; exit 1; }

own_dir=0
if [ -z "$dir" ]; then dir="$(mktemp -d /tmp/cairn-cluster.XXXXXX)"; own_dir=1; fi
mkdir -p "$dir"
dir="$(realpath "$dir")"
pg="$dir/pg"
mkdir -p "$pg" "$dir/nginx" "$dir/logs"

# initdb and postgres refuse to run as root.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$pg"
  chmod 755 "$dir"
  as_pg=(runuser -u postgres --)
fi
pg_run() { "${as_pg[@]}" "$@"; }

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_run "$pg_bin/pg_ctl" -D "$pg/data" -m fast stop >/dev/null 2>&1 || true
  if [ "$own_dir" = 1 ]; then rm -rf "$dir"; else echo "Kept $dir"; fi
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

if [ ! -f "$pg/data/PG_VERSION" ]; then
  pg_run "$pg_bin/initdb" -D "$pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/logs/initdb.log"
fi
pg_run "$pg_bin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w \
  -o "-k $pg -c listen_addresses='' -c max_connections=200" start >/dev/null
uri="postgresql://postgres@/cairn?host=$pg"
if ! pg_run "$pg_bin/psql" -h "$pg" -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'cairn'" postgres | grep -q 1; then
  pg_run "$pg_bin/createdb" -h "$pg" -U postgres cairn
fi

# The demo district, once (the same district and logins as scripts/run.sh).
if [ ! -f "$dir/demo-loaded" ]; then
  echo "Loading a demo district of $students students into PostgreSQL..."
  "$cairn" demo --db "$uri" --students "$students" >"$dir/logs/demo.log"
  touch "$dir/demo-loaded"
fi

wait_healthy() {  # port
  for _ in $(seq 1 $((${CAIRN_START_TIMEOUT:-30} * 10))); do
    curl -fsS -o /dev/null "http://127.0.0.1:$1/healthz" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "cluster.sh: the server on port $1 did not start; see $dir/logs" >&2
  return 1
}

# The first server alone (it creates the master key and issues credentials
# the demo left pending), then the others.
upstream=""
for i in $(seq 1 "$servers"); do
  p=$((port + i))
  "$cairn" serve --db "$uri" --files "$dir/files" --port "$p" --dev \
    --public-url "http://127.0.0.1:$port" ${CAIRN_SERVE_ARGS:-} >"$dir/logs/serve-$i.log" 2>&1 &
  pids+=($!)
  upstream+="    server 127.0.0.1:$p;"$'\n'
  if [ "$i" = 1 ]; then wait_healthy "$p"; fi
done
for i in $(seq 2 "$servers"); do wait_healthy $((port + i)); done

nginx_user=""
if [ "$(id -u)" = 0 ]; then
  nginx_user="user nobody nogroup;"
  chmod 777 "$dir/nginx"
fi
cat >"$dir/nginx/nginx.conf" <<CONF
$nginx_user
worker_processes auto;
pid $dir/nginx/nginx.pid;
error_log $dir/logs/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  client_max_body_size 64m;
  upstream cairn {
$upstream    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://cairn;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_request_buffering off;
    }
  }
}
CONF
nginx -e "$dir/logs/nginx-error.log" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_healthy "$port"

cat <<TEXT

Cairn: $servers servers on one PostgreSQL behind nginx
  open       http://127.0.0.1:$port/
  servers    $(for i in $(seq 1 "$servers"); do printf 'http://127.0.0.1:%s/ ' $((port + i)); done)
  database   $uri
  files      $dir/files
  logs       $dir/logs

Demo logins (password: cairn-demo-2026): teacher-001, student-00001,
guardian-00001, leader-school-1, leader-district, admin.
Ctrl-C stops everything.
TEXT
wait -n "${pids[@]}" || true
echo "cluster.sh: a process ended; see $dir/logs" >&2
