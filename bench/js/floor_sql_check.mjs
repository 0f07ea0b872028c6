// The floor must send the SQL our core sends (floor_ops.mjs): this runs every
// benchmarked operation once on the core and once on the floor, each over its
// own sql.js database behind the D1 adapter, records the statement texts of
// each side's batch, and throws when they differ (texts and order, not
// values), naming the operation and the first statement that differs. Run by
// sqljs_bench.mjs before it measures, so scripts/bench.sh --smoke (CI) fails
// when the core's SQL changes and the floor does not follow.
//
//   node bench/js/floor_sql_check.mjs    prints "floor sends the core's SQL" or the difference
import path from "node:path";

import { createEventuall, EventuallInstance } from "../../js-shim/eventuall.mjs";
import { createSqlJsD1 } from "../../js-shim/node/d1_sqljs.mjs";
import { loadEventuallModule } from "../../js-shim/node/load_module.mjs";
import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { d1Executor, floorOperations } from "./floor_ops.mjs";
import { MIGRATIONS } from "./snapshot.mjs";
import { OPERATIONS, loadBaseData } from "./workload.mjs";

// The core's once-per-instance check of the applied migrations (the first
// batch of each database): not part of any operation's SQL.
const isSchemaCheck = (text) => text.includes("FROM d1_migrations");

/** A D1 binding that records the statement texts of every batch() into `batches`. */
function recording(d1, batches) {
  const texts = new WeakMap();
  return {
    prepare(text) {
      const statement = d1.prepare(text);
      return {
        bind(...values) {
          const bound = statement.bind(...values);
          texts.set(bound, text);
          return bound;
        },
      };
    },
    batch(statements) {
      batches.push(statements.map((s) => texts.get(s)));
      return d1.batch(statements);
    },
  };
}

async function database() {
  const d1 = await createSqlJsD1();
  await applyMigrations(d1, path.join(MIGRATIONS, "webapp"));
  await applySeed(d1, path.join(MIGRATIONS, "seeds/account_user.sql"));
  await loadBaseData(d1, 2);
  return d1;
}

const shorten = (text) => (text === undefined ? "(no statement)" : text.length > 400 ? `${text.slice(0, 400)}...` : text);

/** Where two lists of statement texts first differ, in words; null when equal. */
export function sqlDifference(core, floor) {
  for (let i = 0; i < Math.max(core.length, floor.length); i++) {
    if (core[i] === floor[i]) continue;
    let at = 0;
    while (core[i] !== undefined && floor[i] !== undefined && core[i][at] === floor[i][at]) at++;
    return (
      `statement ${i} of ${core.length} (the floor sends ${floor.length}) differs` +
      (core[i] !== undefined && floor[i] !== undefined ? ` from character ${at}: core "...${core[i].slice(at, at + 80)}", floor "...${floor[i].slice(at, at + 80)}"` : "") +
      `\n  core:  ${shorten(core[i])}\n  floor: ${shorten(floor[i])}`
    );
  }
  return null;
}

/** Throws unless the floor's batch has the core's statement texts for every operation. */
export async function checkFloorSql(module = loadEventuallModule()) {
  const coreBatches = [];
  const floorBatches = [];
  const workers = await createSqlJsD1();
  await applyMigrations(workers, path.join(MIGRATIONS, "workers"));
  const ev = createEventuall({ webapp: recording(await database(), coreBatches), workers }, { instance: new EventuallInstance(module) });
  const floor = floorOperations(d1Executor(recording(await database(), floorBatches)));
  const problems = [];
  for (const [op, input] of Object.entries(OPERATIONS)) {
    coreBatches.length = 0;
    floorBatches.length = 0;
    await ev.call(op, input(0));
    await floor[op](input(0));
    if (coreBatches.length !== 1 || floorBatches.length !== 1) {
      problems.push(`${op}: the core sent ${coreBatches.length} batches, the floor ${floorBatches.length} (one each expected)`);
      continue;
    }
    const difference = sqlDifference(coreBatches[0].filter((t) => !isSchemaCheck(t)), floorBatches[0]);
    if (difference) problems.push(`${op}: ${difference}`);
  }
  if (problems.length) {
    throw new Error(
      "bench/js/floor_ops.mjs no longer sends the core's SQL (bring it back to the core's statements, see wasm/ops/**):\n" + problems.join("\n"),
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await checkFloorSql();
  console.log("floor sends the core's SQL for every operation");
}
