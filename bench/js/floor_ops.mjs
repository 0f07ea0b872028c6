// The floor: the same operations as hand-written prepared statements — the
// SQL our core sends (one atomic batch each: the same statement texts, in the
// same order, with the same parameters), with no input validation layer and
// results returned as plain row objects. What is left is SQLite's own cost
// plus the driver's. `exec(statements)` runs [{sql, params}] as one atomic
// batch and resolves to one array of row objects per statement.
//
// The texts are held to the core's by the bench's smoke (floor_sql_check.mjs,
// run by sqljs_bench.mjs): a change to the core's SQL that this file does not
// follow fails it, naming the operation and the statement.
import { newVerificationToken, VERIFICATION_TTL_SECONDS } from "./email_token.mjs";
import { actorFacts, anyRoom, eventColumn, eventValue, holdsPermission, mayConfer } from "./permission_sql.mjs";
import { derivedId, matchKeys, normalizeShopifyOrder } from "./shopify_order.mjs";

// "a AS a, b AS b" (RETURNING lists), "t.a AS a, ..." (select lists).
const aliased = (columns, prefix = "") => columns.map((c) => `${prefix}${c} AS ${c}`).join(", ");
const camelCase = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
// json_object('key', table.column, ...) with the keys in sorted order, as the core writes them.
const jsonObject = (alias, columns) =>
  `json_object(${columns
    .map((c) => [camelCase(c), c])
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, c]) => `'${key}', ${alias}.${c}`)
    .join(", ")})`;
// A parent's children as one JSON array text (schema::children_json_sql).
const childrenJson = (table, columns, parent, orderBy) =>
  `(SELECT json_group_array(json(children.object)) FROM (SELECT ${jsonObject(table, columns)} AS object FROM ${table} ${table} WHERE ${table}.${parent} ORDER BY ${orderBy}) AS children)`;
// INSERT ... SELECT * FROM (VALUES (...)) WHERE <guard> (schema::Insert with only_if).
const guardedInsert = (table, columns, guard, rows = 1) =>
  `INSERT INTO ${table} (${columns.join(", ")}) SELECT * FROM (VALUES ${Array(rows).fill(`(${columns.map(() => "?").join(", ")})`).join(", ")}) WHERE ${guard}`;

const USER_COLUMNS = ["id", "name", "email", "email_verified_at", "image", "pronouns", "location", "birthdate", "created_at", "updated_at"];
const ACCOUNT_COLUMNS = ["id", "name", "kind", "created_at", "updated_at"];
const EVENT_COLUMNS = ["id", "account_id", "name", "description", "status", "starts_at", "ends_at", "timezone", "image", "created_by_user_id", "created_at", "updated_at"];
const ROOM_COLUMNS = ["id", "event_id", "name", "kind", "position", "capacity", "created_at", "updated_at"];
const TICKET_COLUMNS = ["id", "event_id", "name", "description", "price", "currency", "capacity", "sold_count", "created_at", "updated_at"];
const GRANT_COLUMNS = ["id", "user_id", "event_id", "room_id", "role_id", "source", "order_id", "granted_by_user_id", "expires_at", "created_at"];
const PARTICIPANT_COLUMNS = ["participant_kind", "participant_id", "user_id", "pending_profile_id", "name", "email", "room_id", "room_name", "role_id", "role_name", "source", "granted_at"];
const ORDER_COLUMNS = ["id", "event_id", "retailer", "external_order_id", "buyer_email", "buyer_name", "user_id", "status", "total", "currency", "placed_at", "created_at", "updated_at", "connection_id", "scope_id", "external_payment_id"];
const LINE_ITEM_COLUMNS = ["id", "order_id", "external_product_id", "external_variant_id", "external_sku", "title", "quantity", "unit_price", "holder_email", "holder_name", "ticket_id", "resolution", "fulfilment", "created_at"];
const ROOM_ACCESS_COLUMNS = ["id", "order_id", "order_line_item_id", "ticket_id", "room_id", "user_id", "pending_profile_id", "status", "created_at"];

