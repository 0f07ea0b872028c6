// Link a provider identity to an existing user, and claim the pending
// invitations of the user's email, in one atomic batch. An identity already
// linked (to anyone, this user included) is a conflict and writes nothing.
#include "ops/identity/identity_operations.h"
#include "ops/identity/providers.h"
#include "ops/identity/user_creation.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

OperationTask link_provider(Context& ctx, Json json) {
  Input in(json);
  const std::string user_id = in.id("userId");
  const std::string provider = in.required_one_of("provider", identity::provider_names());
  const std::string account_id_at_provider =
      in.text("providerAccountId", {.max_length = identity::kMaxProviderAccountIdLength});
  if (!in.ok()) co_return in.error();

  const auto& links = schema::webapp_schema().table("user_providers");
  const std::int64_t now = ctx.now_seconds();
  std::vector<sql::Statement> statements;
  sql::Statement link{
      "INSERT INTO user_providers (id, user_id, provider, provider_account_id, "
      "created_at) SELECT ?, u.id, ?, ?, ? FROM users u WHERE u.id = ? RETURNING " +
          schema::select_list(links),
      {ctx.new_id(), provider, account_id_at_provider, now, user_id}};
  statements.push_back(std::move(link));
  // A missing user has no email, so the claim matches nothing.
  for (auto& s : identity::claim_statements({"?", {user_id}}, now)) {
    statements.push_back(std::move(s));
  }

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) {
    if (done.error().code() == ErrorCode::kConflict) {
      co_return Error::conflict(provider + " account " + account_id_at_provider +
                                " is already linked to a user");
    }
    co_return done.take_error();
  }
  if ((*done)[0].empty()) co_return Error::not_found("user " + user_id + " not found");
  co_return Json{{"provider", schema::row_json(links, sql::Row((*done)[0], 0))},
                 {"claimedGrants", (*done)[1].size()}};
}

}  // namespace eventuall::ops
