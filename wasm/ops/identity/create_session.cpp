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

OperationTask create_session(Context& ctx, Json json) {
  Input in(json);
  const std::string user_id = in.id("userId");
  const std::int64_t ttl =
      in.optional_integer("ttlSeconds", {.min = 1, .max = identity::kMaxSessionTtl})
          .value_or(identity::kDefaultSessionTtl);
  const auto user_agent = in.optional_text("userAgent", {.max_length = 512});
  const auto ip_address = in.optional_text("ipAddress", {.max_length = 64});
  if (!in.ok()) co_return in.error();

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
