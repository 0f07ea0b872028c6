// The example Worker (js-shim/example/worker.mjs) with its D1 bindings
// counted: each batch(), and each statement run alone (all/run/first/raw), is
// one D1 round trip. GET /__round_trips answers {webapp, workers, guards} so far; the
// test reads it before and after a request. Sessions (withSession) are
// counted as the database they open.
import worker from "../../../js-shim/example/worker.mjs";

// guards: statements that read d1_migrations (the schema guard and its failure path).
const trips = { webapp: 0, workers: 0, guards: 0 };

function counted(d1, name) {
  if (!d1) return d1;
  const around = (call) => {
    trips[name]++;
    return call();
  };
  const wrap = (st, sql) => ({
    real: st,
    sql,
    bind: (...values) => wrap(st.bind(...values), sql),
    all: () => around(() => st.all()),
    run: () => around(() => st.run()),
    first: (column) => around(() => st.first(column)),
    raw: (options) => around(() => st.raw(options)),
  });
  const binding = {
    prepare: (sql) => wrap(d1.prepare(sql), sql),
    batch: (statements) => {
      trips.guards += statements.filter((s) => s.sql.includes("d1_migrations")).length;
      return around(() => d1.batch(statements.map((s) => s.real)));
    },
    exec: (sql) => around(() => d1.exec(sql)),
  };
  if (typeof d1.withSession === "function") binding.withSession = (b) => counted(d1.withSession(b), name);
  if (typeof d1.getBookmark === "function") binding.getBookmark = () => d1.getBookmark();
  return binding;
}

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/__round_trips") return Response.json(trips);
    return worker.fetch(request, { ...env, DB: counted(env.DB, "webapp"), WORKERS_DB: counted(env.WORKERS_DB, "workers") }, ctx);
  },
};
