// Permission checks: can, explain_permission, effective_permissions. Each is
// one batch over role_reach (the permissions each role reaches, maintained by
// every role write): no walk of role inheritance.
#include "common/encoding.h"
#include "common/for_size.h"
#include "ops/contract.h"
#include "ops/input.h"
#include "ops/rbac/permission_sql.h"
#include "ops/rbac/rbac_operations.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops {

namespace {

struct CheckInput {
  std::string user_id;
  std::string event_id;
  std::optional<std::string> room_id;
};

CheckInput read_check_input(const contract::Args& args) {
  return {args.text("userId"), args.text("eventId"), args.optional_text("roomId")};
}

}  // namespace

// What can takes and answers (ops/contract.h).
const contract::Contract& can_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users"), id("eventId", "events"), id("roomId", "rooms").optional(),
                permission("permission")},
      .output = {boolean("allowed")},
      .summary = "Whether a user holds a permission on an event (or one of its rooms).",
  };
  return kContract;
}

OperationTask can(Context& ctx, Json json) {
  auto args = contract::read(can_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const CheckInput check = read_check_input(*args);
  const std::string permission = args->text("permission");

  // A name the catalog does not hold is the caller's mistake (a misspelled
  // "room.joinn"), not a permission nobody holds: invalid_input, never false.
  rbac::Condition allowed = rbac::holds_permission(
      check.user_id, permission, rbac::EventRef::value(check.event_id), check.room_id,
      ctx.now_seconds());
  sql::Statement statement{{}, std::move(allowed.params)};
  append_all(statement.sql,
             {"SELECT ", allowed.sql,
              " AS allowed, EXISTS (SELECT 1 FROM permissions WHERE name = ?) AS known"});
  statement.params.emplace_back(permission);
  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statement));
  if (!read.ok()) co_return read.take_error();
  const sql::Row row((*read)[0], 0);
  if (row.integer("known") != 1) {
    co_return Error::invalid_input("permission " + permission +
                                   " is not in the catalog (define_permission adds one)");
  }
  Json out = Json::object();
  out["allowed"] = row.integer("allowed") == 1;
  co_return out;
}

// Why a user holds a permission, or why not. Whether a grant reaches it and
// its shortest chain come from role_reach (one probe per grant, then one per
// step of the chain), whatever the graph's shape; only a refusal lists the
// roles held and inherited, by a walk with set semantics.
// What explain_permission takes and answers (ops/contract.h).
const contract::Contract& explain_permission_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users"), id("eventId", "events"), id("roomId", "rooms").optional(),
                permission("permission")},
      .output = {permission("permission"), boolean("allowed"), text("reason"),
                 values("via", {"account_owner", "grant"}).optional(),
                 id("grantId", "access_grants").optional(), id("roomId", "rooms").maybe(),
                 array("path", of::text()).optional(), array("heldRoles", of::text()).optional()},
      .summary = "Why a user holds a permission, or why not.",
  };
  return kContract;
}

