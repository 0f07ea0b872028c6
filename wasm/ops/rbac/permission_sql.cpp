#include "ops/rbac/permission_sql.h"

#include "common/for_size.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops::rbac {

namespace {

// A reference's SQL, its parameters appended where it appears.
std::string ref_sql(const EventRef& ref, std::vector<sql::Value>& params) {
  sql::append_params(params, ref.params);
  return ref.sql;
}

bool is_null_value(const EventRef& ref) {
  return ref.sql == "?" && ref.params.size() == 1 && ref.params[0].is_null();
}

// Appends a condition's text and parameters to c, in that order.
void append(Condition& c, const Condition& part) {
  c.sql += part.sql;
  sql::append_params(c.params, part.params);
}

// The rules' texts depend only on their shape (which rule, the alias, the
// references' SQL, the scope's kind, whether the room is a NULL value), never
// on the values bound, so each shape's text is written once and kept, with
// what it binds in order (one slot per parameter, or per reference: all of
// its parameters); a call copies the text and binds its values.
enum Slot : char { kUser, kPermission, kNow, kEvent, kRoom, kRole };

struct Shape {
  std::string sql;
  std::string slots;
};

// Writes a shape's text and slots.
struct Writer {
  Shape& out;
  Writer& operator<<(std::string_view text) {
    out.sql += text;
    return *this;
  }
  Writer& bind(Slot slot) {  // one "?" of the text
    out.sql += '?';
    out.slots += slot;
    return *this;
  }
  Writer& ref(Slot slot, const EventRef& ref) {
    out.sql += ref.sql;
    out.slots += slot;
    return *this;
  }
};

void write_owns(Writer& w, const EventRef& event) {
  w << "EXISTS (SELECT 1 FROM events owned_event JOIN account_ownership owner "
       "ON owner.account_id = owned_event.account_id WHERE owned_event.id = ";
  w.ref(kEvent, event) << " AND owner.user_id = ";
  w.bind(kUser) << ")";
}

void write_live(Writer& w, std::string_view alias, const EventRef& event, const RoomScope& scope) {
  w << alias << ".user_id = ";
  w.bind(kUser) << " AND " << alias << ".event_id = ";
  w.ref(kEvent, event);
  if (scope.kind == RoomScope::Kind::kRoom) {
    w << " AND (" << alias << ".room_id IS NULL OR " << alias << ".room_id = ";
    w.ref(kRoom, scope.room) << ")";
  }
  w << " AND (" << alias << ".expires_at IS NULL OR " << alias << ".expires_at > ";
  w.bind(kNow) << ")";
}

void write_holds(Writer& w, const EventRef& event, const RoomScope& scope) {
  w << "((";
  write_owns(w, event);
  // One probe of role_reach per live grant. CROSS JOIN keeps the planner
  // walking the user's few grants, not every role that reaches the permission.
  w << " OR EXISTS (SELECT 1 FROM access_grants g CROSS JOIN role_reach reach"
       " ON reach.role_id = g.role_id AND reach.permission_id ="
       " (SELECT id FROM permissions WHERE name = ";
  w.bind(kPermission) << ") WHERE ";
  write_live(w, "g", event, scope);
  w << "))";
  // A room given must belong to the event.
  if (scope.kind == RoomScope::Kind::kRoom && !is_null_value(scope.room)) {
    // A room given in SQL (the room of a grant) may be NULL: event-wide.
    const bool maybe_null = scope.room.sql != "?";
    w << " AND";
    if (maybe_null) {
      w << " (";
      w.ref(kRoom, scope.room) << " IS NULL OR";
    }
    w << " EXISTS (SELECT 1 FROM rooms checked_room WHERE checked_room.id = ";
    w.ref(kRoom, scope.room) << " AND checked_room.event_id = ";
    w.ref(kEvent, event) << ")";
    if (maybe_null) w << ")";
  }
  w << ")";
}

void write_may_confer(Writer& w, const EventRef& role, const EventRef& event,
                      const RoomScope& scope) {
  w << "(";
  write_owns(w, event);
  w << " OR (";
  write_holds(w, event, scope);
  // No permission the conferred role reaches that the actor's own live
  // grants at the scope do not reach.
  w << " AND NOT EXISTS (SELECT 1 FROM role_reach conferred WHERE conferred.role_id = ";
  w.ref(kRole, role) << " AND NOT EXISTS (SELECT 1 FROM access_grants mine CROSS JOIN role_reach"
                        " own ON own.role_id = mine.role_id AND own.permission_id ="
                        " conferred.permission_id WHERE ";
  write_live(w, "mine", event, scope);
  w << "))))";
}

// A rule's references: what its text is written from.
struct Refs {
  std::string_view alias;
  const EventRef& event;
  const RoomScope& scope;
  const EventRef* role;
};

// A rule's text and slots, written from its references.
using Write = void (*)(Writer&, const Refs&);

// What a shape's text is a function of: the rule (its writer) and its
// references' SQL, all from our code (the rules' and the call sites'
// fragments), never a caller's value, so the shapes are as many as the call
// sites make (25 in the native suite).
struct Cached {
  Write write;
  RoomScope::Kind kind;
  bool room_null;
  std::string alias, event, room, role;
  Shape shape;
};

// Far above what the call sites make (tests/native/permission_sql_test.cpp
// checks that callers' values add none). Past it a shape is written per call,
// as before the cache: slower, never an abort, whatever a future call site
// passes.
constexpr std::size_t kMaxShapes = 64;

// The values a call binds to its shape's slots.
struct Values {
  const std::string& user;
  const std::string* permission;
  std::int64_t now;
};

std::vector<Cached>& shape_cache() {
  static std::vector<Cached> cache;
  return cache;
}

Condition from_shape(Write write, const Refs& refs, const Values& v) {
  const bool room_null = is_null_value(refs.scope.room);
  const std::string_view role = refs.role ? std::string_view(refs.role->sql) : std::string_view();
  auto& cache = shape_cache();
  const Shape* shape = nullptr;
  for (const Cached& c : cache) {
    if (c.write == write && c.kind == refs.scope.kind && c.room_null == room_null &&
        c.alias == refs.alias && c.event == refs.event.sql && c.room == refs.scope.room.sql &&
        c.role == role) {
      shape = &c.shape;
      break;
    }
  }
  Shape uncached;  // past the cap: written for this call only
  if (!shape && cache.size() >= kMaxShapes) {
    Writer w{uncached};
    write(w, refs);
    shape = &uncached;
  }
  if (!shape) {
    Cached& c = cache.emplace_back(Cached{write, refs.scope.kind, room_null, std::string(refs.alias),
                                          refs.event.sql, refs.scope.room.sql, std::string(role),
                                          {}});
    Writer w{c.shape};
    write(w, refs);
    shape = &c.shape;
  }
  Condition out{shape->sql, {}};
  auto ref = [&](char slot) -> const EventRef* {
    return slot == kEvent ? &refs.event
           : slot == kRoom ? &refs.scope.room
           : slot == kRole ? refs.role
                           : nullptr;
  };
  std::size_t n = 0;
  for (char slot : shape->slots) n += ref(slot) ? ref(slot)->params.size() : 1;
  out.params.reserve(n);
  for (char slot : shape->slots) {
    if (const EventRef* r = ref(slot)) {
      sql::append_params(out.params, r->params);
    } else if (slot == kUser) {
      out.params.emplace_back(v.user);
    } else if (slot == kPermission) {
      out.params.emplace_back(*v.permission);
    } else {
      out.params.emplace_back(v.now);
    }
  }
  return out;
}

const RoomScope& no_scope() {  // the rules without one
  static const RoomScope kNone = RoomScope::any();
  return kNone;
}

}  // namespace

