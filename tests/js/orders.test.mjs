// Orders through the wasm shim in workerd (Miniflare, local D1): the same
// webhook delivered 10 times at once makes one order, and racing orders never
// sell more than a ticket's capacity. Each call is its own coroutine in one
// wasm instance, all in flight together, each awaiting env.DB.batch.
import test from "node:test";
import assert from "node:assert/strict";

import { miniflareTarget, sqlJsTarget } from "./support.mjs";

const ADMIN = "seedusereventuall0000001";
const ACCOUNT = "seedaccounteventuall0001";

async function ok(target, op, input) {
  const outcome = await target.outcome(op, input);
  assert.equal(outcome.ok, true, `${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

// An event with a stage, a VIP ticket (capacity) mapped to a Shopify variant.
async function shop(target, capacity) {
  const { event, rooms } = await ok(target, "create_event", {
    actorUserId: ADMIN,
    accountId: ACCOUNT,
    name: "Race night",
    rooms: [{ name: "Stage", kind: "stage" }],
  });
  const { ticket } = await ok(target, "create_ticket", {
    actorUserId: ADMIN,
    eventId: event.id,
    name: "VIP",
    price: 5000,
    currency: "USD",
    capacity,
    roomIds: [rooms[0].id],
  });
  await ok(target, "create_sku_mapping", {
    actorUserId: ADMIN,
    eventId: event.id,
    retailer: "shopify",
    externalId: "39072856",
    ticketId: ticket.id,
  });
  return { event, ticket };
}

// Raw Shopify orders/create text: the 64-bit id is exact only as text.
function shopifyBody(orderId, email) {
  return (
    `{"id":${orderId},"email":"${email}","currency":"USD","total_price":"50.00",` +
    `"created_at":"2026-11-27T10:00:00-05:00","line_items":[{"id":866550311766439020,` +
    `"product_id":632910392,"variant_id":39072856,"sku":"VIP","title":"VIP","quantity":1,"price":"50.00"}]}`
  );
}

const count = async (target, sql, ...params) =>
  target.webapp.prepare(sql).bind(...params).first("n");

test("10 concurrent deliveries of one webhook: one order, one set of access", async () => {
  const target = await miniflareTarget();
  try {
    const { event, ticket } = await shop(target, 50);
    const { verification } = await ok(target, "sign_up", { email: "ada@example.com", name: "Ada" });
    await ok(target, "verify_email", { token: verification.token }); // a verified buyer, who still claims
    const input = { eventId: event.id, retailer: "shopify", payload: shopifyBody("820982911946154508", "ada@example.com") };
    const calls = Array.from({ length: 10 }, () => ({ op: "ingest_order", input }));
    const { outcomes, peakInFlight } = await target.post("/concurrent", { calls });
    assert.equal(peakInFlight, 10, "all 10 were in flight at once");
    assert.ok(outcomes.every((o) => o.ok), JSON.stringify(outcomes.find((o) => !o.ok)));
    assert.equal(outcomes.filter((o) => o.value.created).length, 1);
    assert.equal(new Set(outcomes.map((o) => o.value.order.id)).size, 1);
    assert.ok(outcomes.every((o) => o.value.order.externalOrderId === "820982911946154508"));
    assert.equal(await count(target, "SELECT count(*) AS n FROM orders"), 1);
    assert.equal(await count(target, "SELECT count(*) AS n FROM order_line_items"), 1);
    assert.equal(await count(target, "SELECT count(*) AS n FROM room_access_tickets"), 1);
    assert.equal(await count(target, "SELECT count(*) AS n FROM invitations WHERE order_id IS NOT NULL"), 1);
    assert.equal(await count(target, "SELECT count(*) AS n FROM access_grants"), 0, "pending until claimed");
    assert.equal(await count(target, "SELECT sold_count AS n FROM tickets WHERE id = ?", ticket.id), 1);
    assert.equal((await target.stats()).inFlight, 0);
  } finally {
    await target.close();
  }
});

test("racing orders never sell more than capacity", async () => {
  const target = await miniflareTarget();
  try {
    const { event, ticket } = await shop(target, 7);
    const calls = Array.from({ length: 20 }, (_, i) => ({
      op: "ingest_order",
      input: { eventId: event.id, retailer: "shopify", payload: shopifyBody(String(5000 + i), `buyer${i}@example.com`) },
    }));
    const { outcomes, peakInFlight } = await target.post("/concurrent", { calls });
    assert.equal(peakInFlight, 20);
    assert.ok(outcomes.every((o) => o.ok && o.value.created && o.value.order.status === "paid"));
    const fulfilment = outcomes.map((o) => o.value.lineItems[0].fulfilment);
    assert.equal(fulfilment.filter((f) => f === "issued").length, 7);
    assert.equal(fulfilment.filter((f) => f === "sold_out").length, 13);
    for (const o of outcomes) {
      const issued = o.value.lineItems[0].fulfilment === "issued";
      assert.equal(o.value.roomAccessTickets.length, issued ? 1 : 0);
      assert.equal(o.value.soldOut.length, issued ? 0 : 1);
    }
    assert.equal(await count(target, "SELECT sold_count AS n FROM tickets WHERE id = ?", ticket.id), 7);
    assert.equal(await count(target, "SELECT count(*) AS n FROM room_access_tickets"), 7);
    assert.equal(await count(target, "SELECT count(*) AS n FROM invitations"), 7);
    // A refund frees a seat for the next order.
    const refunded = outcomes.find((o) => o.value.lineItems[0].fulfilment === "issued");
    await ok(target, "refund_order", { orderId: refunded.value.order.id });
    const next = await ok(target, "ingest_order", {
      eventId: event.id,
      retailer: "shopify",
      payload: shopifyBody("6000", "late@example.com"),
    });
    assert.equal(next.lineItems[0].fulfilment, "issued");
    assert.equal(await count(target, "SELECT sold_count AS n FROM tickets WHERE id = ?", ticket.id), 7);
  } finally {
    await target.close();
  }
});

// Every field of a Stripe event replaced by every JSON type, through the wasm
// (exceptions off: a type error there would abort the instance): each call is
// answered ok or invalid_input and the instance stays healthy.
test("malformed payloads never break the wasm instance", async () => {
  const target = await sqlJsTarget();
  try {
    const { event } = await shop(target, 5);
    const sample = {
      type: "checkout.session.completed",
      data: {
        object: {
          id: "cs_1",
          object: "checkout.session",
          amount_total: 5000,
          currency: "usd",
          payment_status: "paid",
          customer_details: { email: "a@example.com", name: "A" },
          line_items: { data: [{ quantity: 1, currency: "usd", price: { id: "price_1", product: "p", unit_amount: 5000 } }] },
        },
      },
    };
    const paths = [];
    const walk = (node, at) => {
      paths.push(at);
      if (node && typeof node === "object") for (const key of Object.keys(node)) walk(node[key], [...at, key]);
    };
    walk(sample, []);
    const replacements = [null, -1, 1.5, "x", "", [], {}, true, 2 ** 64];
    let calls = 0;
    for (const path of paths.slice(1)) {
      for (const replacement of replacements) {
        const payload = structuredClone(sample);
        let node = payload;
        for (const key of path.slice(0, -1)) node = node[key];
        node[path.at(-1)] = replacement;
        const outcome = await target.outcome("ingest_order", { eventId: event.id, retailer: "stripe", payload });
        calls++;
        if (!outcome.ok) assert.equal(outcome.error.code, "invalid_input", `${path.join(".")}: ${outcome.error.message}`);
      }
    }
    assert.ok(calls > 150);
    assert.equal(target.instance.broken, null); // never trapped
    assert.equal(target.instance.inFlight(), 0);
  } finally {
    await target.close();
  }
});
