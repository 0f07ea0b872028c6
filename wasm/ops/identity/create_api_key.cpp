// Create an MCP API key: "evk_" + base64url(32 random bytes) + "." + the user
// id (secrets.h), returned once.
// Stored: its SHA-256 (key_hash, never returned) and its first 12 characters
// (key_prefix, for display). Scopes are "<resource>:<action>" strings from
// identity::kScopes, kept in the order given without duplicates; a key acting
// as the caller may only give scopes it holds. One guarded INSERT.
#include "ops/identity/api_keys.h"
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/identity/sessions.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What create_api_key takes and answers (ops/contract.h).
const contract::Contract& create_api_key_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users"), text("name").max(100),
                array("scopes", of::values({identity::kScopes.begin(), identity::kScopes.end()}),
                      identity::kMaxScopes),
                integer("ttlSeconds", {.min = 1, .max = identity::kMaxApiKeyTtl}).optional()},
      .output = {row("apiKey", "mcp_api_keys"), text("key")},
      .summary = "A new API key with scopes; the key is shown once.",
  };
  return kContract;
}

OperationTask create_api_key(Context& ctx, Json json) {
  auto args = contract::read(create_api_key_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");
  const std::string name = args->text("name");
  // Known scopes (the contract's list), in the order given, without duplicates.
  Json scopes = Json::array();
  for (const auto& scope : args->items("scopes")) {
    bool seen = false;
    for (const auto& s : scopes) seen = seen || s == scope;
    if (!seen) scopes.push_back(scope);
  }
  const auto ttl = args->optional_integer("ttlSeconds");
  // A key mints only keys with scopes it holds itself.
  const runtime::Credential& credential = ctx.credential();
  if (credential.kind == runtime::Credential::Kind::kApiKey) {
    for (const auto& scope : scopes) {
      if (!credential.has_scope(scope.get<std::string>())) {
        co_return Error::forbidden("an API key may create keys only with scopes it holds; it lacks " +
                                   scope.get<std::string>());
      }
    }
  }

  const auto& keys = schema::webapp_schema().table("mcp_api_keys");
  const std::int64_t now = ctx.now_seconds();
  const std::string key = secrets::new_api_key(ctx.random(), user_id);
  std::optional<std::int64_t> expires_at;
  if (ttl) expires_at = now + *ttl;
  sql::Statement insert = schema::Insert(keys)
                              .set("id", ctx.new_id())
                              .set("user_id", user_id)
                              .set("name", name)
                              .set("key_hash", secrets::hash_secret(key))
                              .set("key_prefix", key.substr(0, secrets::kApiKeyDisplayLength))
                              .set("scopes", dump_json(scopes))
                              .set("expires_at", expires_at)
                              .set("created_at", now)
                              .only_if(secrets::for_existing_user(user_id))
                              .returning_row()
                              .build();
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(insert));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) co_return secrets::unknown_user(user_id);
  co_return Json{{"apiKey", schema::row_json(keys, sql::Row((*done)[0], 0))}, {"key", key}};
}

}  // namespace eventuall::ops
