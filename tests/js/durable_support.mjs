// The fourth way to run the fixtures: webapp operations in workerd over local D1, recording
// operations in the event's Durable Object (js-shim/durable) over its own SQLite. Used by
// fixtures.test.mjs (recording_*.json) and the durable suites.
import path from "node:path";
import { Miniflare } from "miniflare";

import { RECORDING_OPERATIONS } from "../../js-shim/durable/routing.mjs";
import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { MIGRATIONS, ROOT } from "./support.mjs";

export function durableMiniflare(extra = {}) {
  return new Miniflare({
    modules: true,
    scriptPath: path.join(ROOT, "tests/js/workers/durable_test_worker.mjs"),
    modulesRoot: ROOT,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-01-01",
    d1Databases: { DB: "webapp-test", WORKERS_DB: "workers-test" },
    durableObjects: { RECORDINGS: { className: "RecordingObject", useSQLite: true } },
    ...extra,
  });
}

export async function durablePost(mf, route, body) {
  const response = await mf.dispatchFetch(`http://worker${route}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  return response.json();
}

// Several objects' tables as one database, through the D1-shaped calls dumpD1 makes
// (prepare/bind/all): schema reads must agree and are answered once, as is d1_migrations (the
// same in each object); a table's rows are every object's rows.
export function objectsAsD1(mf, events) {
  const statement = (sql, params = []) => ({
    bind: (...values) => statement(sql, values),
    all: async () => {
      const answers = await Promise.all([...events].map((eventId) => durablePost(mf, "/query", { eventId, sql, params })));
      if (/sqlite_master|pragma_table_info|"d1_migrations"/.test(sql)) {
        const texts = new Set(answers.map((a) => JSON.stringify(a)));
        if (texts.size !== 1) throw new Error(`objects disagree on ${sql}: ${[...texts].join(" / ")}`);
        return { results: answers[0] };
      }
      return { results: answers.flat() };
    },
  });
  return { prepare: (sql) => statement(sql) };
}

export async function durableTarget({ seedData = true } = {}) {
  const mf = durableMiniflare();
  const webapp = await mf.getD1Database("DB");
  await applyMigrations(webapp, path.join(MIGRATIONS, "webapp"));
  if (seedData) await applySeed(webapp, path.join(MIGRATIONS, "seeds/account_user.sql"));
  // Which object each call goes to: the input's event, else the event of its session (learnt
  // from outcomes), else the last event created (logs without a session, prune_logs).
  const sessionEvents = new Map();
  const events = new Set();
  let lastEvent = null;
  const learn = (outcome) => {
    const value = outcome?.value;
    if (value?.event?.id) lastEvent = value.event.id;
    for (const session of [value?.session, ...(value?.sessions ?? [])]) {
      if (session?.id) sessionEvents.set(session.id, session.eventId);
    }
    return outcome;
  };
  const target = {
    name: "durable object",
    mf,
    webapp,
    events,
    outcome: async (op, input) => {
      if (!RECORDING_OPERATIONS.includes(op)) return learn(await durablePost(mf, "/call", { op, input }));
      const eventId = input?.eventId ?? sessionEvents.get(input?.sessionId) ?? lastEvent ?? "no-event";
      events.add(eventId);
      return learn(await durablePost(mf, "/recording", { eventId, op, input }));
    },
    setDeterministic: (seed, startMs) => durablePost(mf, "/deterministic", { seed, startMs }),
    // The workers database as the objects hold it together (for dumpD1).
    workers: objectsAsD1(mf, events),
    close: () => mf.dispose(),
  };
  return target;
}
