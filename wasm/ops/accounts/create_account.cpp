// Create an organization account; the actor becomes its first owner. One
// batch, each insert guarded by its parent: an unknown actor writes nothing.
#include "ops/accounts/accounts_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What create_account takes and answers (ops/contract.h).
const contract::Contract& create_account_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), text("name")},
      .output = {row("account", "accounts"), row("ownership", "account_ownership")},
      .summary = "A new account owned by the actor.",
  };
  return kContract;
}

OperationTask create_account(Context& ctx, Json json) {
  auto args = contract::read(create_account_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor_id = args->text("actorUserId");
  const std::string name = args->text("name");

  const auto& schema = schema::webapp_schema();
  const auto& accounts = schema.table("accounts");
  const auto& ownership = schema.table("account_ownership");
  const std::int64_t now = ctx.now_seconds();
  const std::string account_id = ctx.new_id();

  std::vector<sql::Statement> statements;
  statements.push_back(schema::Insert(accounts)
                           .set("id", account_id)
                           .set("name", name)
                           .set("kind", "organization")
                           .set("created_at", now)
                           .set("updated_at", now)
                           .only_if({"EXISTS (SELECT 1 FROM users WHERE id = ?)", {actor_id}})
                           .returning_row()
                           .build());
  statements.push_back(schema::Insert(ownership)
                           .set("id", ctx.new_id())
                           .set("account_id", account_id)
                           .set("user_id", actor_id)
                           .set("created_at", now)
                           .only_if({"EXISTS (SELECT 1 FROM accounts WHERE id = ?)", {account_id}})
                           .returning_row()
                           .build());
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) co_return Error::not_found("user " + actor_id + " not found");
  co_return Json{{"account", schema::row_json(accounts, sql::Row((*done)[0], 0))},
                 {"ownership", schema::row_json(ownership, sql::Row((*done)[1], 0))}};
}

}  // namespace eventuall::ops
