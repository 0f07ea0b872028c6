#pragma once
// The rules of authorization, as SQL, so that checks run inside the same
// atomic batch as the write they guard.
//
// Holding: a user holds permission P on event E (and room R, if given) when
// they own E's account, or hold an unexpired grant on E — event-wide, or on R
// itself — whose role reaches P through role_to_permissions, directly or
// through inherited roles.
//
// Delegating: an actor may confer (grant, invite, revoke) a role at a scope
// only while holding the gate permission there (grant.manage; invitation.create
// for invitations), and only a role whose effective permissions are a subset of
// the actor's own effective permissions at that scope. Owners of the event's
// account are exempt.
//
// Role graphs are walked with set semantics (UNION over role ids: one row per
// role reached, never one per path), so a walk's work is bounded by the roles
// of the catalog however the graph is shaped. Writes refuse cycles at any depth
// and chains deeper than kMaxInheritanceDepth (catalog.cpp).
//
// Deny by default: no owner row and no grant chain means no.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sql/statement.h"

namespace eventuall::ops::rbac {

// Longest inheritance chain (in edges) a write may create.
inline constexpr int kMaxInheritanceDepth = 16;
// Parents one role may inherit from, and roles one account may define.
inline constexpr std::size_t kMaxParentsPerRole = 20;
inline constexpr std::size_t kMaxRolesPerAccount = 200;

// A SQL boolean expression and its parameters, in order.
struct Condition {
  std::string sql;
  std::vector<sql::Value> params;
};

// A value in SQL: a bound value, a column of the enclosing query (e.g.
// "events.id" when filtering a list), or a scalar subquery with its own
// parameters (e.g. the event of a grant). Every use repeats its params.
struct EventRef {
  std::string sql;
  std::vector<sql::Value> params;
  static EventRef value(std::optional<std::string> id) { return {"?", {std::move(id)}}; }
  static EventRef column_of(std::string column) { return {std::move(column), {}}; }
  static EventRef subquery(std::string select_sql, std::vector<sql::Value> params) {
    return {"(" + select_sql + ")", std::move(params)};
  }
};

// Which grants on the event count: event-wide ones only, those event-wide or
// on one room (a room of NULL means event-wide only), or those on any room.
struct RoomScope {
  enum class Kind { kRoom, kAnyRoom };
  Kind kind = Kind::kRoom;
  EventRef room = EventRef::value(std::nullopt);
  static RoomScope of(const std::optional<std::string>& room_id) {
    return {Kind::kRoom, EventRef::value(room_id)};
  }
  static RoomScope of_ref(EventRef room) { return {Kind::kRoom, std::move(room)}; }
  static RoomScope any() { return {Kind::kAnyRoom, EventRef::value(std::nullopt)}; }
};

Condition owns_event_account(const std::string& user_id, const EventRef& event);
Condition owns_account(const std::string& user_id, const std::string& account_id);
Condition holds_permission(const std::string& user_id, const std::string& permission,
                           const EventRef& event, const std::optional<std::string>& room_id,
                           std::int64_t now);
Condition holds_permission(const std::string& user_id, const std::string& permission,
                           const EventRef& event, const RoomScope& scope, std::int64_t now);

// The delegation rule: `actor` may confer (or remove) `role` on `event` at
// `scope`, needing `gate` there. See the file comment.
Condition may_confer(const std::string& actor, const std::string& gate, const EventRef& role,
                     const EventRef& event, const RoomScope& scope, std::int64_t now);

// A recursive CTE body `name(role_id) AS (...)` of the roles a user holds on an
// event at a scope, with every role they inherit: one row per role. To be put
// after WITH RECURSIVE (several may share one WITH).
Condition held_roles(const std::string& name, const std::string& user_id, const EventRef& event,
                     const RoomScope& scope, std::int64_t now);
// `name(role_id) AS (...)`: a role and every role it inherits, one row each.
Condition role_closure(const std::string& name, const EventRef& role);

// The inheritance edges among the roles of a role CTE (held_roles or
// role_closure, named `name`): one row (role_id, parent_id) per edge, in
// order. With the CTE's roles, what a breadth-first walk needs (role_walk.h).
sql::Statement edges_among(const std::string& name, const Condition& cte);

// Standard permissions (seeded by migrations/webapp/0001_rbac_defaults.sql).
namespace permission {
inline constexpr const char* kEventView = "event.view";
inline constexpr const char* kEventManage = "event.manage";
inline constexpr const char* kRoomJoin = "room.join";
inline constexpr const char* kStagePresent = "stage.present";
inline constexpr const char* kParticipantsView = "participants.view";
inline constexpr const char* kInvitationCreate = "invitation.create";
inline constexpr const char* kGrantManage = "grant.manage";
inline constexpr const char* kRecordingManage = "recording.manage";
inline constexpr const char* kOrderManage = "order.manage";
}  // namespace permission

}  // namespace eventuall::ops::rbac
