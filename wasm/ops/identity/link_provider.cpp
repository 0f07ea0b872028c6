// Link a provider identity to an existing user, in one atomic batch. An
// identity already linked (to anyone, this user included) is a conflict and
// writes nothing. When the provider asserts it verified an email
// (emailVerified: true with that email) and it is the user's, the email is
// marked verified and its pending invitations, orders and room access are
// claimed in the same batch; otherwise nothing is claimed. The caller already
// holds the user, so no credential is revoked (unlike sign_in_with_provider's
// take-over by email).
#include "ops/identity/identity_operations.h"
#include "ops/identity/providers.h"
#include "ops/identity/user_creation.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What link_provider takes and answers (ops/contract.h).
const contract::Contract& link_provider_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("userId", "users"), one_of("provider", "user_providers.provider"),
                text("providerAccountId").max(identity::kMaxProviderAccountIdLength),
                email("email").optional(), boolean("emailVerified").optional()},
      .output = {row("provider", "user_providers"), integer("claimedGrants")},
      .summary = "Links a provider account to a user.",
  };
  return kContract;
}

OperationTask link_provider(Context& ctx, Json json) {
  auto args = contract::read(link_provider_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");
  const std::string provider = args->text("provider");
  const std::string account_id_at_provider = args->text("providerAccountId");
  // The email the provider vouches for, if any.
  const auto asserted_email = args->optional_text("email");
  const bool email_verified = args->boolean("emailVerified", false);
  if (email_verified && !asserted_email)
    co_return Error::invalid_input("email is required with emailVerified");

  const auto& links = schema::webapp_schema().table("user_providers");
  const std::int64_t now = ctx.now_seconds();
  std::vector<sql::Statement> statements;
  sql::Statement link{
      "INSERT INTO user_providers (id, user_id, provider, provider_account_id, "
      "created_at) SELECT ?, u.id, ?, ?, ? FROM users u WHERE u.id = ? RETURNING " +
          schema::select_list(links),
      {ctx.new_id(), provider, account_id_at_provider, now, user_id}};
  statements.push_back(std::move(link));
  if (email_verified) {
    statements.push_back(
        identity::mark_verified_statement({"?", {user_id}}, {"?", {*asserted_email}}, now));
  }
  // A missing or unverified user matches nothing.
  const std::size_t claim_at = statements.size();
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
                 {"claimedGrants", (*done)[claim_at].size()}};
}

}  // namespace eventuall::ops
