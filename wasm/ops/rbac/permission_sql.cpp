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

Condition live_grants(const std::string& alias, const std::string& user_id, const EventRef& event,
                      const RoomScope& scope, std::int64_t now) {
  Condition c;
  c.sql = alias + ".user_id = ?";
  c.params.emplace_back(user_id);
  c.sql += " AND " + alias + ".event_id = " + ref_sql(event, c.params);
  if (scope.kind == RoomScope::Kind::kRoom) {
    c.sql += " AND (" + alias + ".room_id IS NULL OR " + alias + ".room_id = " +
             ref_sql(scope.room, c.params) + ")";
  }
  c.sql += " AND (" + alias + ".expires_at IS NULL OR " + alias + ".expires_at > ?)";
  c.params.emplace_back(now);
  return c;
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
  Condition c;
  c.sql = "((";
  append(c, owns_event_account(user_id, event));
  // One probe of role_reach per live grant. CROSS JOIN keeps the planner
  // walking the user's few grants, not every role that reaches the permission.
  c.sql += " OR EXISTS (SELECT 1 FROM access_grants g CROSS JOIN role_reach reach"
           " ON reach.role_id = g.role_id AND reach.permission_id ="
           " (SELECT id FROM permissions WHERE name = ?) WHERE ";
  c.params.emplace_back(permission);
  append(c, live_grants("g", user_id, event, scope, now));
  c.sql += "))";
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
  // No permission the conferred role reaches that the actor's own live
  // grants at the scope do not reach.
  c.sql += " AND NOT EXISTS (SELECT 1 FROM role_reach conferred WHERE conferred.role_id = ";
  c.sql += ref_sql(role, c.params);
  c.sql +=
      " AND NOT EXISTS (SELECT 1 FROM access_grants mine CROSS JOIN role_reach own"
      " ON own.role_id = mine.role_id AND own.permission_id = conferred.permission_id WHERE ";
  append(c, live_grants("mine", actor, event, scope, now));
  c.sql += "))))";
  return c;
}

std::vector<sql::Statement> refresh_reach(ReachScope scope, const std::string& root,
                                          const Condition& guard) {
  // The roles whose rows are rewritten, as a CTE, and its parameters.
  Condition affected;
  switch (scope) {
    case ReachScope::kRoleAndHeirs:
      affected = {"WITH RECURSIVE affected(role_id) AS (SELECT ? UNION SELECT ri.role_id FROM"
                  " roles_inheritances ri JOIN affected ON ri.parent_role_id = affected.role_id) ",
                  {root}};
      break;
    case ReachScope::kHeirsWithoutRole:
      affected = {"WITH RECURSIVE affected(role_id) AS (SELECT ri.role_id FROM roles_inheritances"
                  " ri WHERE ri.parent_role_id = ? UNION SELECT ri.role_id FROM roles_inheritances"
                  " ri JOIN affected ON ri.parent_role_id = affected.role_id WHERE ri.role_id <> ?) ",
                  {root, root}};
      break;
    case ReachScope::kAllRoles:
      affected = {"WITH affected(role_id) AS (SELECT id FROM roles) ", {}};
      break;
  }
  // Edges from the role about to go do not count.
  Condition edge_ok{"1", {}};
  if (scope == ReachScope::kHeirsWithoutRole) edge_ok = {"ri.parent_role_id <> ?", {root}};

  std::vector<sql::Statement> out;
  auto statement = [&](const std::string& body, const std::vector<Condition>& parts,
                       const std::string& tail) {
    sql::Statement s{affected.sql + body, affected.params};
    for (const auto& part : parts) {
      s.sql += " AND (" + part.sql + ")";
      sql::append_params(s.params, part.params);
    }
    s.sql += tail;
    out.push_back(std::move(s));
  };
  statement("DELETE FROM role_reach WHERE role_id IN (SELECT role_id FROM affected)", {guard}, "");
  statement(
      "INSERT INTO role_reach (id, role_id, permission_id, distance, via_role_id)"
      " SELECT rp.role_id || ':' || rp.permission_id, rp.role_id, rp.permission_id, 0, NULL"
      " FROM affected JOIN role_to_permissions rp ON rp.role_id = affected.role_id WHERE 1",
      {guard}, "");
  // Breadth-first: the rows at distance d are the parents' rows at d - 1 of
  // the (role, permission) pairs not reached nearer, through the parent with
  // the smallest id. A parent outside `affected` does not inherit root, so
  // its rows are already right; one inside got its rows at d - 1 just before.
  for (int d = 1; d <= kMaxInheritanceDepth; ++d) {
    statement(
        "INSERT INTO role_reach (id, role_id, permission_id, distance, via_role_id)"
        " SELECT ri.role_id || ':' || up.permission_id, ri.role_id, up.permission_id, " +
            std::to_string(d) +
            ", min(ri.parent_role_id) FROM affected JOIN roles_inheritances ri ON ri.role_id ="
            " affected.role_id JOIN role_reach up ON up.role_id = ri.parent_role_id AND"
            " up.distance = " + std::to_string(d - 1) +
            " WHERE NOT EXISTS (SELECT 1 FROM role_reach nearer WHERE nearer.role_id = ri.role_id"
            " AND nearer.permission_id = up.permission_id)",
        {edge_ok, guard}, " GROUP BY ri.role_id, up.permission_id");
  }
  return out;
}

}  // namespace eventuall::ops::rbac
