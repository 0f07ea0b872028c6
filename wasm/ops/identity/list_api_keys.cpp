// A user's MCP API keys, newest first, revoked and expired ones included (their
// revokedAt / expiresAt say so). Never the hash; the prefix identifies a key.
#include "ops/identity/identity_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What list_api_keys takes and answers (ops/contract.h).
const contract::Contract& list_api_keys_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users")},
      .output = {array("apiKeys", of::row("mcp_api_keys"))},
      .summary = "A user's API keys.",
  };
  return kContract;
}

OperationTask list_api_keys(Context& ctx, Json json) {
  auto args = contract::read(list_api_keys_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");

  const auto& keys = schema::webapp_schema().table("mcp_api_keys");
  std::vector<sql::Statement> statements;
  statements.push_back({"SELECT id AS id FROM users WHERE id = ?", {user_id}});
  statements.push_back(
      {"SELECT " + schema::select_list(keys) +
           " FROM mcp_api_keys WHERE user_id = ? ORDER BY created_at DESC, id DESC",
       {user_id}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) co_return Error::not_found("user " + user_id + " not found");
  co_return Json{{"apiKeys", schema::rows_json(keys, (*done)[1])}};
}

}  // namespace eventuall::ops
