// Setting (a): one node process, one sql.js (the same SQLite build for all):
// our wasm core through the D1 adapter over sql.js (js-shim/node/d1_sqljs.mjs)
// vs Drizzle's sql-js driver vs the hand-written floor (raw sql.js prepared
// statements). The difference is the data layer's own CPU.
//
//   node bench/js/sqljs_bench.mjs [--smoke] [--json out.json]
import { writeFileSync } from "node:fs";
import path from "node:path";
import { drizzle, PreparedQuery, SQLJsSession } from "drizzle-orm/sql-js";

import { createEventuall, EventuallInstance } from "../../js-shim/eventuall.mjs";
import { createSqlJsD1 } from "../../js-shim/node/d1_sqljs.mjs";
import { loadEventuallModule } from "../../js-shim/node/load_module.mjs";
import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { drizzleSchema } from "./drizzle_schema.mjs";
import { drizzleOperations } from "./drizzle_ops.mjs";
import { d1Executor, floorOperations, sqlJsExecutor } from "./floor_ops.mjs";
import { checkFloorSql } from "./floor_sql_check.mjs";
import { inputsNeeded, measure } from "./measure.mjs";
import { latestSnapshot, MIGRATIONS } from "./snapshot.mjs";
import { OPERATIONS, loadBaseData, signature } from "./workload.mjs";

// drizzle-orm 0.45.4's sql-js session drops the result mapper of relational
// queries (prepareQuery takes no customResultMapper), so findFirst({with})
// returns raw rows, and its get() throws when such a query finds no row.
// Forward the mapper and answer undefined for no row, as the D1 driver does.
class RelationalPreparedQuery extends PreparedQuery {
  get(placeholderValues) {
    if (!this.customResultMapper) return super.get(placeholderValues);
    const rows = this.values(placeholderValues);
    return rows.length ? this.customResultMapper(rows.slice(0, 1)) : undefined;
  }
}
SQLJsSession.prototype.prepareQuery = function (query, fields, executeMethod, isResponseInArrayMode, customResultMapper) {
  const Query = customResultMapper ? RelationalPreparedQuery : PreparedQuery;
  return new Query(this.client, query, this.logger, fields, executeMethod, isResponseInArrayMode, customResultMapper);
};

export const PLANS = {
  full: { warmup: 200, rounds: 15, chunk: 100 },
  smoke: { warmup: 3, rounds: 2, chunk: 3 },
};

async function database(poolSize) {
  const webapp = await createSqlJsD1();
  await applyMigrations(webapp, path.join(MIGRATIONS, "webapp"));
  await applySeed(webapp, path.join(MIGRATIONS, "seeds/account_user.sql"));
  await loadBaseData(webapp, poolSize);
  return webapp;
}

/** The three sides over three identical sql.js databases: name -> (op, input) => Promise<result>. */
export async function sqlJsSides(poolSize, module = loadEventuallModule()) {
  const oursDb = await database(poolSize);
  const workers = await createSqlJsD1();
  await applyMigrations(workers, path.join(MIGRATIONS, "workers"));
  const instance = new EventuallInstance(module);
  const ev = createEventuall({ webapp: oursDb, workers }, { instance });
  const drizzleDb = await database(poolSize);
  const schema = drizzleSchema(latestSnapshot());
  const drizzleOps = drizzleOperations(drizzle(drizzleDb.engine.db, { schema }), schema);
  const floorDb = await database(poolSize);
  const floorOps = floorOperations(sqlJsExecutor(floorDb.engine.db));
  // The floor again, through the same D1 adapter ours goes through (as the
  // floor of setting (b) goes through D1): ours over this one is the cost of
  // the core and the shim alone, the adapter's emulation of D1 being paid by both.
  const floorD1Ops = floorOperations(d1Executor(await database(poolSize)));
  return {
    instance,
    sides: {
      ours: (op, input) => ev.call(op, input),
      drizzle: (op, input) => drizzleOps[op](input),
      floor: (op, input) => floorOps[op](input),
      floor_d1: (op, input) => floorD1Ops[op](input),
    },
  };
}

/** Runs input i of every operation once on every side and fails if they disagree. */
export async function checkAgreement(sides, i) {
  for (const [op, input] of Object.entries(OPERATIONS)) {
    const seen = {};
    for (const [name, run] of Object.entries(sides)) seen[name] = JSON.stringify(signature(op, await run(op, input(i))));
    const distinct = new Set(Object.values(seen));
    if (distinct.size !== 1) throw new Error(`sides disagree on ${op}: ${JSON.stringify(seen)}`);
  }
}

export async function runSqlJsBench(plan) {
  // The floor must send the core's statements, or it is no floor (CI's smoke fails here).
  await checkFloorSql();
  // Input 0 is the agreement check; measured runs start at 1.
  const { sides } = await sqlJsSides(inputsNeeded(plan) + 1);
  await checkAgreement(sides, 0);
  const runChunk = async (side, op, first, count) => {
    const run = sides[side];
    const input = OPERATIONS[op];
    const t0 = performance.now();
    for (let i = first; i < first + count; i++) await run(op, input(i + 1));
    return performance.now() - t0;
  };
  return measure(Object.keys(sides), runChunk, plan);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const smoke = process.argv.includes("--smoke");
  const out = process.argv[process.argv.indexOf("--json") + 1];
  const figures = await runSqlJsBench(smoke ? PLANS.smoke : PLANS.full);
  console.table(figures);
  if (process.argv.includes("--json")) writeFileSync(out, JSON.stringify(figures, null, 2));
}
