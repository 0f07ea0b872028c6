// Revoke one session, named by its token (logout) or by sessionId + userId (a
// user ending one of their other sessions). Idempotent: revoking a revoked
// session keeps its first revoked_at. An unknown token is unauthenticated; a
// sessionId that is not that user's is not_found (whoever holds it).
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What revoke_session takes and answers (ops/contract.h).
const contract::Contract& revoke_session_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {text("token", {.min_length = 1, .max_length = 256}).optional(),
                id("sessionId", "sessions").optional(), id("userId", "users").optional()},
      .output = {row("session", "sessions")},
      .summary = "Revokes one session, by its token or by sessionId and userId.",
  };
  return kContract;
}

OperationTask revoke_session(Context& ctx, Json json) {
  auto args = contract::read(revoke_session_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  // By token, or by sessionId and userId: one way, not both.
  const auto given_token = args->optional_text("token");
  const bool by_token = given_token.has_value();
  const std::string token = given_token.value_or("");
  const std::string session_id = args->text("sessionId");
  const std::string user_id = args->text("userId");
  if (by_token && (!session_id.empty() || !user_id.empty()))
    co_return Error::invalid_input("token must not be given with sessionId or userId");
  if (!by_token && session_id.empty()) co_return Error::invalid_input("sessionId is required");
  if (!by_token && user_id.empty()) co_return Error::invalid_input("userId is required");
  if (by_token && !secrets::is_session_token_shape(token)) {
    co_return Error::unauthenticated("malformed session token");
  }

  const auto& sessions = schema::webapp_schema().table("sessions");
  const std::int64_t now = ctx.now_seconds();
  const std::string set = "UPDATE sessions SET revoked_at = coalesce(revoked_at, ?) WHERE ";
  const std::string returning = " RETURNING " + schema::select_list(sessions);
  sql::Statement update =
      by_token
          ? sql::Statement{set + "token_hash = ?" + returning, {now, secrets::hash_secret(token)}}
          : sql::Statement{set + "id = ? AND user_id = ?" + returning, {now, session_id, user_id}};
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(update));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty()) {
    if (by_token) co_return Error::unauthenticated("session is unknown");
    co_return Error::not_found("session " + session_id + " of user " + user_id + " not found");
  }
  co_return Json{{"session", schema::row_json(sessions, sql::Row((*done)[0], 0))}};
}

}  // namespace eventuall::ops
