// The example Worker's webhook routes in Miniflare: signed Shopify, Stripe and
// Eventbrite deliveries are ingested (replays included); a bad, missing or
// stale signature is 401 and writes nothing.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Miniflare } from "miniflare";

import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { shopifySignature, stripeSignature } from "../../js-shim/example/webhooks.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ADMIN = { "x-eventuall-admin-token": "test-admin" };
const SECRETS = {
  ADMIN_TOKEN: "test-admin",
  SHOPIFY_WEBHOOK_SECRET: "shpss_test",
  STRIPE_WEBHOOK_SECRET: "whsec_test",
  EVENTBRITE_WEBHOOK_SECRET: "eb-token",
};

let mf;
let webapp;
let eventId;

async function send(path, { body, headers = {} }) {
  const res = await mf.dispatchFetch(`http://localhost${path}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  return { status: res.status, body: await res.json() };
}

const call = (op, input) => send(`/v1/${op}`, { body: JSON.stringify(input), headers: ADMIN });
const orders = async () => webapp.prepare("SELECT count(*) AS n FROM orders").first("n");
const written = async () =>
  webapp
    .prepare(
      "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_line_items) + " +
        "(SELECT count(*) FROM pending_profiles) + (SELECT count(*) FROM invitations) AS n",
    )
    .first("n");

before(async () => {
  mf = new Miniflare({
    rootPath: ROOT,
    scriptPath: "js-shim/example/worker.mjs",
    modules: true,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    d1Databases: { DB: "webapp", WORKERS_DB: "workers" },
    compatibilityDate: "2026-04-01",
    cf: false,
    bindings: SECRETS,
  });
  webapp = await mf.getD1Database("DB");
  await applyMigrations(webapp, join(ROOT, "migrations/webapp"));
  await applyMigrations(await mf.getD1Database("WORKERS_DB"), join(ROOT, "migrations/workers"));
  await applySeed(webapp, join(ROOT, "migrations/seeds/account_user.sql"));
  const created = await call("create_event", {
    actorUserId: "seedusereventuall0000001",
    accountId: "seedaccounteventuall0001",
    name: "Webhook night",
    rooms: [{ name: "Stage" }],
  });
  eventId = created.body.value.event.id;
  const ticket = await call("create_ticket", { eventId, name: "Pass", price: 3000, currency: "USD" });
  const ticketId = ticket.body.value.ticket.id;
  for (const [retailer, externalId] of [
    ["shopify", "39072856"],
    ["stripe", "price_1QStage"],
    ["eventbrite", "1002003001"],
  ]) {
    const mapped = await call("create_sku_mapping", { eventId, retailer, externalId, ticketId });
    assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
  }
});

after(async () => {
  await mf?.dispose();
});

const shopifyBody =
  '{"id":820982911946154508,"email":"ada@example.com","currency":"USD","total_price":"30.00",' +
  '"created_at":"2026-11-27T10:00:00-05:00","line_items":[{"id":866550311766439020,"product_id":632910392,' +
  '"variant_id":39072856,"sku":"PASS","title":"Pass","quantity":1,"price":"30.00"}]}';

test("Shopify: signed deliveries are ingested once; bad signatures write nothing", async () => {
  const before = await written();
  const forged = await send(`/webhooks/shopify/${eventId}`, {
    body: shopifyBody,
    headers: { "x-shopify-hmac-sha256": await shopifySignature(shopifyBody, "wrong-secret") },
  });
  assert.equal(forged.status, 401);
  assert.equal(forged.body.error.code, "unauthenticated");
  const unsigned = await send(`/webhooks/shopify/${eventId}`, { body: shopifyBody });
  assert.equal(unsigned.status, 401);
  // A valid signature over another body (tampered total).
  const tampered = await send(`/webhooks/shopify/${eventId}`, {
    body: shopifyBody.replace('"30.00","created_at"', '"0.01","created_at"'),
    headers: { "x-shopify-hmac-sha256": await shopifySignature(shopifyBody, SECRETS.SHOPIFY_WEBHOOK_SECRET) },
  });
  assert.equal(tampered.status, 401);
  assert.equal(await written(), before);

  const headers = {
    "x-shopify-hmac-sha256": await shopifySignature(shopifyBody, SECRETS.SHOPIFY_WEBHOOK_SECRET),
    "x-shopify-topic": "orders/create",
  };
  const first = await send(`/webhooks/shopify/${eventId}`, { body: shopifyBody, headers });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.value.created, true);
  assert.equal(first.body.value.order.externalOrderId, "820982911946154508"); // exact 64-bit id
  assert.equal(first.body.value.lineItems[0].fulfilment, "issued");
  const replay = await send(`/webhooks/shopify/${eventId}`, { body: shopifyBody, headers });
  assert.equal(replay.status, 200);
  assert.equal(replay.body.value.created, false);
  assert.equal(replay.body.value.order.id, first.body.value.order.id);
  assert.equal(await orders(), 1);

  // refunds/create names the order; the refund revokes the order's access.
  const refundBody = '{"id":509562969,"order_id":820982911946154508,"refund_line_items":[]}';
  const refund = await send(`/webhooks/shopify/${eventId}`, {
    body: refundBody,
    headers: {
      "x-shopify-hmac-sha256": await shopifySignature(refundBody, SECRETS.SHOPIFY_WEBHOOK_SECRET),
      "x-shopify-topic": "refunds/create",
    },
  });
  assert.equal(refund.status, 200, JSON.stringify(refund.body));
  assert.equal(refund.body.value.order.status, "refunded");
  assert.equal(refund.body.value.changed, true);
});

test("Stripe: signed and fresh is ingested; stale or forged is 401", async () => {
  const body = JSON.stringify({
    id: "evt_1",
    object: "event",
    type: "checkout.session.completed",
    created: 1795000000,
    data: {
      object: {
        id: "cs_test_webhook1",
        object: "checkout.session",
        amount_total: 3000,
        currency: "usd",
        created: 1795000000,
        payment_status: "paid",
        customer_details: { email: "katherine@example.com", name: "Katherine" },
        line_items: {
          object: "list",
          data: [
            { id: "li_1", quantity: 1, amount_subtotal: 3000, currency: "usd", description: "Pass",
              price: { id: "price_1QStage", product: "prod_Q", unit_amount: 3000 } },
          ],
        },
      },
    },
  });
  const now = Math.floor(Date.now() / 1000);
  const before = await written();
  const stale = await send(`/webhooks/stripe/${eventId}`, {
    body,
    headers: { "stripe-signature": await stripeSignature(body, SECRETS.STRIPE_WEBHOOK_SECRET, now - 301) },
  });
  assert.equal(stale.status, 401);
  assert.match(stale.body.error.message, /tolerance/);
  const forged = await send(`/webhooks/stripe/${eventId}`, {
    body,
    headers: { "stripe-signature": await stripeSignature(body, "whsec_other", now) },
  });
  assert.equal(forged.status, 401);
  assert.equal(await written(), before);

  const signed = { "stripe-signature": await stripeSignature(body, SECRETS.STRIPE_WEBHOOK_SECRET, now) };
  const ok = await send(`/webhooks/stripe/${eventId}`, { body, headers: signed });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.value.created, true);
  assert.equal(ok.body.value.order.buyerEmail, "katherine@example.com");
  assert.equal(ok.body.value.invitations.length, 1); // no account yet: pending access

  // Other event types are acknowledged and ignored.
  const other = JSON.stringify({ id: "evt_2", type: "payment_intent.created", data: { object: {} } });
  const ignored = await send(`/webhooks/stripe/${eventId}`, {
    body: other,
    headers: { "stripe-signature": await stripeSignature(other, SECRETS.STRIPE_WEBHOOK_SECRET, now) },
  });
  assert.equal(ignored.status, 200);
  assert.equal(ignored.body.value.ignored, "payment_intent.created");
});

test("Eventbrite: the shared token is required; unknown events are 404", async () => {
  const body = JSON.stringify({
    id: "1234567890",
    created: "2026-11-20T18:30:00Z",
    email: "grace@example.com",
    name: "Grace Hopper",
    status: "placed",
    costs: { gross: { currency: "USD", value: 3000 } },
    attendees: [{ id: "1", ticket_class_id: "1002003001", quantity: 1, costs: { gross: { currency: "USD", value: 3000 } } }],
  });
  const before = await written();
  assert.equal((await send(`/webhooks/eventbrite/${eventId}`, { body })).status, 401);
  assert.equal((await send(`/webhooks/eventbrite/${eventId}?token=nope`, { body })).status, 401);
  assert.equal(await written(), before);
  const ok = await send(`/webhooks/eventbrite/${eventId}?token=eb-token`, { body });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.value.order.retailer, "eventbrite");
  const unknown = await send(`/webhooks/eventbrite/zzzzzzzzzzzzzzzzzzzzzzzz?token=eb-token`, {
    body: body.replace("1234567890", "999"),
  });
  assert.equal(unknown.status, 404);
  const malformed = await send(`/webhooks/eventbrite/${eventId}?token=eb-token`, { body: "{not json" });
  assert.equal(malformed.status, 400);
  assert.equal((await send(`/webhooks/paypal/${eventId}`, { body })).status, 404);
});
