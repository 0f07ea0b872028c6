#pragma once
// What sign_up and sign_in_with_provider share: the statements that create a
// user with their personal account and ownership, and the statements that turn
// the pending invitations of the user's email into real access grants (the
// claim), all meant to run inside the caller's one atomic batch.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ops/input.h"
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

// The optional profile fields every way of creating a user accepts.
void read_optional_profile(Input& in, NewUserProfile& profile);

struct UserCreation {
  std::string user_id;
  std::string account_id;
  // [0] INSERT users RETURNING the user, [1] INSERT accounts RETURNING the
  // account, [2] INSERT account_ownership. With a guard, [0] writes only when
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

// The claim: every pending, unexpired invitation of a pending profile with the
// user's email becomes an access_grants row (source 'invitation'; order,
// inviter and expiry carried over, so the grant equals the one `invite` gives a
// user who already exists) whose id IS the invitation id — a CUID2 generated once,
// so a claim run twice (or by two racing batches) can never grant twice. Then
// those invitations are marked accepted, the room access tickets and orders
// of the email are given the user, and the profiles claimed by the user. A
// grant from an order's invitation keeps source 'order' and its order_id, so a
// refund revokes it.
// Statement [0] returns one row per grant created (claimed count); a grant the
// user already held is not duplicated but its invitation is still accepted.
// A user that does not exist matches nothing and writes nothing.
inline constexpr std::size_t kClaimStatementCount = 5;
std::vector<sql::Statement> claim_statements(const UserRef& user, std::int64_t now);

}  // namespace eventuall::ops::identity
