// Access to events and rooms: grants, revocations, invitations, and the list of
// who takes part. An actor needs grant.manage (or to own the event's account)
// to change access; an event the actor cannot even see is reported not_found,
// so nothing about other tenants leaks.
#include "ops/input.h"
#include "ops/rbac/actor_facts.h"
#include "ops/rbac/permission_sql.h"
#include "ops/rbac/rbac_operations.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

namespace {

// A role usable on an event: platform-wide, or of the event's account.
std::string role_usable_sql() {
  return "EXISTS (SELECT 1 FROM roles r JOIN events e ON e.id = ? WHERE r.id = ? AND "
         "(r.account_id IS NULL OR r.account_id = e.account_id))";
}

}  // namespace

OperationTask grant_access(Context& ctx, Json json) {
  Input in(json);
  const std::string actor = in.id("actorUserId");
  const std::string user_id = in.id("userId");
  const std::string event_id = in.id("eventId");
  const auto room_id = in.optional_id("roomId");
  const std::string role_id = in.id("roleId");
  const auto expires_at = in.optional_integer("expiresAt", {.min = 1});
  if (!in.ok()) co_return in.error();

  const auto& grants = schema::webapp_schema().table("access_grants");
  const std::int64_t now = ctx.now_seconds();
  const rbac::EventRef event = rbac::EventRef::value(event_id);
  rbac::Condition may =
      rbac::holds_permission(actor, rbac::permission::kGrantManage, event, room_id, now);

  schema::Guard guard{
      may.sql + " AND " + role_usable_sql() + " AND EXISTS (SELECT 1 FROM users WHERE id = ?)",
      may.params};
  guard.params.insert(guard.params.end(), {event_id, role_id, user_id});
  std::vector<sql::Statement> statements;
  sql::Statement insert = schema::Insert(grants)
                              .set("id", ctx.new_id())
                              .set("user_id", user_id)
                              .set("event_id", event_id)
                              .set("room_id", room_id)
                              .set("role_id", role_id)
                              .set("source", "manual")
                              .set("granted_by_user_id", actor)
                              .set("expires_at", expires_at)
                              .set("created_at", now)
                              .only_if(std::move(guard))
                              // Granting what is already granted is not an error:
                              // the existing grant is returned.
                              .ignore_conflicts()
                              .returning_row()
                              .build();
  statements.push_back(std::move(insert));
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kGrantManage, now));
  statements.push_back({"SELECT EXISTS (SELECT 1 FROM users WHERE id = ?) AS user_exists, " +
                            role_usable_sql() +
                            " AS role_usable, ? IS NULL OR EXISTS (SELECT 1 FROM rooms WHERE id = "
                            "? AND event_id = ?)"
                            " AS room_ok",
                        {user_id, event_id, role_id, room_id, room_id, event_id}});
  statements.push_back(
      {"SELECT " + schema::select_list(grants) +
           " FROM access_grants WHERE user_id = ? AND event_id = ? AND room_id IS ? AND role_id = ?"
           " AND order_id IS NULL",
       {user_id, event_id, room_id, role_id}});

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  Json out = Json::object();
  if (!(*written)[0].empty()) {
    out["grant"] = schema::row_json(grants, sql::Row((*written)[0], 0));
    out["created"] = true;
    co_return out;
  }
  if (auto refusal =
          rbac::actor_refusal((*written)[1], "event " + event_id, rbac::permission::kGrantManage)) {
    co_return *refusal;
  }
  const sql::Row checks((*written)[2], 0);
  if (!checks.integer("user_exists")) co_return Error::not_found("user " + user_id + " not found");
  if (!checks.integer("role_usable")) {
    co_return Error::not_found("role " + role_id + " not found for this event's account");
  }
  if (!checks.integer("room_ok")) {
    co_return Error::not_found("room " + room_id.value_or("") + " is not a room of this event");
  }
  if ((*written)[3].empty()) co_return Error::forbidden("the caller may not grant on this room");
  out["grant"] = schema::row_json(grants, sql::Row((*written)[3], 0));
  out["created"] = false;
  co_return out;
}

