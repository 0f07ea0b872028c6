// A corpus of hostile inputs, generated deterministically from the fixtures
// and the operations' contracts for every registered operation, through the
// shim into the wasm in workerd (Miniflare): malformed JSON text, nesting
// 10,000 deep, every field the contract declares (contract_fields.mjs)
// replaced by every value its declaration refuses or removed, 1 MB and 10 MB
// strings, lone surrogates and control characters, SQL-injection strings in
// every string field. Each gets a typed error or a legitimate ok, never a trap;
// injection strings that are stored read back verbatim and every table still
// exists; the same instance then serves normal requests correctly.
//
// Each fixture is replayed first (deterministically, so its ids and tokens
// are the native run's), so hostile variants of its inputs reach real rows.
import test from "node:test";
import assert from "node:assert/strict";

import { EventuallInstance } from "../../js-shim/eventuall.mjs";

import {
  dumpD1,
  fixtureFiles,
  loadFixture,
  miniflareTarget,
  resolveReferences,
  runFixture,
  runFixtureNatively,
  sqlJsTarget,
  wasm,
} from "./support.mjs";
import { declaredFields, getPath, inputSchema, inputSchemas, isString, sampleInput, sampleValue, withPath } from "./contract_fields.mjs";

// A caller's error codes. internal (our bug) and db_error (the database
// failed) are never the answer to an input, however hostile.
const CODES = new Set(["invalid_input", "not_found", "conflict", "forbidden", "unauthenticated"]);

const WRONG_TYPES = [null, true, false, 0, -1, 1.5, 2 ** 53 + 2, -1e308, "", "x", [], {}, [1, "a"], { a: 1 }];

// Each names its effect if it were ever executed rather than bound.
// (The first two are also in tests/fixtures/bad_input.json.)
const INJECTIONS = [
  "Robert'); DROP TABLE users;--",
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  "\" OR 1=1 --",
  "x'); DELETE FROM accounts; --",
  "' UNION SELECT token_hash AS id FROM sessions --",
  "1; ATTACH DATABASE 'file:/tmp/evil' AS evil; --",
  "%' OR name LIKE '%",
  "\\'; UPDATE users SET email = 'pwned' WHERE 1=1; --",
  "?1 :name @p $1 ' OR 1=1 /* */",
];
const INJECTION_MARKERS = ["DROP TABLE", "DELETE FROM", "UNION SELECT", "ATTACH DATABASE", "OR 1=1", "LIKE '%", "UPDATE users"];

// (Not "": the shim and the core read an empty input as {}. Not a leading
// BOM: nlohmann/json skips it, so "\ufeff{}" is valid.)
const MALFORMED = [
  "{", "}", "[", "]", "nul", "tru", "{'a':1}", '{"a":1,}', "[1,]", '{"a" 1}', '{"a":}', "NaN", "Infinity",
  "1e999999", "-", '"unterminated', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":"\\ud800"}', '{"a":"\\udc00\\ud800"}',
  "\u0000", "{\u0000}", "{}{}", "{} trailing", "/* comment */ {}", "\t\n \r",
];

const DEPTH = 10000;
const HUGE_10MB = "y".repeat(10 << 20);
const HUGE_1MB = "z".repeat(1_000_000); // just under the core's 1 MiB input limit

function deepArray() {
  return "[".repeat(DEPTH) + "]".repeat(DEPTH);
}
function deepObject() {
  return '{"a":'.repeat(DEPTH) + "1" + "}".repeat(DEPTH);
}

function typeName(v) {
  return v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;
}

// The JSON types a field's contract declares (none: any JSON, a payload).
function declaredTypes(schema) {
  return new Set([schema.type ?? []].flat());
}

// Whether a value is of a type the field declares (a whole number is a number too).
function ofDeclaredType(declared, value) {
  const type = typeName(value);
  return declared.has(type) || (type === "integer" && declared.has("number"));
}

