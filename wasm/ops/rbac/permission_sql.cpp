#include "ops/rbac/permission_sql.h"

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

}  // namespace

Condition owns_event_account(const std::string& user_id, const EventRef& event) {
  Condition c;
  const std::string event_id = ref_sql(event, c.params);
  c.params.emplace_back(user_id);
  c.sql =
      "EXISTS (SELECT 1 FROM events owned_event JOIN account_ownership owner "
      "ON owner.account_id = owned_event.account_id WHERE owned_event.id = " +
      event_id + " AND owner.user_id = ?)";
  return c;
}

Condition owns_account(const std::string& user_id, const std::string& account_id) {
  return {"EXISTS (SELECT 1 FROM account_ownership WHERE account_id = ? AND user_id = ?)",
          {account_id, user_id}};
}

Condition held_roles(const std::string& name, const std::string& user_id, const EventRef& event,
                     const RoomScope& scope, std::int64_t now) {
  Condition c;
  c.sql = name + "(role_id) AS (SELECT g.role_id FROM access_grants g WHERE g.user_id = ?";
  c.params.emplace_back(user_id);
  c.sql += " AND g.event_id = " + ref_sql(event, c.params);
  if (scope.kind == RoomScope::Kind::kRoom) {
    c.sql += " AND (g.room_id IS NULL OR g.room_id = " + ref_sql(scope.room, c.params) + ")";
  }
  c.sql += " AND (g.expires_at IS NULL OR g.expires_at > ?)";
  c.params.emplace_back(now);
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
  Condition c;
  c.sql = "((";
  append(c, owns_event_account(user_id, event));
  c.sql += " OR EXISTS (WITH RECURSIVE ";
  append(c, held_roles("held", user_id, event, scope, now));
  // CROSS JOIN keeps the planner walking the few held roles and probing
  // (role_id, permission_id), instead of scanning every role that has the
  // permission (which grows with the catalog).
  c.sql +=
      " SELECT 1 FROM held CROSS JOIN role_to_permissions rp ON rp.role_id = held.role_id"
      " WHERE rp.permission_id = (SELECT id FROM permissions WHERE name = ?)))";
  c.params.emplace_back(permission);
  // A room given must belong to the event.
  if (scope.kind == RoomScope::Kind::kRoom && !is_null_value(scope.room)) {
    // A room given in SQL (the room of a grant) may be NULL: event-wide.
    const bool maybe_null = scope.room.sql != "?";
    c.sql += maybe_null ? " AND (" + ref_sql(scope.room, c.params) + " IS NULL OR" : " AND";
    c.sql += " EXISTS (SELECT 1 FROM rooms checked_room WHERE checked_room.id = " +
             ref_sql(scope.room, c.params);
    c.sql += " AND checked_room.event_id = " + ref_sql(event, c.params) + ")";
    if (maybe_null) c.sql += ")";
  }
  c.sql += ")";
  return c;
}

Condition holds_permission(const std::string& user_id, const std::string& permission,
                           const EventRef& event, const std::optional<std::string>& room_id,
                           std::int64_t now) {
  return holds_permission(user_id, permission, event, RoomScope::of(room_id), now);
}

Condition may_confer(const std::string& actor, const std::string& gate, const EventRef& role,
                     const EventRef& event, const RoomScope& scope, std::int64_t now) {
  Condition c;
  c.sql = "(";
  append(c, owns_event_account(actor, event));
  c.sql += " OR (";
  append(c, holds_permission(actor, gate, event, scope, now));
  // No permission the conferred role reaches that the actor's own roles at
  // the scope do not reach.
  c.sql += " AND NOT EXISTS (WITH RECURSIVE ";
  append(c, role_closure("conferred", role));
  c.sql += ", ";
  append(c, held_roles("mine", actor, event, scope, now));
  c.sql +=
      " SELECT 1 FROM conferred JOIN role_to_permissions rp ON rp.role_id = conferred.role_id"
      " WHERE NOT EXISTS (SELECT 1 FROM mine JOIN role_to_permissions own"
      " ON own.role_id = mine.role_id WHERE own.permission_id = rp.permission_id))))";
  return c;
}

}  // namespace eventuall::ops::rbac
