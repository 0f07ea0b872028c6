// Access to events and rooms: grants, revocations, invitations, and the list of
// who takes part. An actor needs grant.manage (or to own the event's account)
// to change access; an event the actor cannot even see is reported not_found,
// so nothing about other tenants leaks. An invitation is addressed to an email
// and stays a pending invitation until its invitee claims it (verify_email, a
// provider that vouches for the address, or accept_invitations), whatever
// account holds the address: the inviter learns nothing about who has one.
#include "common/encoding.h"
#include "common/for_size.h"
#include "ops/identity/user_creation.h"
#include "ops/keyset_cursor.h"
#include "ops/rbac/actor_facts.h"
#include "ops/rbac/permission_sql.h"
#include "ops/rbac/rbac_operations.h"
#include "schema/queries.h"
#include "schema/row_json.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops {

namespace {

// A role usable on an event: platform-wide, or of the event's account.
rbac::Condition role_usable(const std::string& event_id, const std::string& role_id) {
  return {"EXISTS (SELECT 1 FROM roles r JOIN events e ON e.id = ? WHERE r.id = ? AND "
          "(r.account_id IS NULL OR r.account_id = e.account_id))",
          {event_id, role_id}};
}

// An expiry must lie ahead: a grant that is over when it is made is a mistake.
std::optional<Error> past_expiry(const std::optional<std::int64_t>& expires_at, std::int64_t now) {
  if (expires_at && *expires_at <= now) return Error::invalid_input("expiresAt must be in the future");
  return std::nullopt;
}

}  // namespace

// Grant a role on an event, or on one of its rooms. The actor must be allowed
// to confer that role there (rbac::may_confer: grant.manage and no permission
// beyond their own, or owning the event's account). Granting what is already
// granted returns the existing grant. An event the actor cannot see, or a room
// not of the event, is not_found; a role they may not confer is forbidden.
// What grant_access takes and answers (ops/contract.h).
const contract::Contract& grant_access_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("userId", "users"), id("eventId", "events"),
                id("roomId", "rooms").optional(), id("roleId", "roles"),
                integer("expiresAt", {.min = 1}).optional()},
      .output = {row("grant", "access_grants"), boolean("created")},
      .summary = "Grants a user a role on an event (or room).",
  };
  return kContract;
}

