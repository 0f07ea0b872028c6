// The shim's own machinery (js-shim/eventuall.mjs): the release module has no
// test hook, and memory the shim writes into the wasm is freed on every path.
import test from "node:test";
import assert from "node:assert/strict";

import { EventuallError, EventuallInstance } from "../../js-shim/eventuall.mjs";
import { loadEventuallModule, DEFAULT_WASM_PATH } from "../../js-shim/node/load_module.mjs";
import { sqlJsTarget, wasm } from "./support.mjs";

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

// ev_alloc fails on its n-th call from now (1-based); every block handed out
// is tracked until ev_free.
function failingAllocator(instance, n) {
  const real = instance.exports;
  const live = new Set();
  let calls = 0;
  instance.exports = {
    ...real,
    memory: real.memory,
    ev_alloc(size) {
      if (++calls === n) return 0;
      const ptr = real.ev_alloc(size);
      live.add(ptr);
      return ptr;
    },
    ev_free(ptr) {
      live.delete(ptr);
      real.ev_free(ptr);
    },
  };
  return { live, restore: () => (instance.exports = real) };
}

test("an allocation failing while an operation starts frees the blocks already written", async () => {
  const target = await sqlJsTarget();
  const input = { id: "seedusereventuall0000001" };
  const before = await target.outcome("get_user", input);
  assert.equal(before.ok, true);
  const heap = target.instance.heapBytes();
  // #start writes three blocks (name, input, seed): each fails in turn.
  for (const n of [1, 2, 3]) {
    const alloc = failingAllocator(target.instance, n);
    await assert.rejects(target.outcome("get_user", input), (e) => e instanceof EventuallError && e.code === "internal");
    alloc.restore();
    assert.equal(alloc.live.size, 0, `allocation ${n} failing left ${alloc.live.size} block(s) behind`);
  }
  assert.equal(target.instance.heapBytes(), heap);
  assert.equal(target.instance.broken, null, "an allocation failure is no trap: the instance keeps serving");
  assert.deepEqual(await target.outcome("get_user", input), before);
});

// Survivors of the mutation run (scripts/reliability.sh mutate): nothing
// proved that a finished operation frees its result blocks and its handle,
// or that the determinism hook frees its seed.
test("finished operations and the determinism hook leave no block and no handle behind", async () => {
  const target = await sqlJsTarget();
  const tracked = failingAllocator(target.instance, Infinity);
  target.instance.setDeterministicForTesting("0".repeat(64), 1767225600000);
  const owner = "seedusereventuall0000001";
  assert.equal((await target.outcome("get_user", { id: owner })).ok, true);
  const event = await target.outcome("create_event", { actorUserId: owner, accountId: "seedaccounteventuall0001", name: "E" });
  assert.equal(event.ok, true);
  assert.equal((await target.outcome("sign_up", { email: "bad" })).error.code, "invalid_input");
  tracked.restore();
  assert.equal(tracked.live.size, 0, `${tracked.live.size} block(s) left behind`);
  assert.equal(target.instance.inFlight(), 0);
});
