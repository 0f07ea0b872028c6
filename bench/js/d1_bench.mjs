// Setting (b): Miniflare's local D1 in workerd. The bench Worker (bundled with
// Drizzle by esbuild, which wrangler ships) runs each side against its own
// local D1 database holding the same data; node times each request around a
// chunk of operations (workerd's clocks do not advance during execution, so
// time is taken outside), minus the cost of an empty request.
//
//   node bench/js/d1_bench.mjs [--smoke] [--json out.json]
//   node bench/js/d1_bench.mjs --compare other.wasm [--smoke]
//     only the CPU inside workerd, of js-shim/dist/eventuall.wasm (ours) and
//     another build of the core (ours_b), interleaved: what a build flag costs.
//   node bench/js/d1_bench.mjs --split
//     ours and the floor on local D1: time inside the D1 calls and outside them.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { inputsNeeded, measure, median } from "./measure.mjs";
import { latestSnapshotPath, MIGRATIONS, ROOT } from "./snapshot.mjs";
import { OPERATIONS, SIDE_DATABASES, loadBaseData } from "./workload.mjs";

export const PLANS = {
  full: { warmup: 50, rounds: 10, chunk: 30 },
  smoke: { warmup: 2, rounds: 2, chunk: 2 },
};
export const SIDES = Object.keys(SIDE_DATABASES);

/** A bench Worker bundled with Drizzle (esbuild); the wasm modules stay imports. */
export async function bundleWorker(entry = "bench/js/bench_worker.mjs", external = ["./eventuall.wasm", "./eventuall_b.wasm"]) {
  const out = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    external,
    alias: { "bench-snapshot": latestSnapshotPath() },
    logLevel: "warning",
  });
  return out.outputFiles[0].text;
}

/**
 * A Miniflare with the bench Worker and identical local D1 databases, one per
 * side; with `compareWasm`, side ours_b runs that build of the core.
 */
