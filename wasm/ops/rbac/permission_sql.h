#pragma once
// The one rule of authorization, as SQL, so that checks run inside the same
// atomic batch as the write they guard:
//
//   a user holds permission P on event E (and room R, if given) when they own
//   E's account, or hold an unexpired grant on E — event-wide, or on R itself —
//   whose role reaches P through role_to_permissions, directly or through any
//   chain of inherited roles (bounded depth).
//
// Deny by default: no owner row and no grant chain means no.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sql/statement.h"

namespace eventuall::ops::rbac {

// Longest inheritance chain a check follows; writes refuse cycles, and reads
// are bounded anyway.
inline constexpr int kMaxInheritanceDepth = 32;

// A SQL boolean expression and its parameters, in order.
struct Condition {
  std::string sql;
  std::vector<sql::Value> params;
};

// Where the event id comes from: a bound value, a column of the enclosing
// query (e.g. "events.id" when filtering a list), or a scalar subquery with its
// own parameters (e.g. the event of a grant). Every use repeats its params.
struct EventRef {
  std::string sql;
  std::vector<sql::Value> params;
  static EventRef value(std::string id) { return {"?", {std::move(id)}}; }
  static EventRef column_of(std::string column) { return {std::move(column), {}}; }
  static EventRef subquery(std::string select_sql, std::vector<sql::Value> params) {
    return {"(" + select_sql + ")", std::move(params)};
  }
};

Condition owns_event_account(const std::string& user_id, const EventRef& event);
Condition owns_account(const std::string& user_id, const std::string& account_id);
Condition holds_permission(const std::string& user_id, const std::string& permission,
                           const EventRef& event, const std::optional<std::string>& room_id,
                           std::int64_t now);

// The roles a user holds on an event, with every role they inherit, as a
// recursive CTE named `held(role_id, depth, grant_id, path)`; path is a JSON
// array of role names from the granted role up. Parameters in order.
Condition held_roles_cte(const std::string& user_id, const std::string& event_id,
                         const std::optional<std::string>& room_id, std::int64_t now);

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
