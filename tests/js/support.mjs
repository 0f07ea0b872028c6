// Shared helpers of the JS suites: the three ways to run the same operations
// (native CLI, wasm over sql.js, wasm in workerd over local D1) and the
// fixture runner that drives them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Miniflare } from "miniflare";

import { createEventuall, EventuallInstance } from "../../js-shim/eventuall.mjs";
import { createSqlJsD1 } from "../../js-shim/node/d1_sqljs.mjs";
import { applyMigrations, applySeed, listMigrationFiles } from "../../js-shim/node/migrations.mjs";
import { loadEventuallModule } from "../../js-shim/node/load_module.mjs";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const MIGRATIONS = path.join(ROOT, "migrations");
export const NATIVE_CLI = process.env.EVENTUALL_NATIVE_CLI ?? path.join(ROOT, "build/native/eventuall");
export const FIXTURES_DIR = path.join(ROOT, "tests/fixtures");

// The suites run the test build of the module: the release's exports plus
// the determinism hook (CMakeLists.txt, eventuall_wasm_testing).
export const TESTING_WASM = process.env.EVENTUALL_TESTING_WASM ?? path.join(ROOT, "build/wasm/eventuall_testing.wasm");

let wasmModule;
export function wasm() {
  wasmModule ??= loadEventuallModule(TESTING_WASM);
  return wasmModule;
}

export function fixtureFiles() {
  return readdirSync(FIXTURES_DIR).filter((f) => f.endsWith(".json")).sort();
}

export function loadFixture(file) {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, file), "utf8"));
}

// Every migration file of each folder is applied, in order (a file the
// helper skipped would leave the schema guard refusing every batch).
async function migrateAndSeed(webapp, workers, seedData = true) {
  for (const [db, name] of [[webapp, "webapp"], [workers, "workers"]]) {
    const dir = path.join(MIGRATIONS, name);
    const applied = await applyMigrations(db, dir);
    const files = await listMigrationFiles(dir);
    if (JSON.stringify(applied) !== JSON.stringify(files)) {
      throw new Error(`${name}: applied ${JSON.stringify(applied)}, the folder has ${JSON.stringify(files)}`);
    }
  }
  if (seedData) await applySeed(webapp, path.join(MIGRATIONS, "seeds/account_user.sql"));
}

// --- native ------------------------------------------------------------------

// saveDir: where the native run leaves its databases (webapp.sqlite,
// workers.sqlite), to compare them with the other targets'.
export function runFixtureNatively(file, { saveDir = null } = {}) {
  let out;
  const save = saveDir ? ["--save", saveDir] : [];
  try {
    out = execFileSync(NATIVE_CLI, ["fixture", path.join(FIXTURES_DIR, file), MIGRATIONS, ...save], { encoding: "utf8" });
  } catch (e) {
    out = e.stdout; // exit 1 when an expectation failed; outcomes still printed
  }
  return JSON.parse(out);
}

// --- wasm over sql.js ----------------------------------------------------------

// images: {webapp, workers} database files (dump()) to start from, instead
// of migrating fresh ones; instance: a wasm instance to share.
export async function sqlJsTarget({ seedData = true, images = null, instance = new EventuallInstance(wasm()) } = {}) {
  const webapp = await createSqlJsD1({ bytes: images?.webapp });
  const workers = await createSqlJsD1({ bytes: images?.workers });
  if (!images) await migrateAndSeed(webapp, workers, seedData);
  const ev = createEventuall({ webapp, workers }, { instance });
  return {
    name: "sql.js",
    webapp,
    workers,
    instance,
    outcome: (op, input) => ev.outcome(op, input),
    setDeterministic: async (seed, startMs) => instance.setDeterministicForTesting(seed, startMs),
    close: async () => {},
  };
}

// --- wasm in workerd (Miniflare) over local D1 ---------------------------------