OperationTask explain_permission(Context& ctx, Json json) {
  auto args = contract::read(explain_permission_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const CheckInput check = read_check_input(*args);
  const std::string permission = args->text("permission");
  const std::int64_t now = ctx.now_seconds();
  const rbac::EventRef event = rbac::EventRef::value(check.event_id);
  const rbac::RoomScope scope = rbac::RoomScope::of(check.room_id);

  std::vector<sql::Statement> statements;
  rbac::Condition owner = rbac::owns_event_account(check.user_id, event);
  const std::size_t facts_at = statements.size();
  statements.push_back({"SELECT " + owner.sql +
                            " AS is_owner, EXISTS (SELECT 1 FROM events WHERE id = ?) AS event_exists,"
                            " EXISTS (SELECT 1 FROM permissions WHERE name = ?) AS permission_exists,"
                            " ? IS NULL OR EXISTS (SELECT 1 FROM rooms WHERE id = ? AND event_id = ?)"
                            " AS room_ok",
                        owner.params});
  statements.back().params.insert(statements.back().params.end(),
                                  {check.event_id, permission, check.room_id, check.room_id,
                                   check.event_id});
  // The live grants at the scope, each with how far its role is from one that
  // confers the permission (NULL: it does not reach it), from role_reach.
  const std::string target = "(SELECT id FROM permissions WHERE name = ?)";
  const rbac::Condition live = rbac::live_grants("g", check.user_id, event, scope, now);
  const std::size_t grants_at = statements.size();
  statements.push_back({"SELECT g.id AS grant_id, g.room_id AS room_id, g.role_id AS role_id,"
                        " reach.distance AS distance FROM access_grants g LEFT JOIN role_reach"
                        " reach ON reach.role_id = g.role_id AND reach.permission_id = " +
                            target + " WHERE " + live.sql + " ORDER BY g.id",
                        {permission}});
  sql::append_params(statements.back().params, live.params);
  // The shortest chain of the first grant (in id order) that reaches it:
  // role_reach's next role, one probe per step.
  const std::size_t chain_at = statements.size();
  statements.push_back(
      {"WITH RECURSIVE chain(role_id, step) AS (SELECT * FROM (SELECT g.role_id, 0 FROM"
       " access_grants g CROSS JOIN role_reach reach ON reach.role_id = g.role_id AND"
       " reach.permission_id = " + target + " WHERE " + live.sql + " ORDER BY g.id LIMIT 1)"
       " UNION ALL SELECT reach.via_role_id, chain.step + 1 FROM chain JOIN role_reach reach ON"
       " reach.role_id = chain.role_id AND reach.permission_id = " + target +
           " WHERE reach.via_role_id IS NOT NULL AND chain.step < " +
           std::to_string(rbac::kMaxInheritanceDepth) +
           ") SELECT r.name AS name FROM chain JOIN roles r ON r.id = chain.role_id ORDER BY chain.step",
       {permission}});
  sql::append_params(statements.back().params, live.params);
  statements.back().params.emplace_back(permission);
  // Only when no grant reaches it and the user is no owner: the roles held
  // and inherited, to say none confers it (a walk with set semantics).
  rbac::Condition unreached = rbac::owns_event_account(check.user_id, event);
  unreached.sql = "NOT " + unreached.sql + " AND NOT EXISTS (SELECT 1 FROM access_grants g"
                  " CROSS JOIN role_reach reach ON reach.role_id = g.role_id AND"
                  " reach.permission_id = " + target + " WHERE " + live.sql + ")";
  unreached.params.emplace_back(permission);
  sql::append_params(unreached.params, live.params);
  const rbac::Condition held = rbac::held_roles("held", check.user_id, event, scope, now, unreached);
  const std::size_t roles_at = statements.size();
  statements.push_back({"WITH RECURSIVE " + held.sql +
                            " SELECT r.name AS name FROM held JOIN roles r ON r.id = held.role_id"
                            " ORDER BY r.name, held.role_id",
                        held.params});

  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!read.ok()) co_return read.take_error();
  const sql::Row facts((*read)[facts_at], 0);

  Json out = Json::object();
  out["permission"] = permission;
  out["allowed"] = false;
  // An unknown event or room answers as an event the user holds nothing on:
  // the same reason whether it is missing or another tenant's.
  const bool known = facts.integer("event_exists") && facts.integer("room_ok");
  if (known && !facts.integer("permission_exists")) {
    out["reason"] = "no permission is named " + permission;
    co_return out;
  }
  if (known && facts.integer("is_owner")) {
    out["allowed"] = true;
    out["via"] = "account_owner";
    out["reason"] = "owners of the event's account hold every permission on it";
    co_return out;
  }
  const std::vector<std::vector<sql::Value>> no_grants;
  for (const auto& grant : known ? (*read)[grants_at].rows : no_grants) {
    // Grants in id order; the shortest chain of the first grant that has one.
    if (grant[3].is_null()) continue;
    out["allowed"] = true;
    out["via"] = "grant";
    out["grantId"] = grant[0].as_text();
    out["roomId"] = grant[1].is_null() ? Json(nullptr) : Json(grant[1].as_text());
    Json path = Json::array();
    std::string text;
    for (const auto& row : (*read)[chain_at].rows) {
      path.push_back(row[0].as_text());
      text += (text.empty() ? "" : " -> ") + row[0].as_text();
    }
    out["path"] = std::move(path);
    out["reason"] = "grant " + grant[0].as_text() + " gives role " + text + " -> " + permission;
    co_return out;
  }
  Json held_roles = Json::array();
  for (const auto& row : (*read)[roles_at].rows) {
    if (known) held_roles.push_back(row[0].as_text());
  }
  out["heldRoles"] = std::move(held_roles);
  out["reason"] = out["heldRoles"].empty()
                      ? "no grant on this event" + std::string(check.room_id ? " or room" : "") +
                            " and not an owner of its account"
                      : "none of the roles held (or inherited) confers " + permission;
  co_return out;
}

// What effective_permissions takes and answers (ops/contract.h).
const contract::Contract& effective_permissions_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users"), id("eventId", "events"), id("roomId", "rooms").optional()},
      .output = {array("permissions", of::permission())},
      .summary = "The permissions a user holds on an event (or room).",
  };
  return kContract;
}

OperationTask effective_permissions(Context& ctx, Json json) {
  auto args = contract::read(effective_permissions_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const CheckInput check = read_check_input(*args);

  // Owners hold every permission; others, the union of what their live
  // grants' roles reach (role_reach: no walk).
  const rbac::EventRef event = rbac::EventRef::value(check.event_id);
  rbac::Condition owner = rbac::owns_event_account(check.user_id, event);
  const rbac::Condition live =
      rbac::live_grants("g", check.user_id, event, rbac::RoomScope::of(check.room_id), ctx.now_seconds());
  sql::Statement statement{"SELECT p.name AS name FROM permissions p WHERE " + owner.sql +
                               " UNION SELECT p.name AS name FROM access_grants g CROSS JOIN"
                               " role_reach reach ON reach.role_id = g.role_id JOIN permissions p"
                               " ON p.id = reach.permission_id WHERE " + live.sql + " ORDER BY 1",
                           owner.params};
  sql::append_params(statement.params, live.params);
  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statement));
  if (!read.ok()) co_return read.take_error();
  Json names = Json::array();
  for (const auto& row : (*read)[0].rows) names.push_back(row[0].as_text());
  Json out = Json::object();
  out["permissions"] = std::move(names);
  co_return out;
}

}  // namespace eventuall::ops

EVENTUALL_FOR_SIZE_END
