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

# --- 1-2. Debian packages and npm dependencies (scripts/setup.sh) -------------
scripts/setup.sh
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

# Local secrets for `wrangler dev` (ADMIN_TOKEN for the trusted-caller header).
[[ -f .dev.vars ]] || cp .dev.vars.example .dev.vars

# --- 5. serve -------------------------------------------------------------------
log "serving on http://127.0.0.1:${PORT}"
exec npx --no-install wrangler dev --local --ip 127.0.0.1 --port "$PORT" "$@"