std::size_t shape_cache_size_for_testing() { return shape_cache().size(); }

Condition owns_event_account(const std::string& user_id, const EventRef& event) {
  return from_shape([](Writer& w, const Refs& r) { write_owns(w, r.event); },
                    {{}, event, no_scope(), nullptr}, {user_id, nullptr, 0});
}

Condition owns_account(const std::string& user_id, const std::string& account_id) {
  return {"EXISTS (SELECT 1 FROM account_ownership WHERE account_id = ? AND user_id = ?)",
          {account_id, user_id}};
}

Condition live_grants(const std::string& alias, const std::string& user_id, const EventRef& event,
                      const RoomScope& scope, std::int64_t now) {
  return from_shape([](Writer& w, const Refs& r) { write_live(w, r.alias, r.event, r.scope); },
                    {alias, event, scope, nullptr}, {user_id, nullptr, now});
}

Condition held_roles(const std::string& name, const std::string& user_id, const EventRef& event,
                     const RoomScope& scope, std::int64_t now,
                     const std::optional<Condition>& seed_guard) {
  Condition c;
  c.sql = name + "(role_id) AS (SELECT g.role_id FROM access_grants g WHERE ";
  append(c, live_grants("g", user_id, event, scope, now));
  if (seed_guard) {
    c.sql += " AND ";
    append(c, *seed_guard);
  }
  c.sql += " UNION SELECT ri.parent_role_id FROM roles_inheritances ri JOIN " + name +
           " ON ri.role_id = " + name + ".role_id)";
  return c;
}

