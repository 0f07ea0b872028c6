// The benchmark's data and operations, shared by every side (our wasm core,
// Drizzle, the hand-written floor) and both settings (sql.js in node, local D1
// in workerd), so every side runs the same inputs against the same data.
//
// Base data on top of the migrations' seed: one event of the seed account with
// 3 rooms and 2 tickets; an organizer (acts for grant_access and
// list_participants: their right comes through role inheritance, the slow path
// of the check), a speaker (reads the event and checks room.join, inherited
// from attendee), 100 attendees, 10 pending invitations, and a pool of users
// without grants for grant_access to grant to (on a second event, below).

export const ACCOUNT = "seedaccounteventuall0001";
export const EVENT = "benchevent00000000000001";
export const ORGANIZER = "benchorganizer0000000001";
export const SPEAKER = "benchspeaker000000000001";
// Grants go to an event of their own, where the organizer is organizer too, so
// that the participant list read stays at 112 however long the bench runs.
export const GRANT_EVENT = "benchgrantevent000000001";
// Orders go to an event of their own (its grants would otherwise grow the
// first event's participant list as the bench runs): 3 rooms, a paid ticket
// opening the stage (capacity checked) and a free one opening the other two,
// mapped from Shopify by variant id and by SKU; the buyer has a user.
export const ORDER_EVENT = "benchorderevent000000001";
export const BUYER = "benchbuyer00000000000001";
const SHOPIFY_VARIANT = 40000000001;
const SHOPIFY_SKU = "BENCH-GA";
const ROLE = { attendee: "roleattendee000000000000", speaker: "rolespeaker0000000000000", organizer: "roleorganizer00000000000" };
const T0 = 1767225600;

// Setting (b): each side's local D1 binding in the bench Worker (same data in each).
export const SIDE_DATABASES = { ours: "OURS_DB", drizzle: "DRIZZLE_DB", floor: "FLOOR_DB" };

// A 24-character id of our shape (lowercase letter, then letters and digits).
const benchId = (prefix, i) => prefix + i.toString(36).padStart(24 - prefix.length, "0");
export const poolUser = (i) => benchId("benchpool", i);

/** Statements ({sql, params}) that load the base data; `poolSize` users to grant to. */
export function baseDataStatements(poolSize) {
  const out = [];
  const user = (id, n) =>
    out.push({
      // Verified: orders grant at once only to a verified email's user.
      sql: "INSERT INTO users (id, name, email, email_verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      params: [id, `Bench ${n}`, `${n}@bench.example`, T0, T0, T0],
    });
  const grant = (id, userId, role, roomId = null, eventId = EVENT) =>
    out.push({
      sql: "INSERT INTO access_grants (id, user_id, event_id, room_id, role_id, source, created_at) VALUES (?, ?, ?, ?, ?, 'manual', ?)",
      params: [id, userId, eventId, roomId, role, T0],
    });
  for (const [id, name] of [[EVENT, "Bench event"], [GRANT_EVENT, "Bench grants"]]) {
    out.push({
      sql: "INSERT INTO events (id, account_id, name, status, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?)",
      params: [id, ACCOUNT, name, T0, T0],
    });
  }
  const rooms = ["Main stage", "Lobby", "Breakout"].map((name, i) => {
    const id = benchId("benchroom", i);
    out.push({
      sql: "INSERT INTO rooms (id, event_id, name, kind, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      params: [id, EVENT, name, i === 0 ? "stage" : "session", i, T0, T0],
    });
    return id;
  });
  for (const [i, price] of [0, 2500].entries()) {
    out.push({
      sql: "INSERT INTO tickets (id, event_id, name, price, currency, created_at, updated_at) VALUES (?, ?, ?, ?, 'USD', ?, ?)",
      params: [benchId("benchticket", i), EVENT, price ? "Paid" : "Free", price, T0, T0],
    });
  }
  user(ORGANIZER, "organizer");
  grant(benchId("benchgrantorg", 0), ORGANIZER, ROLE.organizer);
  grant(benchId("benchgrantorg", 1), ORGANIZER, ROLE.organizer, null, GRANT_EVENT);
  user(SPEAKER, "speaker");
  grant(benchId("benchgrantspk", 0), SPEAKER, ROLE.speaker);
  for (let i = 0; i < 100; i++) {
    const id = benchId("benchattendee", i);
    user(id, `attendee${i}`);
    grant(benchId("benchgrantatt", i), id, ROLE.attendee, i % 4 === 3 ? rooms[i % 3] : null);
  }
  for (let i = 0; i < 10; i++) {
    const profile = benchId("benchprofile", i);
    out.push({
      sql: "INSERT INTO pending_profiles (id, event_id, email, name, created_at) VALUES (?, ?, ?, ?, ?)",
      params: [profile, EVENT, `invited${i}@bench.example`, `Invited ${i}`, T0],
    });
    out.push({
      sql: "INSERT INTO invitations (id, pending_profile_id, event_id, role_id, invited_by_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      params: [benchId("benchinvite", i), profile, EVENT, ROLE.attendee, ORGANIZER, T0],
    });
  }
  for (let i = 0; i < poolSize; i++) user(poolUser(i), `pool${i}`);
  orderEventStatements(out);
  user(BUYER, "buyer");
  return out;
}

