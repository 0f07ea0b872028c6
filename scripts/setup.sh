#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine. Idempotent: it
# installs only what is missing and re-runs `npm ci` only when the lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build emscripten binaryen libsqlite3-dev nlohmann-json3-dev doctest-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  as_root=()
  [[ $(id -u) -eq 0 ]] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: node >= 20 and npm are required" >&2
  exit 1
fi

# node_modules/.package-lock.json is written by npm ci; older than the lock
# file means the lock changed since the last install.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
