// Authenticate an MCP API key, optionally requiring a scope. One batch:
//   [0] UPDATE ... SET last_used_at = now WHERE the key is live AND holds the
//       scope RETURNING the key — the use is recorded only when it is allowed;
//   [1] the key's user if the key is live, whatever its scopes.
// Nothing from [0]: unauthenticated if [1] is empty too (unknown, revoked,
// expired), else forbidden (a live key without the scope).
#include "ops/identity/api_keys.h"
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What authenticate_api_key takes and answers (ops/contract.h).
const contract::Contract& authenticate_api_key_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {text("key", {.min_length = 1, .max_length = 256}),
                text("scope").max(identity::kMaxScopeLength).optional()},
      .output = {row("apiKey", "mcp_api_keys"), row("user", "users")},
      .summary = "The key and user of an API key, optionally requiring a scope.",
  };
  return kContract;
}

OperationTask authenticate_api_key(Context& ctx, Json json) {
  auto args = contract::read(authenticate_api_key_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string key = args->text("key");
  const auto scope = args->optional_text("scope");
  if (scope && !identity::is_scope(*scope))
    co_return Error::invalid_input("scope must be a scope like \"events:read\"");
  if (!secrets::is_api_key_shape(key)) co_return Error::unauthenticated("malformed API key");

  const auto& schema = schema::webapp_schema();
  const auto& keys = schema.table("mcp_api_keys");
  const auto& users = schema.table("users");
  const std::int64_t now = ctx.now_seconds();
  const std::string hash = secrets::hash_secret(key);
  auto live = [](const std::string& k) {
    return k + "revoked_at IS NULL AND (" + k + "expires_at IS NULL OR " + k + "expires_at > ?)";
  };

  std::vector<sql::Statement> statements;
  statements.push_back(
      {"UPDATE mcp_api_keys SET last_used_at = ? WHERE key_hash = ? AND " +
           std::string(secrets::kLiveApiKey) + " AND " + secrets::kApiKeyHoldsScope +
           " RETURNING " + schema::select_list(keys),
       {now, hash, now, scope, scope}});
  statements.push_back({"SELECT " + schema::select_list(users, "u") +
                            " FROM mcp_api_keys k JOIN users u ON u.id = k.user_id WHERE "
                            "k.key_hash = ? AND " +
                            live("k."),
                        {hash, now}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty())
    co_return Error::unauthenticated("API key is unknown, revoked or expired");
  if ((*done)[0].empty())
    co_return Error::forbidden("API key lacks the scope " + scope.value_or(""));
  co_return Json{{"user", schema::row_json(users, sql::Row((*done)[1], 0))},
                 {"apiKey", schema::row_json(keys, sql::Row((*done)[0], 0))}};
}

}  // namespace eventuall::ops
