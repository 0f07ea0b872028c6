// A fleet of webapp D1 databases (js-shim/fleet.mjs): the declared map routes each account to
// its database, `eventuall-data migrations apply --fleet` migrates every database of the fleet
// (local D1 files, as wrangler dev uses them) and `check --fleet` reports each one.
import test, { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";

import { fleetCommand } from "../../js-shim/cli/fleet.mjs";
import { defineFleet } from "../../js-shim/fleet.mjs";
import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { MIGRATIONS, ROOT } from "./support.mjs";

const run = promisify(execFile);
const CLI = path.join(ROOT, "js-shim/cli/eventuall-data.mjs");
const BINDINGS = ["DB", "DB_2", "DB_3"];
const ID = (b) => `00000000-0000-4000-8000-00000000000${BINDINGS.indexOf(b) + 1}`;

test("defineFleet refuses a map that names a database outside the fleet, and routes the rest to the fallback", () => {
  assert.throws(() => defineFleet({ databases: [] }), TypeError);
  assert.throws(() => defineFleet({ databases: ["DB", "DB"] }), /twice/);
  assert.throws(() => defineFleet({ databases: ["DB"], fallback: "DB_9" }), /fallback/);
  assert.throws(() => defineFleet({ databases: ["DB"], accounts: { a: "DB_9" } }), /DB_9/);
  assert.throws(() => defineFleet({ databases: ["not a binding"] }), /binding name/);
  const fleet = defineFleet({ databases: ["DB", "DB_2"], accounts: { a: "DB_2" }, fallback: "DB" });
  assert.equal(fleet.bindingFor("a"), "DB_2");
  assert.equal(fleet.bindingFor("b"), "DB");
  assert.equal(fleet.bindingFor(undefined), "DB");
  assert.throws(() => fleet.bindingFor(42), TypeError);
  assert.throws(() => fleet.webappFor({}, "a"), /env\.DB_2 is not a D1 binding/);
});

describe("a fleet of three local D1 databases", () => {
  let dir;
  let config;
  let fleetFile;
  // In process (the CLI's own code, without a node start and sql.js load per call); the first
  // check runs the real command line.
  const cli = async (command, ...args) => {
    const lines = [];
    const options = { config, fleet: fleetFile };
    for (const flag of args) if (flag.startsWith("--")) options[flag.slice(2)] = true;
    const code = await fleetCommand(command, options, (line) => lines.push(line));
    return { code, stdout: lines.map((l) => `${l}\n`).join("") };
  };
  const spawnCli = async (...args) => {
    try {
      const { stdout } = await run(process.execPath, [CLI, ...args], { cwd: dir });
      return { code: 0, stdout };
    } catch (e) {
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const state = () => path.join(dir, ".wrangler/state");
  // A Miniflare over the project's local D1 files (as wrangler dev would open them).
  const local = (extra = {}) =>
    new Miniflare({
      modules: true,
      script: "export default { fetch() { return new Response(null, { status: 404 }); } }",
      d1Databases: Object.fromEntries(BINDINGS.map((b) => [b, ID(b)])),
      d1Persist: path.join(state(), "v3/d1"),
      ...extra,
    });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "eventuall-fleet-"));
    await mkdir(path.join(dir, "migrations"));
    await cp(path.join(MIGRATIONS, "webapp"), path.join(dir, "migrations/webapp"), { recursive: true });
    config = path.join(dir, "wrangler.jsonc");
    const d1 = BINDINGS.map((b) => ({ binding: b, database_name: `webapp-${b}`, database_id: ID(b), migrations_dir: "migrations/webapp" }));
    await writeFile(config, `// three webapp databases\n${JSON.stringify({ name: "fleet", d1_databases: d1 }, null, 2)}\n`);
    fleetFile = path.join(dir, "fleet.mjs");
    await writeFile(
      fleetFile,
      `import { defineFleet } from ${JSON.stringify(pathToFileURL(path.join(ROOT, "js-shim/fleet.mjs")).href)};\n` +
        `export default defineFleet({ databases: ${JSON.stringify(BINDINGS)}, accounts: { seedaccountmomentus00001: "DB_2" } });\n`,
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("check reports every database, apply migrates them all, and then check is clean", async () => {
    const fresh = await spawnCli("migrations", "check", "--config", config, "--fleet", fleetFile);
    assert.equal(fresh.code, 1);
    assert.deepEqual(fresh.stdout.trim().split("\n").map((l) => l.split(/\s+/).slice(0, 2)), BINDINGS.map((b) => [b, "pending"]));

    const applied = await cli("apply");
    assert.equal(applied.code, 0, applied.stderr);
    for (const b of BINDINGS) assert.match(applied.stdout, new RegExp(`^${b}\\s+applied\\s+0000_initial\\.sql, `, "m"));

    const clean = await cli("check");
    assert.equal(clean.code, 0, clean.stdout);
    assert.deepEqual(clean.stdout.trim().split("\n").map((l) => l.split(/\s+/).slice(0, 2)), BINDINGS.map((b) => [b, "ok"]));

    const again = await cli("apply");
    assert.equal(again.code, 0);
    assert.equal(again.stdout.match(/nothing pending/g).length, 3);

    const remote = await cli("apply", "--remote", "--dry-run");
    assert.deepEqual(
      remote.stdout.trim().split("\n"),
      BINDINGS.map((b) => `wrangler d1 migrations apply ${b} --remote --config ${config}`),
    );
  });

  test("migrations apply is for a fleet only, and --fleet goes with apply or check", async () => {
    const bare = await spawnCli("migrations", "apply", "--config", config);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /migrations apply takes --config and --fleet/);
    const copy = await spawnCli("migrations", "copy", "--config", config, "--fleet", fleetFile);
    assert.equal(copy.code, 2);
    assert.match(copy.stderr, /--fleet\/--remote go with migrations apply\|check/);
  });

  test("a database migrated by a newer release is reported and left alone; the others are still applied", async () => {
    const mf = local();
    try {
      const db2 = await mf.getD1Database("DB_2");
      await db2.prepare("INSERT INTO d1_migrations (name) VALUES ('9999_newer.sql')").run();
    } finally {
      await mf.dispose();
    }
    await writeFile(path.join(dir, "migrations/webapp/0099_fleet_note.sql"), "CREATE TABLE fleet_note (id TEXT PRIMARY KEY NOT NULL);\n");
    const check = await cli("check");
    assert.equal(check.code, 1);
    assert.match(check.stdout, /^DB_2\s+UNKNOWN\s+has 9999_newer\.sql/m);
    assert.match(check.stdout, /^DB_3\s+pending\s+.*to apply: 0099_fleet_note\.sql/m);
    const applied = await cli("apply");
    assert.equal(applied.code, 1);
    assert.match(applied.stdout, /^DB\s+applied\s+0099_fleet_note\.sql$/m);
    assert.match(applied.stdout, /^DB_2\s+FAILED\s+has 9999_newer\.sql/m);
    assert.match(applied.stdout, /^DB_3\s+applied\s+0099_fleet_note\.sql$/m);
    const mf2 = local();
    try {
      const has = async (b) => (await (await mf2.getD1Database(b)).prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'fleet_note'").first()).n;
      assert.deepEqual(await Promise.all(BINDINGS.map(has)), [1, 0, 1]);
    } finally {
      await mf2.dispose();
    }
  });

  test("each account's writes land in its own database only, through the declared map", async () => {
    const mf = local({
      scriptPath: path.join(ROOT, "tests/js/workers/fleet_test_worker.mjs"),
      script: undefined,
      modulesRoot: ROOT,
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      compatibilityDate: "2025-01-01",
    });
    try {
      // Migrated by the tests above (applyMigrations has nothing left to do then),
      // less the previous test's extra and newer-release migrations: the core's
      // schema guard serves only a database with exactly the shipped ones.
      await rm(path.join(dir, "migrations/webapp/0099_fleet_note.sql"));
      for (const b of BINDINGS) {
        const db = await mf.getD1Database(b);
        await db.batch([
          db.prepare("DELETE FROM d1_migrations WHERE name IN ('0099_fleet_note.sql', '9999_newer.sql')"),
          db.prepare("DROP TABLE IF EXISTS fleet_note"),
        ]);
        await applyMigrations(db, path.join(dir, "migrations/webapp"));
        await applySeed(db, path.join(MIGRATIONS, "seeds/account_user.sql"));
      }
      const call = async (body) => (await mf.dispatchFetch("http://fleet/", { method: "POST", body: JSON.stringify(body) })).json();
      const owners = {
        seedaccounteventuall0001: ["seedusereventuall0000001", "DB"],
        seedaccountmomentus00001: ["seedusermomentus00000001", "DB_2"],
        seedaccountsgblaise00001: ["seedusersgblaise00000001", "DB_3"],
      };
      // DB_3 is behind: the guard rides its first batch although DB's (the same kind of
      // database, in the same wasm instance) passed first.
      const db3 = await mf.getD1Database("DB_3");
      const dropped = await db3.prepare("SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1").first("name");
      await db3.prepare("DELETE FROM d1_migrations WHERE name = ?").bind(dropped).run();
      const created = {};
      for (const [accountId, [actorUserId, binding]] of Object.entries(owners)) {
        const create = () => call({ op: "create_event", input: { actorUserId, accountId, name: `Show of ${accountId}` } });
        if (binding === "DB_3") {
          const refused = await create();
          assert.equal(refused.outcome.error?.code, "schema_mismatch", JSON.stringify(refused.outcome));
          assert.match(refused.outcome.error.message, new RegExp(`missing ${dropped.replace(".", "\\.")}`));
          assert.equal(await db3.prepare("SELECT count(*) AS n FROM events").first("n"), 0);
          await db3.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(dropped).run();
        }
        const out = await create();
        // The worker's own map (fleet_test_worker.mjs) sends sgblaise to DB_3 too.
        assert.equal(out.binding, binding);
        assert.equal(out.outcome.ok, true, JSON.stringify(out.outcome));
        created[accountId] = out.outcome.value.event.id;
      }
      for (const b of BINDINGS) {
        const { results } = await (await mf.getD1Database(b)).prepare("SELECT account_id AS account FROM events").all();
        const expected = Object.entries(owners).filter(([, [, binding]]) => binding === b).map(([account]) => ({ account }));
        assert.deepEqual(results, expected, b);
      }
      const [actorUserId] = owners.seedaccountmomentus00001;
      const read = await call({ op: "get_event", accountId: "seedaccountmomentus00001", input: { actorUserId, id: created.seedaccountmomentus00001 } });
      assert.equal(read.outcome.ok, true, JSON.stringify(read.outcome));
      const elsewhere = await call({ op: "get_event", accountId: "seedaccounteventuall0001", input: { actorUserId, id: created.seedaccountmomentus00001 } });
      assert.equal(elsewhere.outcome.error?.code, "not_found", "another database does not have it");
    } finally {
      await mf.dispose();
    }
  });
});
