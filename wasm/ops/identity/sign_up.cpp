// Sign up: a new user, their personal account, and their ownership of it —
// one atomic batch, as the original system creates a personal account for
// every new user. A taken email is a conflict and writes nothing.
#include "ops/input.h"
#include "ops/identity/identity_operations.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

OperationTask sign_up(Context& ctx, Json json) {
  Input in(json);
  const std::string email = in.email("email");
  const std::string name = in.text("name");
  const auto pronouns = in.optional_text("pronouns", {.max_length = 50});
  const auto location = in.optional_text("location");
  const auto birthdate = in.optional_date("birthdate");
  const auto image = in.optional_text("image", {.max_length = 2048});
  if (!in.ok()) co_return in.error();

  const auto& schema = schema::webapp_schema();
  const auto& users = schema.table("users");
  const auto& accounts = schema.table("accounts");
  const auto& ownership = schema.table("account_ownership");
  const std::int64_t now = ctx.now_seconds();
  const std::string user_id = ctx.new_id();
  const std::string account_id = ctx.new_id();

  std::vector<sql::Statement> statements;
  statements.push_back(schema::Insert(users)
                           .set("id", user_id)
                           .set("name", name)
                           .set("email", email)
                           .set("pronouns", pronouns)
                           .set("location", location)
                           .set("birthdate", birthdate)
                           .set("image", image)
                           .set("created_at", now)
                           .set("updated_at", now)
                           .returning_row()
                           .build());
  statements.push_back(schema::Insert(accounts)
                           .set("id", account_id)
                           .set("name", name)
                           .set("kind", "personal")
                           .set("created_at", now)
                           .set("updated_at", now)
                           .returning_row()
                           .build());
  statements.push_back(schema::Insert(ownership)
                           .set("id", ctx.new_id())
                           .set("account_id", account_id)
                           .set("user_id", user_id)
                           .set("created_at", now)
                           .build());
  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) {
    if (written.error().code() == ErrorCode::kConflict) {
      co_return Error::conflict("a user with email " + email + " already exists");
    }
    co_return written.take_error();
  }
  co_return Json{{"user", schema::row_json(users, sql::Row((*written)[0], 0))},
                 {"account", schema::row_json(accounts, sql::Row((*written)[1], 0))}};
}

}  // namespace eventuall::ops
