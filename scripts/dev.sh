#!/usr/bin/env bash
# Runs the example Worker (js-shim/example/worker.mjs) on localhost against
# local D1, migrated and seeded:
#
#   scripts/dev.sh                 # http://127.0.0.1:8787
#   PORT=9000 scripts/dev.sh       # another port; extra args go to `wrangler dev`
#
# Idempotent, from a fresh Debian machine: installs missing build packages,
# runs `npm ci` when node_modules is missing or older than package-lock.json,
# builds (scripts/build.sh), applies pending migrations to both databases,
# applies the seed (INSERT OR IGNORE), then execs `wrangler dev`. Local state
# lives in .wrangler/state (delete it to start over).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT="${PORT:-8787}"
# No telemetry, and no fetch of https://workers.cloudflare.com/cf.json for
# request.cf (Miniflare would otherwise try it, with a 3 s timeout, offline).
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false

if [[ -t 2 ]]; then
  log() { printf '\033[1mdev.sh:\033[0m %s\n' "$*" >&2; }
else
  log() { printf 'dev.sh: %s\n' "$*" >&2; }
fi

# --- 1. Debian packages -------------------------------------------------------
missing=()
for pkg in emscripten cmake ninja-build g++ libsqlite3-dev nlohmann-json3-dev doctest-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
# node/npm may come from elsewhere (e.g. NodeSource): check the commands.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then sudo=(sudo); fi
  log "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

node_version="$(node -p 'process.versions.node')"
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=3)?0:1)'; then
  log "node $node_version is too old: wrangler 4 needs node >= 20.3 (Debian 12's nodejs is 18; use NodeSource or Debian 13)"
  exit 1
fi

# --- 2. npm dependencies ------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install.
if [[ ! -d node_modules || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund
fi
wrangler() { npx --no-install wrangler "$@"; }

# --- 3. build native + wasm ---------------------------------------------------
log "building (scripts/build.sh)"
scripts/build.sh all

# --- 4. local D1: migrations and seed -------------------------------------------
# `d1 migrations apply` asks for confirmation; in a non-interactive or CI
# context (CI=true, or no TTY) wrangler answers its own prompt with "yes".
log "migrating local D1 (.wrangler/state)"
CI=true wrangler d1 migrations apply DB --local
CI=true wrangler d1 migrations apply WORKERS_DB --local
log "seeding DB from migrations/seeds/account_user.sql"
CI=true wrangler d1 execute DB --local --file migrations/seeds/account_user.sql

# --- 5. serve -------------------------------------------------------------------
log "serving on http://127.0.0.1:${PORT}"
exec npx --no-install wrangler dev --local --ip 127.0.0.1 --port "$PORT" "$@"
