// Nothing a caller sends may abort the wasm instance: hostile inputs get a
// typed error, and the same instance then serves normal requests correctly.
import test from "node:test";
import assert from "node:assert/strict";

import { methodName } from "../../js-shim/eventuall.mjs";
import { miniflareTarget, sqlJsTarget } from "./support.mjs";

// A caller's error codes. internal (our bug) and db_error (the database
// failed) are never the answer to an input, however hostile.
const CODES = new Set(["invalid_input", "not_found", "conflict", "forbidden", "unauthenticated"]);

function hostileInputs() {
  const inputs = [
    "",
    "{",
    "}",
    "null",
    "[]",
    "42",
    '"text"',
    '{"email": }',
    "[".repeat(100000),
    '{"a":'.repeat(5000),
    "\u0000",
    '{"email":"\ud800"}',
    JSON.stringify({ email: "x".repeat(300) + "@example.com", name: "X" }),
    JSON.stringify({ email: "a@b.co", name: "y".repeat(5000) }),
    JSON.stringify({ email: ["a@b.co"], name: { first: "A" } }),
    JSON.stringify({ email: "a@b.co", name: "Bad\u0001Name" }),
    JSON.stringify({ id: 1e308 }),
    JSON.stringify({ accountId: "seedaccounteventuall0001", name: "E", startsAt: -1 }),
    JSON.stringify({ accountId: "seedaccounteventuall0001", name: "E", startsAt: 9007199254740993 }),
    JSON.stringify({ accountId: "seedaccounteventuall0001", name: "E", rooms: new Array(1000).fill({ name: "r" }) }),
    JSON.stringify({ accountId: "seedaccounteventuall0001", name: "E", rooms: [null, 1, "x"] }),
    JSON.stringify({ accountId: "' OR 1=1; --", name: "E" }),
    JSON.stringify({ accountId: "seedaccounteventuall0001", limit: "10" }),
    JSON.stringify({ accountId: "seedaccounteventuall0001", cursor: "A".repeat(199) }),
  ];
  return inputs;
}

async function checkTarget(target) {
  let tried = 0;
  const ops = [...(await sqlJsTarget()).instance.operationNames(), "no_such_op", "", "sign_up\u0000", "x".repeat(1000)];
  for (const op of ops) {
    for (const input of hostileInputs()) {
      const outcome = await target.outcome(op, input);
      tried++;
      if (!outcome.ok) {
        assert.ok(CODES.has(outcome.error.code), `${op}: unknown code ${outcome.error.code}`);
        assert.equal(typeof outcome.error.message, "string");
      }
    }
  }
  // The instance still serves a normal request correctly.
  const signedUp = await target.outcome("sign_up", { email: "after@example.com", name: "After" });
  assert.equal(signedUp.ok, true, JSON.stringify(signedUp));
  const got = await target.outcome("get_user", { id: signedUp.value.user.id });
  assert.deepEqual(got.value.user, signedUp.value.user);
  return tried;
}

test("hostile inputs through wasm over sql.js: typed errors, instance keeps serving", async () => {
  const target = await sqlJsTarget();
  const tried = await checkTarget(target);
  assert.ok(tried > 200);
  assert.equal(target.instance.broken, null);
  assert.equal(target.instance.inFlight(), 0);
});

test("hostile inputs through the Worker in workerd: typed errors, instance keeps serving", async () => {
  const target = await miniflareTarget();
  try {
    const tried = await checkTarget(target);
    assert.ok(tried > 200);
    const stats = await target.stats();
    assert.equal(stats.inFlight, 0);
    assert.equal(stats.generation, 1, "the first instance served everything: it never trapped");
  } finally {
    await target.close();
  }
});

test("every operation the wasm exports is a camelCase method of the API", async () => {
  const target = await sqlJsTarget();
  const names = target.instance.operationNames();
  assert.ok(names.includes("sign_up") && names.includes("list_account_events"));
  assert.equal(methodName("list_account_events"), "listAccountEvents");
  const { createEventuall } = await import("../../js-shim/eventuall.mjs");
  const ev = createEventuall({ webapp: target.webapp, workers: target.workers }, { instance: target.instance });
  for (const name of names) assert.equal(typeof ev[methodName(name)], "function", name);
});

test("inputs the shim cannot serialise are invalid_input", async () => {
  const target = await sqlJsTarget();
  const cyclic = {};
  cyclic.self = cyclic;
  assert.equal((await target.outcome("sign_up", cyclic)).error.code, "invalid_input");
  assert.equal((await target.outcome("sign_up", { n: 10n })).error.code, "invalid_input");
  assert.equal((await target.outcome(42, {})).error.code, "invalid_input");
  assert.equal((await target.outcome("sign_up", "x".repeat(2 << 20))).error.code, "invalid_input");
});
