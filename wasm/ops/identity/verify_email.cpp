// Verify an email with its one-time token, exactly once: the token's user now
// owns the email, and every pending invitation, order and room access issued
// to it is claimed, in one atomic batch. An unknown, expired or used token is
// unauthenticated and writes nothing.
//
// Exactly one winner: the first statement is a guarded UPDATE ... WHERE
// consumed_at IS NULL AND expires_at > now that also replaces the stored hash
// with the hash of a value only this call knows. Batches are atomic and run
// one at a time, so of any number of concurrent consumers one UPDATE returns a
// row, and every later statement finds the token by that per-call hash: a
// losing batch matches nothing and writes nothing.
//
// Taking over: if the row was unverified (created by anyone's sign_up), the
// prover takes it over: the profile of the sign_up that issued the token
// replaces the row's (and names its personal account), and the credentials
// issued before the proof are revoked (revoke_unproven_credentials).
#include "ops/identity/identity_operations.h"
#include "ops/identity/secrets.h"
#include "ops/identity/user_creation.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What verify_email takes and answers (ops/contract.h).
const contract::Contract& verify_email_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {text("token", {.min_length = 1, .max_length = 256})},
      .output = {row("user", "users"), integer("claimedGrants")},
      .summary = "Verifies a user's email with a token and claims the invitations sent to it.",
  };
  return kContract;
}

OperationTask verify_email(Context& ctx, Json json) {
  auto args = contract::read(verify_email_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string token = args->text("token");
  if (!secrets::is_token_shape(token)) {
    co_return Error::unauthenticated("malformed verification token");
  }

  const auto& users = schema::webapp_schema().table("users");
  const std::int64_t now = ctx.now_seconds();
  // This call's key to the consumed row (see above).
  const std::string mine = secrets::hash_secret(secrets::new_token(ctx.random()));
  std::vector<sql::Statement> statements;
  statements.push_back(
      {"UPDATE email_verifications SET consumed_at = ?, token_hash = ? WHERE "
       "token_hash = ? AND consumed_at IS NULL AND expires_at > ? RETURNING "
       "user_id AS user_id",
       {now, mine, secrets::hash_secret(token), now}});
  // The row still unverified and still holding the token's email: the sign-up
  // profile (if the token came from sign_up) replaces whatever it held.
  const std::string taken_over =
      "v.token_hash = ? AND v.name IS NOT NULL AND u.id = v.user_id AND u.email = v.email AND "
      "u.email_verified_at IS NULL";
  statements.push_back(
      {"UPDATE accounts SET name = (SELECT v.name FROM email_verifications v WHERE "
       "v.token_hash = ?), updated_at = ? WHERE kind = 'personal' AND id IN (SELECT o.account_id "
       "FROM account_ownership o JOIN users u ON u.id = o.user_id JOIN email_verifications v "
       "WHERE " +
           taken_over + ")",
       {mine, now, mine}});
  statements.push_back(
      {"UPDATE users AS u SET name = v.name, pronouns = v.pronouns, location = v.location, "
       "birthdate = v.birthdate, image = v.image, updated_at = ? FROM email_verifications v "
       "WHERE " +
           taken_over,
       {now, mine}});
  const identity::UserRef user{"(SELECT user_id FROM email_verifications WHERE token_hash = ?)",
                               {mine}};
  for (auto& s : identity::revoke_unproven_credentials(user, now)) {
    statements.push_back(std::move(s));
  }
  statements.push_back(identity::mark_verified_statement(
      user, {"(SELECT email FROM email_verifications WHERE token_hash = ?)", {mine}}, now));
  const std::size_t claim_at = statements.size();
  for (auto& s : identity::claim_statements(user, now)) statements.push_back(std::move(s));
  const std::size_t read_at = statements.size();
  statements.push_back({"SELECT " + schema::select_list(users, "u") +
                            " FROM users u WHERE u.id = " + user.sql +
                            " AND u.email_verified_at IS NOT NULL",
                        user.params});

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  // Consumed but not verified: the user's email changed since the token was
  // issued; the token is spent and proves nothing.
  if ((*done)[0].empty() || (*done)[read_at].empty()) {
    co_return Error::unauthenticated("verification token is unknown, expired or already used");
  }
  co_return Json{{"user", schema::row_json(users, sql::Row((*done)[read_at], 0))},
                 {"claimedGrants", (*done)[claim_at].size()}};
}

}  // namespace eventuall::ops