OperationTask revoke_access(Context& ctx, Json json) {
  Input in(json);
  const std::string actor = in.id("actorUserId");
  const std::string grant_id = in.id("grantId");
  if (!in.ok()) co_return in.error();

  const auto& grants = schema::webapp_schema().table("access_grants");
  const std::int64_t now = ctx.now_seconds();
  const rbac::EventRef event =
      rbac::EventRef::subquery("SELECT event_id FROM access_grants WHERE id = ?", {grant_id});
  rbac::Condition may =
      rbac::holds_permission(actor, rbac::permission::kGrantManage, event, {}, now);
  std::vector<sql::Statement> statements;
  // The check runs before the delete in the same batch: afterwards the grant,
  // and so its event, is gone.
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kGrantManage, now));
  sql::Statement remove{"DELETE FROM access_grants WHERE id = ? AND " + may.sql + " RETURNING " +
                            schema::select_list(grants),
                        {grant_id}};
  sql::append_params(remove.params, may.params);
  statements.push_back(std::move(remove));

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  if ((*written)[1].empty()) {
    if (auto refusal = rbac::actor_refusal((*written)[0], "grant " + grant_id,
                                           rbac::permission::kGrantManage)) {
      co_return *refusal;
    }
    co_return Error::not_found("grant " + grant_id + " not found");
  }
  Json out = Json::object();
  out["revoked"] = schema::row_json(grants, sql::Row((*written)[1], 0));
  co_return out;
}

OperationTask invite(Context& ctx, Json json) {
  Input in(json);
  const std::string actor = in.id("actorUserId");
  const std::string email = in.email("email");
  const auto name = in.optional_text("name");
  const std::string event_id = in.id("eventId");
  const auto room_id = in.optional_id("roomId");
  const std::string role_id = in.id("roleId");
  const auto expires_at = in.optional_integer("expiresAt", {.min = 1});
  if (!in.ok()) co_return in.error();

  const auto& schema = schema::webapp_schema();
  const auto& invitations = schema.table("invitations");
  const auto& grants = schema.table("access_grants");
  const std::int64_t now = ctx.now_seconds();
  const rbac::EventRef event = rbac::EventRef::value(event_id);
  rbac::Condition may =
      rbac::holds_permission(actor, rbac::permission::kInvitationCreate, event, room_id, now);
  const std::string ready = may.sql + " AND " + role_usable_sql();
  auto ready_params = may.params;
  ready_params.insert(ready_params.end(), {event_id, role_id});

  std::vector<sql::Statement> statements;
  // Someone who already has a user gets the grant now; anyone else a pending
  // profile (one per email and event) and an invitation that sign-up claims.
  sql::Statement grant{
      "INSERT INTO access_grants (id, user_id, event_id, room_id, role_id, source, "
      "granted_by_user_id, expires_at, created_at) SELECT ?, u.id, ?, ?, ?, "
      "'invitation', ?, ?, ? FROM users u WHERE u.email = ? AND " +
          ready + " ON CONFLICT DO NOTHING RETURNING " + schema::select_list(grants),
      {ctx.new_id(), event_id, room_id, role_id, actor, expires_at, now, email}};
  sql::append_params(grant.params, ready_params);
  statements.push_back(std::move(grant));
  const std::string no_user = " AND NOT EXISTS (SELECT 1 FROM users WHERE email = ?)";
  sql::Statement profile{
      "INSERT INTO pending_profiles (id, event_id, email, name, invited_by_user_id, "
      "created_at) SELECT ?, ?, ?, ?, ?, ? WHERE " +
          ready + no_user + " ON CONFLICT (event_id, email) DO NOTHING",
      {ctx.new_id(), event_id, email, name, actor, now}};
  sql::append_params(profile.params, ready_params);
  profile.params.emplace_back(email);
  statements.push_back(std::move(profile));
  sql::Statement invitation{
      "INSERT INTO invitations (id, pending_profile_id, event_id, room_id, role_id, "
      "invited_by_user_id, expires_at, created_at) SELECT ?, p.id, ?, ?, ?, ?, ?, ? "
      "FROM pending_profiles p WHERE p.event_id = ? AND p.email = ? AND "
      "p.claimed_at IS NULL AND " +
          ready + no_user + " RETURNING " + schema::select_list(invitations),
      {ctx.new_id(), event_id, room_id, role_id, actor, expires_at, now, event_id, email}};
  sql::append_params(invitation.params, ready_params);
  invitation.params.emplace_back(email);
  statements.push_back(std::move(invitation));
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kInvitationCreate, now));
  statements.push_back(
      {"SELECT " + role_usable_sql() +
           " AS role_usable, ? IS NULL OR EXISTS (SELECT 1 FROM rooms WHERE id = ? "
           "AND event_id = ?) AS room_ok",
       {event_id, role_id, room_id, room_id, event_id}});

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  Json out = Json::object();
  if (!(*written)[0].empty()) {
    out["grant"] = schema::row_json(grants, sql::Row((*written)[0], 0));
    out["invitation"] = nullptr;
    co_return out;
  }
  if (!(*written)[2].empty()) {
    out["grant"] = nullptr;
    out["invitation"] = schema::row_json(invitations, sql::Row((*written)[2], 0));
    co_return out;
  }
  if (auto refusal = rbac::actor_refusal((*written)[3], "event " + event_id,
                                         rbac::permission::kInvitationCreate)) {
    co_return *refusal;
  }
  const sql::Row checks((*written)[4], 0);
  if (!checks.integer("role_usable")) {
    co_return Error::not_found("role " + role_id + " not found for this event's account");
  }
  if (!checks.integer("room_ok")) {
    co_return Error::not_found("room " + room_id.value_or("") + " is not a room of this event");
  }
  // The user already holds exactly this grant.
  out["grant"] = nullptr;
  out["invitation"] = nullptr;
  out["alreadyGranted"] = true;
  co_return out;
}

