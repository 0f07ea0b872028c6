#!/usr/bin/env bash
# Runs every test: installs what is missing, builds native and wasm, then the
# native doctest suite under ASan + UBSan + LeakSanitizer with a fuzz smoke run
# (scripts/reliability.sh; the plain build's copy of the suite is not built
# here, for CI's time: `scripts/build.sh && ctest --test-dir build/native`),
# the migration and TypeScript checks, the JS suites (node:test) that drive
# the wasm through sql.js and through workerd, and a smoke run of the
# benchmark program.
#
# The sanitizer job (its own clang build, niced) starts right after setup and
# runs beside the builds and the JS suites, which spend much of their time
# waiting on workerd: on 2 cores that keeps the whole run inside CI's budget.
# Its log is build/reliability.log, printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
phase() { echo "== [$((SECONDS - started)) s] $*"; }

phase "setup"
scripts/setup.sh

# Started first, so that its build fills the cores whenever the main builds
# and the JS suites leave them idle (CI's 20 minutes on 2 cores are CPU-bound).
phase "in the background: native suite under ASan + UBSan + LeakSanitizer, then a 20 s fuzz run"
mkdir -p build
reliability_log=build/reliability.log
(nice -n 5 scripts/reliability.sh test && nice -n 5 scripts/reliability.sh fuzz 20) \
  >"$reliability_log" 2>&1 &
reliability_pid=$!
# A failing step below must not leave the sanitizer job running.
trap 'kill $reliability_pid 2>/dev/null || true' EXIT

phase "build (wasm, native CLI and benches)"
scripts/build.sh tools

export WRANGLER_SEND_METRICS=false

phase "migrations agree with the C++ schema (eventuall check)"
build/native/eventuall check webapp
build/native/eventuall check workers

phase "TypeScript declarations"
scripts/contracts.sh check  # generated from the operations' contracts
npx tsc -p tests/types/tsconfig.json

phase "JS tests (node:test: wasm over sql.js and in workerd over local D1)"
node --test --test-concurrency=1 tests/js/*.test.mjs

phase "benchmark smoke (a program: nothing asserts a time)"
scripts/bench.sh --smoke

phase "waiting for the sanitizer and fuzz job"
if ! wait "$reliability_pid"; then
  cat "$reliability_log"
  echo "test.sh: the sanitizer or fuzz run failed (log above: $reliability_log)" >&2
  exit 1
fi
trap - EXIT
grep -E "test cases|assertions|Done [0-9]+ runs|INITED|stat::number_of_executed_units|cov:" \
  "$reliability_log" | tail -n 8 || true
phase "all tests passed"
