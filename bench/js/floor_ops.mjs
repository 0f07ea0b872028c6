// The floor: the same operations as hand-written prepared statements — the
// SQL our core sends (one atomic batch each), with no input validation layer
// and results returned as plain row objects. What is left is SQLite's own cost
// plus the driver's. `exec(statements)` runs [{sql, params}] as one atomic
// batch and resolves to one array of row objects per statement.
import { newVerificationToken, VERIFICATION_TTL_SECONDS } from "./email_token.mjs";
import { actorFacts, eventColumn, eventValue, holdsPermission } from "./permission_sql.mjs";
import { derivedId, matchKeys, normalizeShopifyOrder } from "./shopify_order.mjs";

const ROOM_COLUMNS = "id AS id, event_id AS eventId, name AS name, kind AS kind, position AS position, capacity AS capacity, created_at AS createdAt, updated_at AS updatedAt";
const jsonChildren = (table, fields, orderBy, parent = "event_id = e.id") =>
  `(SELECT json_group_array(json(c.o)) FROM (SELECT json_object(${fields}) AS o FROM ${table} WHERE ${table}.${parent} ORDER BY ${orderBy}) AS c)`;
const PARTICIPANT_COLUMNS = ["participant_kind", "participant_id", "user_id", "pending_profile_id", "name", "email", "room_id", "room_name", "role_id", "role_name", "source", "granted_at"];
const camelCase = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
// Keys sorted, as the core writes them.
const PARTICIPANT_OBJECT = `json_object(${PARTICIPANT_COLUMNS.map((c) => [camelCase(c), c])
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([key, c]) => `'${key}', p.${c}`)
  .join(", ")})`;
const ROOMS_JSON = jsonChildren(
  "rooms",
  "'id', id, 'eventId', event_id, 'name', name, 'kind', kind, 'position', position, 'capacity', capacity, 'createdAt', created_at, 'updatedAt', updated_at",
  "position, created_at, id",
);
const TICKETS_JSON = jsonChildren(
  "tickets",
  "'id', id, 'eventId', event_id, 'name', name, 'description', description, 'price', price, 'currency', currency, 'capacity', capacity, 'soldCount', sold_count, 'createdAt', created_at, 'updatedAt', updated_at",
  "price, name, id",
);

// ingest_order: the SQL of wasm/ops/orders/ingest_order.cpp, the webhook path
// (no actor: the order's event must exist), with the stored order read back.
const jsonOf = (columns) => columns.map((c) => `'${c.replace(/_([a-z])/g, (_, x) => x.toUpperCase())}', ${c}`).join(", ");
const orderChildren = (table, columns) => jsonChildren(table, jsonOf(columns), "id", "order_id = o.id");
const ORDER_READ =
  "SELECT o.id AS id, o.event_id AS eventId, o.retailer AS retailer, o.external_order_id AS externalOrderId, o.buyer_email AS buyerEmail, o.buyer_name AS buyerName, " +
  "o.user_id AS userId, o.status AS status, o.total AS total, o.currency AS currency, o.placed_at AS placedAt, o.created_at AS createdAt, " +
  `${orderChildren("order_line_items", ["id", "external_product_id", "external_variant_id", "external_sku", "title", "quantity", "unit_price", "ticket_id", "resolution", "fulfilment"])} AS lineItems, ` +
  `${orderChildren("room_access_tickets", ["id", "order_line_item_id", "ticket_id", "room_id", "user_id", "pending_profile_id", "status"])} AS roomAccessTickets, ` +
  `${orderChildren("access_grants", ["id", "user_id", "room_id", "role_id", "source"])} AS accessGrants, ` +
  `${orderChildren("invitations", ["id", "pending_profile_id", "room_id", "role_id", "status"])} AS invitations ` +
  "FROM orders o WHERE o.retailer = ? AND o.external_order_id = ?";
const BUYER_ROLE = "roleattendee000000000000";
const RESOLVED_TICKET = (keys) =>
  `(SELECT rm.ticket_id FROM json_each(${keys}) rk JOIN external_sku_mappings rm ON rm.external_id = rk.value WHERE rm.event_id = o.event_id AND rm.retailer = o.retailer ORDER BY rk.key LIMIT 1)`;
