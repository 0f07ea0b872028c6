// The shim's own machinery (js-shim/eventuall.mjs): the release module has no
// test hook, and memory the shim writes into the wasm is freed on every path.
import test from "node:test";
import assert from "node:assert/strict";

import { EventuallInstance } from "../../js-shim/eventuall.mjs";
import { loadEventuallModule, DEFAULT_WASM_PATH } from "../../js-shim/node/load_module.mjs";
import { wasm } from "./support.mjs";

const HOOK = "ev_set_deterministic_for_testing";

test("the release module does not export the determinism hook; the test build does, and nothing else differs", () => {
  const names = (module) => WebAssembly.Module.exports(module).map((e) => e.name).sort();
  const release = names(loadEventuallModule(DEFAULT_WASM_PATH));
  const testing = names(wasm());
  assert.ok(!release.includes(HOOK), "release eventuall.wasm exports the determinism hook");
  assert.ok(testing.includes(HOOK));
  assert.deepEqual(testing.filter((n) => n !== HOOK), release);
});

test("setDeterministicForTesting on the release module refuses with a TypeError", async () => {
  const instance = new EventuallInstance(loadEventuallModule(DEFAULT_WASM_PATH));
  assert.throws(() => instance.setDeterministicForTesting("0".repeat(64), 1767225600000), {
    name: "TypeError",
    message: /release build/,
  });
});
