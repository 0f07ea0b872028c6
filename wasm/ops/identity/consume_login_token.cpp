// Consume an MCP one-time login token, exactly once. The only thing that
// decides success is one guarded UPDATE ... WHERE consumed_at IS NULL AND
// expires_at > now RETURNING user_id: batches are atomic and run one at a
// time, so of any number of concurrent consumers exactly one sees a row. The
// user is read by the second statement of the same batch, and returned only to
// the consumer whose UPDATE returned that user's id.
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What consume_login_token takes and answers (ops/contract.h).
const contract::Contract& consume_login_token_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {text("token", {.min_length = 1, .max_length = 256})},
      .output = {row("user", "users")},
      .summary = "Consumes a login token, exactly once.",
  };
  return kContract;
}

OperationTask consume_login_token(Context& ctx, Json json) {
  auto args = contract::read(consume_login_token_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string token = args->text("token");
  if (!secrets::is_token_shape(token)) co_return Error::unauthenticated("malformed login token");

  const auto& users = schema::webapp_schema().table("users");
  const std::int64_t now = ctx.now_seconds();
  const std::string hash = secrets::hash_secret(token);
  std::vector<sql::Statement> statements;
  statements.push_back(
      {"UPDATE mcp_login_tokens SET consumed_at = ? WHERE token_hash = ? AND "
       "consumed_at IS NULL AND expires_at > ? RETURNING user_id AS user_id",
       {now, hash, now}});
  statements.push_back({"SELECT " + schema::select_list(users, "u") +
                            " FROM mcp_login_tokens t JOIN users u ON u.id = t.user_id WHERE "
                            "t.token_hash = ?",
                        {hash}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  const auto& consumed = (*done)[0];
  const auto& user = (*done)[1];
  if (consumed.empty() || user.empty() ||
      sql::Row(consumed, 0).text("user_id") != sql::Row(user, 0).text("id")) {
    co_return Error::unauthenticated("login token is unknown, expired or already used");
  }
  co_return Json{{"user", schema::row_json(users, sql::Row(user, 0))}};
}

}  // namespace eventuall::ops