const derivedIdSql = (base, n) => {
  const digits = "'0123456789abcdefghijklmnopqrstuvwxyz'";
  return `(substr(${base}, 1, 21) || substr(${digits}, ((${n}) / 1296) % 36 + 1, 1) || substr(${digits}, ((${n}) / 36) % 36 + 1, 1) || substr(${digits}, (${n}) % 36 + 1, 1))`;
};
const SCOPES =
  "WITH scopes(room_id) AS (SELECT tr.room_id FROM order_line_items li JOIN ticket_rooms tr ON tr.ticket_id = li.ticket_id WHERE li.order_id = ? AND li.fulfilment = 'issued' " +
  "UNION SELECT NULL FROM order_line_items li WHERE li.order_id = ? AND li.fulfilment = 'issued' AND NOT EXISTS (SELECT 1 FROM ticket_rooms tr WHERE tr.ticket_id = li.ticket_id)), " +
  "numbered AS (SELECT room_id, row_number() OVER (ORDER BY room_id) - 1 AS n FROM scopes) ";

function ingestStatements(orderId, eventId, retailer, order, t) {
  const mismatch =
    "EXISTS (SELECT 1 FROM json_each(?) item JOIN tickets mt ON mt.id = (SELECT rm.ticket_id FROM json_each(item.value) rk JOIN external_sku_mappings rm ON rm.external_id = rk.value " +
    "WHERE rm.event_id = ? AND rm.retailer = ? ORDER BY rk.key LIMIT 1) WHERE mt.currency <> ?)";
  const mismatchParams = [JSON.stringify(order.lineItems.map(matchKeys)), eventId, retailer, order.currency];
  const out = [
    { sql: `SELECT ${mismatch} AS currencyMismatch`, params: mismatchParams },
    {
      sql:
        "INSERT INTO orders (id, event_id, retailer, external_order_id, buyer_email, buyer_name, user_id, status, total, currency, placed_at, created_at, updated_at, scope_id) " +
        "SELECT ?, ?, ?, ?, ?, ?, (SELECT id FROM users WHERE email = ? AND email_verified_at IS NOT NULL), 'paid', ?, ?, ?, ?, ?, (SELECT se.account_id FROM events se WHERE se.id = ?) WHERE EXISTS (SELECT 1 FROM events WHERE id = ?) AND NOT " +
        `${mismatch} ON CONFLICT (retailer, scope_id, external_order_id) DO NOTHING RETURNING id AS id`,
      params: [orderId, eventId, retailer, order.externalOrderId, order.buyerEmail, order.buyerName, order.buyerEmail, order.total, order.currency, order.placedAt, t, t, eventId, eventId, ...mismatchParams],
    },
  ];
  for (const [i, item] of order.lineItems.entries()) {
    out.push({
      sql:
        "INSERT INTO order_line_items (id, order_id, external_product_id, external_variant_id, external_sku, title, quantity, unit_price, ticket_id, resolution, fulfilment, created_at) " +
        "SELECT ?, o.id, ?, ?, ?, ?, ?, ?, t.id, CASE WHEN t.id IS NULL THEN 'unmapped' ELSE 'mapped' END, CASE WHEN t.id IS NULL THEN 'none' WHEN t.capacity IS NULL OR t.sold_count + ? + " +
        "(SELECT coalesce(sum(x.quantity), 0) FROM order_line_items x WHERE x.order_id = o.id AND x.ticket_id = t.id AND x.fulfilment = 'issued') <= t.capacity THEN 'issued' ELSE 'sold_out' END, ? " +
        `FROM orders o LEFT JOIN tickets t ON t.id = ${RESOLVED_TICKET("?")} WHERE o.id = ?`,
      params: [derivedId(orderId, i), item.externalProductId, item.externalVariantId, item.externalSku, item.title, item.quantity, item.unitPrice, item.quantity, t, JSON.stringify(matchKeys(item)), orderId],
    });
  }
  const issued = "SELECT li.ticket_id FROM order_line_items li WHERE li.order_id = ? AND li.fulfilment = 'issued'";
  out.push(
    {
      sql: `UPDATE tickets SET sold_count = sold_count + (SELECT sum(li.quantity) FROM order_line_items li WHERE li.order_id = ? AND li.ticket_id = tickets.id AND li.fulfilment = 'issued'), updated_at = ? WHERE id IN (${issued})`,
      params: [orderId, t, orderId],
    },
    {
      sql:
        "INSERT INTO pending_profiles (id, event_id, email, name, created_at) SELECT ?, o.event_id, o.buyer_email, o.buyer_name, ? FROM orders o WHERE o.id = ? AND NOT EXISTS " +
        "(SELECT 1 FROM users u WHERE u.email = o.buyer_email AND u.email_verified_at IS NOT NULL) AND EXISTS (SELECT 1 FROM order_line_items li WHERE li.order_id = o.id AND li.fulfilment = 'issued') ON CONFLICT (event_id, email) DO NOTHING",
      params: [newId(), t, orderId],
    },
    {
      sql:
        "WITH opened AS (SELECT li.id AS line_item_id, li.ticket_id AS ticket_id, rm.id AS room_id FROM order_line_items li JOIN tickets t ON t.id = li.ticket_id JOIN rooms rm ON rm.event_id = t.event_id " +
        "WHERE li.order_id = ? AND li.fulfilment = 'issued' AND (NOT EXISTS (SELECT 1 FROM ticket_rooms tr WHERE tr.ticket_id = li.ticket_id) OR rm.id IN (SELECT tr.room_id FROM ticket_rooms tr WHERE tr.ticket_id = li.ticket_id))), " +
        "numbered AS (SELECT line_item_id, ticket_id, room_id, row_number() OVER (ORDER BY line_item_id, room_id) - 1 AS n FROM opened) " +
        `INSERT INTO room_access_tickets (id, order_id, order_line_item_id, ticket_id, room_id, user_id, pending_profile_id, status, created_at) SELECT ${derivedIdSql("?", "a.n")}, o.id, a.line_item_id, a.ticket_id, a.room_id, u.id, ` +
        "CASE WHEN u.id IS NULL THEN p.id END, 'active', ? FROM orders o JOIN numbered a LEFT JOIN users u ON u.email = o.buyer_email AND u.email_verified_at IS NOT NULL LEFT JOIN pending_profiles p ON p.event_id = o.event_id AND p.email = o.buyer_email WHERE o.id = ?",
      params: [orderId, newBaseId(), t, orderId],
    },
    {
      sql:
        `${SCOPES}INSERT INTO access_grants (id, user_id, event_id, room_id, role_id, source, order_id, created_at) SELECT ${derivedIdSql("?", "s.n")}, u.id, o.event_id, s.room_id, ?, 'order', o.id, ? ` +
        "FROM orders o JOIN users u ON u.email = o.buyer_email AND u.email_verified_at IS NOT NULL JOIN numbered s WHERE o.id = ? ON CONFLICT DO NOTHING",
      params: [orderId, orderId, newBaseId(), BUYER_ROLE, t, orderId],
    },
    {
      sql:
        `${SCOPES}INSERT INTO invitations (id, pending_profile_id, event_id, room_id, role_id, order_id, status, created_at) SELECT ${derivedIdSql("?", "s.n")}, p.id, o.event_id, s.room_id, ?, o.id, 'pending', ? ` +
        "FROM orders o JOIN pending_profiles p ON p.event_id = o.event_id AND p.email = o.buyer_email JOIN numbered s WHERE o.id = ? AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = o.buyer_email AND u.email_verified_at IS NOT NULL)",
      params: [orderId, orderId, newBaseId(), BUYER_ROLE, t, orderId],
    },
    { sql: ORDER_READ, params: [retailer, order.externalOrderId] },
  );
  return out;
}

