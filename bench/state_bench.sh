#!/usr/bin/env bash
# State benchmark (issue #12): a generated district of state size behind the
# real server, on SQLite and on PostgreSQL. Per engine it measures
#   - empty database to the first /healthz answer: `cairn demo` plus the
#     server's first start, and to the end of the start-up issuance of the
#     credentials of the awards the demo confirmed (the log's "Issued N
#     credentials", or its JSON line when the server issues in the background)
#   - the issuance rate through the API: every award the demo left pending
#     (or --confirmations N of them) confirmed with POST
#     /api/v1/students/{student}/badges/{badge}/award, each issuing its
#     credential; PASS when the last tenth's rate is >= 0.9 of the first's
#   - reads and durable writes at 256 connections against nginx serving a
#     static file in the same run (bench/http_bench.sh on this server);
#     targets reads >= 0.80, writes >= 0.40 of nginx's requests/s
#   - the server's RSS per 1M ratings (after the reads and writes)
# and on PostgreSQL, with scripts/cluster.sh's layout (servers behind nginx),
# the reads and writes through nginx with one server and then two.
#
#   bench/state_bench.sh [--students N] [--engines sqlite,postgres] [--quick]
#                        [--confirmations N] [--cairn PATH]
#
#   --students       district size (default 200000)
#   --engines        which stores (default sqlite,postgres)
#   --quick          a small smoke run: 400 students, 2 s wrk runs
#   --confirmations  at most N confirmations (default: every pending award)
#
# Needs wrk, nginx, curl, python3 and, for postgres, the PostgreSQL server
# binaries (scripts/install-deps.sh installs them). Prints one table; exit
# status 1 when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

students=200000
engines=sqlite,postgres
duration=10s
confirmations=0
cairn=build/cairn
while [ $# -gt 0 ]; do
  case "$1" in
    --students) students="$2"; shift 2 ;;
    --engines) engines="$2"; shift 2 ;;
    --quick) students=400; duration=2s; shift ;;
    --confirmations) confirmations="$2"; shift 2 ;;
    --cairn) cairn="$2"; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "state_bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$students" in ''|*[!0-9]*|0) echo "state_bench.sh: --students needs a positive number" >&2; exit 2 ;; esac
require_tools "apt-get install wrk nginx-light curl python3" wrk nginx curl python3 || exit 1
[ -x "$cairn" ] || { echo "state_bench.sh: no cairn binary at $cairn (scripts/build.sh, or --cairn)" >&2; exit 1; }
cairn="$(realpath "$cairn")"
make_workdir /tmp/cairn-state.XXXXXX
chmod 755 "$work"  # PostgreSQL and nginx run as other users under root
status=0
table=()

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
row() { table+=("$(printf '%-9s %-44s %s' "$1" "$2" "$3")"); echo "  $2: $3"; }

# The server's line saying the start-up issuance is over: "Issued N
# credentials ..." from a server that issues before listening, or the JSON
# log line of one that issues in the background.
issued_line() {
  grep -E 'Issued [0-9]+ credential|"issued credentials for awards confirmed outside the server"' \
    "$1" 2>/dev/null | tail -1
}
issued_count() {  # LOG: "N credentials"
  issued_line "$1" | grep -oE 'Issued [0-9]+|"issued":[0-9]+' | grep -oE '[0-9]+' |
    awk '{print $1 " credentials"}'
}

# wait_ready URL LOG T0 PID [ISSUES]: waits (up to 2 hours) for URL/healthz,
# noting when LOG first says the start-up issuance is over; sets $healthz_s
# and $issued_s (seconds since T0; "-" when the log never said it). With
# ISSUES 1 (a first start: the demo's confirmed awards need credentials) it
# keeps waiting after healthz: until that line while the log says issuance
# runs in the background, else up to 60 s.
wait_ready() {
  local url="$1" log="$2" t0="$3" pid="$4" issues="${5:-0}" healthy_at=""
  healthz_s="-"
  issued_s="-"
  for _ in $(seq 1 72000); do
    if [ "$issued_s" = - ] && [ -n "$(issued_line "$log")" ]; then
      issued_s=$(since "$t0")
    fi
    if [ "$healthz_s" = - ] && curl -sf -o /dev/null "$url/healthz"; then
      healthz_s=$(since "$t0")
      healthy_at=$(now)
    fi
    if [ "$healthz_s" != - ]; then
      [ "$issued_s" != - ] || [ "$issues" = 0 ] && return 0
      grep -q 'issuing credentials for awards confirmed outside the server' "$log" ||
        [ "$(awk -v a="$healthy_at" -v b="$(now)" 'BEGIN {print (b - a > 60)}')" = 0 ] ||
        return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "the server ended; see $log" >&2; return 1; }
    sleep 0.1
  done
  return 1
}

