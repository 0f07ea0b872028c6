// Get user: one user by id, without any secret column.
#include "ops/identity/identity_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

OperationTask get_user(Context& ctx, Json json) {
  Input in(json);
  const std::string user_id = in.id("id");
  if (!in.ok()) co_return in.error();

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
