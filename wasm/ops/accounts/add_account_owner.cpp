// Add an owner to an account; owners only. One batch: the access row (for the
// error), then the INSERT guarded by the actor's ownership, the user's
// existence and the user not owning it already.
#include "ops/accounts/account_access.h"
#include "ops/accounts/accounts_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What add_account_owner takes and answers (ops/contract.h).
const contract::Contract& add_account_owner_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("accountId", "accounts"), id("userId", "users")},
      .output = {row("ownership", "account_ownership")},
      .summary = "Adds an owner to an account the actor owns.",
  };
  return kContract;
}

OperationTask add_account_owner(Context& ctx, Json json) {
  auto args = contract::read(add_account_owner_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor_id = args->text("actorUserId");
  const std::string account_id = args->text("accountId");
  const std::string user_id = args->text("userId");

  const auto& ownership = schema::webapp_schema().table("account_ownership");
  std::vector<sql::Statement> statements;
  statements.push_back(
      accounts::access_statement(actor_id, account_id, user_id, ctx.now_seconds()));
  statements.push_back(
      schema::Insert(ownership)
          .set("id", ctx.new_id())
          .set("account_id", account_id)
          .set("user_id", user_id)
          .set("created_at", ctx.now_seconds())
          .only_if({accounts::owner_guard_sql() +
                        " AND EXISTS (SELECT 1 FROM users WHERE id = ?) AND NOT "
                        "EXISTS (SELECT 1 FROM account_ownership WHERE account_id = ? AND "
                        "user_id = ?)",
                    {account_id, actor_id, user_id, account_id, user_id}})
          .returning_row()
          .build());
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty()) {
    const auto access = accounts::read_access((*done)[0]);
    if (!access.is_owner) co_return accounts::refused(access, account_id);
    if (!access.target_exists) co_return Error::not_found("user " + user_id + " not found");
    co_return Error::conflict("user " + user_id + " already owns account " + account_id);
  }
  co_return Json{{"ownership", schema::row_json(ownership, sql::Row((*done)[1], 0))}};
}

}  // namespace eventuall::ops
