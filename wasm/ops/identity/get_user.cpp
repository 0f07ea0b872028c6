// Get user: one user by id, without any secret column.
#include "ops/identity/identity_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What get_user takes and answers (ops/contract.h).
const contract::Contract& get_user_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("id", "users")},
      .output = {row("user", "users")},
      .summary = "A user by id.",
  };
  return kContract;
}

OperationTask get_user(Context& ctx, Json json) {
  auto args = contract::read(get_user_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("id");

  const auto& users = schema::webapp_schema().table("users");
  sql::Statement select{"SELECT " + schema::select_list(users) + " FROM users WHERE id = ?",
                        {user_id}};
  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(select));
  if (!read.ok()) co_return read.take_error();
  if ((*read)[0].empty()) co_return Error::not_found("user " + user_id + " not found");
  Json out = Json::object();
  out["user"] = schema::row_json(users, sql::Row((*read)[0], 0));
  co_return out;
}

}  // namespace eventuall::ops
