// The authorization rule as hand-written SQL for the Drizzle and floor sides of
// the benchmark: the same statement text the core builds in
// wasm/ops/rbac/permission_sql.cpp (owner of the event's account, or an
// unexpired grant whose role reaches the permission through inheritance), so
// every side asks SQLite the same question. Returns { sql, params } with "?"
// placeholders in parameter order.

const MAX_INHERITANCE_DEPTH = 32;

/** event: { sql: "?", params: [id] } for a value, { sql: "e.id", params: [] } for a column. */
export const eventValue = (id) => ({ sql: "?", params: [id] });
export const eventColumn = (column) => ({ sql: column, params: [] });

export function ownsEventAccount(userId, event) {
  return {
    sql:
      "EXISTS (SELECT 1 FROM events owned_event JOIN account_ownership owner " +
      `ON owner.account_id = owned_event.account_id WHERE owned_event.id = ${event.sql} AND owner.user_id = ?)`,
    params: [...event.params, userId],
  };
}

export function holdsPermission(userId, permission, event, roomId, now) {
  const owner = ownsEventAccount(userId, event);
  let text =
    `((${owner.sql} OR EXISTS (WITH RECURSIVE held(role_id, depth) AS (` +
    `SELECT g.role_id, 0 FROM access_grants g WHERE g.user_id = ? AND g.event_id = ${event.sql}` +
    " AND (g.room_id IS NULL OR g.room_id = ?) AND (g.expires_at IS NULL OR g.expires_at > ?)" +
    " UNION SELECT ri.parent_role_id, held.depth + 1 FROM roles_inheritances ri" +
    ` JOIN held ON ri.role_id = held.role_id WHERE held.depth < ${MAX_INHERITANCE_DEPTH})` +
    " SELECT 1 FROM held CROSS JOIN role_to_permissions rp ON rp.role_id = held.role_id" +
    " WHERE rp.permission_id = (SELECT id FROM permissions WHERE name = ?)))";
  const params = [...owner.params, userId, ...event.params, roomId ?? null, now, permission];
  if (roomId) {
    text += ` AND EXISTS (SELECT 1 FROM rooms checked_room WHERE checked_room.id = ? AND checked_room.event_id = ${event.sql})`;
    params.push(roomId, ...event.params);
  }
  return { sql: `${text})`, params };
}

/** "SELECT <may see> AS sees, <may act> AS may": what an actor may do on an event. */
export function actorFacts(actorId, action, eventId, now) {
  const sees = holdsPermission(actorId, "event.view", eventValue(eventId), null, now);
  const may = holdsPermission(actorId, action, eventValue(eventId), null, now);
  return { sql: `SELECT ${sees.sql} AS sees, ${may.sql} AS may`, params: [...sees.params, ...may.params] };
}
