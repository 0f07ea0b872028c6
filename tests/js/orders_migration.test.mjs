// Migration 0004 (store connections) over a webapp database that already holds
// orders, as D1 would have them: applied over sql.js and over workerd's local
// D1, it backfills each order's scope (the event's account; the event for
// manual orders) and existing orders keep working — a replay of a stored
// order is still created:false, and it is found and refunded by its
// external id.
import test from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Miniflare } from "miniflare";

import { createEventuall, EventuallInstance } from "../../js-shim/eventuall.mjs";
import { createSqlJsD1 } from "../../js-shim/node/d1_sqljs.mjs";
import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { MIGRATIONS, wasm } from "./support.mjs";

const WEBAPP = path.join(MIGRATIONS, "webapp");
const SEED = path.join(MIGRATIONS, "seeds/account_user.sql");
const ACCOUNT = "seedaccounteventuall0001";
const EVENT = "eventbeforeconnections01";
const TICKET = "ticketbeforeconnection01";

// The migrations before 0004, in a folder of their own.
function migrationsBefore(number) {
  const dir = mkdtempSync(path.join(tmpdir(), "eventuall-migrations-"));
  for (const name of readdirSync(WEBAPP)) {
    if (/^\d{4}_.*\.sql$/.test(name) && Number(name.slice(0, 4)) < number) cpSync(path.join(WEBAPP, name), path.join(dir, name));
  }
  return dir;
}

const SHOPIFY_ORDER =
  '{"id":820982911946154508,"email":"ada@example.com","currency":"USD","total_price":"30.00",' +
  '"created_at":"2026-11-27T10:00:00-05:00","line_items":[{"id":866550311766439020,"product_id":632910392,' +
  '"variant_id":39072856,"sku":"PASS","title":"Pass","quantity":1,"price":"30.00"}]}';

// Rows as the code before 0004 wrote them.
async function oldData(db) {
  const t = 1767225600;
  await db.batch([
    db.prepare("INSERT INTO events (id, account_id, name, created_at, updated_at) VALUES (?, ?, 'Before', ?, ?)").bind(EVENT, ACCOUNT, t, t),
    db.prepare("INSERT INTO tickets (id, event_id, name, price, currency, sold_count, created_at, updated_at) VALUES (?, ?, 'Pass', 3000, 'USD', 2, ?, ?)").bind(TICKET, EVENT, t, t),
    db.prepare("INSERT INTO external_sku_mappings (id, event_id, retailer, external_id, ticket_id, created_at) VALUES ('mappingbeforeconnection1', ?, 'shopify', '39072856', ?, ?)").bind(EVENT, TICKET, t),
    db.prepare("INSERT INTO orders (id, event_id, retailer, external_order_id, buyer_email, status, total, currency, created_at, updated_at) VALUES ('orderbeforeconnections01', ?, 'shopify', '820982911946154508', 'ada@example.com', 'paid', 3000, 'USD', ?, ?)").bind(EVENT, t, t),
    db.prepare("INSERT INTO orders (id, event_id, retailer, external_order_id, buyer_email, status, total, currency, created_at, updated_at) VALUES ('orderbeforeconnections02', ?, 'manual', 'door-001', 'door@example.com', 'paid', 0, 'USD', ?, ?)").bind(EVENT, t, t),
    db.prepare("INSERT INTO order_line_items (id, order_id, ticket_id, resolution, fulfilment, quantity, unit_price, created_at) VALUES ('lineitembeforeconnectio1', 'orderbeforeconnections01', ?, 'mapped', 'issued', 1, 3000, ?)").bind(TICKET, t),
  ]);
}

async function scopes(db) {
  const { results } = await db.prepare("SELECT id AS id, scope_id AS scope, connection_id AS connection FROM orders ORDER BY id").all();
  return results;
}

const EXPECTED = [
  { id: "orderbeforeconnections01", scope: ACCOUNT, connection: null },
  { id: "orderbeforeconnections02", scope: EVENT, connection: null },
];

test("0004 over sql.js with orders in the table: scopes backfilled, old orders still deduplicate and refund", async () => {
  const webapp = await createSqlJsD1();
  const workers = await createSqlJsD1();
  await applyMigrations(webapp, migrationsBefore(4));
  await applySeed(webapp, SEED);
  await oldData(webapp);
  const applied = await applyMigrations(webapp, WEBAPP);
  assert.ok(applied[0].startsWith("0004_"), applied.join());
  await applyMigrations(workers, path.join(MIGRATIONS, "workers"));
  assert.deepEqual(await scopes(webapp), EXPECTED);

  const ev = createEventuall({ webapp, workers }, { instance: new EventuallInstance(wasm()) });
  const replay = await ev.ingestOrder({ eventId: EVENT, retailer: "shopify", payload: SHOPIFY_ORDER });
  assert.equal(replay.created, false);
  assert.equal(replay.order.id, "orderbeforeconnections01");
  const manual = await ev.ingestOrder({
    eventId: EVENT,
    retailer: "manual",
    payload: { reference: "door-001", email: "door@example.com", currency: "USD", items: [{ ticketId: TICKET, quantity: 1, unitPrice: 0 }] },
  });
  assert.equal(manual.created, false);
  assert.equal(manual.order.id, "orderbeforeconnections02");
  const refund = await ev.refundOrder({ retailer: "shopify", externalOrderId: "820982911946154508", eventId: EVENT });
  assert.equal(refund.changed, true);
  assert.equal(refund.order.status, "refunded");
});

test("0004 over workerd's local D1 with orders in the table: the same backfill", async () => {
  const mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('') } }", d1Databases: { DB: "webapp" } });
  try {
    const db = await mf.getD1Database("DB");
    await applyMigrations(db, migrationsBefore(4));
    await applySeed(db, SEED);
    await oldData(db);
    await applyMigrations(db, WEBAPP);
    assert.deepEqual(await scopes(db), EXPECTED);
    // The new unique index holds the old rows, and a same-id order of another tenant now fits.
    await db
      .prepare("INSERT INTO events (id, account_id, name, created_at, updated_at) VALUES ('eventofanothertenant0001', 'seedaccountmomentus00001', 'B', 1, 1)")
      .run();
    await db
      .prepare("INSERT INTO orders (id, event_id, retailer, external_order_id, buyer_email, status, total, currency, created_at, updated_at, scope_id) VALUES ('orderofanothertenant0001', 'eventofanothertenant0001', 'shopify', '820982911946154508', 'b@example.com', 'paid', 0, 'USD', 1, 1, 'seedaccountmomentus00001')")
      .run();
    await assert.rejects(
      db
        .prepare("INSERT INTO orders (id, event_id, retailer, external_order_id, buyer_email, status, total, currency, created_at, updated_at, scope_id) VALUES ('orderduplicateinscope001', ?, 'shopify', '820982911946154508', 'c@example.com', 'paid', 0, 'USD', 1, 1, ?)")
        .bind(EVENT, ACCOUNT)
        .run(),
      /UNIQUE/,
    );
  } finally {
    await mf.dispose();
  }
});