export async function startBenchWorker(poolSize, { sides = SIDES, compareWasm = null } = {}) {
  const ourWasm = readFileSync(path.join(ROOT, "js-shim/dist/eventuall.wasm"));
  const databases = Object.fromEntries(sides.map((s) => [s, SIDE_DATABASES[s] ?? "OURS_B_DB"]));
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: path.join(ROOT, "bench/js/bench_worker.js"), contents: await bundleWorker() },
      { type: "CompiledWasm", path: path.join(ROOT, "bench/js/eventuall.wasm"), contents: ourWasm },
      { type: "CompiledWasm", path: path.join(ROOT, "bench/js/eventuall_b.wasm"), contents: compareWasm ? readFileSync(compareWasm) : ourWasm },
    ],
    compatibilityDate: "2025-01-01",
    d1Databases: { ...Object.fromEntries(sides.map((s) => [databases[s], `bench-${s}`])), WORKERS_DB: "bench-workers" },
  });
  for (const side of sides) {
    const d1 = await mf.getD1Database(databases[side]);
    await applyMigrations(d1, path.join(MIGRATIONS, "webapp"));
    await applySeed(d1, path.join(MIGRATIONS, "seeds/account_user.sql"));
    await loadBaseData(d1, poolSize);
  }
  await applyMigrations(await mf.getD1Database("WORKERS_DB"), path.join(MIGRATIONS, "workers"));
  const post = async (route, body) => {
    const response = await mf.dispatchFetch(`http://bench${route}`, { method: "POST", body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return { mf, post };
}

/** Time of an empty request (subtracted from every chunk). */
async function requestOverhead(post) {
  const samples = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await post("/run", { side: "floor", op: "can", first: 0, count: 0 });
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/**
 * The data layer's own CPU per operation inside workerd: one run of each
 * operation is recorded against local D1, then the side runs again and again
 * on the recorded answers, with no database in the loop.
 */
async function measureCpu(post, plan, overhead, sides = SIDES) {
  const start = inputsNeeded(plan) + 1; // fresh inputs: sign_up's emails are unique
  for (const op of Object.keys(OPERATIONS)) {
    for (const side of sides) await post("/record", { side, op, first: start });
  }
  const runChunk = async (side, op, first, count) => {
    const t0 = performance.now();
    await post("/replay", { side, op, first: start + 1 + first, count });
    return Math.max(0, performance.now() - t0 - overhead);
  };
  // Long chunks: the floor's CPU is a few µs, below the noise of one request.
  return measure(sides, runChunk, { ...plan, chunk: plan.chunk * 20 });
}

/** CPU inside workerd of two builds of the core, interleaved (--compare). */
export async function compareBuilds(plan, compareWasm) {
  const sides = ["ours", "ours_b"];
  const { mf, post } = await startBenchWorker(inputsNeeded(plan) + 2, { sides, compareWasm });
  try {
    for (const op of Object.keys(OPERATIONS)) {
      const seen = {};
      for (const side of sides) seen[side] = JSON.stringify((await post("/run", { side, op, first: 0, count: 1 })).signature);
      if (seen.ours !== seen.ours_b) throw new Error(`builds disagree on ${op}: ${JSON.stringify(seen)}`);
    }
    return await measureCpu(post, plan, await requestOverhead(post), sides);
  } finally {
    await mf.dispose();
  }
}

/** µs per new instance of the compiled module inside workerd (a Worker's cold start pays one). */
async function instantiation(post, count = 100) {
  const timed = async (n) => {
    const t0 = performance.now();
    await post("/instantiate", { count: n });
    return performance.now() - t0;
  };
  const samples = [];
  for (let r = 0; r < 5; r++) samples.push((((await timed(count)) - (await timed(0))) * 1000) / count);
  return median(samples);
}

export async function runD1Bench(plan) {
  // Inputs 0..inputsNeeded for timing, one more for recording (measureCpu).
  const { mf, post } = await startBenchWorker(inputsNeeded(plan) + 2);
  try {
    // Input 0: every side once, they must agree; the round trips per operation.
    const roundTrips = {};
    for (const op of Object.keys(OPERATIONS)) {
      const seen = {};
      roundTrips[op] = {};
      for (const side of SIDES) {
        const r = await post("/run", { side, op, first: 0, count: 1 });
        seen[side] = JSON.stringify(r.signature);
        roundTrips[op][side] = r.roundTrips;
      }
      if (new Set(Object.values(seen)).size !== 1) throw new Error(`sides disagree on ${op}: ${JSON.stringify(seen)}`);
    }
    const overhead = await requestOverhead(post);
    const runChunk = async (side, op, first, count) => {
      const t0 = performance.now();
      await post("/run", { side, op, first: first + 1, count });
      return Math.max(0, performance.now() - t0 - overhead);
    };
    const micros = await measure(SIDES, runChunk, plan);
    const cpuMicros = await measureCpu(post, plan, overhead);
    const { memoryBytes } = await post("/memory", {});
    return { micros, cpuMicros, roundTrips, overheadMs: overhead, instantiateMicros: await instantiation(post), memoryBytes };
  } finally {
    await mf.dispose();
  }
}

/**
 * Where ours and the floor spend a run on local D1 (--split): per operation,
 * µs per call from node, inside the D1 calls and over the whole run as the
 * bench Worker's clock has them, sides interleaved; what is outside D1 on
 * the Worker's clock is the side's own time against the real binding (the
 * replayed CPU is the same code against recorded answers).
 */
export async function splitD1Time(ops = Object.keys(OPERATIONS), count = 40, rounds = 8) {
  const sides = ["ours", "floor"];
  const { mf, post } = await startBenchWorker(2 * count * rounds + 20, { sides });
  try {
    const out = {};
    for (const op of ops) {
      const acc = Object.fromEntries(sides.map((s) => [s, { wall: 0, d1: 0, worker: 0 }]));
      for (const side of sides) await post("/run", { side, op, first: 0, count: 5 });
      let next = 5;
      for (let r = 0; r < rounds; r++) {
        for (const side of r % 2 ? sides : [...sides].reverse()) {
          const t0 = performance.now();
          const res = await post("/run", { side, op, first: next, count });
          acc[side].wall += performance.now() - t0;
          acc[side].d1 += res.d1Ms;
          acc[side].worker += res.allMs;
        }
        next += count;
      }
      const per = (ms) => (ms * 1000) / (count * rounds);
      out[op] = Object.fromEntries(sides.flatMap((s) => [[`${s} wall`, per(acc[s].wall)], [`${s} in D1`, per(acc[s].d1)], [`${s} outside D1`, per(acc[s].worker - acc[s].d1)]]));
    }
    return out;
  } finally {
    await mf.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes("--split")) {
  console.table(await splitD1Time());
} else if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes("--compare")) {
  const other = process.argv[process.argv.indexOf("--compare") + 1];
  const cpu = await compareBuilds(process.argv.includes("--smoke") ? PLANS.smoke : PLANS.full, other);
  console.table(Object.fromEntries(Object.entries(cpu).map(([op, m]) => [op, { ...m, "ours_b / ours": m.ours_b / m.ours }])));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const smoke = process.argv.includes("--smoke");
  const figures = await runD1Bench(smoke ? PLANS.smoke : PLANS.full);
  console.table(figures.micros);
  console.table(figures.cpuMicros);
  console.table(figures.roundTrips);
  console.log({ instantiateMicros: figures.instantiateMicros, memoryBytes: figures.memoryBytes });
  if (process.argv.includes("--json")) writeFileSync(process.argv[process.argv.indexOf("--json") + 1], JSON.stringify(figures, null, 2));
}
