// The rules' SQL texts are kept per shape (permission_sql.cpp): a call binds
// its own values to its shape's text, shapes that a sloppy key would confuse
// keep their own texts, and no value a caller sends makes a new shape.
#include <string>

#include "ops/rbac/permission_sql.h"
#include "test_support.h"

using namespace eventuall;
namespace rbac = eventuall::ops::rbac;

namespace {

std::vector<sql::Value> values(std::initializer_list<sql::Value> v) { return v; }

}  // namespace

TEST_CASE("permission_sql: a kept text binds each call's own values") {
  const std::string text =
      "((EXISTS (SELECT 1 FROM events owned_event JOIN account_ownership owner ON"
      " owner.account_id = owned_event.account_id WHERE owned_event.id = ? AND owner.user_id = ?)"
      " OR EXISTS (SELECT 1 FROM access_grants g CROSS JOIN role_reach reach ON reach.role_id ="
      " g.role_id AND reach.permission_id = (SELECT id FROM permissions WHERE name = ?) WHERE"
      " g.user_id = ? AND g.event_id = ? AND (g.room_id IS NULL OR g.room_id = ?) AND"
      " (g.expires_at IS NULL OR g.expires_at > ?))) AND EXISTS (SELECT 1 FROM rooms checked_room"
      " WHERE checked_room.id = ? AND checked_room.event_id = ?))";
  for (int call = 0; call < 3; ++call) {
    const std::string user = "u" + std::to_string(call);
    const rbac::Condition c = rbac::holds_permission(
        user, "room.join", rbac::EventRef::value("e" + std::to_string(call)),
        std::optional<std::string>("r" + std::to_string(call)), 100 + call);
    CHECK(c.sql == text);
    const std::string e = "e" + std::to_string(call), r = "r" + std::to_string(call);
    CHECK(c.params == values({e, user, "room.join", user, e, r, std::int64_t{100 + call}, r, e}));
  }
}

TEST_CASE("permission_sql: shapes a sloppy key would confuse keep their own texts") {
  // The references' texts concatenated without a boundary are the same.
  const auto a = rbac::holds_permission(
      "u", "p", rbac::EventRef::column_of("x.a"),
      rbac::RoomScope::of_ref(rbac::EventRef::column_of("b.c")), 1);
  const auto b = rbac::holds_permission(
      "u", "p", rbac::EventRef::column_of("x.ab"),
      rbac::RoomScope::of_ref(rbac::EventRef::column_of(".c")), 1);
  CHECK(a.sql.find("owned_event.id = x.a AND") != std::string::npos);
  CHECK(a.sql.find("checked_room.id = b.c AND") != std::string::npos);
  CHECK(b.sql.find("owned_event.id = x.ab AND") != std::string::npos);
  CHECK(b.sql.find("checked_room.id = .c AND") != std::string::npos);
  // The same SQL ("?") for the room, once NULL (event-wide: no room to
  // check) and once a room, in both orders.
  for (int order = 0; order < 2; ++order) {
    for (int i = 0; i < 2; ++i) {
      const bool with_room = (i == order);
      const auto c = rbac::holds_permission(
          "u", "p", rbac::EventRef::value("e"),
          with_room ? std::optional<std::string>("r") : std::nullopt, 1);
      CHECK((c.sql.find("checked_room") != std::string::npos) == with_room);
      CHECK(c.params.size() == (with_room ? 9u : 7u));
    }
  }
  // Any room versus event-wide: the same room reference, another kind.
  const auto any = rbac::live_grants("g", "u", rbac::EventRef::value("e"), rbac::RoomScope::any(), 1);
  const auto wide = rbac::live_grants("g", "u", rbac::EventRef::value("e"),
                                      rbac::RoomScope::of(std::nullopt), 1);
  CHECK(any.sql.find("room_id") == std::string::npos);
  CHECK(wide.sql.find("g.room_id IS NULL OR g.room_id = ?") != std::string::npos);
  // The alias, and the rule itself, are part of the shape.
  const auto mine = rbac::live_grants("mine", "u", rbac::EventRef::value("e"),
                                      rbac::RoomScope::any(), 1);
  CHECK(mine.sql.rfind("mine.user_id = ?", 0) == 0);
  CHECK(any.sql.rfind("g.user_id = ?", 0) == 0);
  const auto owns = rbac::owns_event_account("u", rbac::EventRef::value("e"));
  CHECK(owns.sql.rfind("EXISTS (SELECT 1 FROM events owned_event", 0) == 0);
  CHECK(owns.params == values({"e", "u"}));
  // The conferred role's SQL.
  const auto by_value = rbac::may_confer("a", "grant.manage", rbac::EventRef::value("role"),
                                         rbac::EventRef::value("e"), rbac::RoomScope::any(), 1);
  const auto by_grant = rbac::may_confer(
      "a", "grant.manage",
      rbac::EventRef::subquery("SELECT role_id FROM access_grants WHERE id = ?", {"g1"}),
      rbac::EventRef::value("e"), rbac::RoomScope::any(), 1);
  CHECK(by_value.sql.find("conferred.role_id = ? AND") != std::string::npos);
  CHECK(by_grant.sql.find("conferred.role_id = (SELECT role_id FROM access_grants WHERE id = ?)"
                          " AND") != std::string::npos);
  std::vector<sql::Value> grant_params = by_grant.params;
  for (auto& v : grant_params) {
    if (v == sql::Value("g1")) v = sql::Value("role");
  }
  CHECK(grant_params == by_value.params);
}

