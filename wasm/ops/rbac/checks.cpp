// Permission checks: can, explain_permission, effective_permissions. Each is
// one statement (recursive CTE over role inheritance) in one batch.
#include "ops/input.h"
#include "ops/rbac/permission_sql.h"
#include "ops/rbac/rbac_operations.h"

namespace eventuall::ops {

namespace {

struct CheckInput {
  std::string user_id;
  std::string event_id;
  std::optional<std::string> room_id;
};

CheckInput read_check_input(Input& in) {
  CheckInput c;
  c.user_id = in.id("userId");
  c.event_id = in.id("eventId");
  c.room_id = in.optional_id("roomId");
  return c;
}

}  // namespace

OperationTask can(Context& ctx, Json json) {
  Input in(json);
  CheckInput check = read_check_input(in);
  const std::string permission = in.text("permission", {.max_length = 100});
  if (!in.ok()) co_return in.error();

  rbac::Condition allowed = rbac::holds_permission(
      check.user_id, permission, rbac::EventRef::value(check.event_id), check.room_id,
      ctx.now_seconds());
  sql::Statement statement{"SELECT " + allowed.sql + " AS allowed", std::move(allowed.params)};
  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statement));
  if (!read.ok()) co_return read.take_error();
  Json out = Json::object();
  out["allowed"] = sql::Row((*read)[0], 0).integer("allowed") == 1;
  co_return out;
}

OperationTask explain_permission(Context& ctx, Json json) {
  Input in(json);
  CheckInput check = read_check_input(in);
  const std::string permission = in.text("permission", {.max_length = 100});
  if (!in.ok()) co_return in.error();
  const std::int64_t now = ctx.now_seconds();

  // 1: is the user an owner of the event's account; 2: the shortest grant ->
  // role chain reaching the permission; 3: the roles held at all (for "why not").
  std::vector<sql::Statement> statements;
  rbac::Condition owner =
      rbac::owns_event_account(check.user_id, rbac::EventRef::value(check.event_id));
  statements.push_back({"SELECT " + owner.sql +
                            " AS is_owner, EXISTS (SELECT 1 FROM events WHERE id = ?) AS event_exists,"
                            " EXISTS (SELECT 1 FROM permissions WHERE name = ?) AS permission_exists",
                        owner.params});
  statements.back().params.emplace_back(check.event_id);
  statements.back().params.emplace_back(permission);
  rbac::Condition held = rbac::held_roles_cte(check.user_id, check.event_id, check.room_id, now);
  sql::Statement path{held.sql +
                          " SELECT held.grant_id AS grant_id, g.room_id AS room_id, held.path AS path"
                          " FROM held JOIN access_grants g ON g.id = held.grant_id"
                          " JOIN role_to_permissions rp ON rp.role_id = held.role_id"
                          " JOIN permissions p ON p.id = rp.permission_id"
                          " WHERE p.name = ? ORDER BY held.depth, held.grant_id LIMIT 1",
                      held.params};
  path.params.emplace_back(permission);
  statements.push_back(std::move(path));
  sql::Statement roles{held.sql +
                           " SELECT json_group_array(DISTINCT r.name) AS roles FROM held"
                           " JOIN roles r ON r.id = held.role_id",
                       held.params};
  statements.push_back(std::move(roles));
  if (check.room_id) {
    statements.push_back({"SELECT 1 AS found FROM rooms WHERE id = ? AND event_id = ?",
                          {*check.room_id, check.event_id}});
  }

  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!read.ok()) co_return read.take_error();
  const sql::Row facts((*read)[0], 0);
  const bool room_ok = !check.room_id || !(*read)[3].empty();

  Json out = Json::object();
  out["permission"] = permission;
  out["allowed"] = false;
  if (!facts.integer("event_exists")) {
    out["reason"] = "event " + check.event_id + " does not exist";
  } else if (!room_ok) {
    out["reason"] = "room " + *check.room_id + " is not a room of event " + check.event_id;
  } else if (!facts.integer("permission_exists")) {
    out["reason"] = "no permission is named " + permission;
  } else if (facts.integer("is_owner")) {
    out["allowed"] = true;
    out["via"] = "account_owner";
    out["reason"] = "owners of the event's account hold every permission on it";
  } else if (!(*read)[1].empty()) {
    const sql::Row found((*read)[1], 0);
    auto chain = parse_json(found.text("path"));
    out["allowed"] = true;
    out["via"] = "grant";
    out["grantId"] = found.text("grant_id");
    out["roomId"] = found.is_null("room_id") ? Json(nullptr) : Json(found.text("room_id"));
    out["path"] = chain.ok() ? std::move(chain).value() : Json::array();
    std::string text;
    for (const auto& role : out["path"]) text += (text.empty() ? "" : " -> ") + role.get<std::string>();
    out["reason"] = "grant " + found.text("grant_id") + " gives role " + text + " -> " + permission;
  } else {
    auto held_roles = parse_json(sql::Row((*read)[2], 0).text("roles"));
    out["heldRoles"] = held_roles.ok() ? std::move(held_roles).value() : Json::array();
    out["reason"] = out["heldRoles"].empty()
                        ? "no grant on this event" + std::string(check.room_id ? " or room" : "") +
                              " and not an owner of its account"
                        : "none of the roles held (or inherited) confers " + permission;
  }
  co_return out;
}

OperationTask effective_permissions(Context& ctx, Json json) {
  Input in(json);
  CheckInput check = read_check_input(in);
  if (!in.ok()) co_return in.error();

  // Owners hold every permission; others, the union over their role chains.
  rbac::Condition owner =
      rbac::owns_event_account(check.user_id, rbac::EventRef::value(check.event_id));
  rbac::Condition held =
      rbac::held_roles_cte(check.user_id, check.event_id, check.room_id, ctx.now_seconds());
  sql::Statement statement{
      held.sql + " SELECT p.name AS name FROM permissions p WHERE " + owner.sql +
          " OR EXISTS (SELECT 1 FROM held JOIN role_to_permissions rp ON rp.role_id = held.role_id"
          " WHERE rp.permission_id = p.id) ORDER BY p.name",
      held.params};
  for (auto& p : owner.params) statement.params.push_back(std::move(p));
  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statement));
  if (!read.ok()) co_return read.take_error();
  Json names = Json::array();
  for (const auto& row : (*read)[0].rows) names.push_back(row[0].as_text());
  Json out = Json::object();
  out["permissions"] = std::move(names);
  co_return out;
}

}  // namespace eventuall::ops