// The values a field's contract refuses, from its declaration: every wrong
// type, and the edges of its own (a text one longer than its limit, an
// integer past its range, an enum's non-value, an array one item too long).
function refusedValues(schema, required) {
  const declared = declaredTypes(schema);
  // Any JSON (a payload the operation parses itself): every type.
  if (!declared.size) return WRONG_TYPES.filter((v) => v !== null || required);
  const values = WRONG_TYPES.filter((v) => (v === null ? required : !ofDeclaredType(declared, v)));
  if (declared.has("string")) {
    if (schema.enum) values.push("not-one-of-them");
    else if (schema.maxLength) values.push("y".repeat(schema.maxLength + 1));
    if (schema.minLength) values.push("");
  }
  if (declared.has("integer")) {
    values.push(-1e308, 2 ** 53 + 2);
    if (schema.minimum !== undefined) values.push(schema.minimum - 1);
    if (schema.maximum !== undefined) values.push(schema.maximum + 1);
  }
  if (declared.has("array") && schema.maxItems && schema.maxItems <= 1000) {
    values.push(new Array(schema.maxItems + 1).fill(sampleValue(schema.items ?? {})));
  }
  return values;
}

// The hostile calls of one operation, given valid inputs of it: each field
// its contract declares (present in the input or not) removed, given every
// value the contract refuses, nested 10,000 deep, and, for a string, every
// injection, lone surrogates and control characters and (in the first
// input) 1 MB.
function hostileCalls(op, validInputs, { tenMegabytes = false } = {}) {
  const schema = inputSchema(op);
  const required = new Set(schema.required ?? []);
  const calls = [];
  for (const rawInput of MALFORMED) calls.push({ op, rawInput, kind: "malformed" });
  calls.push({ op, rawInput: deepArray(), kind: "deep" });
  calls.push({ op, rawInput: deepObject(), kind: "deep" });
  if (tenMegabytes) calls.push({ op, input: HUGE_10MB, kind: "huge" }); // refused by the shim
  for (const [n, input] of validInputs.entries()) {
    const text = JSON.stringify(input);
    for (const cut of new Set([1, 2, Math.floor(text.length / 2), text.length - 1])) {
      if (cut > 0 && cut < text.length) calls.push({ op, rawInput: text.slice(0, cut), kind: "malformed" });
    }
    for (const { path, schema: declared } of declaredFields(schema)) {
      const field = path.join(".");
      const at = (value) => withPath(input, path, value, schema);
      if (getPath(input, path) !== undefined) calls.push({ op, input: at(undefined), kind: "missing", field });
      const refused = refusedValues(declared, path.length === 1 && required.has(path[0]));
      for (const wrong of refused) calls.push({ op, input: at(wrong), kind: "type", field });
      const zeroed = JSON.stringify(at(0));
      const deep = zeroed.replace(/:0([,}\]])/, `:${deepArray()}$1`);
      if (deep !== zeroed) calls.push({ op, rawInput: deep, kind: "deep", field });
      if (!isString(declared) || declared.enum) continue;
      for (const payload of INJECTIONS) {
        calls.push({ op, input: at(payload), kind: "injection", field, payload });
      }
      if (n === 0) calls.push({ op, input: at(HUGE_1MB), kind: "huge", field });
      calls.push({ op, input: at("\ud800 lone \udfff"), kind: "utf", field });
      calls.push({ op, input: at("a\u0000b\u0001\u007f\u200b"), kind: "utf", field });
      calls.push({ op, input: at("\u{1F600}".repeat(1000)), kind: "utf", field });
    }
  }
  return calls;
}