OperationTask list_participants(Context& ctx, Json json) {
  Input in(json);
  const std::string actor = in.id("actorUserId");
  const std::string event_id = in.id("eventId");
  const std::int64_t limit = in.optional_integer("limit", {.min = 1, .max = 200}).value_or(100);
  const std::int64_t offset =
      in.optional_integer("offset", {.min = 0, .max = 1'000'000}).value_or(0);
  if (!in.ok()) co_return in.error();

  const std::int64_t now = ctx.now_seconds();
  const rbac::EventRef event = rbac::EventRef::value(event_id);
  rbac::Condition may =
      rbac::holds_permission(actor, rbac::permission::kParticipantsView, event, {}, now);
  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kParticipantsView, now));
  sql::Statement page{
      "SELECT participant_kind AS participant_kind, participant_id AS participant_id, "
      "user_id AS user_id, pending_profile_id AS pending_profile_id, name AS name, email AS email, "
      "room_id AS room_id, room_name AS room_name, role_id AS role_id, role_name AS role_name, "
      "source AS source, granted_at AS granted_at FROM event_participants_view WHERE event_id = ? "
      "AND " +
          may.sql +
          " ORDER BY participant_kind DESC, email, role_name, coalesce(room_id, '') LIMIT ? OFFSET "
          "?",
      {event_id}};
  sql::append_params(page.params, may.params);
  page.params.emplace_back(limit + 1);
  page.params.emplace_back(offset);
  statements.push_back(std::move(page));

  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!read.ok()) co_return read.take_error();
  if (auto refusal = rbac::actor_refusal((*read)[0], "event " + event_id,
                                         rbac::permission::kParticipantsView)) {
    co_return *refusal;
  }
  const sql::ResultSet& rows = (*read)[1];
  std::vector<std::string> keys;
  for (const auto& column : rows.columns) keys.push_back(schema::snake_to_camel(column));
  Json participants = Json::array();
  const std::size_t shown = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(limit));
  for (std::size_t i = 0; i < shown; ++i) {
    Json p = Json::object();
    for (std::size_t c = 0; c < keys.size(); ++c) p[keys[c]] = schema::value_json(rows.rows[i][c]);
    participants.push_back(std::move(p));
  }
  Json out = Json::object();
  out["participants"] = std::move(participants);
  out["nextOffset"] = rows.size() > shown ? Json(offset + limit) : Json(nullptr);
  co_return out;
}

}  // namespace eventuall::ops
