// Nothing a caller sends may abort the wasm instance: hostile inputs, made
// per operation from the fields its contract declares, get a typed error,
// and the same instance then serves normal requests correctly.
import test from "node:test";
import assert from "node:assert/strict";

import { methodName } from "../../js-shim/eventuall.mjs";
import { declaredFields, inputSchemas, sampleInput, sampleValue, withPath } from "./contract_fields.mjs";
import { miniflareTarget, sqlJsTarget } from "./support.mjs";

// A caller's error codes. internal (our bug) and db_error (the database
// failed) are never the answer to an input, however hostile.
const CODES = new Set(["invalid_input", "not_found", "conflict", "forbidden", "unauthenticated"]);

// Inputs no operation accepts, whatever its contract.
const GENERIC = [
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
];

// What a field's declaration refuses, or takes only at its edges.
function edgeValues(schema) {
  const types = new Set([schema.type ?? []].flat());
  const values = [];
  if (types.has("string")) {
    values.push("y".repeat(Math.max(5000, (schema.maxLength ?? 0) + 1)), "Bad\u0001Name", "' OR 1=1; --");
    if (schema.enum) values.push("NOPE");
  }
  if (types.has("integer") || types.has("number")) values.push(9007199254740993, 1e308, "10");
  if (types.has("boolean")) values.push("true");
  if (types.has("array")) {
    values.push([null, 1, "x"]);
    if (schema.maxItems) values.push(new Array(Math.min(schema.maxItems + 1, 1001)).fill(sampleValue(schema.items ?? {})));
  }
  if (types.has("object")) values.push([], "x");
  return values;
}

// Per operation, from its contract (contract_fields.mjs): a sample input of
// the declared shape, and that input with each declared field in turn given
// each of its edge values; then the generic ones.
function hostileInputs(op) {
  const schema = inputSchemas().get(op);
  if (!schema) return GENERIC;
  const base = sampleInput(schema);
  const inputs = [JSON.stringify(base)];
  for (const { path, schema: declared } of declaredFields(schema)) {
    for (const value of edgeValues(declared)) inputs.push(JSON.stringify(withPath(base, path, value, schema)));
  }
  return [...inputs, ...GENERIC];
}

async function checkTarget(target) {
  let tried = 0;
  const ops = [...(await sqlJsTarget()).instance.operationNames(), "no_such_op", "", "sign_up\u0000", "x".repeat(1000)];
  for (const op of ops) {
    for (const input of hostileInputs(op)) {
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

// The contracts are what the operations enforce: from a sample of its
// declared shape, each field an operation declares, given a value of a type
// the declaration does not allow, is invalid_input naming that field. (A
// declared field no operation checks, or one it checks under another name,
// fails here, naming both.) Where the sample itself breaks a rule across
// fields (one of two fields required), an operation may report that first.
test("every field a contract declares is one its operation checks", async () => {
  const target = await sqlJsTarget();
  const problems = [];
  let tried = 0;
  let crossField = 0;
  for (const [op, schema] of inputSchemas()) {
    const base = sampleInput(schema);
    const sample = await target.outcome(op, base);
    const refusal = !sample.ok && sample.error.code === "invalid_input" ? sample.error.message : null;
    for (const { path, schema: declared } of declaredFields(schema)) {
      const types = new Set([declared.type ?? []].flat());
      if (!types.size) continue; // any JSON
      const wrong = types.has("string") ? 12345 : "not-a-value";
      const name = path.map((key, i) => (typeof key === "number" ? `[${key}]` : i ? `.${key}` : key)).join("");
      const outcome = await target.outcome(op, withPath(base, path, wrong, schema));
      tried++;
      if (!outcome.ok && outcome.error.code === "invalid_input" && outcome.error.message.startsWith(`${name} `)) continue;
      if (refusal && !outcome.ok && outcome.error.message === refusal) {
        crossField++;
        continue;
      }
      problems.push(`${op} ${name}=${JSON.stringify(wrong)}: ${JSON.stringify(outcome).slice(0, 200)}`);
    }
  }
  console.log(`declared fields: ${tried} checked by their operations (${crossField} behind a rule across fields)`);
  assert.deepEqual(problems, []);
  assert.ok(tried > 200, `only ${tried} fields`);
});
