// The same operations as a competent team writes them with Drizzle ORM on D1
// (the original system's choice): the query builder and relational queries
// where they fit, db.batch([...]) for atomic multi-statement writes (D1 has no
// transactions), and the permission check as a `sql` fragment
// (permission_sql.mjs, the same SQL our core sends: EXISTS subqueries over
// role_reach, which Drizzle's builder would only wrap in `sql` anyway). Checks that a Drizzle user naturally reads first (does the actor own
// the account?) are a read before the write, as such code is usually written;
// the round trips each side needs are counted and reported.
import { and, asc, desc, eq, getViewSelectedFields, gt, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";

import { eventValue, holdsPermission } from "./permission_sql.mjs";
import { newVerificationToken, VERIFICATION_TTL_SECONDS } from "./email_token.mjs";
import { derivedId, InvalidInput, matchKeys, normalizeShopifyOrder } from "./shopify_order.mjs";

// Ids of the schema's shape (a letter, then 23 lowercase letters and digits).
// Not @paralleldrive/cuid2's createId, which the original system used: it
// costs about 600 µs per id on this machine (JS SHA-3), which would bury
// Drizzle's own cost; this keeps the comparison about the data layer.
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
function createId() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let id = ALPHABET[bytes[0] % 26];
  for (let i = 1; i < 24; i++) id += ALPHABET[bytes[i] % 36];
  return id;
}

/** A {sql, params} fragment with "?" placeholders as a Drizzle SQL object. */
function fragment({ sql: text, params }) {
  const parts = text.split("?");
  const chunks = [sql.raw(parts[0])];
  for (let i = 1; i < parts.length; i++) chunks.push(sql`${params[i - 1]}`, sql.raw(parts[i]));
  return sql.join(chunks);
}

/**
 * @param db a Drizzle database (drizzle-orm/d1 or drizzle-orm/sql-js) with the schema
 * @param s the schema from drizzle_schema.mjs
 */
