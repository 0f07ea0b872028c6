// Issue an MCP one-time login token for a user: returned once, stored as its
// SHA-256, valid for ttlSeconds (default 10 minutes, at most a day).
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/identity/sessions.h"
#include "ops/input.h"
#include "schema/queries.h"

namespace eventuall::ops {

// What issue_login_token takes and answers (ops/contract.h).
const contract::Contract& issue_login_token_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users"),
                integer("ttlSeconds", {.min = 1, .max = identity::kMaxLoginTokenTtl}).optional()},
      .output = {text("token"), integer("expiresAt")},
      .summary = "A one-time login token for a user (MCP sign-in).",
  };
  return kContract;
}

OperationTask issue_login_token(Context& ctx, Json json) {
  auto args = contract::read(issue_login_token_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");
  const std::int64_t ttl =
      args->optional_integer("ttlSeconds").value_or(identity::kDefaultLoginTokenTtl);

  const auto& tokens = schema::webapp_schema().table("mcp_login_tokens");
  const std::int64_t now = ctx.now_seconds();
  const std::string token = secrets::new_token(ctx.random());
  sql::Statement insert = schema::Insert(tokens)
                              .set("id", ctx.new_id())
                              .set("user_id", user_id)
                              .set("token_hash", secrets::hash_secret(token))
                              .set("expires_at", now + ttl)
                              .set("created_at", now)
                              .only_if(secrets::for_existing_user(user_id))
                              .returning_row()
                              .build();
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(insert));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) co_return secrets::unknown_user(user_id);
  co_return Json{{"token", token}, {"expiresAt", now + ttl}};
}

}  // namespace eventuall::ops