# Sets $token: an API token of the demo admin with the write scope.
make_token() {
  base="$1"
  token=$(admin_token "state bench")
  [ -n "$token" ] || { echo "could not make an API token at $1" >&2; return 1; }
}

# confirm_rate URL: the issuance-rate line of bench/confirm_rate.py (it
# ends in PASS or FAIL).
confirm_rate() {
  python3 bench/confirm_rate.py "$1" "$token" --count "$confirmations" || true
}

# http_ratios URL: bench/http_bench.sh at 256 connections on the running
# server at URL; prints its two result lines (read, write; OK or MISSED),
# or two FAIL lines when it could not run.
http_ratios() {
  local out
  out=$(CAIRN_URL="$1" STUDENTS="$students" CONNS=256 READ_TARGET=0.80 WRITE_TARGET=0.40 \
    DURATION="$duration" bench/http_bench.sh "$cairn" 2>&1) || true
  grep -E '^256 +(read|write) ' <<<"$out" ||
    { echo "$out" >&2; printf '256 read - - - - FAIL -\n256 write - - - - FAIL -\n'; }
}

# fmt_http LINE: "cairn_rps / nginx_rps = ratio (target) errors".
fmt_http() {
  awk '{printf "%s req/s vs nginx %s = %s (%s %s), %s errors", $3, $4, $5, $6, $7, $8}' <<<"$1"
}

rss_per_million() {  # PID RATINGS
  awk -v kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status")" -v r="$2" \
    'BEGIN {printf "%.0f MB RSS (%.0f MB in all, %.2fM ratings)", kb / 1024 / (r / 1e6), kb / 1024, r / 1e6}'
}

# serve_sqlite DIR PORT LOG: starts the server on DIR's database; sets $pid.
serve_sqlite() {
  "$cairn" serve --db "$1/cairn.db" --files "$1/files" --port "$2" --no-log --dev >"$3" 2>&1 &
  pid=$!
  bg_pids+=("$pid")
}

bench_sqlite() {
  local dir="$work/sqlite" t0 p pid ratings line
  mkdir -p "$dir"
  echo "== SQLite, $students students"
  t0=$(now)
  "$cairn" demo --db "$dir/cairn.db" --students "$students" --json >"$dir/demo.json" 2>"$dir/demo.err"
  local demo_s
  demo_s=$(since "$t0")
  ratings=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["ratings"])' "$dir/demo.json")
  row sqlite "demo ($ratings ratings)" "$demo_s s"
  p=$(free_port)
  serve_sqlite "$dir" "$p" "$dir/serve.log"
  wait_ready "http://127.0.0.1:$p" "$dir/serve.log" "$t0" "$pid" 1 || { status=1; return; }
  row sqlite "empty database to first /healthz" "$healthz_s s"
  row sqlite "empty database to start-up issuance done" "$issued_s s ($(issued_count "$dir/serve.log"))"
  make_token "http://127.0.0.1:$p" || { status=1; return; }
  line=$(confirm_rate "http://127.0.0.1:$p")
  row sqlite "award confirmations through the API" "$line"
  local reads writes
  { read -r reads; read -r writes; } < <(http_ratios "http://127.0.0.1:$p")
  row sqlite "reads, 256 connections" "$(fmt_http "$reads")"
  row sqlite "durable writes, 256 connections" "$(fmt_http "$writes")"
  row sqlite "server RSS per 1M ratings" "$(rss_per_million "$pid" "$ratings")"
  stop_cairn_serve "$pid" || true
  # Restart with every credential issued: the issue's cold start (target
  # 30 s), to /healthz and to the first write answered (the writer's index).
  t0=$(now)
  serve_sqlite "$dir" "$p" "$dir/restart.log"
  wait_ready "http://127.0.0.1:$p" "$dir/restart.log" "$t0" "$pid" 0 || { status=1; return; }
  local write_s verdict
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"student":"student-00001","cpe":"M101.1","level":"proficient","demonstrated_on":"2026-01-05","note":"restart"}' \
    "http://127.0.0.1:$p/api/v1/ratings" || status=1
  write_s=$(since "$t0")
  verdict=$(awk -v a="$write_s" 'BEGIN {print (a <= 30) ? "PASS" : "MISSED"}')
  [ "$verdict" = PASS ] || status=1
  row sqlite "restart to /healthz, to first write answered" "$healthz_s s, $write_s s (<=30 $verdict)"
  stop_cairn_serve "$pid" || true
}

