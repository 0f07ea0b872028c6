#!/usr/bin/env bash
# Runs every test: installs what is missing, builds native and wasm, then the
# native doctest suites (ctest), the TypeScript declaration check, and the JS
# suites (node:test) that drive the wasm through sql.js and through workerd.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh

export WRANGLER_SEND_METRICS=false
echo "== native tests (doctest via ctest)"
ctest --test-dir build/native --output-on-failure

echo "== native tests under ASan + UBSan + LeakSanitizer, then a 60 s fuzz smoke run"
scripts/reliability.sh test
scripts/reliability.sh fuzz 60

echo "== migrations agree with the C++ schema (eventuall check)"
build/native/eventuall check webapp
build/native/eventuall check workers

echo "== TypeScript declarations"
npx tsc -p tests/types/tsconfig.json

echo "== JS tests (node:test: wasm over sql.js and in workerd over local D1)"
# The memory test's 100,000 operations take minutes on a shared machine; CI
# runs 20,000 (EVENTUALL_MEMORY_OPERATIONS=100000 for the full run).
EVENTUALL_MEMORY_OPERATIONS="${EVENTUALL_MEMORY_OPERATIONS:-20000}" \
  node --test --test-concurrency=1 tests/js/*.test.mjs
