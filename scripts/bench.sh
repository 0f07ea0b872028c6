#!/usr/bin/env bash
# The benchmarks (a program, not a test: nothing asserts a time). Runs the
# native benchmarks (bench/*_bench.cpp), the side-by-side with Drizzle in node
# over sql.js (a) and in workerd over local D1 (b), the example Worker's HTTP
# routes against a Drizzle Worker with every D1 round trip delayed (c), and the
# module cost, then writes the figures into BENCHMARKS.md's generated section.
#
# Usage: scripts/bench.sh           full run (several minutes), updates BENCHMARKS.md
#        scripts/bench.sh --smoke   tiny run for CI (< 60 s): checks every side runs
#                                   and agrees; prints the tables, writes nothing
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

smoke=""
case "${1:-}" in
  "") ;;
  --smoke) smoke="--smoke" ;;
  *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
esac

scripts/setup.sh
scripts/build.sh tools
export WRANGLER_SEND_METRICS=false

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== native benchmarks"
for program in build/native/eventuall_bench_*; do
  name=${program#build/native/eventuall_bench_}
  case "$name" in
    rbac) args=$([[ -n $smoke ]] && echo 100 || echo 5000) ;;
    *) args=$smoke ;;
  esac
  # shellcheck disable=SC2086
  "$program" $args | tee "$out/native_$name.md"
done

echo "== bulk: recording through the wasm over sql.js"
# shellcheck disable=SC2086
node bench/recording_bench.mjs $smoke | tee "$out/wasm_recording.md"

echo "== (a) node: wasm over sql.js vs Drizzle sql-js vs floor"
node bench/js/sqljs_bench.mjs $smoke --json "$out/sqljs.json"
echo "== (b) workerd: local D1, our shim vs Drizzle d1 vs floor"
node bench/js/d1_bench.mjs $smoke --json "$out/d1.json"
if [[ -z $smoke ]]; then
  # Building its graphs takes ~250 requests: left out of the CI smoke (the
  # native twin, in eventuall_bench_rbac, runs there).
  echo "== adversarial role graphs in workerd"
  node bench/js/rbac_graphs_bench.mjs | tee "$out/workerd_rbac_graphs.md"
fi

echo "== (c) workerd: production latency, the example Worker vs a Drizzle Worker, D1 delayed"
node bench/js/latency_bench.mjs $smoke --json "$out/latency.json"
echo "== module cost"
node bench/js/module_cost.mjs $smoke --json "$out/module.json"
echo "== recording bursts: 1 D1 vs one Durable Object per event (Miniflare)"
# Not in the smoke: tests/js/durable.test.mjs already runs the same burst and compares the layouts.
if [[ -z $smoke ]]; then node bench/js/durable_bench.mjs --write BENCHMARKS.md; fi

if [[ -n $smoke ]]; then
  node bench/js/report.mjs "$out"
else
  node bench/js/report.mjs "$out" BENCHMARKS.md
  echo "bench.sh: BENCHMARKS.md updated"
fi
