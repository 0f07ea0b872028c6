// Rename an account; owners only. One batch: the actor's access (for the
// error), then the UPDATE guarded by ownership. See account_access.h for which
// refusal a non-owner gets.
#include "ops/accounts/account_access.h"
#include "ops/accounts/accounts_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What rename_account takes and answers (ops/contract.h).
const contract::Contract& rename_account_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("accountId", "accounts"), text("name")},
      .output = {row("account", "accounts")},
      .summary = "Renames an account the actor owns.",
  };
  return kContract;
}

OperationTask rename_account(Context& ctx, Json json) {
  auto args = contract::read(rename_account_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor_id = args->text("actorUserId");
  const std::string account_id = args->text("accountId");
  const std::string name = args->text("name");

  const auto& accounts_table = schema::webapp_schema().table("accounts");
  std::vector<sql::Statement> statements;
  statements.push_back(
      accounts::access_statement(actor_id, account_id, actor_id, ctx.now_seconds()));
  statements.push_back({"UPDATE accounts SET name = ?, updated_at = ? WHERE id = ? AND " +
                            accounts::owner_guard_sql() + " RETURNING " +
                            schema::select_list(accounts_table),
                        {name, ctx.now_seconds(), account_id, account_id, actor_id}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty()) {
    co_return accounts::refused(accounts::read_access((*done)[0]), account_id);
  }
  co_return Json{{"account", schema::row_json(accounts_table, sql::Row((*done)[1], 0))}};
}

}  // namespace eventuall::ops
