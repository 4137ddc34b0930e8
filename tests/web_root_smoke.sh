#!/usr/bin/env bash
# `cairn serve` finds the built web app without --web-root, beside its
# executable: a source checkout (build/cairn and web/dist), a build tree one
# level deeper (build/x/cairn), an install (bin/cairn and share/cairn/web), in
# that order; --web-root wins; with none found it serves the API and says so.
# It warns on stderr when run as root.
# Usage: CAIRN=path/to/cairn tests/web_root_smoke.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cairn="${CAIRN:?set CAIRN to the cairn binary}"
# Beside the binary, so that the copies below can be hard links.
make_workdir "$(dirname "$cairn")/web-root-smoke.XXXXXX" 2>/dev/null || make_workdir

db="$work/cairn.db"
"$cairn" init --db "$db" >/dev/null

# Places the binary at $1 (a hard link when possible: /proc/self/exe then
# names the new path; a symlink would resolve back to the build tree).
place() {
  mkdir -p "$(dirname "$1")"
  ln "$cairn" "$1" 2>/dev/null || cp "$cairn" "$1"
}
page() {  # page DIR MARKER: a one-file web app
  mkdir -p "$1"
  echo "<!doctype html><title>$2</title>" >"$1/index.html"
}

# serve BINARY [ARGS...]: starts it from an empty working directory and
# waits for its URL; sets $base.
serve_cwd="$work/cwd"
mkdir -p "$serve_cwd"
serve() { start_cairn_serve "$1" "$db" "$work/out.txt" "$work/err.txt" --no-log "${@:2}"; }
stop() { stop_cairn_serve || true; }
says() { grep -qF -- "$2" "$1"; }
home_page_has() { curl -sf "$base/" | grep -qF -- "$1"; }

# A source checkout: build/cairn beside web/dist.
place "$work/checkout/build/cairn"
page "$work/checkout/web/dist" checkout-app
serve "$work/checkout/build/cairn"
check "checkout: started" test -n "$port"
check "checkout: logs the web root it chose" says "$work/out.txt" "Web app: $work/checkout/web/dist"
check "checkout: serves that app" home_page_has checkout-app
stop

# --web-root wins over what is found.
page "$work/elsewhere" chosen-app
serve "$work/checkout/build/cairn" --web-root "$work/elsewhere"
check "--web-root: logged" says "$work/out.txt" "Web app: $work/elsewhere"
check "--web-root: served" home_page_has chosen-app
stop

# A build tree one level deeper: tree/build/sub/cairn finds tree/web/dist.
place "$work/tree/build/sub/cairn"
page "$work/tree/web/dist" nested-app
serve "$work/tree/build/sub/cairn"
check "nested build: logs tree/web/dist" says "$work/out.txt" "Web app: $work/tree/web/dist"
check "nested build: serves it" home_page_has nested-app
stop

# An install: prefix/bin/cairn finds prefix/share/cairn/web.
place "$work/prefix/bin/cairn"
page "$work/prefix/share/cairn/web" installed-app
serve "$work/prefix/bin/cairn"
check "install: logs share/cairn/web" says "$work/out.txt" "Web app: $work/prefix/share/cairn/web"
check "install: serves it" home_page_has installed-app
stop

# The checkout's web/dist comes before the install's share/cairn/web.
page "$work/prefix/web/dist" checkout-first
serve "$work/prefix/bin/cairn"
check "order: ../web/dist before ../share/cairn/web" says "$work/out.txt" "Web app: $work/prefix/web/dist"
stop

# Nothing to find: the API still answers, and stderr says where it looked.
place "$work/bare/bin/cairn"
serve "$work/bare/bin/cairn"
check "no app: started" test -n "$port"
check "no app: healthz" grep -q '"status":"ok"' <(curl -sf "$base/healthz")
check "no app: says so on stderr" says "$work/err.txt" "no built web app found"
check "no app: names where it looked" says "$work/err.txt" "$work/bare/share/cairn/web"
check "no app: no web root logged" bash -c "! grep -q 'Web app:' '$work/out.txt'"
if [ "$(id -u)" -eq 0 ]; then
  check "root: warns on stderr" says "$work/err.txt" "warning: serving as root"
else
  check "not root: no warning" bash -c "! grep -q 'serving as root' '$work/err.txt'"
fi
stop

finish_checks "$work/out.txt" "$work/err.txt"