OperationTask grant_access(Context& ctx, Json json) {
  auto args = contract::read(grant_access_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string user_id = args->text("userId");
  const std::string event_id = args->text("eventId");
  const auto room_id = args->optional_text("roomId");
  const std::string role_id = args->text("roleId");
  const std::int64_t now = ctx.now_seconds();
  const auto expires_at = args->optional_integer("expiresAt");
  if (auto refusal = past_expiry(expires_at, now)) co_return *refusal;

  const auto& grants = schema::webapp_schema().table("access_grants");
  const rbac::EventRef event = rbac::EventRef::value(event_id);
  const rbac::Condition may_confer =
      rbac::may_confer(actor, rbac::permission::kGrantManage, rbac::EventRef::value(role_id),
                       event, rbac::RoomScope::of(room_id), now);
  const rbac::Condition usable = role_usable(event_id, role_id);

  schema::Guard guard{{}, may_confer.params};
  append_all(guard.where_sql, {may_confer.sql, " AND ", usable.sql,
                               " AND EXISTS (SELECT 1 FROM users WHERE id = ?)"});
  sql::append_params(guard.params, usable.params);
  guard.params.emplace_back(user_id);
  std::vector<sql::Statement> statements;
  const std::size_t inserted_at = statements.size();
  const std::string grant_id = ctx.new_id();
  statements.push_back(schema::Insert(grants)
                           .set("id", grant_id)
                           .set("user_id", user_id)
                           .set("event_id", event_id)
                           .set("room_id", room_id)
                           .set("role_id", role_id)
                           .set("source", "manual")
                           .set("granted_by_user_id", actor)
                           .set("expires_at", expires_at)
                           .set("created_at", now)
                           .only_if(std::move(guard))
                           .ignore_conflicts()
                           .returning_row()
                           .build());
  // Why the grant was not written, in one statement: the actor's facts and
  // the insert's other conditions, one row only when it was not (once the new
  // grant is in the table the row is filtered out; SQLite still evaluates
  // these uncorrelated checks, so this saves a statement, not their work).
  const std::size_t facts_at = statements.size();
  sql::Statement why =
      rbac::actor_facts(actor, event, rbac::permission::kGrantManage, now, room_id);
  append_all(why.sql, {", EXISTS (SELECT 1 FROM users WHERE id = ?) AS user_exists, ", usable.sql,
                       " AS role_usable, ", may_confer.sql,
                       " AS may_confer WHERE NOT EXISTS (SELECT 1 FROM access_grants WHERE id = ?)"});
  why.params.emplace_back(user_id);
  sql::append_params(why.params, usable.params);
  sql::append_params(why.params, may_confer.params);
  why.params.emplace_back(grant_id);
  statements.push_back(std::move(why));
  const std::size_t existing_at = statements.size();
  statements.push_back(
      {"SELECT " + schema::select_list(grants) +
           " FROM access_grants WHERE user_id = ? AND event_id = ? AND room_id IS ? AND role_id = ?"
           " AND order_id IS NULL",
       {user_id, event_id, room_id, role_id}});

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  Json out = Json::object();
  if (!(*written)[inserted_at].empty()) {
    out["grant"] = schema::row_json(grants, sql::Row((*written)[inserted_at], 0));
    out["created"] = true;
    co_return out;
  }
  if ((*written)[facts_at].empty()) {
    co_return Error::internal("grant " + grant_id + " is stored but its insert returned nothing");
  }
  if (auto refusal = rbac::actor_refusal((*written)[facts_at], "event " + event_id,
                                         rbac::permission::kGrantManage, room_id)) {
    co_return *refusal;
  }
  const sql::Row facts((*written)[facts_at], 0);
  if (!facts.integer("user_exists")) co_return Error::not_found("user " + user_id + " not found");
  if (!facts.integer("role_usable")) {
    co_return Error::not_found("role " + role_id + " not found for this event's account");
  }
  if (!facts.integer("may_confer")) {
    co_return Error::forbidden("role " + role_id +
                               " carries permissions the caller does not hold here");
  }
  if ((*written)[existing_at].empty()) {
    // Only a grant from an order holds the same key, and it is not this one.
    co_return Error::conflict("user " + user_id + " holds this role here through an order");
  }
  out["grant"] = schema::row_json(grants, sql::Row((*written)[existing_at], 0));
  out["created"] = false;
  co_return out;
}

// Revoke a grant. The actor may remove only what they could have conferred at
// the grant's scope (rbac::may_confer), and a grant an owner of the account
// made only if they are an owner too. A grant on an event the actor cannot see
// is not_found, like one that does not exist.
// What revoke_access takes and answers (ops/contract.h).
const contract::Contract& revoke_access_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("grantId", "access_grants")},
      .output = {row("revoked", "access_grants")},
      .summary = "Revokes a grant.",
  };
  return kContract;
}