// get_event (wasm/ops/events): the event with its rooms and tickets as JSON.
const EVENT_READ =
  `SELECT ${aliased(EVENT_COLUMNS, "e.")}, ${childrenJson("rooms", ROOM_COLUMNS, "event_id = e.id", "position, created_at, id")} AS rooms_json, ` +
  `${childrenJson("tickets", TICKET_COLUMNS, "event_id = e.id", "price, name, id")} AS tickets_json FROM events e WHERE e.id = ? AND `;

// ingest_order: the SQL of wasm/ops/orders/ingest_order.cpp, the webhook path
// (no actor: the order's event must exist), with the stored order read back
// as order_view.cpp shows it.
const BUYER_ROLE = "roleattendee000000000000";
const DIGITS = "'0123456789abcdefghijklmnopqrstuvwxyz'";
const derivedIdSql = (base, n) =>
  `(substr(${base}, 1, 21) || substr(${DIGITS}, ((${n}) / 1296) % 36 + 1, 1) || substr(${DIGITS}, ((${n}) / 36) % 36 + 1, 1) || substr(${DIGITS}, (${n}) % 36 + 1, 1))`;
const RESOLVED_TICKET = (keys) =>
  `(SELECT rm.ticket_id FROM json_each(${keys}) rk JOIN external_sku_mappings rm ON rm.external_id = rk.value WHERE rm.event_id = ? AND rm.retailer = ? ORDER BY rk.key LIMIT 1)`;
const MISMATCH = `EXISTS (SELECT 1 FROM json_each(?) item JOIN tickets mt ON mt.id = ${RESOLVED_TICKET("item.value")} WHERE mt.currency <> ?)`;
const ACCOUNT_SCOPE = "(SELECT se.account_id FROM events se WHERE se.id = ?)";
const ISSUED =
  "WITH issued AS (SELECT li.id AS line_item_id, li.ticket_id AS ticket_id, t.event_id AS event_id, coalesce(li.holder_email, o.buyer_email) AS email, " +
  "CASE WHEN li.holder_email IS NULL THEN o.buyer_name ELSE li.holder_name END AS name FROM order_line_items li JOIN orders o ON o.id = li.order_id " +
  "JOIN tickets t ON t.id = li.ticket_id WHERE li.order_id = ? AND li.fulfilment = 'issued') ";
const ORDER_INSERT =
  `INSERT INTO orders (${ORDER_COLUMNS.join(", ")}) SELECT ?, pe.event_id, ?, ?, ?, ?, NULL, 'paid', ?, ?, ?, ?, ?, ?, ${ACCOUNT_SCOPE}, ? ` +
  `FROM (SELECT ? AS event_id) pe WHERE pe.event_id IS NOT NULL AND EXISTS (SELECT 1 FROM events WHERE id = ?) AND NOT ${MISMATCH} ` +
  "ON CONFLICT (retailer, scope_id, external_order_id) DO NOTHING RETURNING id AS id";
const LINE_ITEM_INSERT =
  `INSERT INTO order_line_items (${LINE_ITEM_COLUMNS.join(", ")}) SELECT ?, o.id, ?, ?, ?, ?, ?, ?, ?, ?, t.id, CASE WHEN t.id IS NULL THEN 'unmapped' ELSE 'mapped' END, ` +
  "CASE WHEN t.id IS NULL THEN 'none' WHEN t.capacity IS NULL OR t.sold_count + ? + (SELECT coalesce(sum(x.quantity), 0) FROM order_line_items x WHERE x.order_id = o.id " +
  `AND x.ticket_id = t.id AND x.fulfilment = 'issued') <= t.capacity THEN 'issued' ELSE 'sold_out' END, ? FROM orders o LEFT JOIN tickets t ON t.id = ${RESOLVED_TICKET("?")} WHERE o.id = ?`;
