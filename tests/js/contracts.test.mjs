// The documents derived from the operations' contracts: the OpenAPI document
// is valid OpenAPI 3.1 (checked by a maintained validator), names every
// registered operation, and the JS outcome check finds what it should.
import test from "node:test";
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";

import { PERMISSIONS, PLATFORM_ROLES } from "../../js-shim/types/contracts.mjs";
import { outcomeMismatches, schemaMismatch } from "./contract_check.mjs";
import { startExampleWorker } from "./support.mjs";

import openapi from "../../js-shim/example/openapi.mjs";

test("the example Worker's OpenAPI document is valid OpenAPI 3.1", async () => {
  const validator = new Validator();
  const result = await validator.validate(openapi);
  assert.deepEqual(result.errors ?? [], []);
  assert.equal(result.valid, true);
  assert.equal(validator.version, "3.1");
});

test("the OpenAPI document has a POST route and both schemas for every operation", () => {
  const ops = Object.keys(openapi.components.schemas).filter((k) => k.endsWith("_output")).map((k) => k.slice(0, -7));
  assert.equal(ops.length, 70);
  for (const op of ops) {
    assert.ok(openapi.paths[`/v1/${op}`]?.post, op);
    assert.ok(openapi.components.schemas[`${op}_input`], op);
  }
  assert.ok(openapi.paths["/v1/openapi.json"].get);
});

test("the outcome check names operation, step and path", () => {
  const steps = [{ op: "can" }, { op: "create_account" }, { op: "can" }];
  const outcomes = [
    { ok: true, value: { allowed: true } },
    { ok: true, value: { account: { id: "x" } } },
    { ok: false, error: { code: "invalid_input", message: "m" } },
  ];
  assert.deepEqual(outcomeMismatches(steps, outcomes), ["step 1 (create_account): $.ownership: is missing"]);
  assert.equal(schemaMismatch(openapi.components.schemas.can_output, { allowed: "yes" }), "$.allowed: must be boolean");
  assert.equal(schemaMismatch(openapi.components.schemas.can_output, { allowed: true, extra: 1 }), "$.extra: is not declared");
});

test("shared shapes stand once, as components every reference resolves to, and are still checked", () => {
  const refs = [];
  const walk = (j) => {
    if (j && typeof j === "object") {
      if (typeof j.$ref === "string") refs.push(j.$ref);
      Object.values(j).forEach(walk);
    }
  };
  walk(openapi);
  for (const ref of refs) {
    assert.ok(openapi.components.schemas[ref.replace("#/components/schemas/", "")], `${ref} resolves`);
  }
  // The order view's parts: a row with its field's description, and the named access entry.
  const component = (name) => {
    const schema = openapi.components.schemas[name];
    return schema.$ref ? component(schema.$ref.replace("#/components/schemas/", "")) : schema;
  };
  assert.equal(openapi.components.schemas.cancel_order_output.$ref, "#/components/schemas/refund_order_output");
  for (const op of ["get_order", "ingest_order", "refund_order", "cancel_order"]) {
    const props = component(`${op}_output`).properties;
    assert.equal(props.order.$ref, "#/components/schemas/orders_row", op);
    assert.match(props.order.description, /userId is always null/, op);
    assert.equal(props.access.items.$ref, "#/components/schemas/order_access", op);
  }
  const order = { access: [{ email: "a@example.com", eventId: "e", roomId: null }] };
  assert.equal(
    schemaMismatch({ type: "object", properties: { access: openapi.components.schemas.get_order_output.properties.access } }, order),
    "$.access[0].roleId: is missing",
  );
  // A nullable row: null, or the row itself.
  const webhookOrder = { type: "object", properties: { order: component("receive_webhook_output").properties.order } };
  assert.equal(schemaMismatch(webhookOrder, { order: null }), null);
  assert.equal(schemaMismatch(webhookOrder, { order: { id: "o" } }), "$.order.eventId: is missing");
});

test("the package exports the catalog's permissions and platform role ids", () => {
  assert.ok(PERMISSIONS.includes("room.join"));
  assert.equal(PLATFORM_ROLES.attendee, "roleattendee000000000000");
  assert.ok(Object.isFrozen(PERMISSIONS) && Object.isFrozen(PLATFORM_ROLES));
});

test("the example Worker serves the document at GET /v1/openapi.json", async () => {
  const { mf } = await startExampleWorker({ migrate: false });
  try {
    const res = await mf.dispatchFetch("http://localhost/v1/openapi.json");
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), openapi);
    const post = await mf.dispatchFetch("http://localhost/v1/openapi.json", { method: "POST" });
    assert.equal(post.status, 405);
    await post.text();
  } finally {
    await mf.dispose();
  }
});
