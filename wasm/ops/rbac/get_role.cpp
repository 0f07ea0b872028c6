// One role with its direct permissions and parents, and its effective
// permissions, each with the chain of roles it comes through (the shortest,
// through the parent with the smallest id at each step: role_reach's next
// role, one probe per step, no walk of the graph). A role of an account the
// actor does not own reads like a missing one; platform roles are readable by
// everyone.

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
  auto args = contract::read(get_role_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string role_id = args->text("roleId");

  const auto& roles = schema::webapp_schema().table("roles");
  std::vector<sql::Statement> statements;
  const std::size_t facts_at = statements.size();
  statements.push_back(rbac::role_facts(role_id, actor));
  const std::size_t role_at = statements.size();
  statements.push_back(
      {"SELECT " + schema::select_list(roles) + ", (SELECT json_group_array(name) FROM (SELECT"
       " p.name AS name FROM role_to_permissions rp JOIN permissions p ON p.id = rp.permission_id"
       " WHERE rp.role_id = ? ORDER BY p.name)) AS permissions_json, (SELECT json_group_array("
       "parent_role_id) FROM (SELECT parent_role_id FROM roles_inheritances WHERE role_id = ?"
       " ORDER BY parent_role_id)) AS parents_json FROM roles WHERE id = ?",
       {role_id, role_id, role_id}});
  // Each permission the role reaches, with the roles of its chain in order.
  const std::size_t chains_at = statements.size();
  statements.push_back(
      {"WITH RECURSIVE chain(permission_id, role_id, step) AS (SELECT permission_id, role_id, 0"
       " FROM role_reach WHERE role_id = ? UNION ALL SELECT chain.permission_id, reach.via_role_id,"
       " chain.step + 1 FROM chain JOIN role_reach reach ON reach.role_id = chain.role_id AND"
       " reach.permission_id = chain.permission_id WHERE reach.via_role_id IS NOT NULL AND"
       " chain.step < " + std::to_string(rbac::kMaxInheritanceDepth) +
           ") SELECT p.name AS permission, r.name AS role FROM chain JOIN permissions p ON p.id ="
           " chain.permission_id JOIN roles r ON r.id = chain.role_id ORDER BY p.name, chain.step",
       {role_id}});

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if (!sql::Row((*done)[facts_at], 0).integer("role_visible") || (*done)[role_at].empty()) {
    co_return Error::not_found("role " + role_id + " not found");
  }
  const sql::Row role((*done)[role_at], 0);

  Json out = Json::object();
  out["role"] = schema::row_json(roles, role);
  out["permissions"] = schema::json_array_column(role, "permissions_json");
  out["inherits"] = schema::json_array_column(role, "parents_json");
  Json list = Json::array();
  for (const auto& row : (*done)[chains_at].rows) {
    const std::string permission = row[0].as_text();
    if (list.empty() || list.back()["permission"] != permission) {
      list.push_back(Json{{"permission", permission}, {"path", Json::array()}});
    }
    list.back()["path"].push_back(row[1].as_text());
  }
  out["effectivePermissions"] = std::move(list);
  co_return out;
}

}  // namespace eventuall::ops
