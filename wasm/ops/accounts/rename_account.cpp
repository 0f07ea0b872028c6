// Rename an account; owners only. One batch: the actor's access (for the
// error), then the UPDATE guarded by ownership. See account_access.h for which
// refusal a non-owner gets.
#include "ops/accounts/account_access.h"
#include "ops/accounts/accounts_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

OperationTask rename_account(Context& ctx, Json json) {
  Input in(json);
  const std::string actor_id = in.id("actorUserId");
  const std::string account_id = in.id("accountId");
  const std::string name = in.text("name");
  if (!in.ok()) co_return in.error();

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
