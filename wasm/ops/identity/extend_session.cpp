// Extend a live session to at least now + ttlSeconds (never shortens it).
// One guarded UPDATE; unknown, expired or revoked sessions are unauthenticated.
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/identity/sessions.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What extend_session takes and answers (ops/contract.h).
const contract::Contract& extend_session_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {text("token", {.min_length = 1, .max_length = 256}),
                integer("ttlSeconds", {.min = 1, .max = identity::kMaxSessionTtl})},
      .output = {row("session", "sessions")},
      .summary = "Extends a live session.",
  };
  return kContract;
}

OperationTask extend_session(Context& ctx, Json json) {
  auto args = contract::read(extend_session_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string token = args->text("token");
  const std::int64_t ttl = args->integer("ttlSeconds");
  if (!secrets::is_session_token_shape(token)) co_return Error::unauthenticated("malformed session token");

  const auto& sessions = schema::webapp_schema().table("sessions");
  const std::int64_t now = ctx.now_seconds();
  sql::Statement update{
      "UPDATE sessions SET expires_at = max(expires_at, ?) WHERE token_hash = ? "
      "AND revoked_at IS NULL AND expires_at > ? RETURNING " +
          schema::select_list(sessions),
      {now + ttl, secrets::hash_secret(token), now}};
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(update));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty())
    co_return Error::unauthenticated("session is unknown, expired or revoked");
  co_return Json{{"session", schema::row_json(sessions, sql::Row((*done)[0], 0))}};
}

}  // namespace eventuall::ops
