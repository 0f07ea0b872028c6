// Remove an owner from an account; owners only (an owner may remove
// themselves). An account always keeps at least one owner: the DELETE is
// guarded by the owner count in the same statement, so two owners removing
// each other at once cannot both succeed. Removing the last owner is conflict.
#include "ops/accounts/account_access.h"
#include "ops/accounts/accounts_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What remove_account_owner takes and answers (ops/contract.h).
const contract::Contract& remove_account_owner_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("accountId", "accounts"), id("userId", "users")},
      .output = {row("removed", "account_ownership")},
      .summary = "Removes an owner (never the last) from an account the actor owns.",
  };
  return kContract;
}

OperationTask remove_account_owner(Context& ctx, Json json) {
  auto args = contract::read(remove_account_owner_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor_id = args->text("actorUserId");
  const std::string account_id = args->text("accountId");
  const std::string user_id = args->text("userId");

  const auto& ownership = schema::webapp_schema().table("account_ownership");
  std::vector<sql::Statement> statements;
  statements.push_back(
      accounts::access_statement(actor_id, account_id, user_id, ctx.now_seconds()));
  statements.push_back({"DELETE FROM account_ownership WHERE account_id = ? AND user_id = ? AND " +
                            accounts::owner_guard_sql() +
                            " AND (SELECT count(*) FROM account_ownership WHERE account_id = ?) > 1"
                            " RETURNING " +
                            schema::select_list(ownership),
                        {account_id, user_id, account_id, actor_id, account_id}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty()) {
    const auto access = accounts::read_access((*done)[0]);
    if (!access.is_owner) co_return accounts::refused(access, account_id);
    if (!access.target_is_owner) {
      co_return Error::not_found("user " + user_id + " is not an owner of account " + account_id);
    }
    co_return Error::conflict("account " + account_id + " must keep at least one owner");
  }
  co_return Json{{"removed", schema::row_json(ownership, sql::Row((*done)[1], 0))}};
}

}  // namespace eventuall::ops
