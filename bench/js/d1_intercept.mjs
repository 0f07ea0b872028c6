// D1 bindings wrapped for the bench Workers (bench_worker.mjs, latency_worker.mjs).
import { D1PreparedQuery } from "drizzle-orm/d1";

// drizzle-orm 0.45.4's D1 driver hands a relational findFirst that finds no
// row inside db.batch() to its result mapper as [undefined], which throws;
// answer undefined, as findFirst does outside a batch.
const mapGetResult = D1PreparedQuery.prototype.mapGetResult;
D1PreparedQuery.prototype.mapGetResult = function (result, isFromBatch) {
  if (isFromBatch && this.customResultMapper && result.results.length === 0) return undefined;
  return mapGetResult.call(this, result, isFromBatch);
};

// A D1 binding whose every round trip — a batch(), or a statement run alone
// (all/run/first/raw) — goes through `around(call)`. Statements are
// unwrapped before they reach D1.
export function intercepted(d1, around) {
  const wrap = (st) => ({
    real: st,
    bind: (...values) => wrap(st.bind(...values)),
    all: () => around(() => st.all()),
    run: () => around(() => st.run()),
    first: (column) => around(() => st.first(column)),
    raw: (options) => around(() => st.raw(options)),
  });
  return {
    prepare: (sql) => wrap(d1.prepare(sql)),
    batch: (statements) => around(() => d1.batch(statements.map((s) => s.real))),
  };
}

// A binding that answers every round trip with the next of `answers` (recorded
// from a real one, in order): the side's own code runs with no database.
export function replaying(answers) {
  let next = 0;
  const answer = async () => answers[next++ % answers.length];
  const statement = { bind: () => statement, all: answer, run: answer, first: answer, raw: answer };
  return { prepare: () => statement, batch: answer };
}
