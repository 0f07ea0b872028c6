// The shim's own machinery (js-shim/eventuall.mjs): the release module has no
// test hook, and memory the shim writes into the wasm is freed on every path.
import test from "node:test";
import assert from "node:assert/strict";

import { createEventuall, EventuallError, EventuallInstance } from "../../js-shim/eventuall.mjs";
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
  const counter = { calls: 0 };
  instance.exports = {
    ...real,
    memory: real.memory,
    ev_alloc(size) {
      if (++counter.calls === n) return 0;
      const ptr = real.ev_alloc(size);
      live.add(ptr);
      return ptr;
    },
    ev_free(ptr) {
      live.delete(ptr);
      real.ev_free(ptr);
    },
  };
  return { live, counter, restore: () => (instance.exports = real) };
}

// The shim hands the core every byte (name, input, seed, a batch's results)
// through one scratch block per instance, grown when too small: a growth that
// cannot allocate is a typed error, keeps the old block and leaks nothing.
const BIG = 100_000; // larger than the scratch block a warm instance keeps, smaller than the input cap

test("a scratch block that cannot grow for an input is a typed error; the old block is kept, nothing leaks", async () => {
  const target = await sqlJsTarget();
  const input = { id: "seedusereventuall0000001" };
  const before = await target.outcome("get_user", input);
  assert.equal(before.ok, true);
  const heap = target.instance.heapBytes();
  const scratch = target.instance.scratchPointer;
  const alloc = failingAllocator(target.instance, 1);
  await assert.rejects(
    target.outcome("get_user", { ...input, padding: "x".repeat(BIG) }),
    (e) => e instanceof EventuallError && e.code === "internal" && /out of memory/.test(e.message),
  );
  alloc.restore();
  assert.equal(alloc.counter.calls, 1, "the input did not need the block to grow: the test proves nothing");
  assert.equal(alloc.live.size, 0);
  assert.equal(target.instance.scratchPointer, scratch);
  assert.equal(target.instance.heapBytes(), heap);
  assert.equal(target.instance.inFlight(), 0);
  assert.equal(target.instance.broken, null, "an allocation failure is no trap: the instance keeps serving");
  assert.deepEqual(await target.outcome("get_user", input), before);
});

test("a scratch block that cannot grow for a batch's results is a typed error; the operation is released, nothing leaks", async () => {
  const target = await sqlJsTarget();
  const input = { id: "seedusereventuall0000001" };
  const before = await target.outcome("get_user", input);
  // A D1 answering one huge text cell: its encoding outgrows the block.
  const statement = { bind: () => statement };
  const huge = { prepare: () => statement, batch: async () => [{ results: [{ id: "x".repeat(BIG) }], meta: { changes: 0 } }] };
  const ev = createEventuall({ webapp: huge, workers: target.workers }, { instance: target.instance });
  const heap = target.instance.heapBytes();
  const alloc = failingAllocator(target.instance, 1);
  await assert.rejects(ev.outcome("get_user", input), (e) => e instanceof EventuallError && e.code === "internal");
  alloc.restore();
  assert.equal(alloc.counter.calls, 1, "the results did not need the block to grow: the test proves nothing");
  assert.equal(alloc.live.size, 0);
  assert.equal(target.instance.heapBytes(), heap);
  assert.equal(target.instance.inFlight(), 0);
  assert.equal(target.instance.broken, null);
  assert.deepEqual(await target.outcome("get_user", input), before);
});

test("a block grown for a large input is given back after the operation: the heap stays flat", async () => {
  const target = await sqlJsTarget();
  const input = { id: "seedusereventuall0000001" };
  const before = await target.outcome("get_user", input);
  const heap = target.instance.heapBytes();
  for (let i = 0; i < 3; i++) assert.deepEqual(await target.outcome("get_user", { ...input, padding: "x".repeat(3 * BIG) }), before);
  assert.deepEqual(await target.outcome("get_user", input), before);
  assert.equal(target.instance.heapBytes(), heap);
});

// Survivors of the mutation run (scripts/reliability.sh mutate): nothing
// proved that a finished operation frees its result blocks and its handle,
// or that the determinism hook frees its seed. The scratch block is the one
// block that stays.
test("finished operations and the determinism hook leave no block but the scratch block and no handle behind", async () => {
  const target = await sqlJsTarget();
  const tracked = failingAllocator(target.instance, Infinity);
  target.instance.setDeterministicForTesting("0".repeat(64), 1767225600000);
  const owner = "seedusereventuall0000001";
  assert.equal((await target.outcome("get_user", { id: owner })).ok, true);
  const event = await target.outcome("create_event", { actorUserId: owner, accountId: "seedaccounteventuall0001", name: "E" });
  assert.equal(event.ok, true);
  assert.equal((await target.outcome("sign_up", { email: "bad" })).error.code, "invalid_input");
  tracked.restore();
  const left = [...tracked.live].filter((ptr) => ptr !== target.instance.scratchPointer);
  assert.equal(left.length, 0, `${left.length} block(s) left behind`);
  assert.equal(target.instance.inFlight(), 0);
});