// Valid inputs per operation, as the native run of each fixture resolves them.
function validInputsByFixture() {
  const byFixture = new Map();
  const seen = new Set();
  for (const file of fixtureFiles()) {
    const fixture = loadFixture(file);
    const { outcomes } = runFixtureNatively(file);
    const inputs = new Map();
    for (const [i, step] of fixture.steps.entries()) {
      const input = resolveReferences(step.input ?? {}, outcomes.slice(0, i));
      if (!input || typeof input !== "object" || Array.isArray(input)) continue;
      const list = inputs.get(step.op) ?? [];
      // Two per operation: the first that succeeded and the first at all.
      if (list.length < 2 && (outcomes[i].ok || list.length === 0)) list.push(input);
      inputs.set(step.op, list);
      seen.add(step.op);
    }
    byFixture.set(file, { fixture, inputs });
  }
  return { byFixture, seen };
}

// Sends calls in slices of bounded size; returns the outcomes in order.
async function runMany(target, calls) {
  const outcomes = [];
  let slice = [];
  let bytes = 0;
  const flush = async () => {
    if (!slice.length) return;
    const body = slice.map(({ op, input, rawInput }) => (rawInput === undefined ? { op, input } : { op, rawInput }));
    const { outcomes: got } = await target.post("/many", { calls: body });
    outcomes.push(...got);
    slice = [];
    bytes = 0;
  };
  for (const call of calls) {
    const size = (call.rawInput ?? JSON.stringify(call.input) ?? "").length;
    if (bytes + size > 12 << 20 || slice.length >= 400) await flush();
    slice.push(call);
    bytes += size;
  }
  await flush();
  return outcomes;
}

