// Take a permission away from a role, at once for every holder (checks read
// the catalog in each batch: there is no cache to go stale). Under the same
// rule as adding it: an account's owners change its roles, platform roles are
// administrative, a role of another account reads like a missing one.
// Removing can only lower what anyone holds. removed: false when the role did
// not have it.
#include "ops/input.h"
#include "ops/rbac/catalog_sql.h"
#include "ops/rbac/rbac_operations.h"

namespace eventuall::ops {

// What remove_role_permission takes and answers (ops/contract.h).
const contract::Contract& remove_role_permission_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("roleId", "roles"), permission("permission")},
      .output = {id("roleId", "roles"), permission("permission"), boolean("removed")},
      .summary = "Stops a role conferring a permission.",
  };
  return kContract;
}

OperationTask remove_role_permission(Context& ctx, Json json) {
  auto args = contract::read(remove_role_permission_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string role_id = args->text("roleId");
  const std::string permission = args->text("permission");

  std::vector<sql::Statement> statements;
  const std::size_t facts_at = statements.size();
  statements.push_back(rbac::role_facts(role_id, actor));
  statements.back().sql +=
      ", EXISTS (SELECT 1 FROM permissions WHERE name = ?) AS permission_exists";
  statements.back().params.emplace_back(permission);
  const std::size_t removed_at = statements.size();
  sql::Statement remove = rbac::remove_from_role(
      "role_to_permissions", role_id, "permission_id = (SELECT id FROM permissions WHERE name = ?)",
      {permission}, actor);
  statements.push_back(std::move(remove));
  for (auto& s : rbac::refresh_after_edit(role_id, actor)) statements.push_back(std::move(s));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  const sql::Row facts((*done)[facts_at], 0);
  if (!facts.integer("role_visible") || !facts.integer("manageable")) {
    co_return rbac::role_refusal(facts, role_id);
  }
  if (!facts.integer("permission_exists")) {
    co_return Error::not_found("permission " + permission + " not found");
  }
  co_return Json{{"roleId", role_id},
                 {"permission", permission},
                 {"removed", !(*done)[removed_at].empty()}};
}

}  // namespace eventuall::ops
