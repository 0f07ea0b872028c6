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
// Reads do not walk role graphs: role_reach holds, for each role, every
// permission it reaches through inheritance (with the shortest chain's length
// and next role), so holding a permission is one indexed probe per grant
// whatever the graph's shape. Every role write rewrites the rows of the role
// it changes and of the roles inheriting it, in the same batch
// (refresh_reach), breadth-first one distance per statement: a write's work
// is bounded by the account's roles (at most kMaxRolesPerAccount) x the depth
// limit, plus each rewritten row once per heir; a platform role's write
// rewrites its heirs in every account (administrative calls only).
// The remaining walks (a write's cycle and depth checks, the roles listed when
// nothing confers a permission) use set semantics: one row per role, never one
// per path. Writes refuse cycles at any depth and chains deeper than
// kMaxInheritanceDepth (catalog.cpp), which is also as far as role_reach looks.
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

// The grants that count for a user on an event at a scope, as a condition on
// access_grants under `alias`: the user's, on the event, event-wide or on the
// room, unexpired.
Condition live_grants(const std::string& alias, const std::string& user_id, const EventRef& event,
                      const RoomScope& scope, std::int64_t now);

// A recursive CTE body `name(role_id) AS (...)` of the roles a user holds on an
// event at a scope, with every role they inherit: one row per role. To be put
// after WITH RECURSIVE (several may share one WITH). `seed_guard`, when given,
// must hold for the walk to start (an empty walk otherwise).
Condition held_roles(const std::string& name, const std::string& user_id, const EventRef& event,
                     const RoomScope& scope, std::int64_t now,
                     const std::optional<Condition>& seed_guard = std::nullopt);

// Which roles' role_reach rows a role write rewrites: `root` and every role
// inheriting it (kRoleAndHeirs, after any change to root's permissions or
// parents, or its creation); the roles inheriting root as if root were gone
// (kHeirsWithoutRole, before root is deleted); every role (kAllRoles, the
// migration's backfill; root unused).
enum class ReachScope { kRoleAndHeirs, kHeirsWithoutRole, kAllRoles };

// The statements that rewrite those rows from role_to_permissions and
// roles_inheritances, to be put in the write's batch after the write (before
// it, for kHeirsWithoutRole). Each runs only while `guard` holds (e.g. "the
// actor may change this role"), so a refused write costs no recomputation.
// One DELETE, then one INSERT per distance 0..kMaxInheritanceDepth: the
// rows at distance d come from the parents' rows at d - 1.
std::vector<sql::Statement> refresh_reach(ReachScope scope, const std::string& root,
                                          const Condition& guard = {"1", {}});
// `name(role_id) AS (...)`: a role and every role it inherits, one row each.
Condition role_closure(const std::string& name, const EventRef& role);

// The inheritance edges among the roles of a role CTE (held_roles or
// role_closure, named `name`): one row (role_id, parent_id) per edge, in
// order. With the CTE's roles, what a breadth-first walk needs (role_walk.h).
sql::Statement edges_among(const std::string& name, const Condition& cte);

// How many rule texts are kept (one per shape: which rule, the alias, the
// references' SQL, the scope's kind; permission_sql.cpp). Bounded by the call
// sites, whatever the values bound.
std::size_t shape_cache_size_for_testing();

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