async function tableNames(db) {
  const { results } = await db.prepare("SELECT name AS name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  return results.map((r) => r.name);
}

// Every text value of every table.
async function storedStrings(db) {
  const strings = [];
  for (const table of await tableNames(db)) {
    if (table.startsWith("_cf_") || table.startsWith("sqlite_")) continue;
    const { results } = await db.prepare(`SELECT * FROM "${table}"`).all();
    for (const row of results) for (const v of Object.values(row)) if (typeof v === "string") strings.push(v);
  }
  return strings;
}

test("1,000+ hostile inputs through the shim in workerd: typed errors, no trap, injections inert", async () => {
  const { byFixture, seen } = validInputsByFixture();
  const operations = (await sqlJsTarget()).instance.operationNames();
  const tally = { tried: 0, ok: 0, errors: 0, stored: new Set(), kinds: {}, notCallers: [] };
  const uncovered = operations.filter((op) => !seen.has(op));
  let first = true;
  for (const [file, { fixture, inputs }] of byFixture) {
    const ops = [...inputs.keys()].filter((op) => operations.includes(op));
    // Operations no fixture calls: a sample of their contract's shape.
    if (first) for (const op of uncovered) inputs.set(op, [sampleInput(inputSchema(op))]), ops.push(op);
    first = false;
    if (!ops.length) continue;
    const target = await miniflareTarget({ seedData: fixture.seed_data ?? true });
    try {
      const replay = await runFixture(fixture, target);
      assert.deepEqual(replay.failures, [], `${file} replays`);
      const tablesBefore = await tableNames(target.webapp);
      const workersBefore = await tableNames(target.workers);
      const calls = ops.flatMap((op, i) => hostileCalls(op, inputs.get(op), { tenMegabytes: i === 0 }));
      const started = Date.now();
      const outcomes = await runMany(target, calls);
      assert.equal(outcomes.length, calls.length);
      for (const [i, outcome] of outcomes.entries()) {
        const call = calls[i];
        const what = `${file} ${call.op} ${call.kind} ${call.field ?? ""}`;
        assert.equal(outcome.trapped, undefined, `${what}: the instance trapped: ${outcome.trapped}`);
        assert.equal(typeof outcome.ok, "boolean", `${what}: ${JSON.stringify(outcome).slice(0, 200)}`);
        if (outcome.ok) {
          tally.ok++;
          assert.notEqual(call.kind, "malformed", `${what}: malformed JSON was accepted`);
          assert.notEqual(call.kind, "deep", `${what}: 10,000-deep JSON was accepted`);
        } else {
          tally.errors++;
          if (!CODES.has(outcome.error.code)) tally.notCallers.push(`${what}: ${JSON.stringify(outcome.error).slice(0, 300)}`);
          assert.equal(typeof outcome.error.message, "string");
        }
        tally.kinds[call.kind] = (tally.kinds[call.kind] ?? 0) + 1;
      }
      tally.tried += calls.length;
      console.log(`hostile: ${file}: ${calls.length} inputs over ${ops.length} operations in ${Date.now() - started} ms`);

      // Injections were bound, never executed: every table is still there,
      // and every stored string that carries an injection holds it verbatim.
      assert.deepEqual(await tableNames(target.webapp), tablesBefore);
      assert.deepEqual(await tableNames(target.workers), workersBefore);
      for (const value of [...(await storedStrings(target.webapp)), ...(await storedStrings(target.workers))]) {
        if (!INJECTION_MARKERS.some((m) => value.includes(m))) continue;
        const payload = INJECTIONS.find((p) => value.includes(p));
        assert.ok(payload, `a stored value carries a mangled injection: ${value.slice(0, 200)}`);
        tally.stored.add(payload);
      }

      // The same instance serves a normal request correctly.
      const email = `after.${file.replace(/\W/g, "")}@example.com`;
      const signedUp = await target.outcome("sign_up", { email, name: "After" });
      assert.equal(signedUp.ok, true, JSON.stringify(signedUp));
      const got = await target.outcome("get_user", { id: signedUp.value.user.id });
      assert.deepEqual(got.value.user, signedUp.value.user);
      const stats = await target.stats();
      assert.equal(stats.generation, 1, `${file}: the first instance served everything: it never trapped`);
      assert.equal(stats.inFlight, 0);
    } finally {
      await target.close();
    }
  }
  console.log(
    `hostile inputs: ${tally.tried} tried over ${operations.length} operations ` +
      `(${tally.ok} ok, ${tally.errors} typed errors; ${JSON.stringify(tally.kinds)}); ` +
      `${tally.stored.size} injection strings stored verbatim`,
  );
  assert.deepEqual(tally.notCallers, [], "inputs answered with a code that is not a caller's error");
  assert.ok(tally.tried >= 1000, `only ${tally.tried} inputs`);
  assert.ok(tally.stored.size > 0, "some injection string was stored (and read back verbatim)");
});

// Bytes no JS string can carry (the shim encodes UTF-8), straight into the
// exports: invalid UTF-8 in the input and the name is invalid_input.
test("invalid UTF-8 bytes through the exports are invalid_input, never a trap", async () => {
  const target = await sqlJsTarget();
  const { exports } = target.instance;
  const write = (bytes) => {
    const ptr = exports.ev_alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  };
  // What ev_start leaves in the Io block (bindings/d1/exports.cpp): state,
  // then the text's address and byte length.
  const io = () => new Uint32Array(exports.memory.buffer, exports.ev_io(), 4);
  const text = () => new TextDecoder().decode(new Uint8Array(exports.memory.buffer, io()[1], io()[2]));
  const bad = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf4, 0x90, 0x80, 0x80]];
  let tried = 0;
  for (const op of target.instance.operationNames()) {
    for (const sequence of bad) {
      const input = [...new TextEncoder().encode('{"email":"a'), ...sequence, ...new TextEncoder().encode('@b.co","name":"N"}')];
      for (const [name, body] of [
        [new TextEncoder().encode(op), input],
        [[...new TextEncoder().encode(op), ...sequence], new TextEncoder().encode("{}")],
      ]) {
        const namePtr = write(Uint8Array.from(name));
        const inputPtr = write(Uint8Array.from(body));
        const handle = exports.ev_start(namePtr, name.length, inputPtr, body.length, 0, 0);
        exports.ev_free(namePtr);
        exports.ev_free(inputPtr);
        assert.equal(io()[0], 0, `${op}: invalid UTF-8 reached the database`);
        const outcome = JSON.parse(text());
        exports.ev_release(handle);
        assert.equal(outcome.ok, false);
        assert.equal(outcome.error.code, "invalid_input", `${op} ${sequence}: ${JSON.stringify(outcome)}`);
        tried++;
      }
    }
  }
  assert.ok(tried >= 100);
  assert.equal(exports.ev_in_flight(), 0);
  const after = await target.outcome("sign_up", { email: "utf8.after@example.com", name: "After" });
  assert.equal(after.ok, true, JSON.stringify(after));
});