Condition role_closure(const std::string& name, const EventRef& role) {
  Condition c;
  c.sql = name + "(role_id) AS (SELECT " + ref_sql(role, c.params) +
          " UNION SELECT ri.parent_role_id FROM roles_inheritances ri JOIN " + name +
          " ON ri.role_id = " + name + ".role_id)";
  return c;
}

sql::Statement edges_among(const std::string& name, const Condition& cte) {
  return {"WITH RECURSIVE " + cte.sql +
              " SELECT ri.role_id AS role_id, ri.parent_role_id AS parent_id FROM"
              " roles_inheritances ri JOIN " + name + " ON " + name +
              ".role_id = ri.role_id ORDER BY ri.role_id, ri.parent_role_id",
          cte.params};
}

Condition holds_permission(const std::string& user_id, const std::string& permission,
                           const EventRef& event, const RoomScope& scope, std::int64_t now) {
  return from_shape([](Writer& w, const Refs& r) { write_holds(w, r.event, r.scope); },
                    {{}, event, scope, nullptr}, {user_id, &permission, now});
}

Condition holds_permission(const std::string& user_id, const std::string& permission,
                           const EventRef& event, const std::optional<std::string>& room_id,
                           std::int64_t now) {
  return holds_permission(user_id, permission, event, RoomScope::of(room_id), now);
}

Condition may_confer(const std::string& actor, const std::string& gate, const EventRef& role,
                     const EventRef& event, const RoomScope& scope, std::int64_t now) {
  return from_shape(
      [](Writer& w, const Refs& r) { write_may_confer(w, *r.role, r.event, r.scope); },
      {{}, event, scope, &role}, {actor, &gate, now});
}