OperationTask revoke_access(Context& ctx, Json json) {
  auto args = contract::read(revoke_access_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string grant_id = args->text("grantId");

  const auto& grants = schema::webapp_schema().table("access_grants");
  const std::int64_t now = ctx.now_seconds();
  auto of_grant = [&](const char* column) {
    return rbac::EventRef::subquery(
        std::string("SELECT ") + column + " FROM access_grants WHERE id = ?", {grant_id});
  };
  const rbac::EventRef event = of_grant("event_id");
  const rbac::RoomScope scope = rbac::RoomScope::of_ref(of_grant("room_id"));
  rbac::Condition may =
      rbac::may_confer(actor, rbac::permission::kGrantManage, of_grant("role_id"), event, scope, now);
  const rbac::Condition owner = rbac::owns_event_account(actor, event);
  may.sql = "(" + may.sql + " AND (" + owner.sql +
            " OR NOT EXISTS (SELECT 1 FROM access_grants made JOIN events e ON e.id = made.event_id"
            " JOIN account_ownership o ON o.account_id = e.account_id"
            " AND o.user_id = made.granted_by_user_id WHERE made.id = ?)))";
  sql::append_params(may.params, owner.params);
  may.params.emplace_back(grant_id);

  std::vector<sql::Statement> statements;
  // The checks run before the delete in the same batch: afterwards the grant,
  // and so its event, is gone.
  const std::size_t facts_at = statements.size();
  statements.push_back(
      rbac::actor_facts(actor, event, rbac::permission::kGrantManage, now, scope));
  const std::size_t confer_at = statements.size();
  statements.push_back({"SELECT " + may.sql + " AS may_remove", may.params});
  const std::size_t removed_at = statements.size();
  sql::Statement remove{"DELETE FROM access_grants WHERE id = ? AND " + may.sql + " RETURNING " +
                            schema::select_list(grants),
                        {grant_id}};
  sql::append_params(remove.params, may.params);
  statements.push_back(std::move(remove));

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  if ((*written)[removed_at].empty()) {
    if (auto refusal = rbac::actor_refusal((*written)[facts_at], "grant " + grant_id,
                                           rbac::permission::kGrantManage)) {
      co_return *refusal;
    }
    if (!sql::Row((*written)[confer_at], 0).integer("may_remove")) {
      co_return Error::forbidden("grant " + grant_id + " is not one the caller could have conferred");
    }
    co_return Error::not_found("grant " + grant_id + " not found");
  }
  Json out = Json::object();
  out["revoked"] = schema::row_json(grants, sql::Row((*written)[removed_at], 0));
  co_return out;
}

// Invite someone by email to an event or one of its rooms: an invitation is a
// future grant, so the delegation rule applies with invitation.create as its
// gate (rbac::may_confer). Whatever account holds the email, verified or not,
// or none, the invitation is written the same way: a pending profile (one per
// email and event) and one pending invitation per room and role, claimed by
// whoever proves the address. Until then the inviter sees the invitation and
// only the email they typed, in this answer (an echo of what they asked for)
// and in list_participants alike: neither tells them whether the address is a
// registered one.
// What invite takes and answers (ops/contract.h).
const contract::Contract& invite_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), email("email"), text("name").optional(), id("eventId", "events"),
                id("roomId", "rooms").optional(), id("roleId", "roles"),
                integer("expiresAt", {.min = 1}).optional()},
      .output = {object("invitation",
                        {email("email"), id("eventId", "events"),
                         id("roomId", "rooms").nullable(), id("roleId", "roles"),
                         integer("expiresAt").nullable(), values("status", {"sent"})})},
      .summary = "Invites an email to a role on an event: a pending invitation until its "
                 "invitee claims it, the same for every email.",
  };
  return kContract;
}

