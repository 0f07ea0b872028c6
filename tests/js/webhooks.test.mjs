// Unit tests of the webhook signature checks (js-shim/example/webhooks.mjs),
// with signatures computed independently through node:crypto.
import test from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";

import {
  parseStripeSignature,
  sameBytes,
  shopifySignature,
  stripeSignature,
  verifyShopify,
  verifyStripe,
  verifyToken,
} from "../../js-shim/example/webhooks.mjs";

const SECRET = "whsec_test_secret";
const BODY = '{"id":820982911946154508,"email":"ada@example.com","total_price":"75.00"}';

test("Shopify: base64 HMAC-SHA256 of the raw body", async () => {
  const good = createHmac("sha256", SECRET).update(BODY).digest("base64");
  assert.equal(await shopifySignature(BODY, SECRET), good);
  assert.deepEqual(await verifyShopify(BODY, good, SECRET), { ok: true });
  assert.deepEqual(await verifyShopify(new TextEncoder().encode(BODY), good, SECRET), { ok: true });
  // One byte of the body changed, another secret, garbage, nothing, not configured.
  assert.equal((await verifyShopify(BODY.replace("75.00", "7.50"), good, SECRET)).ok, false);
  assert.equal((await verifyShopify(BODY, createHmac("sha256", "other").update(BODY).digest("base64"), SECRET)).ok, false);
  assert.equal((await verifyShopify(BODY, "not base64 !!", SECRET)).ok, false);
  assert.equal((await verifyShopify(BODY, good.slice(0, -4), SECRET)).ok, false);
  assert.equal((await verifyShopify(BODY, null, SECRET)).ok, false);
  assert.equal((await verifyShopify(BODY, good, "")).ok, false);
  assert.equal((await verifyShopify(BODY, good, undefined)).ok, false);
});

test("Stripe: timestamped HMAC-SHA256 within the tolerance", async () => {
  const t = 1795000000;
  const v1 = createHmac("sha256", SECRET).update(`${t}.${BODY}`).digest("hex");
  const header = `t=${t},v1=${v1}`;
  assert.equal(await stripeSignature(BODY, SECRET, t), header);
  assert.deepEqual(await verifyStripe(BODY, header, SECRET, { nowSeconds: t }), { ok: true });
  assert.deepEqual(await verifyStripe(BODY, header, SECRET, { nowSeconds: t + 300 }), { ok: true });
  assert.deepEqual(await verifyStripe(BODY, header, SECRET, { nowSeconds: t - 300 }), { ok: true });
  // Stale (or from the future) beyond 300 s, even with a valid MAC.
  assert.match((await verifyStripe(BODY, header, SECRET, { nowSeconds: t + 301 })).reason, /tolerance/);
  assert.equal((await verifyStripe(BODY, header, SECRET, { nowSeconds: t - 301 })).ok, false);
  // Rolled secrets: any v1 may match; v0 (test mode scheme) never counts.
  const other = createHmac("sha256", "old").update(`${t}.${BODY}`).digest("hex");
  assert.equal((await verifyStripe(BODY, `t=${t},v1=${other},v1=${v1}`, SECRET, { nowSeconds: t })).ok, true);
  assert.equal((await verifyStripe(BODY, `t=${t},v0=${v1}`, SECRET, { nowSeconds: t })).ok, false);
  // The timestamp is signed: moving it breaks the MAC.
  assert.equal((await verifyStripe(BODY, `t=${t + 1},v1=${v1}`, SECRET, { nowSeconds: t })).ok, false);
  assert.equal((await verifyStripe(BODY + " ", header, SECRET, { nowSeconds: t })).ok, false);
  assert.equal((await verifyStripe(BODY, "v1=" + v1, SECRET, { nowSeconds: t })).ok, false);
  assert.equal((await verifyStripe(BODY, "garbage", SECRET, { nowSeconds: t })).ok, false);
  assert.equal((await verifyStripe(BODY, header, "", { nowSeconds: t })).ok, false);
  assert.deepEqual(parseStripeSignature(` t=5 , v1=aa,v1=bb,v0=cc,x`), { timestamp: 5, signatures: ["aa", "bb"] });
});

test("tokens and byte comparison", async () => {
  assert.deepEqual(await verifyToken("s3cret", "s3cret"), { ok: true });
  assert.equal((await verifyToken("s3cre", "s3cret")).ok, false);
  assert.equal((await verifyToken(null, "s3cret")).ok, false);
  assert.equal((await verifyToken("x", undefined)).ok, false);
  assert.equal(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
  assert.equal(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
  assert.equal(sameBytes(new Uint8Array([1]), new Uint8Array([1, 2])), false);
  assert.equal(sameBytes(null, new Uint8Array([1])), false);
});

test("connection secrets: sealed with AES-GCM under the Worker's key, opened only by it", async () => {
  const { sealSecret, openSecret, verifyDelivery } = await import("../../js-shim/example/webhooks.mjs");
  const key = Buffer.alloc(32, 1).toString("base64");
  const a = await sealSecret(key, SECRET);
  const b = await sealSecret(key, SECRET);
  assert.notEqual(a, b); // a fresh IV each time
  assert.ok(!a.includes(SECRET) && !Buffer.from(a, "base64").toString("latin1").includes(SECRET));
  assert.equal(await openSecret(key, a), SECRET);
  assert.equal(await openSecret(Buffer.alloc(32, 2).toString("base64"), a), null);
  const flipped = Buffer.from(a, "base64");
  flipped[20] ^= 1;
  assert.equal(await openSecret(key, flipped.toString("base64")), null);
  assert.equal(await openSecret(key, "short"), null);
  await assert.rejects(sealSecret("not a key", SECRET), /RETAILER_SECRETS_KEY/);

  // During a rotation either secret verifies; neither is a refusal.
  const headers = new Headers({ "x-shopify-hmac-sha256": createHmac("sha256", "old").update(BODY).digest("base64") });
  assert.deepEqual(await verifyDelivery("shopify", BODY, { headers }, ["new", "old"]), { ok: true });
  assert.equal((await verifyDelivery("shopify", BODY, { headers }, ["new"])).ok, false);
  assert.equal((await verifyDelivery("shopify", BODY, { headers }, [])).ok, false);
  const url = new URL("http://x/webhooks/eventbrite/c?token=tok");
  assert.deepEqual(await verifyDelivery("eventbrite", BODY, { headers, url }, ["other", "tok"]), { ok: true });
});
