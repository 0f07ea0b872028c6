#pragma once
// What sign_up, verify_email, sign_in_with_provider and link_provider share:
// the statements that create a user with their personal account and
// ownership, that verify the user's email, and that turn the pending
// invitations of a VERIFIED email into real access grants (the claim), all
// meant to run inside the caller's one atomic batch.
//
// Email ownership is proven only by verification: a verification token mailed
// to the address (verify_email) or a provider that asserts it verified the
// address (emailVerified: true). An unverified user row does not own its email:
// it claims nothing, and whoever proves the email first takes the row over
// (revoke_unproven_credentials).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ops/contract.h"
#include "runtime/context.h"
#include "schema/queries.h"
#include "sql/statement.h"

namespace eventuall::ops::identity {

struct NewUserProfile {
  std::string email;
  std::string name;
  std::optional<std::string> pronouns;
  std::optional<std::string> location;
  std::optional<std::string> birthdate;
  std::optional<std::string> image;
};

// The optional profile fields every way of creating a user accepts
// (pronouns, location, birthdate, image), from its validated input.
void read_optional_profile(const contract::Args& args, NewUserProfile& profile);

// Email verification tokens: default and longest lifetime.
inline constexpr std::int64_t kDefaultEmailVerificationTtl = 24 * 60 * 60;
inline constexpr std::int64_t kMaxEmailVerificationTtl = 7 * 24 * 60 * 60;

struct UserCreation {
  std::string user_id;
  std::string account_id;
  // [0] INSERT users RETURNING its id (no row: not created), [1] INSERT
  // accounts RETURNING the account, [2] INSERT account_ownership. With a guard, [0] writes only when
  // the guard holds and [1], [2] only when [0] wrote (same batch).
  std::vector<sql::Statement> statements;
};

UserCreation user_creation_statements(runtime::Context& ctx, const NewUserProfile& profile,
                                      std::int64_t now,
                                      const std::optional<schema::Guard>& only_if = std::nullopt);

// A user named by SQL inside the batch: "?" with the id, or a subquery such as
// "(SELECT user_id FROM user_providers WHERE provider = ? AND ...)".
struct UserRef {
  std::string sql;
  std::vector<sql::Value> params;
};

// One new email verification token: the plain token (returned once, to the
// trusted caller that mails it) and the INSERT of its hash. The INSERT writes
// for the users matching `where_sql` (over `users u`), for their current email,
// and RETURNS user_id AS user_id when it wrote. `profile`, when given, is what
// the row takes if this token is the one that proves the email (sign_up).
struct VerificationToken {
  std::string token;
  std::int64_t expires_at = 0;
  sql::Statement insert;
};
VerificationToken verification_token(runtime::Context& ctx, const schema::Guard& users_where,
                                     const NewUserProfile* profile, std::int64_t now,
                                     std::int64_t ttl);

// Marks the user's email verified if it still is `email` and was not verified:
// RETURNS id AS id when it did (the email was proven in this batch).
sql::Statement mark_verified_statement(const UserRef& user, const UserRef& email, std::int64_t now);

// Whoever proves an email that an UNVERIFIED row holds takes the row over, so
// every credential issued to the row before the proof (by whoever created it)
// dies: sessions and API keys are revoked, unused login tokens consumed and
// provider links removed, except `keep_link` (provider, provider account id).
// A verified user matches nothing. Run before mark_verified_statement.
inline constexpr std::size_t kRevokeStatementCount = 4;
std::vector<sql::Statement> revoke_unproven_credentials(
    const UserRef& user, std::int64_t now,
    const std::optional<std::pair<std::string, std::string>>& keep_link = std::nullopt);

// The claim: if the user's email is verified (email_verified_at set, possibly
// earlier in the same batch), every pending, unexpired invitation of a pending
// profile with the user's email becomes an access_grants row (source 'invitation'; order,
// inviter and expiry carried over, so the grant equals the one `invite` gives a
// user who already exists) whose id IS the invitation id — a CUID2 generated once,
// so a claim run twice (or by two racing batches) can never grant twice. Then
// those invitations are marked accepted, the room access tickets and orders
// of the email are given the user, and the profiles claimed by the user. A
// grant from an order's invitation keeps source 'order' and its order_id, so a
// refund revokes it.
// Statement [0] returns one row per grant created (claimed count); a grant the
// user already held is not duplicated but its invitation is still accepted.
// A user that does not exist or is unverified matches nothing, writes nothing.
inline constexpr std::size_t kClaimStatementCount = 5;
std::vector<sql::Statement> claim_statements(const UserRef& user, std::int64_t now);

}  // namespace eventuall::ops::identity
