// The example Worker's store-connection webhooks in Miniflare (workerd, local
// D1), with retailer payloads of the real shapes (the same texts as
// tests/fixtures/orders_connections.json): Shopify orders/create,
// orders/cancelled and refunds/create; Stripe checkout.session.completed with
// expanded line items and charge.refunded; an Eventbrite order with
// attendees. Each is delivered 10 times at once, then replayed with swapped
// headers: exactly one order, each item in its own event, replays no-ops. A
// bad, missing or stale signature is 401 and writes nothing; secrets are
// sealed in D1 and rotation keeps the previous one valid.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { readFileSync } from "node:fs";

import { openSecret, shopifySignature, stripeSignature } from "../../js-shim/example/webhooks.mjs";
import { startExampleWorker } from "./support.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ADMIN = { "x-eventuall-admin-token": "test-admin" };
const OWNER = "seedusereventuall0000001";
const ACCOUNT = "seedaccounteventuall0001";
const SEALING_KEY = Buffer.alloc(32, 7).toString("base64");
const SECRETS = { shopify: "shpss_series_secret", stripe: "whsec_series_secret", eventbrite: "eb-series-token" };

// The payload texts of the shared fixture, by the delivery id (or kind) its step names.
const fixture = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/orders_connections.json"), "utf8"));
const payloads = fixture.steps.filter((s) => s.op === "receive_webhook").map((s) => s.input.payload);
const find = (needle) => payloads.find((p) => typeof p === "string" && p.includes(needle));
const BODIES = {
  shopifyCreate: payloads[0], // two items, two events, and a poster
  shopifyCancel: find('"cancelled_at":"2026'),
  shopifyRefund: find('"refund_line_items"'),
  stripeCompleted: find('"checkout.session.completed"'),
  stripeRefunded: find('"evt_3QRefunded0001"'),
  eventbrite: find('"attendees"'),
};

let mf;
let webapp;
const ids = {};

