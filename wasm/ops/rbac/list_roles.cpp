// List the roles usable on an account's events: the platform roles and the
// account's own, each with its direct permissions and its direct parents. An
// actor must own the account (an account they do not own reads like a missing
// one); with no actor (the trusted caller) and no account, the platform roles.
#include "ops/rbac/permission_sql.h"
#include "ops/rbac/rbac_operations.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What list_roles takes and answers (ops/contract.h).
const contract::Contract& list_roles_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("accountId", "accounts").optional()},
      .output = {array("roles", of::row("roles", {array("permissions", of::permission()),
                                                  array("inherits", of::id("roles"))}))},
      .summary = "The platform roles and an account's own.",
  };
  return kContract;
}

OperationTask list_roles(Context& ctx, Json json) {
  auto args = contract::read(list_roles_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const auto account_id = args->optional_text("accountId");
  if (actor && !account_id) co_return Error::invalid_input("accountId is required with an actor");

  const auto& roles = schema::webapp_schema().table("roles");
  rbac::Condition visible = actor ? rbac::owns_account(*actor, *account_id)
                                  : rbac::Condition{"? IS NULL OR EXISTS (SELECT 1 FROM accounts "
                                                    "WHERE id = ?)",
                                                    {account_id, account_id}};
  std::vector<sql::Statement> statements;
  const std::size_t facts_at = statements.size();
  statements.push_back({"SELECT " + visible.sql + " AS visible", visible.params});
  const std::size_t roles_at = statements.size();
  sql::Statement read{
      "SELECT " + schema::select_list(roles, "r") +
          ", (SELECT json_group_array(name) FROM (SELECT p.name AS name FROM role_to_permissions rp"
          " JOIN permissions p ON p.id = rp.permission_id WHERE rp.role_id = r.id ORDER BY p.name))"
          " AS permissions_json, (SELECT json_group_array(parent_role_id) FROM (SELECT"
          " parent_role_id FROM roles_inheritances WHERE role_id = r.id ORDER BY parent_role_id))"
          " AS inherits_json FROM roles r WHERE (r.account_id IS NULL OR r.account_id = ?) AND " +
          visible.sql + " ORDER BY r.account_id IS NOT NULL, r.name, r.id",
      {account_id}};
  sql::append_params(read.params, visible.params);
  statements.push_back(std::move(read));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if (!sql::Row((*done)[facts_at], 0).integer("visible")) {
    co_return Error::not_found("account " + account_id.value_or("") + " not found");
  }
  Json list = Json::array();
  const sql::ResultSet& rows = (*done)[roles_at];
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const sql::Row row(rows, i);
    Json role = schema::row_json(roles, row);
    auto permissions = parse_json(row.text("permissions_json"));
    auto inherits = parse_json(row.text("inherits_json"));
    role["permissions"] = permissions.ok() ? std::move(permissions).value() : Json::array();
    role["inherits"] = inherits.ok() ? std::move(inherits).value() : Json::array();
    list.push_back(std::move(role));
  }
  Json out = Json::object();
  out["roles"] = std::move(list);
  co_return out;
}

}  // namespace eventuall::ops
