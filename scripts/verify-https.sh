#!/usr/bin/env bash
# Issue #14's acceptance check: a fresh demo district served over HTTPS, whose
# credentials outside verifiers must accept with nothing special for Cairn.
#
#   scripts/verify-https.sh PATH_TO_CAIRN_BINARY
#
# Makes a throwaway certificate authority and a localhost certificate
# (openssl), creates a demo district, starts `cairn serve --public-url
# https://localhost:PORT` behind a TLS front (web/verify-independent/
# tls-proxy.mjs, standing in for the district's reverse proxy), gives the
# issuer an email and shares one credential (so Open Badges 2.0 is offered),
# then runs web/verify-independent/verify.mjs --live with the test CA trusted
# (NODE_EXTRA_CA_CERTS): keys and controllers are fetched over HTTPS from the
# URLs the credentials name while the proofs are checked. Certificate checks
# stay on. Exits non-zero on any failure.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 PATH_TO_CAIRN_BINARY" >&2
  exit 2
fi
cairn="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/lib.sh
if [ ! -d web/node_modules/@digitalbazaar/vc ]; then (cd web && npm ci --no-audit --no-fund); fi
make_workdir "${TMPDIR:-/tmp}/cairn-https.XXXXXX"

# The test CA and a certificate for localhost (and 127.0.0.1) it signs.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=Cairn verify-https test CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$work/tls.key" -out "$work/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$work/tls.ext"
openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -days 2 -extfile "$work/tls.ext" -out "$work/tls.pem" 2>/dev/null

tls_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
public="https://localhost:$tls_port"
"$cairn" demo --db "$work/https.db" --students 40 --quiet >"$work/demo.log"
start_cairn_serve "$cairn" "$work/https.db" "$work/serve.log" "$work/serve.log" --public-url "$public"
if [ -z "$port" ] || ! wait_for_healthz "$base"; then
  echo "verify-https: the server did not start:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
node web/verify-independent/tls-proxy.mjs --cert "$work/tls.pem" --key "$work/tls.key" \
  --port "$tls_port" --target "$base" >"$work/proxy.log" 2>&1 &
bg_pids+=("$!")
for _ in $(seq 100); do
  curl -sf --cacert "$work/ca.pem" -o /dev/null "$public/healthz" && break
  sleep 0.1
done
echo "verify-https: $public -> $base"

# Open Badges 2.0 needs the issuer's email and a shared credential.
demo_login "$work/admin.jar" admin >"$work/admin.json"
csrf=$(/usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])' <"$work/admin.json")
curl -sf --cacert "$work/ca.pem" -b "$work/admin.jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -X PUT "$base/api/v1/issuers/district-demo/profile" \
  -d '{"name":"Demo Unified School District","email":"badges@demo.cairn.test"}' >/dev/null
demo_login "$work/student.jar" student-00001 >"$work/student.json"
csrf=$(/usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])' <"$work/student.json")
uuid=$(curl -sf -b "$work/student.jar" "$base/api/v1/students/student-00001/credentials" |
  /usr/bin/python3 -c 'import json, sys; print(next(c["uuid"] for c in json.load(sys.stdin)["credentials"] if c["status"] == "valid"))')
curl -sf -b "$work/student.jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -X POST "$base/api/v1/credentials/$uuid/share" -d '{"public":true}' >/dev/null

NODE_EXTRA_CA_CERTS="$work/ca.pem" node web/verify-independent/verify.mjs --live "$public"
