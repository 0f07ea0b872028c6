// Revoke one of a user's MCP API keys (idempotent: keeps the first
// revoked_at). A key that is not that user's is not_found, whoever holds it.
#include "ops/identity/identity_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What revoke_api_key takes and answers (ops/contract.h).
const contract::Contract& revoke_api_key_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users"), id("keyId", "mcp_api_keys")},
      .output = {row("apiKey", "mcp_api_keys")},
      .summary = "Revokes one of a user's API keys.",
  };
  return kContract;
}

OperationTask revoke_api_key(Context& ctx, Json json) {
  auto args = contract::read(revoke_api_key_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");
  const std::string key_id = args->text("keyId");

  const auto& keys = schema::webapp_schema().table("mcp_api_keys");
  sql::Statement update{
      "UPDATE mcp_api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? "
      "AND user_id = ? RETURNING " +
          schema::select_list(keys),
      {ctx.now_seconds(), key_id, user_id}};
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(update));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) {
    co_return Error::not_found("API key " + key_id + " of user " + user_id + " not found");
  }
  co_return Json{{"apiKey", schema::row_json(keys, sql::Row((*done)[0], 0))}};
}

}  // namespace eventuall::ops
