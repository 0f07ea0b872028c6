// The authorization matrix: every registered operation against every kind of
// caller, checked against the one declared policy table (the registry's
// Policy of each operation, which README renders with `eventuall policy`).
//
// Two halves. The credential half runs every operation for an anonymous
// caller, a user's session, an API key of each scope and the trusted caller,
// and checks what dispatch lets through. The tenant half runs each operation
// that acts on an event for the stranger, attendee, room moderator, event
// moderator, non-owner organizer and owner, and checks the refusal code
// against the permission the operation needs.
#include <fstream>
#include <functional>
#include <sstream>

#include "ops/identity/api_keys.h"
#include "ops/operation.h"
#include "policy_table.h"
#include "test_support.h"

namespace eventuall {
namespace {

using testing::kEventuallAccount;
using testing::kEventuallAdmin;
using Access = ops::Policy::Access;

bool refused_by_policy(const Result<Json>& outcome) {
  if (outcome.ok()) return false;
  const std::string& message = outcome.error().message();
  return message.find("lacks the scope") != std::string::npos ||
         message.find("is administrative") != std::string::npos ||
         message.find("needs a session token or an API key") != std::string::npos;
}

TEST_CASE("every registered operation declares its policy, and API keys' scopes exist") {
  for (const auto& op : ops::operations()) {
    INFO("operation " << op.name);
    CHECK_MESSAGE(op.policy.declared, "operation ", std::string(op.name),
                  " has no declared policy in its area's list");
    if (op.policy.access == Access::kActor || op.policy.access == Access::kSelf) {
      CHECK(ops::identity::is_known_scope(op.policy.scope));
    }
    if (op.policy.access == Access::kSelf) CHECK(!op.policy.self_field.empty());
  }
}

TEST_CASE("the README's policy table is the registry's") {
  std::ifstream file(testing::source_path("README.md"));
  std::stringstream text;
  text << file.rdbuf();
  CHECK_MESSAGE(text.str().find(sqlite::policy_table_markdown()) != std::string::npos,
                "README.md's policy table differs from `eventuall policy`; paste its output");
}

TEST_CASE("authorization matrix: every operation for every kind of credential") {
  testing::TestDatabases db;
  std::map<std::string, std::string> keys;  // scope -> a key holding only it
  for (auto scope : ops::identity::kScopes) {
    keys[std::string(scope)] = db.ok("create_api_key", {{"userId", kEventuallAdmin},
                                                        {"name", std::string(scope)},
                                                        {"scopes", {std::string(scope)}}})["key"];
  }
  int cells = 0;
  for (const auto& op : ops::operations()) {
    const std::string name(op.name);
    const Access access = op.policy.access;
    INFO("operation " << name);
    // Anonymous: public operations only.
    auto anonymous = db.call(name, {{"auth", {{"anonymous", true}}}});
    if (access == Access::kPublic) {
      CHECK(!refused_by_policy(anonymous));
    } else {
      REQUIRE(!anonymous.ok());
      CHECK(anonymous.error().code_name() == std::string("unauthenticated"));
    }
    // A session (a fresh one: the previous operation may have signed out):
    // everything but the administrative operations.
    const std::string token = db.ok("create_session", {{"userId", kEventuallAdmin}})["token"];
    auto session = db.call(name, {{"auth", {{"sessionToken", token}}}});
    if (access == Access::kTrusted) {
      REQUIRE(!session.ok());
      CHECK(session.error().code_name() == std::string("forbidden"));
    } else {
      CHECK(!refused_by_policy(session));
    }
    // An API key of each scope: exactly the one the operation names.
    for (const auto& [scope_name, key] : keys) {
      // A named copy: clang 14 cannot capture a structured binding in INFO's lambda.
      const std::string scope = scope_name;
      auto with_key = db.call(name, {{"auth", {{"apiKey", key}}}});
      const bool allowed = access == Access::kPublic ||
                           (access != Access::kTrusted && op.policy.scope == scope);
      INFO("scope " << scope);
      if (allowed) {
        CHECK(!refused_by_policy(with_key));
      } else {
        REQUIRE(!with_key.ok());
        CHECK(with_key.error().code_name() == std::string("forbidden"));
      }
      ++cells;
    }
    // The trusted caller (no auth) is never refused by policy.
    CHECK(!refused_by_policy(db.call(name, Json::object())));
    cells += 3;
  }
  MESSAGE("credential matrix: " << ops::operations().size() << " operations, " << cells
                                << " cells");
}

// Each operation that acts on an event: the permission it needs and an input.
struct EventCase {
  const char* op;
  const char* permission;
  std::function<Json(const std::string& event, const std::string& user)> input;
};

TEST_CASE("authorization matrix: operations on an event for every kind of tenant member") {
  testing::TestDatabases db;
  Json created = db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                                        {"accountId", kEventuallAccount},
                                        {"name", "Launch"},
                                        {"rooms", {{{"name", "Stage"}}, {{"name", "Side"}}}}});
  const std::string event = created["event"]["id"];
  const std::string room = created["rooms"][0]["id"];
  auto user = [&](const std::string& email) -> std::string {
    return db.ok("sign_up", {{"email", email}, {"name", "X"}})["user"]["id"];
  };
  auto grant = [&](const std::string& who, const std::string& role, std::optional<std::string> in_room) {
    Json in = {{"actorUserId", kEventuallAdmin}, {"userId", who}, {"eventId", event}, {"roleId", role}};
    if (in_room) in["roomId"] = *in_room;
    db.ok("grant_access", in);
  };
  struct Member {
    std::string name, id;
  };
  std::vector<Member> members = {{"stranger", user("stranger@example.com")},
                                 {"attendee", user("attendee@example.com")},
                                 {"room moderator", user("roommod@example.com")},
                                 {"event moderator", user("mod@example.com")},
                                 {"organizer", user("org@example.com")},
                                 {"owner", kEventuallAdmin}};
  grant(members[1].id, "roleattendee000000000000", std::nullopt);
  grant(members[2].id, "rolemoderator00000000000", room);
  grant(members[3].id, "rolemoderator00000000000", std::nullopt);
  grant(members[4].id, "roleorganizer00000000000", std::nullopt);
  const std::string target = user("target@example.com");
  Json ticket = db.ok("create_ticket", {{"actorUserId", kEventuallAdmin},
                                        {"eventId", event},
                                        {"name", "GA"},
                                        {"price", 1000},
                                        {"currency", "USD"}});

