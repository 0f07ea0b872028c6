// The Durable Object class for the recording data of one live event: sessions, logs, stage
// events and clips live in the object's own SQLite (ctx.storage.sql), one object per event
// (routing.mjs names it by event id), and the core runs inside the object against it, each
// batch in ctx.storage.transactionSync (storage_d1.mjs). Permission checks still read the
// webapp D1 (env.DB) as they do on the single-D1 layout.
//
// On first use the object applies the workers migrations bundled with the package
// (workers_migrations.mjs) to itself, each file and its d1_migrations row in one transaction,
// as `wrangler d1 migrations apply` records them. An object whose d1_migrations names a file
// this package does not have (a newer release migrated it) is left alone, and the core's
// schema guard answers schema_mismatch to every call, writing nothing: it never runs old SQL
// on a schema it does not know.
//
// Calls are RPC: outcome(eventId, operation, input) answers an outcome, never throws for the
// caller's mistakes. The first call binds the object to its event; a call naming another
// event (as its eventId argument or in the input) is refused with invalid_input.
import { DurableObject } from "cloudflare:workers";

import { CREATE_MIGRATIONS_TABLE, INSERT_MIGRATION } from "../d1_migrations_table.mjs";
import { EventuallInstance } from "../eventuall.mjs";
import { RECORDING_OPERATIONS } from "./routing.mjs";
import { storageD1 } from "./storage_d1.mjs";
import { workersMigrations } from "./workers_migrations.mjs";

const EVENT_KEY = "eventuall:eventId";

const failure = (code, message) => ({ ok: false, error: { code, message } });
const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Brings the object's schema up to `migrations`: {applied: names applied now, known: every
 * name recorded, unknown: recorded names not in `migrations`}. With unknown names nothing runs.
 */
export function migrateStorage(storage, migrations = workersMigrations) {
  const sql = storage.sql;
  return storage.transactionSync(() => {
    sql.exec(CREATE_MIGRATIONS_TABLE);
    const recorded = sql.exec("SELECT name AS name FROM d1_migrations ORDER BY id").toArray().map((r) => r.name);
    const bundled = new Set(migrations.map((m) => m.name));
    const unknown = recorded.filter((name) => !bundled.has(name));
    const applied = [];
    if (unknown.length === 0) {
      const done = new Set(recorded);
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        for (const statement of m.statements) sql.exec(statement);
        sql.exec(INSERT_MIGRATION, m.name);
        applied.push(m.name);
      }
    }
    return { applied, known: [...recorded, ...applied], unknown };
  });
}

/**
 * The class for a given build of the core.
 *   module:   the imported eventuall.wasm (a WebAssembly.Module), or
 *   instance: () => an EventuallInstance to share (tests share the Worker's);
 *   webapp:   the name of the webapp D1 binding in env (default "DB");
 *   migrations: the workers migrations to apply (default: the package's).
 */
export function defineRecordingObject({ module = null, instance = null, webapp = "DB", migrations = workersMigrations } = {}) {
  if (!module && !instance) throw new TypeError("defineRecordingObject: pass { module } or { instance }");
  let own = null;
  let constructed = 0;
  const sharedInstance = instance ?? (() => (own && !own.broken ? own : (own = new EventuallInstance(module))));

  return class RecordingObject extends DurableObject {
    #schema = null;
    #event = undefined;
    #workers;
    // This object's storage is its own workers database, with its own schema guard; each
    // construction checks it again (a newer release may have migrated it meanwhile).
    #storageName = `durable:${++constructed}`;

    constructor(ctx, env) {
      super(ctx, env);
      this.#workers = storageD1(ctx.storage);
      ctx.blockConcurrencyWhile(async () => {
        try {
          this.#schema = migrateStorage(ctx.storage, migrations);
        } catch (e) {
          this.#schema = { failed: `workers migrations failed: ${String(e?.message ?? e)}` };
        }
        this.#event = (await ctx.storage.get(EVENT_KEY)) ?? null;
      });
    }

    /** RPC: one recording operation of `eventId`. */
    async outcome(eventId, operation, input) {
      const refusal = this.#refusal(eventId, operation, input);
      if (refusal) return refusal;
      if (this.#event === null) {
        // Bound before the write is awaited (input gates hold a second call until the write
        // ends; this does not rely on them).
        this.#event = eventId;
        await this.ctx.storage.put(EVENT_KEY, eventId);
      }
      const databases = { webapp: this.env[webapp], workers: this.#workers };
      const names = { webapp, workers: this.#storageName };
      try {
        return await sharedInstance().run(operation, input ?? {}, databases, names);
      } catch (e) {
        return failure(e?.code ?? "internal", String(e?.message ?? e));
      }
    }

    /** RPC: the object's schema: {known, unknown, applied (by this instance's start)} or {failed}. */
    async schema() {
      return { event: this.#event, ...this.#schema };
    }

    // RPC only: no HTTP surface.
    async fetch() {
      return new Response("eventuall-data: call the recording object over RPC (outcome)", { status: 404 });
    }

    #refusal(eventId, operation, input) {
      // Migrations this build does not know (a newer release migrated the object) are left
      // alone by migrateStorage; the core's schema guard then answers schema_mismatch.
      if (this.#schema?.failed) return failure("db_error", this.#schema.failed);
      if (typeof eventId !== "string" || eventId === "") return failure("invalid_input", "eventId must be a non-empty string");
      if (this.#event !== null && this.#event !== eventId) {
        return failure("invalid_input", "this recording object holds another event: route by idFromName(eventId)");
      }
      if (typeof operation !== "string" || !RECORDING_OPERATIONS.includes(operation)) {
        return failure("invalid_input", `not a recording operation: ${JSON.stringify(String(operation)).slice(0, 80)}`);
      }
      if (input !== undefined && !isPlainObject(input)) return failure("invalid_input", "input must be an object");
      if (input?.eventId !== undefined && input.eventId !== eventId) {
        return failure("invalid_input", "input.eventId is not this object's event");
      }
      return null;
    }
  };
}
