// One role with its direct permissions and parents, and its effective
// permissions, each with the chain of roles it comes through (the shortest:
// breadth-first from the role over the roles it reaches, read with set
// semantics). A role of an account the actor does not own reads like a
// missing one; platform roles are readable by everyone.
#include <deque>
#include <map>
#include <set>

#include "ops/input.h"
#include "ops/rbac/catalog_sql.h"
#include "ops/rbac/rbac_operations.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What get_role takes and answers (ops/contract.h).
const contract::Contract& get_role_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("roleId", "roles")},
      .output = {row("role", "roles"), array("permissions", of::permission()),
                 array("inherits", of::id("roles")),
                 array("effectivePermissions",
                       of::object({permission("permission"), array("path", of::text())}))},
      .summary = "A role with its permissions, parents and effective permissions.",
  };
  return kContract;
}

OperationTask get_role(Context& ctx, Json json) {
  auto args = contract::read(get_role_contract().input, json);
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string role_id = args->text("roleId");

  const auto& roles = schema::webapp_schema().table("roles");
  const rbac::Condition closure = rbac::role_closure("reached", rbac::EventRef::value(role_id));
  std::vector<sql::Statement> statements;
  const std::size_t facts_at = statements.size();
  statements.push_back(rbac::role_facts(role_id, actor));
  const std::size_t role_at = statements.size();
  statements.push_back(
      {"SELECT " + schema::select_list(roles) + " FROM roles WHERE id = ?", {role_id}});
  const std::size_t reached_at = statements.size();
  statements.push_back(
      {"WITH RECURSIVE " + closure.sql +
           " SELECT reached.role_id AS role_id, r.name AS name, (SELECT json_group_array(name) FROM"
           " (SELECT p.name AS name FROM role_to_permissions rp JOIN permissions p ON p.id ="
           " rp.permission_id WHERE rp.role_id = reached.role_id ORDER BY p.name)) AS"
           " permissions_json FROM reached JOIN roles r ON r.id = reached.role_id",
       closure.params});
  const std::size_t edges_at = statements.size();
  statements.push_back(rbac::edges_among("reached", closure));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if (!sql::Row((*done)[facts_at], 0).integer("role_visible")) {
    co_return Error::not_found("role " + role_id + " not found");
  }

  std::map<std::string, std::string> names;
  std::map<std::string, Json> permissions_of;
  for (const auto& row : (*done)[reached_at].rows) {
    names[row[0].as_text()] = row[1].as_text();
    auto parsed = parse_json(row[2].as_text());
    permissions_of[row[0].as_text()] = parsed.ok() ? std::move(parsed).value() : Json::array();
  }
  std::map<std::string, std::vector<std::string>> parents;
  for (const auto& row : (*done)[edges_at].rows) {
    parents[row[0].as_text()].push_back(row[1].as_text());
  }
  // Breadth-first from the role: the first role met that confers a permission
  // gives its chain.
  std::map<std::string, std::string> came_from{{role_id, ""}};
  std::deque<std::string> queue{role_id};
  std::map<std::string, Json> effective;  // by permission name, so sorted
  while (!queue.empty()) {
    const std::string at = queue.front();
    queue.pop_front();
    for (const auto& permission : permissions_of[at]) {
      const std::string name = permission.get<std::string>();
      if (effective.count(name)) continue;
      Json path = Json::array();
      std::vector<std::string> chain;
      for (std::string r = at; !r.empty(); r = came_from[r]) chain.push_back(names[r]);
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) path.push_back(*it);
      effective[name] = Json{{"permission", name}, {"path", std::move(path)}};
    }
    for (const auto& parent : parents[at]) {
      if (came_from.emplace(parent, at).second) queue.push_back(parent);
    }
  }

  Json out = Json::object();
  out["role"] = schema::row_json(roles, sql::Row((*done)[role_at], 0));
  out["permissions"] = permissions_of[role_id];
  Json inherits = Json::array();
  for (const auto& parent : parents[role_id]) inherits.push_back(parent);
  out["inherits"] = std::move(inherits);
  Json list = Json::array();
  for (auto& [name, entry] : effective) list.push_back(std::move(entry));
  out["effectivePermissions"] = std::move(list);
  co_return out;
}

}  // namespace eventuall::ops
