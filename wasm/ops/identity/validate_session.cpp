// Validate a session token: one batch of a guarded UPDATE (records
// last_seen_at, and only on a live session) and the read of its user. Unknown,
// expired (expires_at <= now), revoked or malformed tokens are unauthenticated.
#include "common/for_size.h"
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops {

// What validate_session takes and answers (ops/contract.h).
const contract::Contract& validate_session_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {text("token", {.min_length = 1, .max_length = 256})},
      .output = {row("session", "sessions"), row("user", "users")},
      .summary = "The session and user of a session token.",
  };
  return kContract;
}

OperationTask validate_session(Context& ctx, Json json) {
  auto args = contract::read(validate_session_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string token = args->text("token");
  if (!secrets::is_session_token_shape(token)) co_return Error::unauthenticated("malformed session token");

  const auto& schema = schema::webapp_schema();
  const auto& sessions = schema.table("sessions");
  const auto& users = schema.table("users");
  const std::int64_t now = ctx.now_seconds();
  const std::string hash = secrets::hash_secret(token);

  std::vector<sql::Statement> statements;
  statements.push_back(
      {"UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND " +
           std::string(secrets::kLiveSession) + " RETURNING " + schema::select_list(sessions),
       {now, hash, now}});
  statements.push_back({"SELECT " + schema::select_list(users, "u") +
                            " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash "
                            "= ? AND s.revoked_at IS NULL AND s.expires_at > ?",
                        {hash, now}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[0].empty() || (*done)[1].empty()) {
    co_return Error::unauthenticated("session is unknown, expired or revoked");
  }
  co_return Json{{"user", schema::row_json(users, sql::Row((*done)[1], 0))},
                 {"session", schema::row_json(sessions, sql::Row((*done)[0], 0))}};
}

}  // namespace eventuall::ops

EVENTUALL_FOR_SIZE_END