const SOLD_COUNT =
  "UPDATE tickets SET sold_count = sold_count + (SELECT sum(li.quantity) FROM order_line_items li WHERE li.order_id = ? AND li.ticket_id = tickets.id AND li.fulfilment = 'issued'), " +
  "updated_at = ? WHERE id IN (SELECT li.ticket_id FROM order_line_items li WHERE li.order_id = ? AND li.fulfilment = 'issued')";
const PENDING_PROFILES =
  `${ISSUED}, people AS (SELECT event_id, email, max(name) AS name FROM issued GROUP BY event_id, email), numbered AS (SELECT event_id, email, name, ` +
  `row_number() OVER (ORDER BY event_id, email) - 1 AS n FROM people) INSERT INTO pending_profiles (id, event_id, email, name, created_at) SELECT ${derivedIdSql("?", "n")}, ` +
  "event_id, email, name, ? FROM numbered WHERE true ON CONFLICT (event_id, email) DO NOTHING";
const ROOM_ACCESS =
  `${ISSUED}, opened AS (SELECT i.line_item_id AS line_item_id, i.ticket_id AS ticket_id, rm.id AS room_id, i.event_id AS event_id, i.email AS email FROM issued i ` +
  "JOIN rooms rm ON rm.event_id = i.event_id WHERE NOT EXISTS (SELECT 1 FROM ticket_rooms tr WHERE tr.ticket_id = i.ticket_id) OR rm.id IN (SELECT tr.room_id FROM ticket_rooms tr " +
  "WHERE tr.ticket_id = i.ticket_id)), numbered AS (SELECT line_item_id, ticket_id, room_id, event_id, email, row_number() OVER (ORDER BY line_item_id, room_id) - 1 AS n FROM opened) " +
  `INSERT INTO room_access_tickets (${ROOM_ACCESS_COLUMNS.join(", ")}) SELECT ${derivedIdSql("?", "a.n")}, ?, a.line_item_id, a.ticket_id, a.room_id, NULL, p.id, 'active', ? ` +
  "FROM numbered a JOIN pending_profiles p ON p.event_id = a.event_id AND p.email = a.email";
const INVITATIONS =
  `${ISSUED}, scopes AS (SELECT i.event_id AS event_id, i.email AS email, tr.room_id AS room_id FROM issued i JOIN ticket_rooms tr ON tr.ticket_id = i.ticket_id ` +
  "UNION SELECT i.event_id, i.email, NULL FROM issued i WHERE NOT EXISTS (SELECT 1 FROM ticket_rooms tr WHERE tr.ticket_id = i.ticket_id)), numbered AS (SELECT event_id, email, " +
  "room_id, row_number() OVER (ORDER BY event_id, email, room_id) - 1 AS n FROM scopes) INSERT INTO invitations (id, pending_profile_id, event_id, room_id, role_id, order_id, " +
  `status, created_at) SELECT ${derivedIdSql("?", "s.n")}, p.id, s.event_id, s.room_id, ?, ?, 'pending', ? FROM numbered s JOIN pending_profiles p ON p.event_id = s.event_id AND p.email = s.email`;
const ACCESS_JSON =
  "(SELECT json_group_array(json_object('email', a.email, 'eventId', a.event_id, 'roleId', a.role_id, 'roomId', a.room_id)) FROM (SELECT DISTINCT email, event_id, room_id, role_id " +
  "FROM (SELECT u.email AS email, g.event_id AS event_id, g.room_id AS room_id, g.role_id AS role_id FROM access_grants g JOIN users u ON u.id = g.user_id WHERE g.order_id = o.id " +
  "UNION SELECT p.email, i.event_id, i.room_id, i.role_id FROM invitations i JOIN pending_profiles p ON p.id = i.pending_profile_id WHERE i.order_id = o.id AND i.status = 'pending') " +
  "ORDER BY event_id, coalesce(room_id, ''), email, role_id) a)";
