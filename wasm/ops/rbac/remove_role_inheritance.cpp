// Stop a role inheriting another, at once for every holder. Same rule as
// adding the edge (owners change their account's roles; platform roles are
// administrative; another account's role reads like a missing one). Removing
// can only lower what anyone holds. removed: false when there was no edge.
#include "ops/input.h"
#include "ops/rbac/catalog_sql.h"
#include "ops/rbac/rbac_operations.h"

namespace eventuall::ops {

// What remove_role_inheritance takes and answers (ops/contract.h).
const contract::Contract& remove_role_inheritance_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("roleId", "roles"), id("parentRoleId", "roles")},
      .output = {id("roleId", "roles"), id("parentRoleId", "roles"), boolean("removed")},
      .summary = "Stops a role inheriting another.",
  };
  return kContract;
}

OperationTask remove_role_inheritance(Context& ctx, Json json) {
  auto args = contract::read(remove_role_inheritance_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string role_id = args->text("roleId");
  const std::string parent_id = args->text("parentRoleId");

  std::vector<sql::Statement> statements;
  const std::size_t facts_at = statements.size();
  statements.push_back(rbac::role_facts(role_id, actor));
  const std::size_t removed_at = statements.size();
  sql::Statement remove =
      rbac::remove_from_role("roles_inheritances", role_id, "parent_role_id = ?", {parent_id}, actor);
  statements.push_back(std::move(remove));
  for (auto& s : rbac::refresh_after_edit(role_id, actor)) statements.push_back(std::move(s));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  const sql::Row facts((*done)[facts_at], 0);
  if (!facts.integer("role_visible") || !facts.integer("manageable")) {
    co_return rbac::role_refusal(facts, role_id);
  }
  co_return Json{{"roleId", role_id},
                 {"parentRoleId", parent_id},
                 {"removed", !(*done)[removed_at].empty()}};
}

}  // namespace eventuall::ops
