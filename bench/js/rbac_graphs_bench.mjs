// Adversarial role graphs in workerd (Miniflare, local D1), issue 14: `can`,
// `effective_permissions` and `explain_permission` on each graph of
// rbac_graphs.mjs, per call, and divided by the same call on the flat graph
// (target: within 3x). The calls run in chunks inside the test Worker (one
// request per chunk, /many); the time of an empty request is subtracted.
// Each figure is the median over rounds; the graphs' rounds alternate.
// A program, not a test: nothing asserts a time. Needs build/wasm.
//
//   node bench/js/rbac_graphs_bench.mjs [--smoke]
import { performance } from "node:perf_hooks";

import { miniflareTarget } from "../../tests/js/support.mjs";
import { median } from "./measure.mjs";
import { buildGraph, GRAPHS, graphReads } from "./rbac_graphs.mjs";

const smoke = process.argv.includes("--smoke");
const plan = smoke ? { rounds: 2, chunk: 2 } : { rounds: 9, chunk: 40 };
const target = await miniflareTarget();

async function call(op, input) {
  const outcome = await target.outcome(op, input);
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

// Milliseconds for `count` runs of one call inside workerd, one request.
async function chunk([op, input], count) {
  const calls = Array.from({ length: count }, () => ({ op, input }));
  const start = performance.now();
  const { outcomes } = await target.post("/many", { calls });
  const elapsed = performance.now() - start;
  const failed = outcomes.find((o) => !o.ok);
  if (failed) throw new Error(`${op}: ${JSON.stringify(failed)}`);
  return elapsed;
}

try {
  const graphs = {};
  for (const name of Object.keys(GRAPHS)) graphs[name] = await buildGraph(name, call);
  const overheads = [];
  for (let i = 0; i < 20; i++) overheads.push(await chunk(["can", {}], 0));
  const overhead = median(overheads);

  const reads = Object.keys(graphReads(graphs.flat));
  const us = {}; // us[graph][read]
  for (const read of reads) {
    const samples = Object.fromEntries(Object.keys(graphs).map((g) => [g, []]));
    for (const g of Object.keys(graphs)) await chunk(graphReads(graphs[g])[read], plan.chunk); // warm-up
    for (let r = 0; r < plan.rounds; r++) {
      for (const g of Object.keys(graphs)) {
        const ms = await chunk(graphReads(graphs[g])[read], plan.chunk);
        samples[g].push((Math.max(ms - overhead, 0) * 1000) / plan.chunk);
      }
    }
    for (const g of Object.keys(graphs)) (us[g] ??= {})[read] = median(samples[g]);
  }

  console.log("| graph (wasm in workerd, local D1) | roles | depth | " + reads.map((r) => `\`${r}\` µs (x flat)`).join(" | ") + " |");
  console.log("|---|---|---|" + reads.map(() => "---").join("|") + "|");
  for (const [g, graph] of Object.entries(graphs)) {
    const cells = reads.map((r) => `${us[g][r].toFixed(0)} (${(us[g][r] / us.flat[r]).toFixed(2)}x)`);
    console.log(`| ${g} | ${graph.roles} | ${graph.depth} | ${cells.join(" | ")} |`);
  }
  console.log(`\n${plan.rounds} rounds of ${plan.chunk} calls per figure; an empty request (${overhead.toFixed(2)} ms) subtracted.`);
} finally {
  await target.close();
}
