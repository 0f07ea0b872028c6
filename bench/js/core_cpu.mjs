// How much of each operation is ours (core + shim) in setting (a): the time of
// an operation minus the time inside the D1 binding's batch() (adapter + sql.js).
// A diagnostic beside sqljs_bench.mjs, not part of bench.sh; profile the core
// with it by relinking the wasm with --profiling-funcs and running node
// --cpu-prof with EVENTUALL_WASM=<that wasm>.
//
//   node bench/js/core_cpu.mjs [operation...]
import path from "node:path";
import { createEventuall, EventuallInstance } from "../../js-shim/eventuall.mjs";
import { createSqlJsD1 } from "../../js-shim/node/d1_sqljs.mjs";
import { loadEventuallModule } from "../../js-shim/node/load_module.mjs";
import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { MIGRATIONS } from "./snapshot.mjs";
import { loadBaseData, OPERATIONS } from "./workload.mjs";
const N = 400; // runs per operation (the first 50 warm up)
const webapp = await createSqlJsD1();
await applyMigrations(webapp, path.join(MIGRATIONS, "webapp"));
await applySeed(webapp, path.join(MIGRATIONS, "seeds/account_user.sql"));
await loadBaseData(webapp, 2 * N + 10);
const workers = await createSqlJsD1();
let inBatch = 0;
const wrap = (d1) => ({ prepare: (s) => d1.prepare(s), batch: async (st) => { const t = performance.now(); const r = await d1.batch(st); inBatch += performance.now() - t; return r; } });
const instance = new EventuallInstance(loadEventuallModule());
const ev = createEventuall({ webapp: wrap(webapp), workers }, { instance });
const ops = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(OPERATIONS).filter((o) => o !== "list_participants");
for (const op of ops) {
  for (let i = 0; i < 50; i++) await ev.call(op, OPERATIONS[op](i));
  inBatch = 0;
  const t0 = performance.now();
  for (let i = 50; i < N; i++) await ev.call(op, OPERATIONS[op](i));
  const total = (performance.now() - t0) * 1000 / (N - 50);
  const b = inBatch * 1000 / (N - 50);
  console.log(op.padEnd(16), "total", total.toFixed(0), "µs  in db.batch", b.toFixed(0), "µs  core+shim", (total - b).toFixed(0), "µs");
}