// A wrong-typed or injected field the core answers ok must do what a valid
// input does: from the same state, with the same seed and clock, the
// databases afterwards equal the valid input's (a null may also mean
// "absent": then they equal the input without the field), and an injection's
// equal those of a plain text in its place, the injection standing where the
// plain text stood. (Same-type replacements, "x" for a text or 0
// for a number, are valid inputs of their own and not compared.)
// Over sql.js, from images of the state after each fixture: first every
// variant runs once in one database to find the candidates (ok, or a
// conflict that an earlier variant may have caused), then each candidate and
// its valid input run from that state.
const PLAIN = "plainvalue1";

// A dump with the payload, as quote() renders it in a text or JSON renders
// it inside a JSON text, replaced by PLAIN.
function injectedAsPlain(dump, payload) {
  const json = JSON.stringify(payload).slice(1, -1);
  return dump.replaceAll(payload.replaceAll("'", "''"), PLAIN).replaceAll(json.replaceAll("'", "''"), PLAIN);
}

function lineDifference(mine, reference) {
  const a = new Set(mine.split("\n"));
  const b = new Set(reference.split("\n"));
  const only = (x, y) => [...x].filter((l) => !y.has(l)).slice(0, 2).map((l) => l.slice(0, 160));
  return JSON.stringify({ only_here: only(a, b), only_in_reference: only(b, a) });
}

// Equal as sets of lines (a replaced text may sort elsewhere in its table).
function sameLines(a, b) {
  return a.split("\n").sort().join("\n") === b.split("\n").sort().join("\n");
}

// Field by field as the contract declares them: each value of a type the
// field does not declare (a null only where the input gives the field: else
// it reads as the absent field it stands for) and, in a text the input
// gives, each injection.
function variantsOf(op, input) {
  const schema = inputSchema(op);
  const variants = [];
  for (const { path, schema: declared } of declaredFields(schema)) {
    const original = getPath(input, path);
    // Any JSON (a payload the operation parses itself): every other type than the input's.
    const types = declaredTypes(declared);
    if (!types.size) {
      if (original === undefined) continue;
      types.add(typeName(original));
    }
    for (const wrong of WRONG_TYPES) {
      if (wrong === null ? original === undefined || original === null : ofDeclaredType(types, wrong)) continue;
      variants.push({ path, input: withPath(input, path, wrong, schema), kind: wrong === null ? "null" : "type" });
    }
    if (typeof original !== "string" || original === "" || declared.enum) continue;
    for (const payload of INJECTIONS) {
      variants.push({ path, input: withPath(input, path, payload), kind: "injection", original, payload });
    }
  }
  return variants;
}

