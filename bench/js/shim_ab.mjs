// Two builds of the JS shim (js-shim/eventuall.mjs) against one wasm, in one
// node process, interleaved: what a change to the shim's own JavaScript is
// worth (d1_bench.mjs --compare swaps only the wasm). Each operation runs once
// against sql.js with its D1 answers recorded; then both shims run it again
// and again on the recorded answers (as bench_worker.mjs's /replay does in
// workerd), in rounds whose side order alternates. Prints µs per operation
// (median over rounds) and a / b (above 1: b is faster). Nothing asserts a time.
//
//   node bench/js/shim_ab.mjs <shim a> <shim b> [--workerd] [--rounds N] [--chunk N] [operation...]
//     --workerd: the same inside workerd (Miniflare, local D1 for the recording;
//     shim_ab_worker.mjs), timed from node around each request, minus an empty one.
//     --profile DIR (with --workerd): instead of timing, a CPU profile of shim b
//     inside workerd per operation (DIR/<op>.cpuprofile, through workerd's inspector).
//   e.g. node bench/js/shim_ab.mjs /work/main/js-shim/eventuall.mjs js-shim/eventuall.mjs can
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createSqlJsD1 } from "../../js-shim/node/d1_sqljs.mjs";
import { loadEventuallModule } from "../../js-shim/node/load_module.mjs";
import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { replaying } from "./d1_intercept.mjs";
import { median } from "./measure.mjs";
import { MIGRATIONS } from "./snapshot.mjs";
import { loadBaseData, OPERATIONS } from "./workload.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return Number(value);
};
const inWorkerd = args.includes("--workerd") && args.splice(args.indexOf("--workerd"), 1);
const profileAt = args.includes("--profile") ? args.splice(args.indexOf("--profile"), 2)[1] : null;
const rounds = flag("--rounds", 20);
const chunk = flag("--chunk", 200);
const [shimA, shimB, ...opArgs] = args;
if (!shimA || !shimB) throw new Error("usage: shim_ab.mjs <shim a> <shim b> [operation...]");
const ops = opArgs.length ? opArgs : Object.keys(OPERATIONS);
// Also accepted as an operation: createEventuall (--workerd only), its cost per request.
if (inWorkerd) {
  console.table(await workerdAB(path.resolve(shimA), path.resolve(shimB), ops, rounds, chunk));
  process.exit(0);
}
const shims = { a: await import(pathToFileURL(path.resolve(shimA))), b: await import(pathToFileURL(path.resolve(shimB))) };

const webapp = await createSqlJsD1();
await applyMigrations(webapp, path.join(MIGRATIONS, "webapp"));
await applySeed(webapp, path.join(MIGRATIONS, "seeds/account_user.sql"));
await loadBaseData(webapp, 20);
const workers = await createSqlJsD1();
const module = loadEventuallModule();

function recording(d1, answers) {
  return { prepare: (s) => d1.prepare(s), batch: async (st) => { const r = await d1.batch(st); answers.push(r); return r; } };
}

const results = {};
for (const op of ops) {
  const answers = [];
  const instances = Object.fromEntries(Object.entries(shims).map(([k, s]) => [k, new s.EventuallInstance(module)]));
  // One real run each first: the schema guard rides an instance's first batch only.
  for (const [i, k] of ["a", "b"].entries()) await shims[k].createEventuall({ webapp, workers }, { instance: instances[k] }).call(op, OPERATIONS[op](i));
  const recorder = shims.a.createEventuall({ webapp: recording(webapp, answers), workers }, { instance: instances.a });
  const first = await recorder.call(op, OPERATIONS[op](2));
  const inputs = Array.from({ length: chunk }, (_, i) => OPERATIONS[op](i + 3));
  const sides = {};
  for (const [k, s] of Object.entries(shims)) {
    const replay = replaying(answers);
    sides[k] = async () => {
      const ev = s.createEventuall({ webapp: replay, workers: replay }, { instance: instances[k] });
      let last;
      const t0 = performance.now();
      for (const input of inputs) last = await ev.call(op, input);
      const t = performance.now() - t0;
      return { t, last };
    };
  }
  const samples = { a: [], b: [] };
  for (const k of ["a", "b", "a", "b"]) await sides[k](); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const k of r % 2 ? ["b", "a"] : ["a", "b"]) {
      const { t, last } = await sides[k]();
      if (r === 0 && JSON.stringify(Object.keys(last ?? {})) !== JSON.stringify(Object.keys(first ?? {}))) throw new Error(`${op}: side ${k} answers differently`);
      samples[k].push((t * 1000) / chunk);
    }
  }
  const a = median(samples.a);
  const b = median(samples.b);
  results[op] = { "a µs": +a.toFixed(2), "b µs": +b.toFixed(2), "a / b": +(a / b).toFixed(3) };
}
console.table(results);

