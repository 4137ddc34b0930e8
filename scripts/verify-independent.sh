#!/usr/bin/env bash
# Independent verification of the credentials a running Cairn server issued.
#
#   scripts/verify-independent.sh BASE_URL      e.g. http://127.0.0.1:18090
#
# The server must hold the demo district (`cairn demo`), which confirms some
# awards for student-00001. web/verify-independent/verify.mjs fetches that
# student's credentials, the issuer's controller document and the status list,
# then verifies them offline with Digital Bazaar's libraries (installed by
# `npm ci` in web/), checks a tampered copy fails, validates each credential
# against the 1EdTech OB 3.0 JSON Schema and reads its revocation bit.
# Exits non-zero on any failure.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BASE_URL" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$root/web/node_modules/@digitalbazaar/vc" ]; then
  (cd "$root/web" && npm ci --no-audit --no-fund)
fi
node "$root/web/verify-independent/verify.mjs" "$1"