function orderEventStatements(out) {
  out.push({
    sql: "INSERT INTO events (id, account_id, name, status, created_at, updated_at) VALUES (?, ?, 'Bench orders', 'active', ?, ?)",
    params: [ORDER_EVENT, ACCOUNT, T0, T0],
  });
  const rooms = ["Stage", "Hall", "Foyer"].map((name, i) => {
    const id = benchId("benchorderroom", i);
    out.push({
      sql: "INSERT INTO rooms (id, event_id, name, kind, position, created_at, updated_at) VALUES (?, ?, ?, 'session', ?, ?, ?)",
      params: [id, ORDER_EVENT, name, i, T0, T0],
    });
    return id;
  });
  const tickets = [
    { name: "VIP", price: 2500, capacity: 1_000_000, rooms: [rooms[0]], key: String(SHOPIFY_VARIANT) },
    { name: "General", price: 0, capacity: null, rooms: [rooms[1], rooms[2]], key: SHOPIFY_SKU },
  ];
  for (const [i, t] of tickets.entries()) {
    const id = benchId("benchorderticket", i);
    out.push({
      sql: "INSERT INTO tickets (id, event_id, name, price, currency, capacity, created_at, updated_at) VALUES (?, ?, ?, ?, 'USD', ?, ?, ?)",
      params: [id, ORDER_EVENT, t.name, t.price, t.capacity, T0, T0],
    });
    for (const [j, room] of t.rooms.entries()) {
      out.push({ sql: "INSERT INTO ticket_rooms (id, ticket_id, room_id, created_at) VALUES (?, ?, ?, ?)", params: [benchId(`benchtr${i}`, j), id, room, T0] });
    }
    out.push({
      sql: "INSERT INTO external_sku_mappings (id, event_id, retailer, external_id, ticket_id, created_at) VALUES (?, ?, 'shopify', ?, ?, ?)",
      params: [benchId("benchmapping", i), ORDER_EVENT, t.key, id, T0],
    });
  }
}

/** A Shopify orders/create webhook body (raw text, as the route has it) for a fresh order i. */
export function shopifyOrder(i) {
  return JSON.stringify({
    id: 5_000_000_000_000 + i,
    email: "Buyer@Bench.example",
    currency: "USD",
    total_price: "25.00",
    financial_status: "paid",
    created_at: "2026-11-27T10:00:00-05:00",
    customer: { id: 6_000_000_000_001, email: "buyer@bench.example", first_name: "Bench", last_name: "Buyer" },
    line_items: [
      { id: 7_000_000_000_000 + 2 * i, product_id: 8_000_000_001, variant_id: SHOPIFY_VARIANT, sku: "BENCH-VIP", title: "VIP pass", quantity: 1, price: "25.00" },
      { id: 7_000_000_000_001 + 2 * i, product_id: 8_000_000_002, variant_id: null, sku: SHOPIFY_SKU, title: "General admission", quantity: 2, price: "0.00" },
    ],
  });
}

/** Loads the base data through a D1-like binding (sql.js adapter or real D1), in chunks. */
export async function loadBaseData(d1, poolSize) {
  const statements = baseDataStatements(poolSize).map((s) => d1.prepare(s.sql).bind(...s.params));
  for (let i = 0; i < statements.length; i += 500) await d1.batch(statements.slice(i, i + 500));
}

// The operations measured, each with the input of its i-th run. grant_access
// grants to a fresh pool user each run (the first grant is the write path).
export const OPERATIONS = {
  sign_up: (i) => ({ email: `signup${i}@bench.example`, name: `Sign Up ${i}` }),
  create_event: (i) => ({
    actorUserId: "seedusereventuall0000001",
    accountId: ACCOUNT,
    name: `Event ${i}`,
    rooms: [{ name: "Main stage", kind: "stage" }, { name: "Lobby" }, { name: "Breakout", capacity: 50 }],
  }),
  grant_access: (i) => ({ actorUserId: ORGANIZER, userId: poolUser(i), eventId: GRANT_EVENT, roleId: ROLE.attendee }),
  get_event: () => ({ actorUserId: SPEAKER, id: EVENT }),
  can: () => ({ userId: SPEAKER, eventId: EVENT, permission: "room.join" }),
  list_participants: () => ({ actorUserId: ORGANIZER, eventId: EVENT, limit: 50 }),
  // The webhook route's call (no actor: the route verified the signature).
  ingest_order: (i) => ({ eventId: ORDER_EVENT, retailer: "shopify", payload: shopifyOrder(i) }),
};

// What every side must agree on for one run of an operation: a check that the
// sides do the same work, not a comparison of whole outputs (the floor returns
// fewer columns).
export function signature(op, r) {
  switch (op) {
    case "sign_up":
      return [r.user.email, r.account.kind, r.created, r.verification.token.length];
    case "create_event":
      return [r.event.name, r.rooms.map((x) => `${x.name}/${x.kind}/${x.position}`)];
    case "grant_access":
      return [r.created, r.grant.userId, r.grant.roleId];
    case "get_event":
      return [r.event.id, r.rooms.map((x) => x.name), r.tickets.map((x) => x.price)];
    case "can":
      return [r.allowed];
    case "list_participants":
      return [r.participants.length, r.participants.map((p) => `${p.email}/${p.roleName}/${p.roomName}`), r.nextOffset];
    case "ingest_order":
      return [
        r.created,
        r.order.externalOrderId,
        r.order.total,
        r.lineItems.map((x) => `${x.resolution}/${x.fulfilment}/${x.quantity}/${x.unitPrice}`),
        r.roomAccessTickets.length,
        // Ours shows grants and pending invitations alike, as access (it must
        // not tell a verified buyer: issue 14); the other sides list them apart.
        (r.access ?? [...r.accessGrants, ...r.invitations]).length,
      ];
    default:
      return r;
  }
}
