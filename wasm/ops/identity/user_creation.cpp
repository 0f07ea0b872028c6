#include "ops/identity/user_creation.h"

#include "common/for_size.h"
#include "ops/identity/secrets.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops::identity {

void read_optional_profile(const contract::Args& args, NewUserProfile& profile) {
  profile.pronouns = args.optional_text("pronouns");
  profile.location = args.optional_text("location");
  profile.birthdate = args.optional_text("birthdate");
  profile.image = args.optional_text("image");
}

UserCreation user_creation_statements(runtime::Context& ctx, const NewUserProfile& profile,
                                      std::int64_t now,
                                      const std::optional<schema::Guard>& only_if) {
  const auto& schema = schema::webapp_schema();
  const auto& users = schema.table("users");
  const auto& accounts = schema.table("accounts");
  const auto& ownership = schema.table("account_ownership");

  UserCreation out;
  out.user_id = ctx.new_id();
  out.account_id = ctx.new_id();

  schema::Insert user(users);
  user.set("id", out.user_id)
      .set("name", profile.name)
      .set("email", profile.email)
      .set("pronouns", profile.pronouns)
      .set("location", profile.location)
      .set("birthdate", profile.birthdate)
      .set("image", profile.image)
      .set("created_at", now)
      .set("updated_at", now);
  schema::Insert account(accounts);
  account.set("id", out.account_id)
      .set("name", profile.name)
      .set("kind", "personal")
      .set("created_at", now)
      .set("updated_at", now)
      .returning_row();
  schema::Insert owner(ownership);
  owner.set("id", ctx.new_id())
      .set("account_id", out.account_id)
      .set("user_id", out.user_id)
      .set("created_at", now);
  if (only_if) {
    user.only_if(*only_if);
    account.only_if({"EXISTS (SELECT 1 FROM users WHERE id = ?)", {out.user_id}});
    owner.only_if({"EXISTS (SELECT 1 FROM accounts WHERE id = ?)", {out.account_id}});
  }
  // Whether the user was created is all its insert tells (callers read the
  // user back after the batch's other writes).
  out.statements.push_back(user.build());
  out.statements.back().sql += " RETURNING id AS id";
  out.statements.push_back(account.build());
  out.statements.push_back(owner.build());
  return out;
}

VerificationToken verification_token(runtime::Context& ctx, const schema::Guard& users_where,
                                     const NewUserProfile* profile, std::int64_t now,
                                     std::int64_t ttl) {
  VerificationToken out;
  out.token = secrets::new_token(ctx.random());
  out.expires_at = now + ttl;
  out.insert = {
      "INSERT INTO email_verifications (id, user_id, email, token_hash, name, pronouns, "
      "location, birthdate, image, expires_at, created_at) SELECT ?, u.id, u.email, ?, ?, ?, ?, "
      "?, ?, ?, ? FROM users u WHERE " +
          users_where.where_sql + " RETURNING user_id AS user_id",
      {ctx.new_id(), secrets::hash_secret(out.token)}};
  auto& params = out.insert.params;
  if (profile) {
    params.insert(params.end(), {profile->name, profile->pronouns, profile->location,
                                 profile->birthdate, profile->image});
  } else {
    params.insert(params.end(), 5, sql::Value());
  }
  params.insert(params.end(), {out.expires_at, now});
  sql::append_params(params, users_where.params);
  return out;
}

sql::Statement mark_verified_statement(const UserRef& user, const UserRef& email,
                                       std::int64_t now) {
  sql::Statement out{
      "UPDATE users SET email_verified_at = ?, updated_at = ? WHERE id = " + user.sql +
          " AND email = " + email.sql + " AND email_verified_at IS NULL RETURNING id AS id",
      {now, now}};
  sql::append_params(out.params, user.params);
  sql::append_params(out.params, email.params);
  return out;
}