// Ids of the schema's shape, in random order as every side's are: where a new
// id lands changes the SQL's own cost (appending to an index is cheaper than
// inserting into its middle), so counter ids would flatter the floor. From
// xorshift32 (distinct for 2^32 steps), since the floor measures SQL, not id
// generation.
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
let state = 0x2545f491;
function randomChars(n) {
  let out = "";
  for (let i = 0; i < n; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out += ALPHABET[(state >>> 0) % 36];
  }
  return out;
}
const newId = () => "f" + randomChars(23);
// A base for derived ids (derivedId keeps its first 21 characters).
const newBaseId = () => "g" + randomChars(20) + "000";

export function floorOperations(exec) {
  const now = () => Math.floor(Date.now() / 1000);

  return {
    async sign_up({ email, name }) {
      // The user is unverified and claims nothing; the token is for the mailer.
      const t = now();
      const userId = newId();
      const accountId = newId();
      const { token, hash } = await newVerificationToken();
      const expiresAt = t + VERIFICATION_TTL_SECONDS;
      const [users, accounts] = await exec([
        {
          sql: "INSERT INTO users (id, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id AS id, name AS name, email AS email, created_at AS createdAt",
          params: [userId, name, email, t, t],
        },
        {
          sql: "INSERT INTO accounts (id, name, kind, created_at, updated_at) VALUES (?, ?, 'personal', ?, ?) RETURNING id AS id, name AS name, kind AS kind",
          params: [accountId, name, t, t],
        },
        { sql: "INSERT INTO account_ownership (id, account_id, user_id, created_at) VALUES (?, ?, ?, ?)", params: [newId(), accountId, userId, t] },
        {
          sql: "INSERT INTO email_verifications (id, user_id, email, token_hash, name, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          params: [newId(), userId, email, hash, name, expiresAt, t],
        },
      ]);
      return { user: users[0], account: accounts[0], created: true, verification: { token, expiresAt } };
    },

    async create_event({ actorUserId, accountId, name, rooms = [] }) {
      const t = now();
      const eventId = newId();
      const statements = [
        {
          sql: "INSERT INTO events (id, account_id, name, status, created_by_user_id, created_at, updated_at) SELECT * FROM (VALUES (?, ?, ?, 'draft', ?, ?, ?)) WHERE EXISTS (SELECT 1 FROM account_ownership WHERE account_id = ? AND user_id = ?) RETURNING id AS id, account_id AS accountId, name AS name, status AS status",
          params: [eventId, accountId, name, actorUserId, t, t, accountId, actorUserId],
        },
      ];
      if (rooms.length) {
        statements.push({
          sql: `INSERT INTO rooms (id, event_id, name, kind, position, capacity, created_at, updated_at) SELECT * FROM (VALUES ${rooms.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}) WHERE EXISTS (SELECT 1 FROM events WHERE id = ?) RETURNING ${ROOM_COLUMNS}`,
          params: [...rooms.flatMap((r, i) => [newId(), eventId, r.name, r.kind ?? "session", i, r.capacity ?? null, t, t]), eventId],
        });
      }
      const [events, created = []] = await exec(statements);
      if (!events.length) throw new Error("not_found");
      return { event: events[0], rooms: created };
    },

    async grant_access({ actorUserId, userId, eventId, roomId = null, roleId }) {
      const t = now();
      const may = holdsPermission(actorUserId, "grant.manage", eventValue(eventId), roomId, t);
      const roleUsable = "EXISTS (SELECT 1 FROM roles r JOIN events e ON e.id = ? WHERE r.id = ? AND (r.account_id IS NULL OR r.account_id = e.account_id))";
      const facts = actorFacts(actorUserId, "grant.manage", eventId, t);
      const [inserted, [actor], [checks], existing] = await exec([
        {
          sql:
            "INSERT INTO access_grants (id, user_id, event_id, room_id, role_id, source, granted_by_user_id, created_at) SELECT * FROM (VALUES (?, ?, ?, ?, ?, 'manual', ?, ?)) " +
            `WHERE ${may.sql} AND ${roleUsable} AND EXISTS (SELECT 1 FROM users WHERE id = ?) ON CONFLICT DO NOTHING RETURNING id AS id, user_id AS userId, event_id AS eventId, room_id AS roomId, role_id AS roleId, source AS source, created_at AS createdAt`,
          params: [newId(), userId, eventId, roomId, roleId, actorUserId, t, ...may.params, eventId, roleId, userId],
        },
        facts,
        {
          sql: `SELECT EXISTS (SELECT 1 FROM users WHERE id = ?) AS userExists, ${roleUsable} AS roleUsable, ? IS NULL OR EXISTS (SELECT 1 FROM rooms WHERE id = ? AND event_id = ?) AS roomOk`,
          params: [userId, eventId, roleId, roomId, roomId, eventId],
        },
        {
          sql: "SELECT id AS id, user_id AS userId, event_id AS eventId, room_id AS roomId, role_id AS roleId, source AS source, created_at AS createdAt FROM access_grants WHERE user_id = ? AND event_id = ? AND room_id IS ? AND role_id = ? AND order_id IS NULL",
          params: [userId, eventId, roomId, roleId],
        },
      ]);
      if (inserted.length) return { grant: inserted[0], created: true };
      if (!actor.sees || !actor.may || !checks.userExists || !checks.roleUsable || !checks.roomOk || !existing.length) {
        throw new Error("refused");
      }
      return { grant: existing[0], created: false };
    },

    async get_event({ actorUserId, id }) {
      const visible = holdsPermission(actorUserId, "event.view", eventColumn("e.id"), null, now());
      const [[row]] = await exec([
        {
          sql: `SELECT e.id AS id, e.account_id AS accountId, e.name AS name, e.description AS description, e.status AS status, e.starts_at AS startsAt, e.ends_at AS endsAt, e.created_at AS createdAt, ${ROOMS_JSON} AS rooms, ${TICKETS_JSON} AS tickets FROM events e WHERE e.id = ? AND ${visible.sql}`,
          params: [id, ...visible.params],
        },
      ]);
      if (!row) throw new Error("not_found");
      const { rooms, tickets, ...event } = row;
      return { event, rooms: JSON.parse(rooms), tickets: JSON.parse(tickets) };
    },

    async can({ userId, eventId, roomId = null, permission }) {
      const allowed = holdsPermission(userId, permission, eventValue(eventId), roomId, now());
      const [[row]] = await exec([{ sql: `SELECT ${allowed.sql} AS allowed`, params: allowed.params }]);
      return { allowed: row.allowed === 1 };
    },

    async list_participants({ actorUserId, eventId, limit = 100, offset = 0 }) {
      const t = now();
      const may = holdsPermission(actorUserId, "participants.view", eventValue(eventId), null, t);
      // The core's statement: SQLite writes the page as JSON (wasm/ops/keyset_cursor.cpp, json_page).
      const [[actor], [page]] = await exec([
        actorFacts(actorUserId, "participants.view", eventId, t),
        {
          sql:
            `SELECT count(*) AS row_count, json_group_array(${PARTICIPANT_OBJECT}) FILTER (WHERE p.page_row <= ?) AS page_json ` +
            "FROM (SELECT q.*, row_number() OVER () AS page_row FROM (" +
            `SELECT ${PARTICIPANT_COLUMNS.map((c) => `${c} AS ${c}`).join(", ")} FROM event_participants_view ` +
            `WHERE event_id = ? AND (expires_at IS NULL OR expires_at > ?) AND ${may.sql} ORDER BY participant_kind DESC, email, role_name, coalesce(room_id, '') LIMIT ? OFFSET ?) q) p`,
          params: [limit, eventId, t, ...may.params, limit + 1, offset],
        },
      ]);
      if (!actor.sees || !actor.may) throw new Error("refused");
      return { participants: JSON.parse(page.page_json), nextOffset: page.row_count > limit ? offset + limit : null };
    },

    async ingest_order({ eventId, retailer, payload }) {
      const order = normalizeShopifyOrder(payload);
      const results = await exec(ingestStatements(newBaseId(), eventId, retailer, order, now()));
      const [[check], inserted] = results;
      const [row] = results.at(-1);
      if (!row) throw new Error(check.currencyMismatch ? "invalid_input" : "not_found");
      if (row.eventId !== eventId) throw new Error("conflict");
      const { lineItems, roomAccessTickets, accessGrants, invitations, ...stored } = row;
      const items = JSON.parse(lineItems);
      return {
        order: stored,
        lineItems: items,
        unmapped: items.filter((x) => x.resolution === "unmapped"),
        soldOut: items.filter((x) => x.fulfilment === "sold_out"),
        roomAccessTickets: JSON.parse(roomAccessTickets),
        accessGrants: JSON.parse(accessGrants),
        invitations: JSON.parse(invitations),
        created: inserted.length > 0,
      };
    },
  };
}

/** The floor's batch over raw sql.js: statements prepared once and cached, one transaction per batch. */
export function sqlJsExecutor(db) {
  const cache = new Map();
  const prepared = (text) => {
    let st = cache.get(text);
    if (!st) cache.set(text, (st = db.prepare(text)));
    return st;
  };
  const begin = prepared("BEGIN");
  const commit = prepared("COMMIT");
  return async (statements) => {
    begin.run();
    try {
      const results = statements.map(({ sql, params }) => {
        const st = prepared(sql);
        st.bind(params);
        // Column names once per statement, not once per row as getAsObject() reads them.
        const columns = st.getColumnNames();
        const rows = [];
        while (st.step()) {
          const values = st.get();
          const row = {};
          for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i];
          rows.push(row);
        }
        st.reset();
        return rows;
      });
      commit.run();
      return results;
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
  };
}

/** The floor's batch over a D1 binding: prepare().bind() each, one db.batch(). */
export function d1Executor(d1) {
  return async (statements) => {
    const results = await d1.batch(statements.map(({ sql, params }) => d1.prepare(sql).bind(...params)));
    return results.map((r) => r.results);
  };
}
