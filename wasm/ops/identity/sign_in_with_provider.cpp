// Sign in with a provider identity: find or create, in ONE atomic batch.
//   - the (provider, providerAccountId) link exists: its user, created: false;
//   - else a user with that email exists: the identity is linked to them only
//     if the provider asserts the email verified (emailVerified: true), else
//     conflict and nothing written — an unproven email must not open someone
//     else's account;
//   - else a new user, personal account and ownership (the statements sign_up
//     uses) and the link.
// With emailVerified: true the user's email (if it is the one given) is marked
// verified and the pending invitations, orders and room access of the email
// are claimed in the same batch (idempotent, so harmless on a returning user);
// without it nothing is claimed. Linking by email to an UNVERIFIED row is a
// take-over: the row's earlier credentials are revoked
// (revoke_unproven_credentials), this identity becomes its only link.
// Every write is guarded inside the batch, so two concurrent first sign-ins of
// one identity end with one user: whichever batch runs second finds the link
// the first wrote and only reads.
#include "ops/identity/identity_operations.h"
#include "ops/identity/providers.h"
#include "ops/identity/user_creation.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

namespace {

// The local part of an address, cut to at most 64 bytes on a UTF-8 boundary.
std::string name_from_email(const std::string& email) {
  std::string local = email.substr(0, email.find('@'));
  if (local.size() <= 64) return local;
  std::size_t cut = 64;
  while (cut > 0 && (static_cast<unsigned char>(local[cut]) & 0xC0) == 0x80) --cut;
  return local.substr(0, cut);
}

}  // namespace

// What sign_in_with_provider takes and answers (ops/contract.h).
const contract::Contract& sign_in_with_provider_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {one_of("provider", "user_providers.provider"),
                text("providerAccountId").max(identity::kMaxProviderAccountIdLength),
                email("email"), text("name").optional(), text("pronouns").max(50).optional(),
                text("location").optional(), date("birthdate").optional(),
                text("image").max(2048).optional(), boolean("emailVerified").optional()},
      .output = {row("user", "users"), row("account", "accounts").optional(), boolean("created"),
                 boolean("linked"), integer("claimedGrants")},
      .summary =
          "Sign in through an OAuth provider: finds or creates the user and links the provider "
          "account.",
  };
  return kContract;
}

OperationTask sign_in_with_provider(Context& ctx, Json json) {
  auto args = contract::read(sign_in_with_provider_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string provider = args->text("provider");
  const std::string account_id_at_provider = args->text("providerAccountId");
  identity::NewUserProfile profile;
  profile.email = args->text("email");
  // Providers do not always share a name: the email's local part stands in.
  profile.name = args->optional_text("name").value_or(name_from_email(profile.email));
  identity::read_optional_profile(*args, profile);
  const bool email_verified = args->boolean("emailVerified", false);

  const auto& schema = schema::webapp_schema();
  const auto& users = schema.table("users");
  const auto& links = schema.table("user_providers");
  const std::int64_t now = ctx.now_seconds();
  const std::string link_exists =
      "EXISTS (SELECT 1 FROM user_providers WHERE provider = ? AND provider_account_id = ?)";

  auto creation = identity::user_creation_statements(
      ctx, profile, now,
      schema::Guard{"NOT " + link_exists + " AND NOT EXISTS (SELECT 1 FROM users WHERE email = ?)",
                    {provider, account_id_at_provider, profile.email}});
  std::vector<sql::Statement> statements = std::move(creation.statements);

  if (email_verified) {
    // A take-over: the unverified row holding this email, when the identity
    // is not linked yet, loses what was issued to it before this proof.
    const identity::UserRef unlinked_holder{
        "(SELECT id FROM users WHERE email = ? AND NOT " + link_exists + ")",
        {profile.email, provider, account_id_at_provider}};
    for (auto& s : identity::revoke_unproven_credentials(
             unlinked_holder, now, std::pair{provider, account_id_at_provider})) {
      statements.push_back(std::move(s));
    }
  }

  // The link, to the user with this email: the one just created, or an
  // existing one when the provider vouches for the email.
  const std::size_t link_at = statements.size();
  sql::Statement link{
      "INSERT INTO user_providers (id, user_id, provider, provider_account_id, "
      "created_at) SELECT ?, u.id, ?, ?, ? FROM users u WHERE u.email = ? AND (? OR u.id = ?) "
      "AND NOT " +
          link_exists + " RETURNING " + schema::select_list(links),
      {ctx.new_id(), provider, account_id_at_provider, now, profile.email, email_verified,
       creation.user_id, provider, account_id_at_provider}};
  statements.push_back(std::move(link));

  const identity::UserRef user{
      "(SELECT user_id FROM user_providers WHERE provider = ? AND provider_account_id = ?)",
      {provider, account_id_at_provider}};
  if (email_verified) {
    statements.push_back(identity::mark_verified_statement(user, {"?", {profile.email}}, now));
  }
  const std::size_t claim_at = statements.size();
  for (auto& s : identity::claim_statements(user, now)) statements.push_back(std::move(s));

  // Last: the user the identity belongs to now.
  const std::size_t read_at = statements.size();
  sql::Statement read{
      "SELECT " + schema::select_list(users, "u") + " FROM users u WHERE u.id = " + user.sql,
      user.params};
  statements.push_back(std::move(read));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[read_at].empty()) {
    // Neither linked nor created: the email is another user's, unproven here.
    co_return Error::conflict("a user with email " + profile.email +
                              " exists; sign in with emailVerified or link the provider");
  }

  const bool created = !(*done)[0].empty();
  Json out = Json::object();
  out["user"] = schema::row_json(users, sql::Row((*done)[read_at], 0));
  if (created) {
    out["account"] = schema::row_json(schema.table("accounts"), sql::Row((*done)[1], 0));
  }
  out["created"] = created;
  out["linked"] = !(*done)[link_at].empty();
  out["claimedGrants"] = (*done)[claim_at].size();
  co_return out;
}

}  // namespace eventuall::ops
