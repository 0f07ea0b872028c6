// Module cost: eventuall.wasm's size raw and gzip, instantiation time in node,
// and the wasm linear memory after many operations (the memory never shrinks,
// so growth here is what a long-lived isolate keeps). Instantiation in workerd
// is measured by d1_bench.mjs through the bench Worker.
//
//   node bench/js/module_cost.mjs [--smoke] [--json out.json]
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { EventuallInstance } from "../../js-shim/eventuall.mjs";
import { median } from "./measure.mjs";
import { ROOT } from "./snapshot.mjs";
import { sqlJsSides } from "./sqljs_bench.mjs";
import { OPERATIONS } from "./workload.mjs";

export async function moduleCost({ operations = 10_000 } = {}) {
  const bytes = readFileSync(path.join(ROOT, "js-shim/dist/eventuall.wasm"));
  const module = new WebAssembly.Module(bytes);
  const samples = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) new EventuallInstance(module);
    samples.push(((performance.now() - t0) * 1000) / 50);
  }

  // Every operation in turn (grant_access needs a pool user per run).
  const ops = Object.keys(OPERATIONS);
  const { sides, instance } = await sqlJsSides(Math.ceil(operations / ops.length) + 1, module);
  const initialBytes = instance.memoryBytes();
  for (let i = 0; i < operations; i++) {
    const op = ops[i % ops.length];
    await sides.ours(op, OPERATIONS[op](Math.floor(i / ops.length)));
  }
  return {
    rawBytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    nodeInstantiateMicros: median(samples),
    operations,
    initialMemoryBytes: initialBytes,
    memoryBytesAfter: instance.memoryBytes(),
    inFlightAfter: instance.inFlight(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await moduleCost(process.argv.includes("--smoke") ? { operations: 60 } : {});
  console.log(figures);
  if (process.argv.includes("--json")) writeFileSync(process.argv[process.argv.indexOf("--json") + 1], JSON.stringify(figures, null, 2));
}