OperationTask invite(Context& ctx, Json json) {
  auto args = contract::read(invite_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string email = args->text("email");
  const auto name = args->optional_text("name");
  const std::string event_id = args->text("eventId");
  const auto room_id = args->optional_text("roomId");
  const std::string role_id = args->text("roleId");
  const std::int64_t now = ctx.now_seconds();
  const auto expires_at = args->optional_integer("expiresAt");
  if (auto refusal = past_expiry(expires_at, now)) co_return *refusal;

  const auto& invitations = schema::webapp_schema().table("invitations");
  const rbac::EventRef event = rbac::EventRef::value(event_id);
  const rbac::Condition may_confer =
      rbac::may_confer(actor, rbac::permission::kInvitationCreate, rbac::EventRef::value(role_id),
                       event, rbac::RoomScope::of(room_id), now);
  const rbac::Condition usable = role_usable(event_id, role_id);
  rbac::Condition ready{may_confer.sql + " AND " + usable.sql, may_confer.params};
  sql::append_params(ready.params, usable.params);

  std::vector<sql::Statement> statements;
  // Nothing here reads users: what is written depends only on the email typed.
  sql::Statement profile{
      "INSERT INTO pending_profiles (id, event_id, email, name, invited_by_user_id, "
      "created_at) SELECT ?, ?, ?, ?, ?, ? WHERE " +
          ready.sql + " ON CONFLICT (event_id, email) DO NOTHING",
      {ctx.new_id(), event_id, email, name, actor, now}};
  sql::append_params(profile.params, ready.params);
  statements.push_back(std::move(profile));
  // One pending invitation per profile, room and role: inviting again returns
  // it. A profile already claimed takes new invitations too: the claim that
  // proves the address next (or accept_invitations) claims them.
  const std::string same_invitation =
      "SELECT 1 FROM invitations i JOIN pending_profiles p ON p.id = i.pending_profile_id"
      " WHERE p.event_id = ? AND p.email = ? AND i.room_id IS ? AND i.role_id = ?"
      " AND i.status = 'pending' AND i.order_id IS NULL";
  const std::size_t invited_at = statements.size();
  sql::Statement invitation{
      "INSERT INTO invitations (id, pending_profile_id, event_id, room_id, role_id, "
      "invited_by_user_id, expires_at, created_at) SELECT ?, p.id, ?, ?, ?, ?, ?, ? "
      "FROM pending_profiles p WHERE p.event_id = ? AND p.email = ? AND " +
          ready.sql + " AND NOT EXISTS (" + same_invitation + ") RETURNING " +
          schema::select_list(invitations),
      {ctx.new_id(), event_id, room_id, role_id, actor, expires_at, now, event_id, email}};
  sql::append_params(invitation.params, ready.params);
  invitation.params.insert(invitation.params.end(), {event_id, email, room_id, role_id});
  statements.push_back(std::move(invitation));
  const std::size_t facts_at = statements.size();
  statements.push_back(
      rbac::actor_facts(actor, event, rbac::permission::kInvitationCreate, now, room_id));
  const std::size_t checks_at = statements.size();
  sql::Statement checks{"SELECT " + usable.sql + " AS role_usable, " + may_confer.sql +
                            " AS may_confer",
                        usable.params};
  sql::append_params(checks.params, may_confer.params);
  statements.push_back(std::move(checks));

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  // Only what the inviter asked for, never an id of what was written.
  Json receipt = Json::object();
  receipt["email"] = email;
  receipt["eventId"] = event_id;
  receipt["roomId"] = room_id ? Json(*room_id) : Json(nullptr);
  receipt["roleId"] = role_id;
  receipt["expiresAt"] = expires_at ? Json(*expires_at) : Json(nullptr);
  receipt["status"] = "sent";
  Json out = Json::object();
  out["invitation"] = std::move(receipt);
  if (!(*written)[invited_at].empty()) co_return out;
  if (auto refusal = rbac::actor_refusal((*written)[facts_at], "event " + event_id,
                                         rbac::permission::kInvitationCreate, room_id)) {
    co_return *refusal;
  }
  const sql::Row checked((*written)[checks_at], 0);
  if (!checked.integer("role_usable")) {
    co_return Error::not_found("role " + role_id + " not found for this event's account");
  }
  if (!checked.integer("may_confer")) {
    co_return Error::forbidden("role " + role_id +
                               " carries permissions the caller does not hold here");
  }
  // Already invited and not yet claimed.
  co_return out;
}

// Claim the invitations sent to the actor's email: how a user whose email was
// already verified accepts them (a user verifying it, or signing in through a
// provider that vouches for it, claims them then). The claim is verify_email's
// (identity::claim_statements): every pending, unexpired invitation to the
// email becomes a grant, once. An unverified email claims nothing: conflict,
// nothing written.
// What accept_invitations takes and answers (ops/contract.h).
const contract::Contract& accept_invitations_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor()},
      .output = {integer("claimedGrants", {.min = 0})},
      .summary = "Claims the invitations sent to the actor's verified email.",
  };
  return kContract;
}