export async function miniflareTarget({ seedData = true } = {}) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: path.join(ROOT, "tests/js/workers/test_worker.mjs"),
    modulesRoot: ROOT,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-01-01",
    d1Databases: { DB: "webapp-test", WORKERS_DB: "workers-test" },
  });
  const webapp = await mf.getD1Database("DB");
  const workers = await mf.getD1Database("WORKERS_DB");
  await migrateAndSeed(webapp, workers, seedData);
  const post = async (route, body) => {
    const response = await mf.dispatchFetch(`http://worker${route}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });
    return response.json();
  };
  return {
    name: "miniflare",
    mf,
    webapp,
    workers,
    post,
    stats: async () => (await mf.dispatchFetch("http://worker/stats")).json(),
    // rawInput passes a string through untouched (malformed JSON tests).
    outcome: (op, input) => post("/call", typeof input === "string" ? { op, rawInput: input } : { op, input }),
    setDeterministic: (seed, startMs) => post("/deterministic", { seed, startMs }),
    close: () => mf.dispose(),
  };
}

// --- the example Worker (js-shim/example/worker.mjs) in Miniflare ---------------

export const EXAMPLE_WASM = path.join(ROOT, "js-shim/dist/eventuall.wasm");

// The example Worker's Miniflare options; `options` add bindings, KV
// namespaces, rate limiters... or replace the script (a wrapping Worker).
export function exampleWorkerOptions(options = {}) {
  return {
    rootPath: ROOT,
    scriptPath: "js-shim/example/worker.mjs",
    modules: true,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    d1Databases: { DB: "webapp", WORKERS_DB: "workers" },
    compatibilityDate: "2026-04-01",
    cf: false, // no fetch of https://workers.cloudflare.com/cf.json
    ...options,
  };
}

// The example Worker over two fresh local D1 databases, migrated and seeded
// (unless `migrate: false`).
export async function startExampleWorker({ migrate = true, ...options } = {}) {
  if (!existsSync(EXAMPLE_WASM)) throw new Error(`${EXAMPLE_WASM} is missing: run scripts/build.sh first`);
  const mf = new Miniflare(exampleWorkerOptions(options));
  const webapp = await mf.getD1Database("DB");
  const workers = await mf.getD1Database("WORKERS_DB");
  if (migrate) await migrateAndSeed(webapp, workers);
  return { mf, webapp, workers };
}

// --- fixtures ------------------------------------------------------------------

// Same reference rule as bindings/sqlite/fixture.cpp: "$N.path" is a field of
// step N's outcome.
export function resolveReferences(value, outcomes) {
  if (typeof value === "string" && /^\$\d/.test(value)) {
    const [step, ...keys] = value.slice(1).split(".");
    let node = outcomes[Number(step)];
    for (const key of keys) {
      if (node === undefined || node === null) return value;
      node = node[key];
    }
    return node === undefined ? value : node;
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, outcomes));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, outcomes)]));
  }
  return value;
}

export function subsetMismatch(expected, actual, where = "outcome") {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${where}: expected ${expected.length} items, got ${JSON.stringify(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const m = subsetMismatch(expected[i], actual[i], `${where}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected && typeof expected === "object") {
    if (!actual || typeof actual !== "object") return `${where}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [k, v] of Object.entries(expected)) {
      if (!(k in actual)) return `${where}.${k}: missing`;
      const m = subsetMismatch(v, actual[k], `${where}.${k}`);
      if (m) return m;
    }
    return null;
  }
  return expected === actual ? null : `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

export async function runFixture(fixture, target) {
  await target.setDeterministic(fixture.seed ?? "0".repeat(64), fixture.startMs ?? 1767225600000);
  const outcomes = [];
  const failures = [];
  for (const [i, step] of fixture.steps.entries()) {
    const input = resolveReferences(step.input ?? {}, outcomes);
    outcomes.push(await target.outcome(step.op, input));
    if (step.expect) {
      const m = subsetMismatch(resolveReferences(step.expect, outcomes), outcomes.at(-1));
      if (m) failures.push(`step ${i} (${step.op}): ${m}`);
    }
  }
  return { outcomes, failures };
}

// --- database dumps ------------------------------------------------------------

// The whole state of a database through the D1 API, as text: schema objects,
// then each table's rows as quote()d values (SQLite's own rendering, so types
// show: 1, 1.0, '1', X'01'), sorted, as row order is not state. Left out:
// sqlite_* and workerd's _cf_* tables, and the migration runners' own
// bookkeeping that differs between them by design: when migrations were
// recorded (d1_migrations.applied_at) and the native runner's checksums
// (eventuall_migration_checksums).
export async function dumpD1(db) {
  const { results: objects } = await db
    .prepare(
      "SELECT type AS type, name AS name, coalesce(sql, '') AS sql FROM sqlite_master " +
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' " +
        "AND tbl_name <> 'eventuall_migration_checksums' ORDER BY type, name",
    )
    .all();
  let out = "";
  for (const o of objects) out += `${o.type} ${o.name}: ${o.sql}\n`;
  for (const { name } of objects.filter((o) => o.type === "table")) {
    const { results: columns } = await db.prepare("SELECT name AS name FROM pragma_table_info(?) ORDER BY cid").bind(name).all();
    const cells = columns.map((c) => (name === "d1_migrations" && c.name === "applied_at" ? "'-'" : `quote("${c.name}")`));
    const { results } = await db.prepare(`SELECT ${cells.join(" || '|' || ")} AS line FROM "${name}"`).all();
    // Byte order of the UTF-8, as the native dump sorts.
    const lines = results.map((r) => r.line).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    out += `== ${name} (${lines.length} rows)\n${lines.map((l) => `${l}\n`).join("")}`;
  }
  return out;
}