export function drizzleOperations(db, s) {
  // D1: db.batch. sql.js has no batch; its driver is synchronous, so the same
  // queries run between BEGIN and COMMIT are the equivalent atomic unit.
  const batch = db.batch
    ? (queries) => db.batch(queries)
    : async (queries) => {
        db.run(sql`BEGIN`);
        try {
          const results = [];
          for (const q of queries) results.push(await q);
          db.run(sql`COMMIT`);
          return results;
        } catch (e) {
          db.run(sql`ROLLBACK`);
          throw e;
        }
      };
  const now = () => Math.floor(Date.now() / 1000);
  // Permission checks as columns of a read of the event's row (no row: no
  // such event). A query builder, not db.get(sql): drizzle-orm 0.45's D1
  // batch cannot run raw SQL that has parameters. Aliased: D1 keys rows by
  // column name, and two checks differing only in parameters share a text.
  const checks = (eventId, conditions) =>
    db
      .select(Object.fromEntries(Object.entries(conditions).map(([name, c]) => [name, fragment(c).mapWith(Number).as(name)])))
      .from(s.events)
      .where(eq(s.events.id, eventId));
  const permission = (userId, name, eventId, roomId, t) => holdsPermission(userId, name, eventValue(eventId), roomId, t);
  const { eventId: _eventId, ...participantFields } = getViewSelectedFields(s.eventParticipantsView);
  // The stored order as ingest_order reports it (line items in payload order: derived ids sort so).
  const byId = { orderBy: (row, { asc: up }) => [up(row.id)] };
  const storedOrder = (where) =>
    db.query.orders.findFirst({
      where,
      with: { orderLineItems: byId, roomAccessTickets: byId, accessGrants: byId, invitations: byId },
    });
  const orderView = ({ orderLineItems, roomAccessTickets, accessGrants, invitations, ...order }, created) => ({
    order,
    lineItems: orderLineItems,
    unmapped: orderLineItems.filter((x) => x.resolution === "unmapped"),
    soldOut: orderLineItems.filter((x) => x.fulfilment === "sold_out"),
    roomAccessTickets,
    accessGrants,
    invitations,
    created,
  });

  return {
    async sign_up({ email, name, pronouns = null, location = null, birthdate = null, image = null }) {
      // The user is unverified and claims nothing; the token is for the mailer.
      const t = now();
      const userId = createId();
      const accountId = createId();
      const { token, hash } = await newVerificationToken();
      const expiresAt = t + VERIFICATION_TTL_SECONDS;
      const [users, accounts] = await batch([
        db.insert(s.users).values({ id: userId, name, email, pronouns, location, birthdate, image, createdAt: t, updatedAt: t }).returning(),
        db.insert(s.accounts).values({ id: accountId, name, kind: "personal", createdAt: t, updatedAt: t }).returning(),
        db.insert(s.accountOwnership).values({ id: createId(), accountId, userId, createdAt: t }),
        db.insert(s.emailVerifications).values({ id: createId(), userId, email, tokenHash: hash, name, pronouns, location, birthdate, image, expiresAt, createdAt: t }),
      ]);
      return { user: users[0], account: accounts[0], created: true, verification: { token, expiresAt } };
    },

    async create_event({ actorUserId, accountId, name, description = null, status = "draft", rooms = [] }) {
      const owner = await db
        .select({ id: s.accountOwnership.id })
        .from(s.accountOwnership)
        .where(and(eq(s.accountOwnership.accountId, accountId), eq(s.accountOwnership.userId, actorUserId)))
        .get();
      if (!owner) throw new Error("not_found");
      const t = now();
      const eventId = createId();
      const queries = [
        db.insert(s.events).values({ id: eventId, accountId, name, description, status, createdByUserId: actorUserId, createdAt: t, updatedAt: t }).returning(),
      ];
      if (rooms.length) {
        queries.push(
          db
            .insert(s.rooms)
            .values(rooms.map((r, i) => ({ id: createId(), eventId, name: r.name, kind: r.kind ?? "session", position: i, capacity: r.capacity ?? null, createdAt: t, updatedAt: t })))
            .returning(),
        );
      }
      const [events, created = []] = await batch(queries);
      return { event: events[0], rooms: created };
    },

    async grant_access({ actorUserId, userId, eventId, roomId = null, roleId, expiresAt = null }) {
      const t = now();
      const reads = [
        checks(eventId, { sees: permission(actorUserId, "event.view", eventId, null, t), may: permission(actorUserId, "grant.manage", eventId, roomId, t) }),
        db.query.users.findFirst({ columns: { id: true }, where: eq(s.users.id, userId) }),
        db.query.roles.findFirst({ columns: { accountId: true }, where: eq(s.roles.id, roleId) }),
        db.query.events.findFirst({ columns: { accountId: true }, where: eq(s.events.id, eventId) }),
      ];
      if (roomId) {
        reads.push(db.query.rooms.findFirst({ columns: { id: true }, where: and(eq(s.rooms.id, roomId), eq(s.rooms.eventId, eventId)) }));
      }
      const [[facts], user, role, event, room] = await batch(reads);
      const { sees, may } = facts ?? {};
      if (!sees) throw new Error("not_found");
      if (!may) throw new Error("forbidden");
      if (!user || !role || (role.accountId !== null && role.accountId !== event?.accountId) || (roomId && !room)) {
        throw new Error("not_found");
      }
      const g = s.accessGrants;
      const [created] = await db
        .insert(g)
        .values({ id: createId(), userId, eventId, roomId, roleId, source: "manual", grantedByUserId: actorUserId, expiresAt, createdAt: t })
        .onConflictDoNothing()
        .returning();
      if (created) return { grant: created, created: true };
      const existing = await db.query.accessGrants.findFirst({
        where: and(eq(g.userId, userId), eq(g.eventId, eventId), roomId ? eq(g.roomId, roomId) : isNull(g.roomId), eq(g.roleId, roleId), isNull(g.orderId)),
      });
      return { grant: existing, created: false };
    },

    async get_event({ actorUserId, id }) {
      const [[visible], event] = await batch([
        checks(id, { sees: permission(actorUserId, "event.view", id, null, now()) }),
        db.query.events.findFirst({
          where: eq(s.events.id, id),
          with: {
            rooms: { orderBy: [asc(s.rooms.position), asc(s.rooms.createdAt), asc(s.rooms.id)] },
            tickets: { orderBy: [asc(s.tickets.price), asc(s.tickets.name), asc(s.tickets.id)] },
          },
        }),
      ]);
      if (!visible?.sees || !event) throw new Error("not_found");
      const { rooms, tickets, ...row } = event;
      return { event: row, rooms, tickets };
    },

    async can({ userId, eventId, roomId = null, permission: name }) {
      const row = await checks(eventId, { allowed: permission(userId, name, eventId, roomId, now()) }).get();
      return { allowed: row?.allowed === 1 };
    },

    async list_participants({ actorUserId, eventId, limit = 100, offset = 0 }) {
      const v = s.eventParticipantsView;
      const t = now();
      const [[facts], rows] = await batch([
        checks(eventId, { sees: permission(actorUserId, "event.view", eventId, null, t), may: permission(actorUserId, "participants.view", eventId, null, t) }),
        db
          .select(participantFields)
          .from(v)
          .where(eq(v.eventId, eventId))
          .orderBy(desc(v.participantKind), asc(v.email), asc(v.roleName), sql`coalesce(${v.roomId}, '')`)
          .limit(limit + 1)
          .offset(offset),
      ]);
      const { sees, may } = facts ?? {};
      if (!sees || !may) throw new Error(sees ? "forbidden" : "not_found");
      return { participants: rows.slice(0, limit), nextOffset: rows.length > limit ? offset + limit : null };
    },

    // The webhook route's call (no actor). Read what the order needs in one
    // batch, decide in JS, write in a second batch; the orders unique index
    // (retailer, external id) makes a replay fail that whole batch (D1 rolls
    // a failed batch back), and the stored order is reported instead.
    async ingest_order({ eventId, retailer, payload }) {
      const order = normalizeShopifyOrder(payload);
      const o = s.orders;
      const m = s.externalSkuMappings;
      const stored = and(eq(o.retailer, retailer), eq(o.externalOrderId, order.externalOrderId));
      const keys = [...new Set(order.lineItems.flatMap(matchKeys))];
      const [existing, event, mappings, buyer, profile] = await batch([
        storedOrder(stored),
        db.query.events.findFirst({ columns: { id: true, accountId: true }, where: eq(s.events.id, eventId), with: { rooms: { columns: { id: true } } } }),
        db.query.externalSkuMappings.findMany({
          columns: { externalId: true },
          where: and(eq(m.eventId, eventId), eq(m.retailer, retailer), inArray(m.externalId, keys.length ? keys : [""])),
          with: { ticket: { with: { ticketRooms: { columns: { roomId: true } } } } },
        }),
        db.query.users.findFirst({ columns: { id: true }, where: and(eq(s.users.email, order.buyerEmail), isNotNull(s.users.emailVerifiedAt)) }),
        db.query.pendingProfiles.findFirst({ columns: { id: true }, where: and(eq(s.pendingProfiles.eventId, eventId), eq(s.pendingProfiles.email, order.buyerEmail)) }),
      ]);
      const replayed = (found) => {
        if (found.eventId !== eventId) throw new Error("conflict");
        return orderView(found, false);
      };
      if (existing) return replayed(existing);
      if (!event) throw new Error("not_found");

      const ticketByKey = new Map(mappings.map((x) => [x.externalId, x.ticket]));
      const resolved = order.lineItems.map((item) => matchKeys(item).map((k) => ticketByKey.get(k)).find((t) => t));
      if (resolved.some((t) => t && t.currency !== order.currency)) {
        throw new InvalidInput(`payload: currency ${order.currency} is not the currency of the tickets its items map to`);
      }
      const t = now();
      const orderId = createId();
      const { lineItems: _items, ...orderRow } = order;
      const taken = new Map(); // ticket id -> quantity issued by this order so far
      const lineItems = order.lineItems.map((item, i) => {
        const ticket = resolved[i];
        const before = ticket ? taken.get(ticket.id) ?? 0 : 0;
        const fits = ticket && (ticket.capacity === null || ticket.soldCount + before + item.quantity <= ticket.capacity);
        if (fits) taken.set(ticket.id, before + item.quantity);
        return {
          id: derivedId(orderId, i),
          orderId,
          ...item,
          ticketId: ticket?.id ?? null,
          resolution: ticket ? "mapped" : "unmapped",
          fulfilment: !ticket ? "none" : fits ? "issued" : "sold_out",
          createdAt: t,
        };
      });
      const issued = lineItems.filter((x) => x.fulfilment === "issued");
      const roomsOf = (item) => {
        const ticket = resolved[lineItems.indexOf(item)];
        return ticket.ticketRooms.length ? ticket.ticketRooms.map((r) => r.roomId) : event.rooms.map((r) => r.id);
      };
      const userId = buyer?.id ?? null;
      const profileId = issued.length && !userId ? profile?.id ?? createId() : null;
      const access = issued.flatMap((item) =>
        roomsOf(item)
          .sort()
          .map((roomId) => ({ orderId, orderLineItemId: item.id, ticketId: item.ticketId, roomId, userId, pendingProfileId: profileId, status: "active", createdAt: t })),
      );
      access.forEach((row, n) => (row.id = derivedId(orderId, n)));
      // The buyer's role on each room a ticket opens, or the whole event (null) for a ticket naming none.
      const scopes = [...new Set(issued.map((x) => resolved[lineItems.indexOf(x)]).flatMap((k) => (k.ticketRooms.length ? k.ticketRooms.map((r) => r.roomId) : [null])))];
      const role = { eventId, roleId: "roleattendee000000000000", orderId, createdAt: t };

      const writes = [
        db
          .insert(o)
          .values({ id: orderId, eventId, retailer, ...orderRow, userId, status: "paid", createdAt: t, updatedAt: t, scopeId: event.accountId })
          .returning(),
        db.insert(s.orderLineItems).values(lineItems).returning(),
      ];
      for (const [ticketId, quantity] of taken) {
        writes.push(db.update(s.tickets).set({ soldCount: sql`${s.tickets.soldCount} + ${quantity}`, updatedAt: t }).where(eq(s.tickets.id, ticketId)));
      }
      if (profileId && !profile) {
        writes.push(db.insert(s.pendingProfiles).values({ id: profileId, eventId, email: order.buyerEmail, name: order.buyerName, createdAt: t }).onConflictDoNothing());
      }
      if (access.length) writes.push(db.insert(s.roomAccessTickets).values(access).returning());
      if (scopes.length && userId) {
        writes.push(db.insert(s.accessGrants).values(scopes.map((roomId) => ({ id: createId(), userId, roomId, source: "order", ...role }))).onConflictDoNothing().returning());
      } else if (scopes.length) {
        writes.push(db.insert(s.invitations).values(scopes.map((roomId) => ({ id: createId(), pendingProfileId: profileId, roomId, status: "pending", ...role }))).returning());
      }
      let results;
      try {
        results = await batch(writes);
      } catch (e) {
        // A concurrent delivery stored it first: the whole batch was rolled back.
        if (!/UNIQUE constraint failed: orders\./.test(String(e.message) + String(e.cause?.message))) throw e;
        return replayed(await storedOrder(stored));
      }
      const [[created], items] = results;
      const grants = scopes.length && userId ? results.at(-1) : [];
      const invitations = scopes.length && !userId ? results.at(-1) : [];
      return orderView({ ...created, orderLineItems: items, roomAccessTickets: access.length ? results[results.length - 2] : [], accessGrants: grants, invitations }, true);
    },
  };
}
