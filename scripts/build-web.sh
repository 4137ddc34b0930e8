#!/usr/bin/env bash
# Builds the web app into web/dist. Safe to run again: `npm ci` runs only when
# node_modules is missing or package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null 2>&1; then
  echo "build-web: npm is not installed (Node.js 20.19+ is needed)" >&2
  exit 1
fi

stamp=node_modules/.package-lock.json  # npm writes this on every install
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "build-web: installing dependencies from package-lock.json"
  npm ci --no-audit --no-fund --prefer-offline
fi

npm run build --silent
echo "build-web: built $(pwd)/dist"