std::vector<sql::Statement> revoke_unproven_credentials(
    const UserRef& user, std::int64_t now,
    const std::optional<std::pair<std::string, std::string>>& keep_link) {
  const std::string unproven =
      "user_id IN (SELECT id FROM users WHERE id = " + user.sql + " AND email_verified_at IS NULL)";
  std::vector<sql::Statement> out;
  const auto push = [&](std::string text, std::vector<sql::Value> params) {
    sql::Statement s{std::move(text), std::move(params)};
    sql::append_params(s.params, user.params);
    out.push_back(std::move(s));
  };
  push("UPDATE sessions SET revoked_at = ? WHERE revoked_at IS NULL AND " + unproven, {now});
  push("UPDATE mcp_login_tokens SET consumed_at = ? WHERE consumed_at IS NULL AND " + unproven,
       {now});
  push("UPDATE mcp_api_keys SET revoked_at = ? WHERE revoked_at IS NULL AND " + unproven, {now});
  if (keep_link) {
    push("DELETE FROM user_providers WHERE NOT (provider = ? AND provider_account_id = ?) AND " +
             unproven,
         {keep_link->first, keep_link->second});
  } else {
    push("DELETE FROM user_providers WHERE " + unproven, {});
  }
  return out;
}

std::vector<sql::Statement> claim_statements(const UserRef& user, std::int64_t now) {
  std::vector<sql::Statement> out;

  // The user's id and VERIFIED email, as a one-row source (no row: nothing
  // claimed). An unverified email proves nothing about who holds the address.
  const std::string claimant =
      "(SELECT id AS user_id, email AS email FROM users WHERE id = " + user.sql +
      " AND email_verified_at IS NOT NULL)";
  const std::string open_invitation =
      "i.status = 'pending' AND (i.expires_at IS NULL OR i.expires_at > ?)";

  sql::Statement grants{
      "INSERT INTO access_grants (id, user_id, event_id, room_id, role_id, source, order_id, "
      "granted_by_user_id, expires_at, created_at) "
      "SELECT i.id, c.user_id, i.event_id, i.room_id, i.role_id, "
      "CASE WHEN i.order_id IS NULL THEN 'invitation' ELSE 'order' END, i.order_id, "
      "i.invited_by_user_id, i.expires_at, ? FROM " +
          claimant +
          " AS c JOIN pending_profiles p ON p.email = c.email "
          "JOIN invitations i ON i.pending_profile_id = p.id WHERE " +
          open_invitation + " ON CONFLICT DO NOTHING RETURNING id AS id",
      {}};
  grants.params.push_back(now);
  sql::append_params(grants.params, user.params);
  grants.params.push_back(now);
  out.push_back(std::move(grants));

  sql::Statement accepted{
      "UPDATE invitations AS i SET status = 'accepted', accepted_at = ? WHERE " + open_invitation +
          " AND i.pending_profile_id IN (SELECT p.id FROM pending_profiles p JOIN " + claimant +
          " AS c ON c.email = p.email)",
      {}};
  accepted.params.push_back(now);
  accepted.params.push_back(now);
  sql::append_params(accepted.params, user.params);
  out.push_back(std::move(accepted));

  // What orders issued to the email before the user existed now names the user.
  sql::Statement room_access{
      "UPDATE room_access_tickets SET user_id = (SELECT user_id FROM " + claimant +
          ") WHERE user_id IS NULL AND pending_profile_id IN (SELECT p.id FROM pending_profiles p "
          "JOIN " +
          claimant + " AS c ON c.email = p.email)",
      {}};
  sql::append_params(room_access.params, user.params);
  sql::append_params(room_access.params, user.params);
  out.push_back(std::move(room_access));
  sql::Statement orders{"UPDATE orders SET user_id = (SELECT user_id FROM " + claimant +
                            ") WHERE user_id IS NULL AND buyer_email = (SELECT email FROM " +
                            claimant + ")",
                        {}};
  sql::append_params(orders.params, user.params);
  sql::append_params(orders.params, user.params);
  out.push_back(std::move(orders));

  sql::Statement profiles{
      "UPDATE pending_profiles SET claimed_by_user_id = (SELECT user_id FROM " + claimant +
          "), claimed_at = ? WHERE claimed_by_user_id IS NULL AND email = (SELECT email FROM " +
          claimant + ")",
      {}};
  sql::append_params(profiles.params, user.params);
  profiles.params.push_back(now);
  sql::append_params(profiles.params, user.params);
  out.push_back(std::move(profiles));
  return out;
}

}  // namespace eventuall::ops::identity

EVENTUALL_FOR_SIZE_END