const EVENT_IDS_JSON =
  "(SELECT json_group_array(event_id) FROM (SELECT DISTINCT t.event_id AS event_id FROM order_line_items li JOIN tickets t ON t.id = li.ticket_id WHERE li.order_id = o.id " +
  "AND li.fulfilment = 'issued' ORDER BY t.event_id))";
const ORDER_READ =
  `SELECT ${aliased(ORDER_COLUMNS, "o.")}, ${childrenJson("order_line_items", LINE_ITEM_COLUMNS, "order_id = o.id", "id")} AS line_items_json, ` +
  `${childrenJson("room_access_tickets", ROOM_ACCESS_COLUMNS, "order_id = o.id", "id")} AS room_access_json, ${ACCESS_JSON} AS access_json, ` +
  `${EVENT_IDS_JSON} AS event_ids_json FROM orders o WHERE o.retailer = ? AND o.scope_id = ${ACCOUNT_SCOPE} AND o.external_order_id = ?`;

function ingestStatements(orderId, eventId, retailer, order, t) {
  const resolvedParams = [eventId, retailer];
  const mismatchParams = [JSON.stringify(order.lineItems.map(matchKeys)), ...resolvedParams, order.currency];
  // Why no order was written: one row only when none was (the new order's id filters it out).
  const why = actorFacts(null, "order.manage", eventId, t);
  const out = [
    {
      sql: ORDER_INSERT,
      params: [orderId, retailer, order.externalOrderId, order.buyerEmail, order.buyerName, order.total, order.currency, order.placedAt, t, t, null, eventId, null, eventId, eventId, ...mismatchParams],
    },
    { sql: `${why.sql}, ${MISMATCH} AS currency_mismatch WHERE NOT EXISTS (SELECT 1 FROM orders WHERE id = ?)`, params: [...why.params, ...mismatchParams, orderId] },
  ];
  for (const [i, item] of order.lineItems.entries()) {
    out.push({
      sql: LINE_ITEM_INSERT,
      params: [derivedId(orderId, i), item.externalProductId, item.externalVariantId, item.externalSku, item.title, item.quantity, item.unitPrice, null, null, item.quantity, t, JSON.stringify(matchKeys(item)), ...resolvedParams, orderId],
    });
  }
  out.push(
    { sql: SOLD_COUNT, params: [orderId, t, orderId] },
    { sql: PENDING_PROFILES, params: [orderId, newId(), t] },
    { sql: ROOM_ACCESS, params: [orderId, newId(), orderId, t] },
    { sql: INVITATIONS, params: [orderId, newId(), BUYER_ROLE, orderId, t] },
    { sql: ORDER_READ, params: [retailer, eventId, order.externalOrderId] },
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
      // The core's five statements (wasm/ops/identity/sign_up.cpp, user_creation.cpp): the
      // user unless the email is taken, their account and its ownership guarded by
      // the rows before, the token for an unverified holder of the email, the user read back.
      const t = now();
      const userId = newId();
      const accountId = newId();
      const { token, hash } = await newVerificationToken();
      const expiresAt = t + VERIFICATION_TTL_SECONDS;
      const [inserted, accounts, , tokens, [user]] = await exec([
        {
          sql: `${guardedInsert("users", ["id", "name", "email", "pronouns", "location", "birthdate", "image", "created_at", "updated_at"], "NOT EXISTS (SELECT 1 FROM users WHERE email = ?)")} RETURNING id AS id`,
          params: [userId, name, email, null, null, null, null, t, t, email],
        },
        {
          sql: `${guardedInsert("accounts", ACCOUNT_COLUMNS, "EXISTS (SELECT 1 FROM users WHERE id = ?)")} RETURNING ${aliased(ACCOUNT_COLUMNS)}`,
          params: [accountId, name, "personal", t, t, userId],
        },
        {
          sql: guardedInsert("account_ownership", ["id", "account_id", "user_id", "created_at"], "EXISTS (SELECT 1 FROM accounts WHERE id = ?)"),
          params: [newId(), accountId, userId, t, accountId],
        },
        {
          sql:
            "INSERT INTO email_verifications (id, user_id, email, token_hash, name, pronouns, location, birthdate, image, expires_at, created_at) " +
            "SELECT ?, u.id, u.email, ?, ?, ?, ?, ?, ?, ?, ? FROM users u WHERE u.email = ? AND u.email_verified_at IS NULL RETURNING user_id AS user_id",
          params: [newId(), hash, name, null, null, null, null, expiresAt, t, email],
        },
        { sql: `SELECT ${aliased(USER_COLUMNS, "u.")} FROM users u WHERE u.email = ?`, params: [email] },
      ]);
      if (!tokens.length || !user) throw new Error("conflict");
      return { user, account: accounts[0], created: inserted.length > 0, verification: { token, expiresAt } };
    },

    async create_event({ actorUserId, accountId, name, rooms = [] }) {
      const t = now();
      const eventId = newId();
      const statements = [
        {
          sql: `${guardedInsert("events", EVENT_COLUMNS, "EXISTS (SELECT 1 FROM account_ownership WHERE account_id = ? AND user_id = ?)")} RETURNING ${aliased(EVENT_COLUMNS)}`,
          params: [eventId, accountId, name, null, "draft", null, null, null, null, actorUserId, t, t, accountId, actorUserId],
        },
      ];
      if (rooms.length) {
        statements.push({
          sql: `${guardedInsert("rooms", ROOM_COLUMNS, "EXISTS (SELECT 1 FROM events WHERE id = ?)", rooms.length)} RETURNING ${aliased(ROOM_COLUMNS)}`,
          params: [...rooms.flatMap((r, i) => [newId(), eventId, r.name, r.kind ?? "session", i, r.capacity ?? null, t, t]), eventId],
        });
      }
      const [events, created = []] = await exec(statements);
      if (!events.length) throw new Error("not_found");
      return { event: events[0], rooms: created };
    },

    async grant_access({ actorUserId, userId, eventId, roomId = null, roleId }) {
      // wasm/ops/rbac/access.cpp: the grant guarded by the delegation rule, then
      // what tells a refusal apart, and the grant already there.
      const t = now();
      const event = eventValue(eventId);
      const confer = mayConfer(actorUserId, "grant.manage", roleId, event, roomId, t);
      const usable = { sql: "EXISTS (SELECT 1 FROM roles r JOIN events e ON e.id = ? WHERE r.id = ? AND (r.account_id IS NULL OR r.account_id = e.account_id))", params: [eventId, roleId] };
      // Why it was not written: one row only when it was not (the new grant's id filters it out).
      const grantId = newId();
      const why = actorFacts(actorUserId, "grant.manage", eventId, t, roomId);
      if (roomId) {
        why.sql += ", EXISTS (SELECT 1 FROM rooms WHERE id = ? AND event_id = ?) AS room_ok";
        why.params.push(roomId, eventId);
      }
      why.sql += `, EXISTS (SELECT 1 FROM users WHERE id = ?) AS user_exists, ${usable.sql} AS role_usable, ${confer.sql} AS may_confer WHERE NOT EXISTS (SELECT 1 FROM access_grants WHERE id = ?)`;
      why.params.push(userId, ...usable.params, ...confer.params, grantId);
      const [inserted, [checks], existing] = await exec([
        {
          sql:
            `${guardedInsert("access_grants", ["id", "user_id", "event_id", "room_id", "role_id", "source", "granted_by_user_id", "expires_at", "created_at"], `${confer.sql} AND ${usable.sql} AND EXISTS (SELECT 1 FROM users WHERE id = ?)`)} ` +
            `ON CONFLICT DO NOTHING RETURNING ${aliased(GRANT_COLUMNS)}`,
          params: [grantId, userId, eventId, roomId, roleId, "manual", actorUserId, null, t, ...confer.params, ...usable.params, userId],
        },
        why,
        {
          sql: `SELECT ${aliased(GRANT_COLUMNS)} FROM access_grants WHERE user_id = ? AND event_id = ? AND room_id IS ? AND role_id = ? AND order_id IS NULL`,
          params: [userId, eventId, roomId, roleId],
        },
      ]);
      const grant = inserted[0] ?? existing[0];
      if (!inserted.length && (!checks.sees || (roomId && !checks.room_ok) || !checks.may || !checks.user_exists || !checks.role_usable || !checks.may_confer || !grant)) {
        throw new Error("refused");
      }
      return { grant: { id: grant.id, userId: grant.user_id, roleId: grant.role_id }, created: inserted.length > 0 };
    },

    async get_event({ actorUserId, id }) {
      const visible = holdsPermission(actorUserId, "event.view", eventColumn("e.id"), anyRoom, now());
      const [[row]] = await exec([{ sql: EVENT_READ + visible.sql, params: [id, ...visible.params] }]);
      if (!row) throw new Error("not_found");
      const { rooms_json: rooms, tickets_json: tickets, ...event } = row;
      return { event, rooms: JSON.parse(rooms), tickets: JSON.parse(tickets) };
    },

    async can({ userId, eventId, roomId = null, permission }) {
      const allowed = holdsPermission(userId, permission, eventValue(eventId), roomId, now());
      const [[row]] = await exec([{ sql: `SELECT ${allowed.sql} AS allowed, EXISTS (SELECT 1 FROM permissions WHERE name = ?) AS known`, params: [...allowed.params, permission] }]);
      if (!row.known) throw new Error("not_found");
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
            `SELECT count(*) AS row_count, json_group_array(${jsonObject("p", PARTICIPANT_COLUMNS)}) FILTER (WHERE p.page_row <= ?) AS page_json ` +
            `FROM (SELECT q.*, row_number() OVER () AS page_row FROM (SELECT ${aliased(PARTICIPANT_COLUMNS)} FROM event_participants_view ` +
            `WHERE event_id = ? AND (expires_at IS NULL OR expires_at > ?) AND ${may.sql} ORDER BY participant_kind DESC, email, role_name, coalesce(room_id, '') LIMIT ? OFFSET ?) q) p`,
          params: [limit, eventId, t, ...may.params, limit + 1, offset],
        },
      ]);
      if (!actor.sees || !actor.may) throw new Error("refused");
      return { participants: JSON.parse(page.page_json), nextOffset: page.row_count > limit ? offset + limit : null };
    },

    async ingest_order({ eventId, retailer, payload }) {
      const order = normalizeShopifyOrder(payload);
      const results = await exec(ingestStatements(newId(), eventId, retailer, order, now()));
      const [inserted, [why]] = results;
      const [row] = results.at(-1);
      if (!inserted.length && (!why.sees || !why.may)) throw new Error("not_found");
      if (!row) throw new Error(why.currency_mismatch ? "invalid_input" : "internal");
      if (row.event_id !== eventId) throw new Error("conflict");
      const { line_items_json: lineItems, room_access_json: roomAccess, access_json: access, event_ids_json: eventIds, ...stored } = row;
      const items = JSON.parse(lineItems);
      return {
        order: { ...stored, externalOrderId: stored.external_order_id },
        lineItems: items,
        unmapped: items.filter((x) => x.resolution === "unmapped"),
        soldOut: items.filter((x) => x.fulfilment === "sold_out"),
        roomAccessTickets: JSON.parse(roomAccess),
        access: JSON.parse(access),
        eventIds: JSON.parse(eventIds),
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
