// The same fixtures through the wasm build, over sql.js and in workerd over
// local D1, must give byte-identical outcomes to the native build.
import test from "node:test";
import assert from "node:assert/strict";

import { fixtureFiles, loadFixture, miniflareTarget, runFixture, runFixtureNatively, sqlJsTarget } from "./support.mjs";

for (const file of fixtureFiles()) {
  test(`fixture ${file}: native, wasm+sql.js and wasm+workerd D1 agree`, async () => {
    const fixture = loadFixture(file);
    const native = runFixtureNatively(file);
    assert.deepEqual(native.failures, [], "native expectations");
    assert.equal(native.outcomes.length, fixture.steps.length);

    for (const makeTarget of [sqlJsTarget, miniflareTarget]) {
      const target = await makeTarget({ seedData: fixture.seed_data ?? true });
      try {
        const run = await runFixture(fixture, target);
        assert.deepEqual(run.failures, [], `${target.name} expectations`);
        assert.deepEqual(run.outcomes, native.outcomes, `${target.name} outcomes equal native ones`);
      } finally {
        await target.close();
      }
    }
  });
}
