// Sign out everywhere: revoke every live session of a user and consume every
// unused login token (a login token is a session not yet started). API keys
// are not touched: they are listed and revoked one by one (list_api_keys,
// revoke_api_key). Returns how many sessions were live and how many login
// tokens were pending. One batch: the user's existence and the two UPDATEs.
#include "ops/identity/identity_operations.h"
#include "ops/input.h"
#include "schema/queries.h"

namespace eventuall::ops {

// What revoke_user_sessions takes and answers (ops/contract.h).
const contract::Contract& revoke_user_sessions_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users")},
      .output = {integer("revoked"), integer("loginTokensRevoked")},
      .summary = "Revokes every session and login token of a user.",
  };
  return kContract;
}

OperationTask revoke_user_sessions(Context& ctx, Json json) {
  auto args = contract::read(revoke_user_sessions_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");

  const std::int64_t now = ctx.now_seconds();
  std::vector<sql::Statement> statements;
  statements.push_back({"SELECT id AS id FROM users WHERE id = ?", {user_id}});
  statements.push_back(
      {"UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS "
       "NULL AND expires_at > ? RETURNING id AS id",
       {now, user_id, now}});
  statements.push_back(
      {"UPDATE mcp_login_tokens SET consumed_at = ? WHERE user_id = ? AND consumed_at IS NULL "
       "AND expires_at > ? RETURNING id AS id",
       {now, user_id, now}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) co_return Error::not_found("user " + user_id + " not found");
  co_return Json{{"revoked", (*done)[1].size()}, {"loginTokensRevoked", (*done)[2].size()}};
}

}  // namespace eventuall::ops