async function workerdAB(a, b, ops, rounds, chunk) {
  ops = [...ops];
  const { build } = await import("esbuild");
  const { Miniflare } = await import("miniflare");
  const { readFileSync, readdirSync } = await import("node:fs");
  // The workerd process Miniflare started (a descendant of this one).
  const workerdPid = () => {
    const parents = new Map();
    for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        parents.set(Number(p), { ppid: Number(fields[1]), comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) });
      } catch {}
    }
    const descends = (p) => { for (let q = p; q > 1; q = parents.get(q)?.ppid ?? 0) if (q === process.pid) return true; return false; };
    const found = [...parents].filter(([p, { comm }]) => comm.startsWith("workerd") && descends(p));
    if (found.length !== 1) throw new Error(`expected one workerd below this process, found ${found.length}`);
    return found[0][0];
  };
  const { ROOT } = await import("./snapshot.mjs");
  const out = await build({
    entryPoints: [path.join(ROOT, "bench/js/shim_ab_worker.mjs")],
    bundle: true, write: false, format: "esm", platform: "browser",
    conditions: ["workerd", "worker", "browser"], external: ["./eventuall.wasm"],
    alias: { "shim-a": a, "shim-b": b }, logLevel: "warning",
  });
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: path.join(ROOT, "bench/js/shim_ab_worker.js"), contents: out.outputFiles[0].text },
      { type: "CompiledWasm", path: path.join(ROOT, "bench/js/eventuall.wasm"), contents: readFileSync(process.env.EVENTUALL_WASM ?? path.join(ROOT, "js-shim/dist/eventuall.wasm")) },
    ],
    compatibilityDate: "2025-01-01",
    d1Databases: { DB: "ab-webapp", WORKERS_DB: "ab-workers" },
    ...(profileAt ? { inspectorPort: 9339 } : {}),
  });
  try {
    const d1 = await mf.getD1Database("DB");
    await applyMigrations(d1, path.join(MIGRATIONS, "webapp"));
    await applySeed(d1, path.join(MIGRATIONS, "seeds/account_user.sql"));
    await loadBaseData(d1, 20);
    await applyMigrations(await mf.getD1Database("WORKERS_DB"), path.join(MIGRATIONS, "workers"));
    // workerd's CPU time (all its threads, ns, from /proc): unlike wall time
    // it does not count the time other jobs on the machine take the core.
    const pid = workerdPid();
    const cpuMs = () => {
      let ns = 0;
      for (const task of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
      return ns / 1e6;
    };
    const post = async (route, body) => {
      const t0 = cpuMs();
      const response = await mf.dispatchFetch(`http://ab${route}`, { method: "POST", body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
      await response.json();
      return cpuMs() - t0;
    };
    const results = {};
    if (profileAt) {
      const { mkdirSync, writeFileSync } = await import("node:fs");
      const { default: WebSocket } = await import("ws");
      mkdirSync(profileAt, { recursive: true });
      await post("/record", { op: ops[0], first: 0 }); // the Worker is up
      const targets = await (await fetch("http://127.0.0.1:9339/json")).json();
      const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
      await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
      let id = 0;
      const pending = new Map();
      ws.on("message", (m) => {
        const msg = JSON.parse(m);
        pending.get(msg.id)?.(msg.result);
      });
      const cdp = (method, params = {}) => new Promise((resolve) => {
        pending.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
      await cdp("Profiler.enable");
      await cdp("Profiler.setSamplingInterval", { interval: 50 });
      for (const op of ops) {
        await post("/record", { op, first: 0 });
        for (let i = 0; i < 4; i++) await post("/replay", { side: "b", op, first: 3, count: chunk });
        await cdp("Profiler.start");
        for (let r = 0; r < rounds; r++) await post("/replay", { side: "b", op, first: 3, count: chunk });
        const { profile } = await cdp("Profiler.stop");
        writeFileSync(path.join(profileAt, `${op}.cpuprofile`), JSON.stringify(profile));
        results[op] = { samples: profile.samples.length };
      }
      ws.close();
      return results;
    }
    if (ops.includes("createEventuall")) {
      // createEventuall and one method read, per request.
      const run = (side, count) => post("/create", { side, count });
      const samples = { a: [], b: [] };
      for (let r = 0; r < rounds; r++) {
        const overhead = median([await run("a", 0), await run("b", 0)]);
        for (const side of r % 2 ? ["b", "a"] : ["a", "b"]) samples[side].push(((await run(side, chunk)) - overhead) * 1000 / chunk);
      }
      const [ma, mb] = [median(samples.a), median(samples.b)];
      results.createEventuall = { "a µs": +ma.toFixed(2), "b µs": +mb.toFixed(2), "a / b": +(ma / mb).toFixed(3) };
      ops = ops.filter((op) => op !== "createEventuall");
    }
    for (const op of ops) {
      await post("/record", { op, first: 0 });
      const run = (side, count) => post("/replay", { side, op, first: 3, count });
      for (const side of ["a", "b", "a", "b"]) await run(side, chunk); // warm up
      const samples = { a: [], b: [] };
      for (let r = 0; r < rounds; r++) {
        const empty = [await run("a", 0), await run("b", 0)];
        const overhead = median(empty);
        for (const side of r % 2 ? ["b", "a"] : ["a", "b"]) samples[side].push(((await run(side, chunk)) - overhead) * 1000 / chunk);
      }
      const ma = median(samples.a);
      const mb = median(samples.b);
      results[op] = { "a µs": +ma.toFixed(2), "b µs": +mb.toFixed(2), "a / b": +(ma / mb).toFixed(3) };
    }
    return results;
  } finally {
    await mf.dispose();
  }
}
