// Create a login session: "evs_" + a 32-byte random token, base64url, + "." +
// the user id (secrets.h), returned once;
// only its SHA-256 is stored. One guarded INSERT: a missing user writes nothing.
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/identity/sessions.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What create_session takes and answers (ops/contract.h).
const contract::Contract& create_session_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users"),
                integer("ttlSeconds", {.min = 1, .max = identity::kMaxSessionTtl}).optional(),
                text("userAgent").max(512).optional(), text("ipAddress").max(64).optional()},
      .output = {row("session", "sessions"), text("token")},
      .summary = "A new session for a user; the token is shown once.",
  };
  return kContract;
}

OperationTask create_session(Context& ctx, Json json) {
  auto args = contract::read(create_session_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");
  const std::int64_t ttl =
      args->optional_integer("ttlSeconds").value_or(identity::kDefaultSessionTtl);
  const auto user_agent = args->optional_text("userAgent");
  const auto ip_address = args->optional_text("ipAddress");

  const auto& sessions = schema::webapp_schema().table("sessions");
  const std::int64_t now = ctx.now_seconds();
  const std::string token = secrets::new_session_token(ctx.random(), user_id);
  sql::Statement insert = schema::Insert(sessions)
                              .set("id", ctx.new_id())
                              .set("user_id", user_id)
                              .set("token_hash", secrets::hash_secret(token))
                              .set("expires_at", now + ttl)
                              .set("user_agent", user_agent)
                              .set("ip_address", ip_address)
                              .set("created_at", now)
                              .only_if(secrets::for_existing_user(user_id))
                              .returning_row()
                              .build();
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(insert));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) co_return secrets::unknown_user(user_id);
  co_return Json{{"session", schema::row_json(sessions, sql::Row((*done)[0], 0))},
                 {"token", token}};
}

}  // namespace eventuall::ops