  int external = 0;
  const std::vector<EventCase> cases = {
      {"get_event", "event.view", [](auto e, auto) { return Json{{"id", e}}; }},
      {"list_tickets", "event.view", [](auto e, auto) { return Json{{"eventId", e}}; }},
      {"list_participants", "participants.view", [](auto e, auto) { return Json{{"eventId", e}}; }},
      {"create_ticket", "event.manage",
       [](auto e, auto) {
         return Json{{"eventId", e}, {"name", "VIP"}, {"price", 5000}, {"currency", "USD"}};
       }},
      {"list_sku_mappings", "event.manage", [](auto e, auto) { return Json{{"eventId", e}}; }},
      {"invite", "invitation.create",
       [](auto e, auto) {
         return Json{{"eventId", e}, {"email", "guest@example.com"}, {"roleId", "roleattendee000000000000"}};
       }},
      {"grant_access", "grant.manage",
       [&](auto e, auto) {
         return Json{{"eventId", e}, {"userId", target}, {"roleId", "roleattendee000000000000"}};
       }},
      {"ingest_order", "order.manage",
       [&](auto e, auto) {
         return Json{{"eventId", e},
                     {"retailer", "manual"},
                     {"payload",
                      {{"reference", "door-" + std::to_string(++external)},
                       {"email", "buyer@example.com"},
                       {"currency", "USD"},
                       {"items", {{{"ticketId", ticket["ticket"]["id"]}, {"quantity", 1}, {"unitPrice", 0}}}}}}};
       }},
      {"start_recording", "recording.manage",
       [&](auto e, auto) {
         return Json{{"eventId", e}, {"roomId", room}, {"idempotencyKey", "k" + std::to_string(++external)}};
       }},
  };
  int cells = 0;
  for (const auto& c : cases) {
    for (const auto& m : members) {
      INFO(std::string(c.op) << " by the " << m.name);
      Json in = c.input(event, m.id);
      in["actorUserId"] = m.id;
      const Json held = db.ok("effective_permissions", {{"userId", m.id}, {"eventId", event}});
      const bool sees = m.name != "stranger";
      // Seeing the event counts a grant on any of its rooms.
      bool holds = sees && std::string(c.permission) == "event.view";
      for (const auto& p : held["permissions"]) holds = holds || p == c.permission;
      auto outcome = db.call(c.op, in);
      if (holds) {
        const std::string why = outcome.ok() ? std::string() : outcome.error().message();
        CHECK_MESSAGE(outcome.ok(), why);
      } else {
        REQUIRE(!outcome.ok());
        CHECK(outcome.error().code_name() == std::string(sees ? "forbidden" : "not_found"));
      }
      ++cells;
    }
  }
  MESSAGE("tenant matrix: " << cases.size() << " operations x " << members.size()
                            << " members = " << cells << " cells");
}

}  // namespace
}  // namespace eventuall