# cluster_up N: scripts/cluster.sh with N servers on $pgdir (the demo is
# loaded on the first call only); sets $cluster_pid and, for the first, the
# timings.
cluster_up() {
  local n="$1" t0 issues=0
  [ "$n" = 1 ] && [ ! -f "$pgdir/demo-loaded" ] && issues=1
  t0=$(now)
  CAIRN="$cairn" CAIRN_DEMO_STUDENTS="$students" CAIRN_START_TIMEOUT=7200 \
    CAIRN_SERVE_ARGS=--no-log scripts/cluster.sh -n "$n" --dir "$pgdir" --port "$pg_port" \
    >"$work/cluster-$n.out" 2>&1 &
  cluster_pid=$!
  bg_pids+=("$cluster_pid")
  # The first server's log appears once the demo is loaded.
  for _ in $(seq 1 72000); do
    [ -f "$pgdir/logs/serve-1.log" ] && break
    kill -0 "$cluster_pid" 2>/dev/null || break
    sleep 0.1
  done
  wait_ready "http://127.0.0.1:$((pg_port + 1))" "$pgdir/logs/serve-1.log" "$t0" "$cluster_pid" \
    "$issues" || return 1
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$pg_port/healthz" && return 0
    sleep 0.1
  done
  return 1
}

cluster_down() {
  kill -TERM "$cluster_pid" 2>/dev/null || true
  wait "$cluster_pid" 2>/dev/null || true
  rm -f "$pgdir/logs/serve-"*.log
}

bench_postgres() {
  pgdir="$work/pg"
  pg_port=$(free_port)
  echo "== PostgreSQL, $students students (scripts/cluster.sh)"
  cluster_up 1 || { echo "the cluster did not start; see $work/cluster-1.out" >&2; status=1; return; }
  local demo_s ratings pid line
  demo_s=$(grep -oE 'demo: [0-9]+/[0-9]+ students, [0-9]+ ratings, [0-9]+ s' "$work/cluster-1.out" |
    tail -1 | awk '{print $(NF - 1) " s"}')
  ratings=$(grep -oE '[0-9]+ ratings' "$pgdir/logs/demo.log" | head -1 | awk '{print $1}')
  row postgres "demo ($ratings ratings, after initdb)" "$demo_s"
  row postgres "empty database to first /healthz (+initdb)" "$healthz_s s"
  row postgres "empty database to start-up issuance done" \
    "$issued_s s ($(issued_count "$pgdir/logs/serve-1.log"))"
  local server="http://127.0.0.1:$((pg_port + 1))"
  pid=$(ss -ltnpH "sport = :$((pg_port + 1))" | grep -oE 'pid=[0-9]+' | head -1 | cut -d= -f2)
  make_token "$server" || { status=1; return; }
  line=$(confirm_rate "$server")
  row postgres "award confirmations through the API" "$line"
  local reads writes
  { read -r reads; read -r writes; } < <(http_ratios "$server")
  row postgres "reads, 256 connections" "$(fmt_http "$reads")"
  row postgres "durable writes, 256 connections" "$(fmt_http "$writes")"
  [ -n "$pid" ] && row postgres "server RSS per 1M ratings" "$(rss_per_million "$pid" "$ratings")"

  # One server, then two, behind nginx.
  local one_r one_w two_r two_w
  { read -r one_r; read -r one_w; } < <(http_ratios "http://127.0.0.1:$pg_port")
  cluster_down
  cluster_up 2 || { echo "two servers did not start; see $work/cluster-2.out" >&2; status=1; return; }
  { read -r two_r; read -r two_w; } < <(http_ratios "http://127.0.0.1:$pg_port")
  cluster_down
  local kind a b
  for kind in reads writes; do
    if [ "$kind" = reads ]; then a=$one_r b=$two_r; else a=$one_w b=$two_w; fi
    row postgres "$kind via nginx, 1 server -> 2 servers" \
      "$(awk -v a="$(awk '{print $3}' <<<"$a")" -v b="$(awk '{print $3}' <<<"$b")" \
        -v ea="$(awk '{print $NF}' <<<"$a")" -v eb="$(awk '{print $NF}' <<<"$b")" \
        'BEGIN {printf "%.0f -> %.0f req/s (x%.2f; errors %s -> %s)", a, b, (a > 0 ? b / a : 0), ea, eb}')"
  done
}

IFS=, read -ra wanted <<<"$engines"
for engine in "${wanted[@]}"; do
  case "$engine" in
    sqlite) bench_sqlite ;;
    postgres|postgresql) bench_postgres ;;
    *) echo "state_bench.sh: unknown engine '$engine'" >&2; exit 2 ;;
  esac
done

echo
echo "State benchmark, $students students, $(nproc) cores, wrk runs of $duration"
printf '%s\n' "${table[@]}"
printf '%s\n' "${table[@]}" | grep -qE 'FAIL|MISSED' && status=1
exit "$status"
