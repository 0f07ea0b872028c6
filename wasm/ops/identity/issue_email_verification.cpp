// Issue a new email verification token for a user whose email is not verified
// yet (e.g. created by a provider sign-in that did not assert it, or whose
// first token expired): returned once, to the trusted caller that mails it;
// stored as its SHA-256, valid for ttlSeconds (default a day, at most 7).
// An unknown user is not_found, a verified one conflict; neither writes.
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/identity/user_creation.h"
#include "ops/input.h"

namespace eventuall::ops {

// What issue_email_verification takes and answers (ops/contract.h).
const contract::Contract& issue_email_verification_contract() {
  using namespace contract;
  static const Contract kContract{
      .input =
          {id("userId", "users"),
           integer("ttlSeconds", {.min = 1, .max = identity::kMaxEmailVerificationTtl}).optional()},
      .output = {text("token"), integer("expiresAt")},
      .summary = "An email verification token for a user.",
  };
  return kContract;
}

OperationTask issue_email_verification(Context& ctx, Json json) {
  auto args = contract::read(issue_email_verification_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string user_id = args->text("userId");
  const std::int64_t ttl =
      args->optional_integer("ttlSeconds").value_or(identity::kDefaultEmailVerificationTtl);

  const std::int64_t now = ctx.now_seconds();
  auto verification = identity::verification_token(
      ctx, {"u.id = ? AND u.email_verified_at IS NULL", {user_id}}, nullptr, now, ttl);
  std::vector<sql::Statement> statements;
  statements.push_back(std::move(verification.insert));
  statements.push_back(
      {"SELECT email_verified_at AS email_verified_at FROM users WHERE id = ?", {user_id}});
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty()) co_return secrets::unknown_user(user_id);
  if ((*done)[0].empty()) co_return Error::conflict("user " + user_id + "'s email is verified");
  co_return Json{{"token", verification.token}, {"expiresAt", verification.expires_at}};
}

}  // namespace eventuall::ops
