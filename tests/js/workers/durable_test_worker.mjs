// A Worker for the Durable Object suites: webapp operations run here against env.DB, recording
// operations in the event's RecordingObject (js-shim/durable), and both share this isolate's
// one wasm instance (workerd runs a Worker's objects in its isolate), so a deterministic run
// gives the ids the native and single-D1 runs give.
import { createEventuall } from "../../../js-shim/eventuall.mjs";
import { defineRecordingObject } from "../../../js-shim/durable/define.mjs";
import { recordingObjectFor, recordingOutcome } from "../../../js-shim/durable/routing.mjs";
import { storageD1 } from "../../../js-shim/durable/storage_d1.mjs";
import { json, shared } from "./common.mjs";

const Base = defineRecordingObject({ instance: shared });

// Test-only reads of the object's tables (dumps) and a raw write (schema tests).
export class RecordingObject extends Base {
  async query(sql, params = []) {
    return this.ctx.storage.sql.exec(sql, ...params).toArray();
  }
  // storageD1's answers to what the core never sends but a caller of the adapter might.
  async adapterProbe() {
    const db = storageD1(this.ctx.storage);
    const attempt = async (f) => {
      try {
        return { value: await f() };
      } catch (e) {
        return { error: e.message, cause: e.cause?.message };
      }
    };
    await db.exec("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, v ANY)");
    return {
      emptyBatch: await attempt(() => db.batch([])),
      undefinedValue: await attempt(() => db.prepare("INSERT INTO probe (v) VALUES (?)").bind(undefined).run()),
      boolean: await attempt(() => db.prepare("SELECT ? AS t, ? AS f").bind(true, false).first()),
      blob: await attempt(async () => {
        const row = await db.prepare("SELECT ? AS b, typeof(?) AS t").bind(new Uint8Array([1, 2]), [3]).first();
        return [Array.from(new Uint8Array(row.b)), row.t];
      }),
      failingBatch: await attempt(() =>
        db.batch([db.prepare("INSERT INTO probe (id, v) VALUES (1, 'kept?')"), db.prepare("INSERT INTO probe (id, v) VALUES (1, 'twice')")]),
      ),
      afterFailingBatch: await attempt(() => db.prepare("SELECT count(*) AS n FROM probe").first("n")),
      changes: await attempt(async () => (await db.prepare("INSERT INTO probe (v) VALUES (1), (2)").run()).meta.changes),
      begin: await attempt(() => db.prepare("BEGIN").run()),
      raw: await attempt(() => db.prepare("SELECT 1 AS a, 'x' AS b").raw({ columnNames: true })),
    };
  }

  // The next call constructs the object anew (and so checks its schema again).
  async restart() {
    this.ctx.abort("restart for testing");
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const body = request.method === "POST" ? await request.json() : null;
    switch (url.pathname) {
      case "/call": {
        const ev = createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { instance: shared() });
        return json(await ev.outcome(body.op, body.input));
      }
      case "/recording":
        return json(await recordingOutcome(env.RECORDINGS, body.eventId, body.op, body.input));
      case "/query":
        return json(await recordingObjectFor(env.RECORDINGS, body.eventId).query(body.sql, body.params));
      case "/restart":
        try {
          await recordingObjectFor(env.RECORDINGS, body.eventId).restart();
        } catch {}
        return json({ ok: true });
      case "/raw":
        // A call delivered to the object of objectName, whatever event it names.
        return json(await recordingObjectFor(env.RECORDINGS, body.objectName).outcome(body.eventId, body.op, body.input));
      case "/adapter-probe":
        return json(await recordingObjectFor(env.RECORDINGS, body.eventId).adapterProbe());
      case "/schema":
        return json(await recordingObjectFor(env.RECORDINGS, body.eventId).schema());
      case "/burst": {
        // Every call starts before any finishes; each names its event's object (durable) or
        // runs against the one WORKERS_DB (d1).
        const ev = createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { instance: shared() });
        const outcomes = await Promise.all(
          body.calls.map((c) =>
            body.layout === "durable" ? recordingOutcome(env.RECORDINGS, c.eventId, c.op, c.input) : ev.outcome(c.op, c.input),
          ),
        );
        return json({ outcomes });
      }
      case "/deterministic":
        shared().setDeterministicForTesting(body.seed, body.startMs);
        return json({ ok: true });
      default:
        return json({ error: "not found" }, 404);
    }
  },
};
