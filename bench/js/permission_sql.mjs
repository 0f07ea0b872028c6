// The authorization rule as hand-written SQL for the Drizzle and floor sides of
// the benchmark: the same statement text the core builds in
// wasm/ops/rbac/permission_sql.cpp and actor_facts.cpp (owner of the event's
// account, or an unexpired grant whose role reaches the permission: one probe
// of role_reach per grant), so every side asks SQLite the same question.
// Returns { sql, params } with "?" placeholders in parameter order. The floor's
// texts are held to the core's by the bench's smoke (floor_sql_check.mjs).

/** event: { sql: "?", params: [id] } for a value, { sql: "e.id", params: [] } for a column. */
export const eventValue = (id) => ({ sql: "?", params: [id] });
export const eventColumn = (column) => ({ sql: column, params: [] });
// Which grants count: event-wide or on `roomId` (null: event-wide only), or on any room.
const ANY_ROOM = Symbol("any room");
export const anyRoom = ANY_ROOM;

export function ownsEventAccount(userId, event) {
  return {
    sql:
      "EXISTS (SELECT 1 FROM events owned_event JOIN account_ownership owner " +
      `ON owner.account_id = owned_event.account_id WHERE owned_event.id = ${event.sql} AND owner.user_id = ?)`,
    params: [...event.params, userId],
  };
}

/** The live grants of a user on an event at a scope, as a condition on access_grants `alias`. */
export function liveGrants(alias, userId, event, roomId, now) {
  let sql = `${alias}.user_id = ? AND ${alias}.event_id = ${event.sql}`;
  const params = [userId, ...event.params];
  if (roomId !== ANY_ROOM) {
    sql += ` AND (${alias}.room_id IS NULL OR ${alias}.room_id = ?)`;
    params.push(roomId ?? null);
  }
  sql += ` AND (${alias}.expires_at IS NULL OR ${alias}.expires_at > ?)`;
  params.push(now);
  return { sql, params };
}

export function holdsPermission(userId, permission, event, roomId, now) {
  const owner = ownsEventAccount(userId, event);
  const live = liveGrants("g", userId, event, roomId, now);
  let text =
    `((${owner.sql} OR EXISTS (SELECT 1 FROM access_grants g CROSS JOIN role_reach reach` +
    " ON reach.role_id = g.role_id AND reach.permission_id = (SELECT id FROM permissions WHERE name = ?)" +
    ` WHERE ${live.sql}))`;
  const params = [...owner.params, permission, ...live.params];
  if (roomId && roomId !== ANY_ROOM) {
    text += ` AND EXISTS (SELECT 1 FROM rooms checked_room WHERE checked_room.id = ? AND checked_room.event_id = ${event.sql})`;
    params.push(roomId, ...event.params);
  }
  return { sql: `${text})`, params };
}

/** The delegation rule: actor may confer `roleId` at the scope (needing `gate` there). */
export function mayConfer(actorId, gate, roleId, event, roomId, now) {
  const owner = ownsEventAccount(actorId, event);
  const holds = holdsPermission(actorId, gate, event, roomId, now);
  const mine = liveGrants("mine", actorId, event, roomId, now);
  return {
    sql:
      `(${owner.sql} OR (${holds.sql} AND NOT EXISTS (SELECT 1 FROM role_reach conferred WHERE conferred.role_id = ?` +
      " AND NOT EXISTS (SELECT 1 FROM access_grants mine CROSS JOIN role_reach own" +
      ` ON own.role_id = mine.role_id AND own.permission_id = conferred.permission_id WHERE ${mine.sql}))))`,
    params: [...owner.params, ...holds.params, roleId, ...mine.params],
  };
}

/** "SELECT <may see> AS sees, <may act> AS may": what an actor may do on an event (no actor: it exists). */
export function actorFacts(actorId, action, eventId, now, roomId = null) {
  const event = eventValue(eventId);
  const exists = { sql: "EXISTS (SELECT 1 FROM events WHERE id = ?)", params: [eventId] };
  const sees = actorId ? holdsPermission(actorId, "event.view", event, ANY_ROOM, now) : exists;
  const may = action === "event.view" ? sees : actorId ? holdsPermission(actorId, action, event, roomId, now) : exists;
  return { sql: `SELECT ${sees.sql} AS sees, ${may.sql} AS may`, params: [...sees.params, ...may.params] };
}
