// Sign up: a new, UNVERIFIED user, their personal account, their ownership of
// it and an email verification token, in one atomic batch (the original system
// creates a personal account for every new user). Nothing is claimed: pending
// invitations, orders and room access of the email wait for verify_email.
//   - email new: the user is created (created: true);
//   - email held by an unverified user (an earlier sign-up, anyone's): no new
//     row, a fresh token for that row (created: false) — an unverified sign-up
//     does not reserve the email, and whoever verifies it takes the row over
//     with this sign-up's profile (verify_email);
//   - email verified: conflict, nothing written.
// The token goes only to this (trusted) caller, which mails it; a public route
// answers the same for all three cases (js-shim/example/worker.mjs).
#include "common/for_size.h"
#include "ops/identity/identity_operations.h"
#include "ops/identity/user_creation.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops {

// What sign_up takes and answers (ops/contract.h).
const contract::Contract& sign_up_contract() {
  using namespace contract;
  static const Contract kContract{
      .input =
          {email("email"), text("name"), text("pronouns").max(50).optional(),
           text("location").optional(), date("birthdate").optional(),
           text("image").max(2048).optional(),
           integer("ttlSeconds", {.min = 1, .max = identity::kMaxEmailVerificationTtl}).optional()},
      .output = {row("user", "users"), row("account", "accounts").optional(), boolean("created"),
                 object("verification", {text("token"), integer("expiresAt")})},
      .summary =
          "Sign up with email and name: the user, their personal account and an email verification "
          "token.",
  };
  return kContract;
}

OperationTask sign_up(Context& ctx, Json json) {
  auto args = contract::read(sign_up_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  identity::NewUserProfile profile;
  profile.email = args->text("email");
  profile.name = args->text("name");
  identity::read_optional_profile(*args, profile);
  const std::int64_t ttl =
      args->optional_integer("ttlSeconds").value_or(identity::kDefaultEmailVerificationTtl);

  const auto& schema = schema::webapp_schema();
  const auto& users = schema.table("users");
  const std::int64_t now = ctx.now_seconds();
  auto creation = identity::user_creation_statements(
      ctx, profile, now,
      schema::Guard{"NOT EXISTS (SELECT 1 FROM users WHERE email = ?)", {profile.email}});
  std::vector<sql::Statement> statements = std::move(creation.statements);
  const std::size_t token_at = statements.size();
  auto verification = identity::verification_token(
      ctx, {"u.email = ? AND u.email_verified_at IS NULL", {profile.email}}, &profile, now, ttl);
  statements.push_back(std::move(verification.insert));
  const std::size_t read_at = statements.size();
  statements.push_back(
      {"SELECT " + schema::select_list(users, "u") + " FROM users u WHERE u.email = ?",
       {profile.email}});

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  // No token: the email belongs to a verified user, and no statement wrote.
  if ((*written)[token_at].empty() || (*written)[read_at].empty()) {
    co_return Error::conflict("a user with email " + profile.email + " already exists");
  }
  const bool created = !(*written)[0].empty();
  Json out = Json::object();
  out["user"] = schema::row_json(users, sql::Row((*written)[read_at], 0));
  if (created) {
    out["account"] = schema::row_json(schema.table("accounts"), sql::Row((*written)[1], 0));
  }
  out["created"] = created;
  out["verification"] = Json{{"token", verification.token}, {"expiresAt", verification.expires_at}};
  co_return out;
}

}  // namespace eventuall::ops

EVENTUALL_FOR_SIZE_END