OperationTask accept_invitations(Context& ctx, Json json) {
  auto args = contract::read(accept_invitations_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");

  const std::int64_t now = ctx.now_seconds();
  std::vector<sql::Statement> statements;
  const std::size_t user_at = statements.size();
  statements.push_back(
      {"SELECT email_verified_at AS email_verified_at FROM users WHERE id = ?", {actor}});
  const std::size_t claimed_at = statements.size();
  for (auto& s : identity::claim_statements({"?", {actor}}, now)) {
    statements.push_back(std::move(s));
  }
  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[user_at].empty()) co_return Error::not_found("user " + actor + " not found");
  if (sql::Row((*done)[user_at], 0).is_null("email_verified_at")) {
    co_return Error::conflict("user " + actor +
                              "'s email is not verified: verify_email claims its invitations");
  }
  Json out = Json::object();
  out["claimedGrants"] = static_cast<std::int64_t>((*done)[claimed_at].size());
  co_return out;
}

// What list_participants takes and answers (ops/contract.h).
const contract::Contract& list_participants_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("eventId", "events"),
                integer("limit", {.min = 1, .max = 200}).optional(),
                integer("offset", {.min = 0, .max = 1'000'000}).optional()},
      .output = {array("participants",
                       of::object({text("participantId"),
                                   values("participantKind", {"user", "pending"}),
                                   id("userId", "users").nullable(),
                                   id("pendingProfileId", "pending_profiles").nullable(),
                                   text("name").nullable(), email("email"), id("roleId", "roles"),
                                   text("roleName"), id("roomId", "rooms").nullable(),
                                   text("roomName").nullable(),
                                   one_of("source", "access_grants.source"), integer("grantedAt")}),
                       200),
                 integer("nextOffset").nullable()},
      .summary = "The people who take part in an event, a page at a time.",
  };
  return kContract;
}

OperationTask list_participants(Context& ctx, Json json) {
  auto args = contract::read(list_participants_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string event_id = args->text("eventId");
  const std::int64_t limit = args->optional_integer("limit").value_or(100);
  const std::int64_t offset = args->optional_integer("offset").value_or(0);

  const std::int64_t now = ctx.now_seconds();
  const rbac::EventRef event = rbac::EventRef::value(event_id);
  rbac::Condition may =
      rbac::holds_permission(actor, rbac::permission::kParticipantsView, event, std::nullopt, now);
  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kParticipantsView, now));
  // SQLite writes the page as JSON (keyset_cursor.h, json_page): its rows are
  // never decoded here. Each column under its camelCase key.
  static const char* const kColumns[] = {"participant_kind", "participant_id", "user_id",
                                         "pending_profile_id", "name", "email", "room_id",
                                         "room_name", "role_id", "role_name", "source",
                                         "granted_at"};
  static const std::string kObject = [] {
    std::vector<schema::JsonField> fields;
    for (const char* column : kColumns) {
      fields.push_back({schema::snake_to_camel(column), std::string("p.") + column});
    }
    return schema::json_object_sql(std::move(fields));
  }();
  static const std::string kSelect = [] {
    std::string select = "SELECT ";
    for (const char* column : kColumns) {
      if (select.size() > 7) select += ", ";
      select += std::string(column) + " AS " + column;
    }
    return select + " FROM event_participants_view WHERE event_id = ? "
                    "AND (expires_at IS NULL OR expires_at > ?) AND ";
  }();
  sql::Statement page{
      kSelect + may.sql +
          " ORDER BY participant_kind DESC, email, role_name, coalesce(room_id, '') LIMIT ? OFFSET "
          "?",
      {event_id, now}};
  sql::append_params(page.params, may.params);
  page.params.emplace_back(limit + 1);
  page.params.emplace_back(offset);
  statements.push_back(json_page(std::move(page), kObject, limit));

  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!read.ok()) co_return read.take_error();
  if (auto refusal = rbac::actor_refusal((*read)[0], "event " + event_id,
                                         rbac::permission::kParticipantsView)) {
    co_return *refusal;
  }
  const sql::ResultSet& page_read = (*read)[1];
  Json out = Json::object();
  out["participants"] = json_page_items(page_read);
  out["nextOffset"] = json_page_has_more(page_read, limit) ? Json(offset + limit) : Json(nullptr);
  co_return out;
}

}  // namespace eventuall::ops

EVENTUALL_FOR_SIZE_END
