// The accounts a user owns, each with its kind: the personal account first,
// then organizations by creation. One read-only batch.
#include "ops/accounts/accounts_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What list_user_accounts takes and answers (ops/contract.h).
const contract::Contract& list_user_accounts_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users")},
      .output = {array("accounts", of::row("accounts"))},
      .summary = "The accounts a user owns.",
  };
  return kContract;
}

OperationTask list_user_accounts(Context& ctx, Json json) {
  auto args = contract::read(list_user_accounts_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");

  const auto& accounts_table = schema::webapp_schema().table("accounts");
  std::vector<sql::Statement> statements;
  statements.push_back({"SELECT id AS id FROM users WHERE id = ?", {user_id}});
  statements.push_back({"SELECT " + schema::select_list(accounts_table, "a") +
                            " FROM account_ownership o JOIN accounts a ON a.id = o.account_id "
                            "WHERE o.user_id = ? ORDER BY a.kind = 'personal' DESC, "
                            "a.created_at, a.id",
                        {user_id}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) co_return Error::not_found("user " + user_id + " not found");
  co_return Json{{"accounts", schema::rows_json(accounts_table, (*done)[1])}};
}

}  // namespace eventuall::ops
