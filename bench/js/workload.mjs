// The benchmark's data and operations, shared by every side (our wasm core,
// Drizzle, the hand-written floor) and both settings (sql.js in node, local D1
// in workerd), so every side runs the same inputs against the same data.
//
// Base data on top of the migrations' seed: one event of the seed account with
// 3 rooms and 2 tickets; an organizer (acts for grant_access and
// list_participants: their right comes through role inheritance, the slow path
// of the check), a speaker (reads the event and checks room.join, inherited
// from attendee), 100 attendees, 10 pending invitations, and a pool of users
// without grants for grant_access to grant to.

export const ACCOUNT = "seedaccounteventuall0001";
export const EVENT = "benchevent00000000000001";
export const ORGANIZER = "benchorganizer0000000001";
export const SPEAKER = "benchspeaker000000000001";
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
      sql: "INSERT INTO users (id, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
      params: [id, `Bench ${n}`, `${n}@bench.example`, T0, T0],
    });
  const grant = (id, userId, role, roomId = null) =>
    out.push({
      sql: "INSERT INTO access_grants (id, user_id, event_id, room_id, role_id, source, created_at) VALUES (?, ?, ?, ?, ?, 'manual', ?)",
      params: [id, userId, EVENT, roomId, role, T0],
    });
  out.push({
    sql: "INSERT INTO events (id, account_id, name, status, created_at, updated_at) VALUES (?, ?, 'Bench event', 'active', ?, ?)",
    params: [EVENT, ACCOUNT, T0, T0],
  });
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
  return out;
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
  grant_access: (i) => ({ actorUserId: ORGANIZER, userId: poolUser(i), eventId: EVENT, roleId: ROLE.attendee }),
  get_event: () => ({ actorUserId: SPEAKER, id: EVENT }),
  can: () => ({ userId: SPEAKER, eventId: EVENT, permission: "room.join" }),
  list_participants: () => ({ actorUserId: ORGANIZER, eventId: EVENT, limit: 50 }),
};

// What every side must agree on for one run of an operation: a check that the
// sides do the same work, not a comparison of whole outputs (the floor returns
// fewer columns).
export function signature(op, r) {
  switch (op) {
    case "sign_up":
      return [r.user.email, r.account.kind, r.claimedGrants];
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
    default:
      return r;
  }
}
