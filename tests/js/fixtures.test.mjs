// The same fixtures through the wasm build, over sql.js and in workerd over
// local D1, must give byte-identical outcomes to the native build, and leave
// byte-identical databases: the dumps (support.mjs, dumpD1) of the native
// run's files, of sql.js's and of workerd's local D1 are compared as texts.
// The recording fixtures run a fourth way too, each event's recording data in
// its own Durable Object (durable_support.mjs).
import test from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { createSqlJsD1 } from "../../js-shim/node/d1_sqljs.mjs";
import {
  dumpD1,
  fixtureFiles,
  loadFixture,
  miniflareTarget,
  runFixture,
  runFixtureNatively,
  sqlJsTarget,
} from "./support.mjs";
import { durableTarget } from "./durable_support.mjs";
import { outcomeMismatches } from "./contract_check.mjs";

async function dumpBoth(webapp, workers) {
  return `webapp\n${await dumpD1(webapp)}workers\n${await dumpD1(workers)}`;
}

async function nativeDump(dir) {
  const webapp = await createSqlJsD1({ filename: path.join(dir, "webapp.sqlite") });
  const workers = await createSqlJsD1({ filename: path.join(dir, "workers.sqlite") });
  try {
    return await dumpBoth(webapp, workers);
  } finally {
    webapp.close();
    workers.close();
  }
}

for (const file of fixtureFiles()) {
  test(`fixture ${file}: native, wasm+sql.js and wasm+workerd D1 agree`, async () => {
    const fixture = loadFixture(file);
    const dir = mkdtempSync(path.join(tmpdir(), "eventuall-fixture-"));
    let native;
    let expectedDump;
    try {
      native = runFixtureNatively(file, { saveDir: dir });
      assert.deepEqual(native.failures, [], "native expectations");
      assert.equal(native.outcomes.length, fixture.steps.length);
      expectedDump = await nativeDump(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const durable = file.startsWith("recording_") ? [durableTarget] : [];
    for (const makeTarget of [sqlJsTarget, miniflareTarget, ...durable]) {
      const target = await makeTarget({ seedData: fixture.seed_data ?? true });
      try {
        const run = await runFixture(fixture, target);
        assert.deepEqual(run.failures, [], `${target.name} expectations`);
        assert.deepEqual(run.outcomes, native.outcomes, `${target.name} outcomes equal native ones`);
        assert.deepEqual(outcomeMismatches(fixture.steps, run.outcomes), [], `${target.name} answers as declared`);
        assert.equal(await dumpBoth(target.webapp, target.workers), expectedDump, `${target.name} databases equal native ones`);
      } finally {
        await target.close();
      }
    }
  });
}
