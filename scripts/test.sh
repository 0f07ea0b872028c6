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
node --test --test-concurrency=1 tests/js/*.test.mjs