std::vector<sql::Statement> refresh_reach(ReachScope scope, const std::string& root,
                                          const Condition& guard) {
  // Two CTEs: `affected`, the roles whose rows are rewritten, and `drive`, the
  // roles whose rows are spread to their heirs one distance per statement: the
  // roles of root's account (an account role's heirs are all in its account,
  // and its other roles' rows are final: spreading them changes nothing), or
  // for a platform root the affected roles themselves.
  Condition ctes;
  const std::string heirs =
      " UNION SELECT ri.role_id FROM roles_inheritances ri JOIN affected ON ri.parent_role_id ="
      " affected.role_id";
  switch (scope) {
    case ReachScope::kRoleAndHeirs:
      ctes = {"WITH RECURSIVE affected(role_id) AS (SELECT ?" + heirs +
                  "), platform_heirs(role_id) AS (SELECT id FROM roles WHERE id = ? AND account_id"
                  " IS NULL UNION SELECT ri.role_id FROM roles_inheritances ri JOIN platform_heirs ON"
                  " ri.parent_role_id = platform_heirs.role_id), drive(role_id) AS (SELECT id FROM"
                  " roles WHERE coalesce(account_id, '') = (SELECT account_id FROM roles WHERE id = ?)"
                  " UNION ALL SELECT role_id FROM platform_heirs) ",
              {root, root, root}};
      break;
    case ReachScope::kHeirsWithoutRole:  // root is an account role (platform roles stay)
      ctes = {"WITH RECURSIVE affected(role_id) AS (SELECT ri.role_id FROM roles_inheritances ri"
                  " WHERE ri.parent_role_id = ?" + heirs + " WHERE ri.role_id <> ?), drive(role_id)"
                  " AS (SELECT id FROM roles WHERE coalesce(account_id, '') = (SELECT account_id FROM"
                  " roles WHERE id = ?)) ",
              {root, root, root}};
      break;
    case ReachScope::kAllRoles:
      ctes = {"WITH affected(role_id) AS (SELECT id FROM roles), drive(role_id) AS (SELECT id FROM"
              " roles) ",
              {}};
      break;
  }
  // Edges from the role about to go do not count.
  Condition edge_ok{"1", {}};
  if (scope == ReachScope::kHeirsWithoutRole) edge_ok = {"ri.parent_role_id <> ?", {root}};
  const std::string insert = "INSERT INTO role_reach (id, role_id, permission_id, distance, via_role_id) ";
  // A nearer chain, or one as near through a parent with a smaller id, wins.
  const std::string keep_nearest =
      " ON CONFLICT DO UPDATE SET distance = excluded.distance, via_role_id = excluded.via_role_id"
      " WHERE excluded.distance < role_reach.distance OR (excluded.distance = role_reach.distance"
      " AND excluded.via_role_id < role_reach.via_role_id)";
  const std::string cap = std::to_string(kMaxInheritanceDepth);

  std::vector<sql::Statement> out;
  auto statement = [&](const std::string& body, const std::vector<Condition>& parts,
                       const std::string& tail) {
    sql::Statement s{ctes.sql + body, ctes.params};
    for (const auto& part : parts) {
      s.sql += " AND (" + part.sql + ")";
      sql::append_params(s.params, part.params);
    }
    s.sql += tail;
    out.push_back(std::move(s));
  };
  statement("DELETE FROM role_reach WHERE role_id IN (SELECT role_id FROM affected)", {guard}, "");
  statement(insert +
                "SELECT rp.role_id || ':' || rp.permission_id, rp.role_id, rp.permission_id, 0, NULL"
                " FROM affected JOIN role_to_permissions rp ON rp.role_id = affected.role_id WHERE 1",
            {guard}, "");
  // What the affected roles' parents outside `affected` reach (their rows are
  // final: they do not inherit root), one step further.
  statement(insert +
                "SELECT ri.role_id || ':' || up.permission_id, ri.role_id, up.permission_id,"
                " up.distance + 1, ri.parent_role_id FROM affected JOIN roles_inheritances ri ON"
                " ri.role_id = affected.role_id JOIN role_reach up ON up.role_id = ri.parent_role_id"
                " WHERE up.distance < " + cap +
                " AND ri.parent_role_id NOT IN (SELECT role_id FROM affected)",
            {edge_ok, guard}, keep_nearest);
  // Breadth-first: the rows at distance d - 1 spread to the heirs at d, so
  // each row is final before it spreads, and spreads once.
  for (int d = 1; d <= kMaxInheritanceDepth; ++d) {
    statement(insert +
                  "SELECT ri.role_id || ':' || up.permission_id, ri.role_id, up.permission_id, " +
                  std::to_string(d) +
                  ", min(ri.parent_role_id) FROM drive CROSS JOIN role_reach up ON up.role_id ="
                  " drive.role_id AND up.distance = " + std::to_string(d - 1) +
                  " CROSS JOIN roles_inheritances ri ON ri.parent_role_id = up.role_id WHERE 1",
              {edge_ok, guard}, " GROUP BY ri.role_id, up.permission_id" + keep_nearest);
  }
  return out;
}

}  // namespace eventuall::ops::rbac

EVENTUALL_FOR_SIZE_END