TEST_CASE("permission_sql: no value a caller sends makes a new shape") {
  // Warm every shape used here, then send hostile values: long, SQL-like,
  // NULL-looking, rooms and none.
  auto calls = [](const std::string& v, std::int64_t now) {
    const auto room = v.size() % 2 ? std::optional<std::string>(v) : std::nullopt;
    rbac::holds_permission(v, v, rbac::EventRef::value(v), room, now);
    rbac::holds_permission(v, v, rbac::EventRef::value(v), std::optional<std::string>(v), now);
    rbac::holds_permission(v, v, rbac::EventRef::value(v), std::nullopt, now);
    rbac::may_confer(v, v, rbac::EventRef::value(v), rbac::EventRef::value(v),
                     rbac::RoomScope::of(room), now);
    rbac::live_grants("g", v, rbac::EventRef::value(v), rbac::RoomScope::any(), now);
    rbac::owns_event_account(v, rbac::EventRef::value(v));
  };
  calls("warm", 0);
  calls("warm!", 0);
  const std::size_t shapes = rbac::shape_cache_size_for_testing();
  for (const std::string& v :
       {std::string(5000, 'x'), std::string("?"), std::string("NULL"), std::string("') OR 1=1 --"),
        std::string(""), std::string("e.id")}) {
    calls(v, -1);
    calls(v + "!", 1LL << 62);
  }
  CHECK(rbac::shape_cache_size_for_testing() == shapes);
}

TEST_CASE("permission_sql: past the cap of kept shapes a text is written per call, the same") {
  // 100 aliases (a shape each) fill the cache past its cap; the shapes past it
  // are written for their call alone and come out as the kept ones would.
  for (int i = 0; i < 100; ++i) {
    const std::string alias = "cap" + std::to_string(i);
    const std::string text = alias + ".user_id = ? AND " + alias + ".event_id = ? AND (" + alias +
                             ".expires_at IS NULL OR " + alias + ".expires_at > ?)";
    for (int call = 0; call < 2; ++call) {
      const rbac::Condition c =
          rbac::live_grants(alias, "u", rbac::EventRef::value("e"), rbac::RoomScope::any(), 7);
      CHECK(c.sql == text);
      CHECK(c.params == values({"u", "e", std::int64_t{7}}));
    }
  }
  CHECK(rbac::shape_cache_size_for_testing() <= 64);
}
