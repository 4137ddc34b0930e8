#!/usr/bin/env bash
# Installs the Debian packages Cairn builds and tests with. Idempotent: only
# calls apt-get when something is missing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

packages=(
  build-essential cmake pkg-config git
  libsqlite3-dev nlohmann-json3-dev libcli11-dev libsodium-dev libboost1.81-dev
  libssl-dev zlib1g-dev libpng-dev libjpeg62-turbo-dev libcairo2-dev libpoppler-glib-dev libarchive-dev libjemalloc-dev
  libxlsxwriter-dev libqrencode-dev postgresql-15 libpq-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-aiosmtpd curl openssl wrk nginx-light iproute2
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