async function send(path, { body, headers = {} }) {
  const res = await mf.dispatchFetch(`http://localhost${path}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  return { status: res.status, body: await res.json() };
}

async function call(op, input) {
  const res = await send(`/v1/${op}`, { body: JSON.stringify(input), headers: ADMIN });
  assert.equal(res.status, 200, `${op}: ${JSON.stringify(res.body)}`);
  return res.body.value;
}

const count = async (sql, ...params) => webapp.prepare(sql).bind(...params).first("n");
const written = () =>
  count(
    "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_line_items) + (SELECT count(*) FROM " +
      "pending_profiles) + (SELECT count(*) FROM invitations) + (SELECT count(*) FROM access_grants) + " +
      "(SELECT count(*) FROM retailer_deliveries) + (SELECT count(*) FROM orders WHERE status <> 'paid') AS n",
  );

let webhookCounter = 0;
async function shopifyHeaders(body, { secret = SECRETS.shopify, topic = "orders/create", webhookId } = {}) {
  return {
    "x-shopify-hmac-sha256": await shopifySignature(body, secret),
    "x-shopify-topic": topic,
    "x-shopify-webhook-id": webhookId ?? `wh-${++webhookCounter}`,
    "x-shopify-shop-domain": "eventuall-series.myshopify.com",
  };
}
async function stripeHeaders(body, { secret = SECRETS.stripe, at = Math.floor(Date.now() / 1000) } = {}) {
  return { "stripe-signature": await stripeSignature(body, secret, at) };
}
const path = (retailer) => `/webhooks/${retailer}/${ids[retailer]}`;

// Delivers the same request n times at once; returns the outcomes.
async function burst(n, url, body, headers) {
  const results = await Promise.all(Array.from({ length: n }, () => send(url, { body, headers })));
  for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
  return results.map((r) => r.body.value);
}

before(async () => {
  ({ mf, webapp } = await startExampleWorker({ bindings: { ADMIN_TOKEN: "test-admin", RETAILER_SECRETS_KEY: SEALING_KEY } }));
  // The same series as the fixture: two nights, one pass variant mapped in both with sales windows.
  const night = async (name, rooms) => call("create_event", { actorUserId: OWNER, accountId: ACCOUNT, name, rooms });
  const one = await night("Series, night one", [{ name: "Stage" }]);
  const two = await night("Series, night two", [{ name: "Hall" }, { name: "Foyer" }]);
  ids.night1 = one.event.id;
  ids.night2 = two.event.id;
  const ticket = async (eventId, name, extra = {}) =>
    (await call("create_ticket", { actorUserId: OWNER, eventId, name, price: 3000, currency: "USD", ...extra })).ticket.id;
  ids.t1 = await ticket(ids.night1, "Night one");
  ids.t2 = await ticket(ids.night2, "Night two", { roomIds: [two.rooms[0].id] });
  const map = (eventId, ticketId, retailer, externalId, w = {}) =>
    call("create_sku_mapping", { actorUserId: OWNER, eventId, ticketId, retailer, externalId, ...w });
  await map(ids.night1, ids.t1, "shopify", "39072856", { salesStartsAt: 1790000000, salesEndsAt: 1795800000 });
  await map(ids.night2, ids.t2, "shopify", "39072856", { salesStartsAt: 1795800000 });
  await map(ids.night2, ids.t2, "shopify", "39072857");
  await map(ids.night1, ids.t1, "stripe", "price_1QNightOne");
  await map(ids.night2, ids.t2, "stripe", "price_1QNightTwo");
  await map(ids.night1, ids.t1, "eventbrite", "1002003001");
  // Connections: the owner sends the secret in clear; the Worker seals it.
  for (const [retailer, externalAccountId] of [
    ["shopify", "eventuall-series.myshopify.com"],
    ["stripe", "acct_1QSeries"],
    ["eventbrite", "org_4455"],
  ]) {
    const { connection } = await call("create_retailer_connection", {
      actorUserId: OWNER,
      accountId: ACCOUNT,
      retailer,
      externalAccountId,
      secret: SECRETS[retailer],
    });
    assert.equal(connection.webhookPath, `/webhooks/${retailer}/${connection.id}`);
    ids[retailer] = connection.id;
  }
  // Alan has an account whose email is verified: his ticket is a grant; the other attendee's an invitation.
  await call("sign_in_with_provider", { provider: "google", providerAccountId: "alan", email: "alan@example.com", name: "Alan", emailVerified: true });
});

after(async () => {
  await mf?.dispose();
});

test("signing secrets are stored sealed (AES-GCM), never in clear", async () => {
  const { results } = await webapp.prepare("SELECT retailer, secret_ciphertext AS sealed FROM retailer_connections").all();
  assert.equal(results.length, 3);
  for (const { retailer, sealed } of results) {
    assert.ok(!sealed.includes(SECRETS[retailer]));
    assert.ok(!Buffer.from(sealed, "base64").toString("latin1").includes(SECRETS[retailer]));
    assert.equal(await openSecret(SEALING_KEY, sealed), SECRETS[retailer]);
    assert.equal(await openSecret(Buffer.alloc(32, 8).toString("base64"), sealed), null); // another key
  }
  const listed = await send(`/v1/list_retailer_connections`, {
    body: JSON.stringify({ actorUserId: OWNER, accountId: ACCOUNT }),
    headers: ADMIN,
  });
  assert.ok(!JSON.stringify(listed.body).includes("secret_series") && !("secretCiphertext" in listed.body.value.connections[0]));
  // Users cannot read sealed secrets or deliver as a store.
  const user = await send(`/v1/get_retailer_connection_secrets`, { body: JSON.stringify({ id: ids.shopify }) });
  assert.equal(user.status, 401);
});

test("bad, missing or stale signatures are 401 and write nothing; unknown connections 404", async () => {
  const before = await written();
  const body = BODIES.shopifyCreate;
  assert.equal((await send(path("shopify"), { body, headers: await shopifyHeaders(body, { secret: "wrong" }) })).status, 401);
  assert.equal((await send(path("shopify"), { body })).status, 401);
  const tampered = body.replace('"total_price":"65.00"', '"total_price":"0.01"');
  assert.notEqual(tampered, body);
  assert.equal((await send(path("shopify"), { body: tampered, headers: await shopifyHeaders(body) })).status, 401);
  // Another connection's secret does not sign for this one.
  assert.equal((await send(path("shopify"), { body, headers: await shopifyHeaders(body, { secret: SECRETS.stripe }) })).status, 401);
  const stale = await send(path("stripe"), {
    body: BODIES.stripeCompleted,
    headers: await stripeHeaders(BODIES.stripeCompleted, { at: Math.floor(Date.now() / 1000) - 301 }),
  });
  assert.equal(stale.status, 401);
  assert.match(stale.body.error.message, /tolerance/);
  assert.equal((await send(`${path("eventbrite")}?token=nope`, { body: BODIES.eventbrite })).status, 401);
  assert.equal((await send(`/webhooks/shopify/${ids.stripe}`, { body, headers: await shopifyHeaders(body) })).status, 404);
  assert.equal((await send(`/webhooks/shopify/zzzzzzzzzzzzzzzzzzzzzzzz`, { body, headers: await shopifyHeaders(body) })).status, 404);
  assert.equal((await send(`/webhooks/paypal/${ids.shopify}`, { body })).status, 404);
  assert.equal(await written(), before);
});

test("Shopify orders/create ×10 at once: one order, each item in its own event; a replay under orders/cancelled is a no-op", async () => {
  const body = BODIES.shopifyCreate;
  const outcomes = await burst(10, path("shopify"), body, await shopifyHeaders(body, { webhookId: "create-1" }));
  assert.equal(outcomes.filter((o) => o.created).length, 1);
  assert.equal(outcomes.filter((o) => o.replay).length, 9);
  assert.equal(new Set(outcomes.map((o) => o.order.id)).size, 1);
  const [order] = outcomes.filter((o) => o.created);
  assert.equal(order.order.externalOrderId, "820982911946154508"); // exact 64-bit id
  assert.equal(order.order.eventId, ids.night1);
  assert.deepEqual(
    order.lineItems.map((li) => li.ticketId),
    [ids.t1, ids.t2, null],
  );
  assert.deepEqual(order.unmapped.map((li) => li.title), ["Tour poster"]);
  assert.equal(await count("SELECT count(*) AS n FROM orders WHERE connection_id = ?", ids.shopify), 1);
  assert.equal(await count("SELECT count(*) AS n FROM invitations WHERE event_id = ?", ids.night2), 1);

  // The captured body, replayed with the topic swapped and a fresh delivery id.
  const before = await written();
  const swapped = await send(path("shopify"), {
    body,
    headers: await shopifyHeaders(body, { topic: "orders/cancelled", webhookId: "forged-1" }),
  });
  assert.equal(swapped.status, 200);
  assert.equal(swapped.body.value.action, "order");
  assert.equal(swapped.body.value.created, false);
  assert.equal(swapped.body.value.order.status, "paid");
  assert.equal(await count("SELECT count(*) AS n FROM orders WHERE status = 'paid' AND id = ?", order.order.id), 1);
  // Only its delivery note was added.
  assert.equal(await written(), before + 1);
});

test("Shopify orders/cancelled ×10 and refunds/create ×10: each ends the order once; replays under orders/create are no-ops", async () => {
  // A second order to cancel (same shape, another id).
  const create = BODIES.shopifyCreate.replaceAll("820982911946154508", "820982911946154777");
  const [created] = (await burst(1, path("shopify"), create, await shopifyHeaders(create))).filter((o) => o.created);
  assert.ok(created);
  const cancel = BODIES.shopifyCancel.replaceAll("820982911946154508", "820982911946154777");
  const cancels = await burst(10, path("shopify"), cancel, await shopifyHeaders(cancel, { topic: "orders/cancelled", webhookId: "cancel-1" }));
  assert.equal(cancels.filter((o) => o.changed).length, 1);
  assert.ok(cancels.every((o) => o.action === "cancel" && o.order.status === "cancelled"));
  const before = await written();
  // A cancellation body replayed as orders/create: still a cancellation of a cancelled order.
  const swapped = await send(path("shopify"), { body: cancel, headers: await shopifyHeaders(cancel, { topic: "orders/create" }) });
  assert.equal(swapped.body.value.action, "cancel");
  assert.equal(swapped.body.value.changed, false);
  assert.equal(await count("SELECT count(*) AS n FROM orders WHERE external_order_id = '820982911946154777'"), 1);
  assert.equal(await written(), before + 1);

  const refunds = await burst(10, path("shopify"), BODIES.shopifyRefund, await shopifyHeaders(BODIES.shopifyRefund, { topic: "refunds/create", webhookId: "refund-1" }));
  assert.equal(refunds.filter((o) => o.changed).length, 1);
  assert.equal(refunds.filter((o) => o.replay).length, 9);
  assert.ok(refunds.every((o) => o.order.externalOrderId === "820982911946154508" && o.order.status === "refunded"));
  const afterRefund = await written();
  const asCreate = await send(path("shopify"), {
    body: BODIES.shopifyRefund,
    headers: await shopifyHeaders(BODIES.shopifyRefund, { topic: "orders/create" }),
  });
  assert.equal(asCreate.body.value.action, "refund");
  assert.equal(asCreate.body.value.changed, false);
  assert.equal(await written(), afterRefund + 1);
  assert.equal(await count("SELECT count(*) AS n FROM invitations WHERE status = 'pending' AND order_id = ?", refunds[0].order.id), 0);
});

test("Stripe checkout.session.completed ×10 and charge.refunded ×10, replayed with fresh signatures", async () => {
  const body = BODIES.stripeCompleted;
  const outcomes = await burst(10, path("stripe"), body, await stripeHeaders(body));
  assert.equal(outcomes.filter((o) => o.created).length, 1);
  const order = outcomes.find((o) => o.created);
  assert.equal(order.order.externalPaymentId, "pi_3QPaid0001");
  assert.deepEqual(order.lineItems.map((li) => li.ticketId), [ids.t1, ids.t2]);
  // Stripe's retry: the same event id under a new timestamp and signature.
  const retry = await send(path("stripe"), { body, headers: await stripeHeaders(body, { at: Math.floor(Date.now() / 1000) - 5 }) });
  assert.equal(retry.body.value.replay, true);
  assert.equal(retry.body.value.created, false);
  assert.equal(await count("SELECT count(*) AS n FROM orders WHERE connection_id = ?", ids.stripe), 1);

  const refunds = await burst(10, path("stripe"), BODIES.stripeRefunded, await stripeHeaders(BODIES.stripeRefunded));
  assert.equal(refunds.filter((o) => o.changed).length, 1);
  assert.ok(refunds.every((o) => o.action === "refund" && o.order.id === order.order.id && o.order.status === "refunded"));
  const again = await send(path("stripe"), { body: BODIES.stripeRefunded, headers: await stripeHeaders(BODIES.stripeRefunded) });
  assert.equal(again.body.value.replay, true);
  assert.equal(again.body.value.changed, false);
});

test("Eventbrite order with attendees ×10: one order; each attendee's ticket is that attendee's access", async () => {
  const outcomes = await burst(10, `${path("eventbrite")}?token=${SECRETS.eventbrite}`, BODIES.eventbrite, {});
  assert.equal(outcomes.filter((o) => o.created).length, 1);
  const order = outcomes.find((o) => o.created);
  assert.deepEqual(
    order.lineItems.map((li) => [li.holderEmail, li.unitPrice, li.fulfilment]),
    [
      ["grace@example.com", 3000, "issued"],
      ["alan@example.com", 3000, "issued"], // base_price only
      ["ada@example.com", 0, "issued"], // no price at all: still recorded
    ],
  );
  const alan = await webapp.prepare("SELECT id FROM users WHERE email = 'alan@example.com'").first("id");
  // The answer names what each attendee holds, never whether they have a user
  // (issue 14): every attendee's access waits as an invitation, alan's (a
  // verified user's) too, until they claim it.
  assert.deepEqual(order.access.map((a) => a.email).sort(), ["ada@example.com", "alan@example.com", "grace@example.com"]);
  assert.ok(!JSON.stringify(order).includes(alan));
  assert.equal(await count("SELECT count(*) AS n FROM access_grants WHERE order_id = ?", order.order.id), 0);
  const pending = await webapp
    .prepare("SELECT p.email AS email FROM invitations i JOIN pending_profiles p ON p.id = i.pending_profile_id WHERE i.order_id = ? ORDER BY p.email")
    .bind(order.order.id)
    .all();
  assert.deepEqual(pending.results.map((r) => r.email), ["ada@example.com", "alan@example.com", "grace@example.com"]);
  assert.equal(await count("SELECT count(*) AS n FROM orders WHERE connection_id = ?", ids.eventbrite), 1);
  // Replayed (Eventbrite sends no delivery id; the headers it has, swapped): a no-op.
  const before = await written();
  const replay = await send(`${path("eventbrite")}?token=${SECRETS.eventbrite}`, {
    body: BODIES.eventbrite,
    headers: { "x-eventbrite-event": "order.updated", "content-type": "text/plain" },
  });
  assert.equal(replay.body.value.created, false);
  assert.equal(replay.body.value.order.id, order.order.id);
  assert.equal(await written(), before);
});

test("rotation: the new secret and, for a while, the previous one both verify", async () => {
  await call("rotate_retailer_connection_secret", { actorUserId: OWNER, id: ids.shopify, secret: "shpss_rotated_secret" });
  const body = BODIES.shopifyCreate.replaceAll("820982911946154508", "820982911946159999");
  const old = await send(path("shopify"), { body, headers: await shopifyHeaders(body) });
  assert.equal(old.status, 200, JSON.stringify(old.body));
  const fresh = await send(path("shopify"), { body, headers: await shopifyHeaders(body, { secret: "shpss_rotated_secret" }) });
  assert.equal(fresh.status, 200);
  assert.equal(fresh.body.value.created, false);
  // previousValidSeconds 0: only the newest verifies.
  await call("rotate_retailer_connection_secret", {
    actorUserId: OWNER,
    id: ids.shopify,
    secret: "shpss_third_secret",
    previousValidSeconds: 0,
  });
  assert.equal((await send(path("shopify"), { body, headers: await shopifyHeaders(body, { secret: "shpss_rotated_secret" }) })).status, 401);
  assert.equal((await send(path("shopify"), { body, headers: await shopifyHeaders(body, { secret: "shpss_third_secret" }) })).status, 200);
});

test("without RETAILER_SECRETS_KEY nothing is sealed or verified: connections refused, webhooks 401", async () => {
  const { mf: bare, webapp: db } = await startExampleWorker({
    d1Databases: { DB: "webapp-bare", WORKERS_DB: "workers-bare" },
    bindings: { ADMIN_TOKEN: "test-admin" },
  });
  try {
    const post = async (p, body, headers = {}) => {
      const res = await bare.dispatchFetch(`http://localhost${p}`, { method: "POST", body, headers: { ...ADMIN, ...headers } });
      return { status: res.status, body: await res.json() };
    };
    const input = { actorUserId: OWNER, accountId: ACCOUNT, retailer: "shopify", externalAccountId: "s.myshopify.com" };
    const refused = await post("/v1/create_retailer_connection", JSON.stringify({ ...input, secret: "shpss_clear_secret" }));
    assert.equal(refused.status, 403);
    const made = await post("/v1/create_retailer_connection", JSON.stringify({ ...input, secretCiphertext: "c2VhbGVk" }));
    assert.equal(made.status, 200);
    const body = BODIES.shopifyCreate;
    const res = await post(`/webhooks/shopify/${made.body.value.connection.id}`, body, await shopifyHeaders(body));
    assert.equal(res.status, 401);
    assert.equal(await db.prepare("SELECT count(*) AS n FROM orders").first("n"), 0);
  } finally {
    await bare.dispose();
  }
});
