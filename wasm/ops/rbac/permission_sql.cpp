#include "ops/rbac/permission_sql.h"

namespace eventuall::ops::rbac {

namespace {

// The event's SQL, its parameters appended where it appears.
std::string event_sql(const EventRef& event, std::vector<sql::Value>& params) {
  sql::append_params(params, event.params);
  return event.sql;
}

}  // namespace

Condition owns_event_account(const std::string& user_id, const EventRef& event) {
  Condition c;
  const std::string event_id = event_sql(event, c.params);
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

Condition holds_permission(const std::string& user_id, const std::string& permission,
                           const EventRef& event, const std::optional<std::string>& room_id,
                           std::int64_t now) {
  // Parameters are appended in the order their "?" appear in the text.
  Condition owner = owns_event_account(user_id, event);
  Condition c;
  c.params = owner.params;
  c.sql = "((" + owner.sql + " OR EXISTS (WITH RECURSIVE held(role_id, depth) AS (" +
          "SELECT g.role_id, 0 FROM access_grants g WHERE g.user_id = ?";
  c.params.emplace_back(user_id);
  c.sql += " AND g.event_id = " + event_sql(event, c.params);
  c.sql +=
      " AND (g.room_id IS NULL OR g.room_id = ?) AND (g.expires_at IS NULL OR g.expires_at > ?)";
  c.params.emplace_back(room_id);
  c.params.emplace_back(now);
  c.sql +=
      " UNION SELECT ri.parent_role_id, held.depth + 1 FROM roles_inheritances ri"
      " JOIN held ON ri.role_id = held.role_id WHERE held.depth < " +
      std::to_string(kMaxInheritanceDepth) +
      // CROSS JOIN keeps the planner walking the few held roles and
      // probing (role_id, permission_id), instead of scanning every role
      // that has the permission (which grows with the catalog).
      ") SELECT 1 FROM held CROSS JOIN role_to_permissions rp ON rp.role_id = held.role_id"
      " WHERE rp.permission_id = (SELECT id FROM permissions WHERE name = ?)))";
  c.params.emplace_back(permission);
  // A room given must belong to the event.
  if (room_id) {
    c.sql += " AND EXISTS (SELECT 1 FROM rooms checked_room WHERE checked_room.id = ?";
    c.params.emplace_back(*room_id);
    c.sql += " AND checked_room.event_id = " + event_sql(event, c.params) + ")";
  }
  c.sql += ")";
  return c;
}

Condition held_roles_cte(const std::string& user_id, const std::string& event_id,
                         const std::optional<std::string>& room_id, std::int64_t now) {
  return {
      "WITH RECURSIVE held(role_id, depth, grant_id, path) AS ("
      "SELECT g.role_id, 0, g.id, json_array(r.name) FROM access_grants g"
      " JOIN roles r ON r.id = g.role_id"
      " WHERE g.user_id = ? AND g.event_id = ? AND (g.room_id IS NULL OR g.room_id = ?)"
      " AND (g.expires_at IS NULL OR g.expires_at > ?)"
      " UNION ALL SELECT ri.parent_role_id, held.depth + 1, held.grant_id,"
      " json_insert(held.path, '$[#]', parent.name) FROM roles_inheritances ri"
      " JOIN held ON ri.role_id = held.role_id JOIN roles parent ON parent.id = ri.parent_role_id"
      " WHERE held.depth < " +
          std::to_string(kMaxInheritanceDepth) + ")",
      {user_id, event_id, room_id, now}};
}

}  // namespace eventuall::ops::rbac
