// The recording data of each live event in its own Durable Object (js-shim/durable): the
// object migrates itself as wrangler would, refuses a schema it does not know and calls that
// belong to another event, and 100 events recording at once give the outcomes the single
// WORKERS_DB gives. The fixtures' fourth path is in fixtures.test.mjs.
import test, { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";

import { requiredMigrations } from "../../js-shim/dist/manifest.mjs";
import { RECORDING_OPERATIONS } from "../../js-shim/durable/routing.mjs";
import { workersMigrations } from "../../js-shim/durable/workers_migrations.mjs";
import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { BUNDLE, bundleText } from "../../scripts/bundle_durable_migrations.mjs";
import { ACTOR, clipsOf, createEvents, runRound, startSessions } from "../../bench/js/durable_workload.mjs";
import { durableMiniflare, durablePost, objectsAsD1 } from "./durable_support.mjs";
import { MIGRATIONS, dumpD1, wasm } from "./support.mjs";
import { EventuallInstance } from "../../js-shim/eventuall.mjs";

test("the bundled workers migrations are the files in migrations/workers, and the ones the wasm needs", async () => {
  assert.equal(readFileSync(BUNDLE, "utf8"), await bundleText(), "stale: run node scripts/bundle_durable_migrations.mjs");
  assert.deepEqual(
    workersMigrations.map((m) => m.name),
    requiredMigrations.workers,
  );
});

test("RECORDING_OPERATIONS are operations of the core, and every operation named *recording*, *logs*, *clips* or *stage_events*", () => {
  const names = new EventuallInstance(wasm()).operationNames();
  for (const op of RECORDING_OPERATIONS) assert.ok(names.includes(op), op);
  const workersLike = names.filter((n) => /recording|_logs$|_clips$|stage_events/.test(n));
  assert.deepEqual([...workersLike].sort(), [...RECORDING_OPERATIONS].sort());
});

describe("a recording object", () => {
  let mf;
  let event;
  const post = (route, body) => durablePost(mf, route, body);
  const sql = (eventId, text, params = []) => post("/query", { eventId, sql: text, params });

  before(async () => {
    mf = durableMiniflare();
    const webapp = await mf.getD1Database("DB");
    await applyMigrations(webapp, path.join(MIGRATIONS, "webapp"));
    await applyMigrations(await mf.getD1Database("WORKERS_DB"), path.join(MIGRATIONS, "workers"));
    await applySeed(webapp, path.join(MIGRATIONS, "seeds/account_user.sql"));
    [event] = await createEvents(mf, 1);
  });
  after(() => mf?.dispose());

  test("migrates itself on first use and records each file in d1_migrations, as wrangler does", async () => {
    const schema = await post("/schema", { eventId: event.eventId });
    assert.deepEqual(schema.applied, requiredMigrations.workers);
    assert.deepEqual(schema.unknown, []);
    const recorded = await sql(event.eventId, "SELECT id AS id, name AS name FROM d1_migrations ORDER BY id");
    assert.deepEqual(recorded, requiredMigrations.workers.map((name, i) => ({ id: i + 1, name })));
    const tables = await sql(event.eventId, "SELECT sql AS sql FROM sqlite_master WHERE name = 'd1_migrations'");
    const d1 = await mf.getD1Database("WORKERS_DB"); // migrated by applyMigrations, wrangler's bookkeeping
    const wrangler = await d1.prepare("SELECT sql AS sql FROM sqlite_master WHERE name = 'd1_migrations'").all();
    assert.deepEqual(tables, wrangler.results, "the same DDL as wrangler's table");
  });

  test("storageD1 answers as D1 does: empty batches, undefined values and BEGIN refused, booleans as 1/0, a failing batch leaves nothing", async () => {
    const probe = await post("/adapter-probe", { eventId: "adapter-probe" });
    assert.match(probe.emptyBatch.error, /^D1_ERROR: No SQL statements detected/);
    assert.match(probe.undefinedValue.error, /^D1_ERROR: Type 'undefined' not supported/);
    assert.deepEqual(probe.boolean.value, { t: 1, f: 0 });
    assert.deepEqual(probe.blob.value, [[1, 2], "blob"]);
    assert.match(probe.failingBatch.cause, /^UNIQUE constraint failed: probe\.id/);
    assert.equal(probe.afterFailingBatch.value, 0, "the batch's first insert was rolled back");
    assert.equal(probe.changes.value, 2);
    assert.match(probe.begin.cause, /transactionSync/);
    assert.deepEqual(probe.raw.value, [["a", "b"], [1, "x"]]);
  });

  test("a batch is atomic: a failing statement leaves nothing of the call", async () => {
    const [session] = await startSessions(mf, "durable", [event]);
    const before = await sql(event.eventId, "SELECT count(*) AS n FROM stage_events");
    // 600 events (several statements); the last precedes the recording's start: all refused.
    const events = Array.from({ length: 600 }, (_, i) => ({ participantId: `p${i}`, kind: "enter", offsetMs: i, occurredAt: 4_000_000_000 }));
    events.push({ participantId: "late", kind: "enter", offsetMs: 1, occurredAt: 1 });
    const out = await post("/recording", { eventId: event.eventId, op: "append_stage_events", input: { sessionId: session.sessionId, events } });
    assert.equal(out.error?.code, "invalid_input");
    assert.deepEqual(await sql(event.eventId, "SELECT count(*) AS n FROM stage_events"), before);
  });

  test("refuses a call for another event, in the routing or in the input, and writes nothing", async () => {
    const [other] = await createEvents(mf, 1);
    const dump = await dumpD1(objectD1(event.eventId));
    const misrouted = await post("/raw", {
      objectName: event.eventId,
      eventId: other.eventId,
      op: "start_recording",
      input: { actorUserId: ACTOR, eventId: other.eventId, roomId: other.roomId, idempotencyKey: "misrouted" },
    });
    assert.equal(misrouted.error?.code, "invalid_input");
    const mismatched = await post("/recording", {
      eventId: event.eventId,
      op: "start_recording",
      input: { actorUserId: ACTOR, eventId: other.eventId, roomId: other.roomId, idempotencyKey: "mismatched" },
    });
    assert.equal(mismatched.error?.code, "invalid_input");
    const webappOp = await post("/recording", { eventId: event.eventId, op: "create_account", input: { actorUserId: ACTOR, name: "x" } });
    assert.equal(webappOp.error?.code, "invalid_input");
    assert.equal(await dumpD1(objectD1(event.eventId)), dump);
  });

  test("two first calls naming different events at once: the object binds to one and refuses the other", async () => {
    const call = (eventId) =>
      post("/raw", { objectName: "fresh-object", eventId, op: "append_logs", input: { lines: [{ layer: "service", message: eventId }] } });
    const outcomes = await Promise.all([call("first-event"), call("second-event")]);
    assert.deepEqual(outcomes.map((o) => o.ok).sort(), [false, true], JSON.stringify(outcomes));
    assert.equal(outcomes.find((o) => !o.ok).error.code, "invalid_input");
    assert.equal((await post("/schema", { eventId: "fresh-object" })).event, outcomes[0].ok ? "first-event" : "second-event");
  });

  test("permission checks still read the webapp D1: a stranger sees nothing, the owner their session", async () => {
    const out = await post("/recording", {
      eventId: event.eventId,
      op: "list_recordings",
      input: { actorUserId: "seedusermomentus00000001", eventId: event.eventId },
    });
    assert.equal(out.error?.code, "not_found", "an event the actor may not see is not found");
    const mine = await post("/recording", { eventId: event.eventId, op: "list_recordings", input: { actorUserId: ACTOR, eventId: event.eventId } });
    assert.equal(mine.value.sessions.length, 1);
  });

  test("an object migrated by a newer release answers schema_mismatch and writes nothing", async () => {
    const [newer] = await createEvents(mf, 1);
    await startSessions(mf, "durable", [newer]);
    await sql(newer.eventId, "INSERT INTO d1_migrations (name) VALUES ('9999_from_the_future.sql')");
    await post("/restart", { eventId: newer.eventId });
    const dump = await dumpD1(objectD1(newer.eventId));
    const out = await post("/recording", {
      eventId: newer.eventId,
      op: "append_logs",
      input: { lines: [{ layer: "service", message: "must not land" }] },
    });
    assert.equal(out.error?.code, "schema_mismatch");
    assert.match(out.error.message, /9999_from_the_future\.sql/);
    assert.equal(await dumpD1(objectD1(newer.eventId)), dump);
  });

  const objectD1 = (eventId) => objectsAsD1(mf, [eventId]);

  // 100 events at once, each in its own object, against the same calls on the one WORKERS_DB.
  // Modest sizes for CI; bench/js/durable_bench.mjs runs the big burst.
  test("100 events recording at once in their own objects give the single-D1 outcomes", async () => {
    const workers = await mf.getD1Database("WORKERS_DB");
    const events = await createEvents(mf, 100);
    const sizes = { participants: 10, lines: 20 };
    const results = {};
    for (const layout of ["d1", "durable"]) {
      const sessions = await startSessions(mf, layout, events);
      const { outcomes } = await runRound(mf, layout, sessions, 0, sizes);
      results[layout] = { outcomes, clips: await clipsOf(mf, layout, sessions) };
    }
    assert.ok(results.d1.outcomes.every((o) => o.ok), JSON.stringify(results.d1.outcomes.find((o) => !o.ok)));
    assert.deepEqual(results.durable.outcomes, results.d1.outcomes);
    assert.deepEqual(results.durable.clips, results.d1.clips);
    assert.equal(results.d1.clips[0].clips, 10, "10 participants entered and left");
    // generate_clips read back every stage event (its stageEvents count); the logs, row for row:
    // the objects together hold what the one D1 holds of these events.
    const ids = JSON.stringify(events.map((e) => e.eventId));
    const count =
      "SELECT count(*) AS n FROM cloudcaster_logs WHERE session_id IN " +
      "(SELECT id FROM cloudcaster_sessions WHERE event_id IN (SELECT value FROM json_each(?)))";
    const one = (await workers.prepare(count).bind(ids).first()).n;
    const each = await Promise.all(events.map(({ eventId }) => sql(eventId, count, [ids])));
    assert.equal(each.reduce((n, rows) => n + rows[0].n, 0), one);
    assert.equal(one, 100 * (sizes.lines + 1), "each session: its start line and the burst's");
  });
});