// A statement's SQL text crosses the boundary once per instance; after that
// the batch names it by id and the shim supplies the text it kept.
test("SQL texts sent once by id reach D1 whole on every later run", async () => {
  const target = await sqlJsTarget();
  const seen = [];
  const spying = { prepare: (sql) => (seen.push(sql), target.webapp.prepare(sql)), batch: (s) => target.webapp.batch(s) };
  const ev = createEventuall({ webapp: spying, workers: target.workers }, { instance: target.instance });
  const input = { id: "seedusereventuall0000001" };
  const first = await ev.outcome("get_user", input);
  const firstSql = seen.splice(0);
  assert.equal(first.ok, true);
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(await ev.outcome("get_user", input), first);
    assert.deepEqual(seen.splice(0), firstSql.filter((sql) => !/d1_migrations/.test(sql)));
  }
});

// An instance over sql.js that has served one get_user, with its real exports.
async function servedTarget() {
  const target = await sqlJsTarget();
  const input = { id: "seedusereventuall0000001" };
  assert.equal((await target.outcome("get_user", input)).ok, true);
  return { target, instance: target.instance, input, real: target.instance.exports };
}

test("a batch naming an SQL id the shim never got retires the instance with a typed error", async () => {
  const { target, instance, input, real } = await servedTarget();
  instance.exports = {
    ...real,
    ev_start(...args) {
      const handle = real.ev_start(...args);
      // Every id of the batch becomes one the shim does not know (same length).
      const u8 = new Uint8Array(real.memory.buffer);
      const i32 = new Int32Array(real.memory.buffer);
      const at = i32[instance.ioAt + 1] >>> 0;
      const text = new TextDecoder().decode(u8.subarray(at, at + (i32[instance.ioAt + 2] >>> 0)));
      assert.ok(/"id":\d/.test(text) && !/"sql"/.test(text), `expected a batch by ids: ${text}`);
      u8.set(new TextEncoder().encode(text.replace(/"id":(\d+)/g, (_, d) => `"id":${"9".repeat(d.length)}`)), at);
      return handle;
    },
  };
  await assert.rejects(target.outcome("get_user", input), (e) => e instanceof EventuallError && e.code === "internal" && /SQL id/.test(e.message));
  instance.exports = real;
  assert.ok(instance.broken, "the instance is retired: createEventuall({ module }) makes a fresh one");
});

test("a trap retires the instance: a typed error, and nothing more is called into it", async () => {
  const { target, instance, input, real } = await servedTarget();
  const calledAfter = [];
  let trapped = false;
  const exports = { ...real };
  for (const [name, fn] of Object.entries(real)) {
    if (typeof fn === "function") exports[name] = (...args) => (trapped && calledAfter.push(name), fn(...args));
  }
  exports.ev_resume = () => {
    trapped = true;
    throw new WebAssembly.RuntimeError("unreachable");
  };
  instance.exports = exports;
  // A large input: the scratch block grew past what is kept, and is not freed either.
  const large = { ...input, padding: "x".repeat(3 * BIG) };
  await assert.rejects(target.outcome("get_user", large), (e) => e instanceof EventuallError && e.code === "internal" && /trapped/.test(e.message));
  assert.deepEqual(calledAfter, []);
  assert.ok(instance.broken);
  await assert.rejects(target.outcome("get_user", input), (e) => e === instance.broken);
});

// createEventuall runs per request; its operation methods come from a
// prototype made once per instance and are made on first read. Each object's
// methods must still reach that object's own bindings, whichever was made
// first, read first, or destructured.
test("per-request objects: methods reach their own bindings, destructured or not, and can be replaced", async () => {
  const target = await sqlJsTarget();
  const input = { id: "seedusereventuall0000001" };
  const seen = [];
  const tagged = (tag) => ({ prepare: (sql) => target.webapp.prepare(sql), batch: (s) => (seen.push(tag), target.webapp.batch(s)) });
  const first = createEventuall({ webapp: tagged("first"), workers: target.workers }, { instance: target.instance });
  const second = createEventuall({ webapp: tagged("second"), workers: target.workers }, { instance: target.instance });
  const { getUser } = second; // read on the second object before the first reads it
  assert.equal((await first.getUser(input)).user.id, input.id);
  assert.equal((await getUser(input)).user.id, input.id);
  assert.equal((await second.call("get_user", input)).user.id, input.id);
  assert.deepEqual(seen.splice(0), ["first", "second", "second"]);
  assert.equal(first.getUser, first.getUser, "a method is made once per object");
  assert.notEqual(first.getUser, second.getUser);
  assert.equal(typeof first.signUp, "function");
  first.getUser = async () => "replaced";
  assert.equal(await first.getUser(input), "replaced");
  assert.equal((await second.getUser(input)).user.id, input.id, "replacing one object's method leaves the others alone");
  assert.equal(Object.getPrototypeOf(first).getUser, undefined, "the shared prototype hands out no method bound to nothing");
  // A failure still throws the typed error, through a method and through call.
  await assert.rejects(first.signUp({ email: "bad" }), (e) => e instanceof EventuallError && e.code === "invalid_input");
  await assert.rejects(first.callText("sign_up", { email: "bad" }), (e) => e instanceof EventuallError && e.code === "invalid_input");
});
