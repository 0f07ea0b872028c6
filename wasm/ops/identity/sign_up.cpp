// Sign up: a new user, their personal account, their ownership of it, and the
// claim of every pending invitation for their email — one atomic batch, as the
// original system creates a personal account for every new user. A taken email
// is a conflict and writes nothing.
#include "ops/identity/identity_operations.h"
#include "ops/identity/user_creation.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

OperationTask sign_up(Context& ctx, Json json) {
  Input in(json);
  identity::NewUserProfile profile;
  profile.email = in.email("email");
  profile.name = in.text("name");
  identity::read_optional_profile(in, profile);
  if (!in.ok()) co_return in.error();

  const auto& schema = schema::webapp_schema();
  const std::int64_t now = ctx.now_seconds();
  auto creation = identity::user_creation_statements(ctx, profile, now);
  std::vector<sql::Statement> statements = std::move(creation.statements);
  const std::size_t claim_at = statements.size();
  for (auto& s : identity::claim_statements({"?", {creation.user_id}}, now)) {
    statements.push_back(std::move(s));
  }

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) {
    if (written.error().code() == ErrorCode::kConflict) {
      co_return Error::conflict("a user with email " + profile.email + " already exists");
    }
    co_return written.take_error();
  }
  co_return Json{
      {"user", schema::row_json(schema.table("users"), sql::Row((*written)[0], 0))},
      {"account", schema::row_json(schema.table("accounts"), sql::Row((*written)[1], 0))},
      {"claimedGrants", (*written)[claim_at].size()}};
}

}  // namespace eventuall::ops