test("wrong-type and injection inputs answered ok change exactly what the valid input changes", async () => {
  const { byFixture } = validInputsByFixture();
  const instance = new EventuallInstance(wasm());
  const tally = { variants: 0, candidates: 0, compared: 0, identity: 0, problems: [] };
  const SEED = "5e".repeat(32);
  for (const [file, { fixture, inputs }] of byFixture) {
    // The replay on an instance of its own: ids (and so the order of rows listed by id) are
    // the fixture's only from a fresh id generator.
    const base = await sqlJsTarget({ seedData: fixture.seed_data ?? true, instance: new EventuallInstance(wasm()) });
    const replay = await runFixture(fixture, base);
    assert.deepEqual(replay.failures, [], `${file} replays`);
    const images = { webapp: await base.webapp.dump(), workers: await base.workers.dump() };
    const startMs = (fixture.startMs ?? 1767225600000) + 10_000_000;
    // A fresh instance each time: an instance's id generator counts on
    // across operations, whatever the seed.
    const from = async (op, input) => {
      const t = await sqlJsTarget({ images });
      try {
        await t.setDeterministic(SEED, startMs);
        const outcome = await t.outcome(op, input);
        return { outcome, dump: outcome.ok ? `${await dumpD1(t.webapp)}${await dumpD1(t.workers)}` : null };
      } finally {
        t.webapp.close();
        t.workers.close();
      }
    };

    // Phase 1: candidates, in one database.
    const probe = await sqlJsTarget({ images, instance });
    const candidates = [];
    for (const [op, valid] of inputs) {
      if (!inputSchemas().has(op)) continue; // a fixture's call of no operation
      for (const input of valid) {
        for (const variant of variantsOf(op, input)) {
          tally.variants++;
          const outcome = await probe.outcome(op, variant.input);
          if (outcome.ok || outcome.error.code === "conflict") candidates.push({ op, valid: input, ...variant });
        }
      }
    }
    probe.webapp.close();
    probe.workers.close();

    // Phase 2: each candidate against its valid input, from the same state.
    const reference = new Map();
    for (const c of candidates) {
      const got = await from(c.op, c.input);
      if (!got.outcome.ok) continue;
      tally.candidates++;
      const key = (input) => `${c.op} ${JSON.stringify(input)}`;
      const run = async (input) => {
        if (!reference.has(key(input))) reference.set(key(input), await from(c.op, input));
        return reference.get(key(input));
      };
      const valid = c.kind === "injection" ? null : await run(c.valid);
      // A variant that names another entity (an order id of another type, say)
      // makes a new one where the valid input replays an existing one: the two
      // are not comparable, and the new one is a legitimate answer.
      if (valid?.outcome?.ok && valid.outcome.value?.created === false && got.outcome.value?.created === true) {
        tally.identity++;
        continue;
      }
      const what = `${file} ${c.op} ${c.kind} ${c.path.join(".")}=${JSON.stringify(getPath(c.input, c.path))}`;
      let same;
      if (c.kind === "injection") {
        // The reference: the same input with a plain text in that field.
        const plain = await run(withPath(c.valid, c.path, PLAIN));
        // Both sides normalised: the payload may already stand in the fixture's
        // state (a row an earlier step stored), which the plain run leaves as is.
        same = plain.dump !== null && sameLines(injectedAsPlain(got.dump, c.payload), injectedAsPlain(plain.dump, c.payload));
      } else {
        const absent = c.kind === "null" ? await run(withPath(c.valid, c.path, undefined)) : null;
        same = (valid.dump !== null && got.dump === valid.dump) || (absent?.dump != null && got.dump === absent.dump);
      }
      tally.compared++;
      if (!same) {
        const reference = c.kind === "injection" ? injectedAsPlain((await run(withPath(c.valid, c.path, PLAIN))).dump ?? "", c.payload) : valid.dump;
        const mine = c.kind === "injection" ? injectedAsPlain(got.dump, c.payload) : got.dump;
        tally.problems.push(`${what}: answered ok, but changed what no valid input of it changes: ${lineDifference(mine, reference ?? "")}`);
      }
    }
  }
  console.log(
    `hostile oks: ${tally.variants} wrong-type and injection variants, ${tally.candidates} answered ok ` +
      `from the fixture's state, ${tally.compared} compared with their valid input, ${tally.identity} naming another entity`,
  );
  assert.deepEqual(tally.problems, []);
  assert.ok(tally.compared > 0);
});
