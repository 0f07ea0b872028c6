// Authorization as an attacker tries it: each case of "What was found" in the
// authorization issue as a regression test, the role graphs built to make the
// walks explode, and a randomized search for escalation over sequences of
// operations by non-owner actors.
#include <cstdlib>
#include <random>
#include <set>
#include <tuple>

#include "ops/rbac/permission_sql.h"
#include "test_support.h"

namespace eventuall {
namespace {

using testing::kEventuallAccount;
using testing::kEventuallAdmin;
using testing::kMomentusAdmin;

const std::string kAttendee = "roleattendee000000000000";
const std::string kSpeaker = "rolespeaker0000000000000";
const std::string kModerator = "rolemoderator00000000000";
const std::string kOrganizer = "roleorganizer00000000000";

// One tenant's event with two rooms, and users holding the standard roles on
// it: an event moderator, a moderator of room 1, a non-owner organizer and an
// attendee, all granted by the owner.
struct Tenant {
  testing::TestDatabases db;
  std::string event, room1, room2;
  std::string moderator, room_moderator, organizer, attendee, stranger;
  std::map<std::string, std::string> emails;

  std::string user(const std::string& email) {
    Json out = db.ok("sign_up", {{"email", email}, {"name", email.substr(0, email.find('@'))}});
    emails[out["user"]["id"].get<std::string>()] = email;
    return out["user"]["id"].get<std::string>();
  }
  Json grant(const std::string& actor, const std::string& user_id, const std::string& role,
             std::optional<std::string> room = std::nullopt) {
    Json in = {{"actorUserId", actor}, {"userId", user_id}, {"eventId", event}, {"roleId", role}};
    if (room) in["roomId"] = *room;
    auto out = db.call("grant_access", in);
    return out.ok() ? std::move(out).value() : Json();
  }

  // deterministic: the seed and clock of every such Tenant are the same, so
  // two Tenants given the same calls answer them alike, ids included.
  explicit Tenant(bool deterministic = false) {
    if (deterministic) db.client.set_deterministic_for_testing(crypto::Seed{}, 1767225600000);
    Json created = db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                                          {"accountId", kEventuallAccount},
                                          {"name", "Launch"},
                                          {"rooms", {{{"name", "Stage"}}, {{"name", "Side"}}}}});
    event = created["event"]["id"];
    room1 = created["rooms"][0]["id"];
    room2 = created["rooms"][1]["id"];
    moderator = user("mod@example.com");
    room_moderator = user("roommod@example.com");
    organizer = user("org@example.com");
    attendee = user("att@example.com");
    stranger = user("stranger@example.com");
    grant(kEventuallAdmin, moderator, kModerator);
    grant(kEventuallAdmin, room_moderator, kModerator, room1);
    grant(kEventuallAdmin, organizer, kOrganizer);
    grant(kEventuallAdmin, attendee, kAttendee);
  }

  std::set<std::string> permissions(const std::string& user_id,
                                     std::optional<std::string> room = std::nullopt) {
    Json in = {{"userId", user_id}, {"eventId", event}};
    if (room) in["roomId"] = *room;
    std::set<std::string> out;
    const Json held = db.ok("effective_permissions", in);
    for (const auto& p : held["permissions"]) out.insert(p);
    return out;
  }
};

TEST_CASE("regression: a moderator cannot invite themselves as organizer, event-wide or on a room") {
  Tenant t;
  const std::string before = t.db.dump(*t.db.webapp);
  CHECK(t.db.error_code("invite", {{"actorUserId", t.moderator},
                                   {"email", "mod@example.com"},
                                   {"eventId", t.event},
                                   {"roleId", kOrganizer}}) == "forbidden");
  CHECK(t.db.error_code("invite", {{"actorUserId", t.room_moderator},
                                   {"email", "roommod@example.com"},
                                   {"eventId", t.event},
                                   {"roomId", t.room1},
                                   {"roleId", kOrganizer}}) == "forbidden");
  // Nor to a fresh address they control.
  CHECK(t.db.error_code("invite", {{"actorUserId", t.moderator},
                                   {"email", "mod+alt@example.com"},
                                   {"eventId", t.event},
                                   {"roleId", kOrganizer}}) == "forbidden");
  CHECK(t.db.dump(*t.db.webapp) == before);
  CHECK(t.permissions(t.moderator).count("grant.manage") == 0);
  // What they hold themselves they may pass on.
  Json ok = t.db.ok("invite", {{"actorUserId", t.moderator},
                               {"email", "guest@example.com"},
                               {"eventId", t.event},
                               {"roleId", kSpeaker}});
  CHECK(ok["invitation"]["roleId"] == kSpeaker);
  // A room moderator's rights stop at their room.
  CHECK(t.db.error_code("invite", {{"actorUserId", t.room_moderator},
                                   {"email", "guest2@example.com"},
                                   {"eventId", t.event},
                                   {"roomId", t.room2},
                                   {"roleId", kAttendee}}) == "forbidden");
}

TEST_CASE("regression: an invitation to an unverified user's email waits for the verification") {
  Tenant t;
  Json attacker = t.db.ok("sign_up", {{"email", "cfo@victim.example"}, {"name", "Not the CFO"}});
  Json in = {{"actorUserId", kEventuallAdmin},
             {"email", "cfo@victim.example"},
             {"eventId", t.event},
             {"roleId", kOrganizer}};
  Json invited = t.db.ok("invite", in);
  CHECK(invited["invitation"]["status"] == "sent");
  CHECK(t.db.webapp_count("invitations") == 1);
  auto grants = t.db.webapp->query("SELECT count(*) FROM access_grants WHERE user_id = ?",
                                   {attacker["user"]["id"].get<std::string>()});
  CHECK(grants->rows[0][0].as_integer() == 0);
  // Whoever proves the address claims it. A later invitation waits too, now
  // for the verified user to accept it.
  const std::string user_id = attacker["user"]["id"];
  auto held = [&] {
    auto rows = t.db.webapp->query("SELECT count(*) FROM access_grants WHERE user_id = ?", {user_id});
    return rows->rows[0][0].as_integer();
  };
  t.db.ok("verify_email", {{"token", attacker["verification"]["token"]}});
  CHECK(held() == 1);
  in["roleId"] = kSpeaker;
  t.db.ok("invite", in);
  CHECK(held() == 1);
  CHECK(t.db.webapp_count("invitations") == 2);
  CHECK(t.db.ok("accept_invitations", {{"actorUserId", user_id}})["claimedGrants"] == 1);
  CHECK(held() == 2);
  CHECK(t.db.ok("accept_invitations", {{"actorUserId", user_id}})["claimedGrants"] == 0);
}

TEST_CASE("accept_invitations claims only the actor's verified email's open invitations") {
  Tenant t;
  auto invite = [&](const std::string& email, const std::string& role, Json extra = Json::object()) {
    Json in = {{"actorUserId", kEventuallAdmin}, {"email", email}, {"eventId", t.event}, {"roleId", role}};
    in.update(extra);
    t.db.ok("invite", in);
  };
  Json verified = t.db.ok("sign_up", {{"email", "ada@example.com"}, {"name", "Ada"}});
  t.db.ok("verify_email", {{"token", verified["verification"]["token"]}});
  const std::string ada = verified["user"]["id"];
  invite("ada@example.com", kSpeaker);
  invite("ada@example.com", kAttendee, {{"roomId", t.room1}});
  invite("someone.else@example.com", kSpeaker);
  // An unverified user (att@example.com, signed up by Tenant) claims nothing:
  // conflict, and nothing written; an unknown actor is not_found.
  invite("att@example.com", kSpeaker);
  const std::string before = t.db.dump(*t.db.webapp);
  CHECK(t.db.error_code("accept_invitations", {{"actorUserId", t.attendee}}) == "conflict");
  CHECK(t.db.error_code("accept_invitations", {{"actorUserId", std::string(24, 'z')}}) ==
        "not_found");
  CHECK(t.db.error_code("accept_invitations", {{"actorUserId", "Not an id"}}) == "invalid_input");
  CHECK(t.db.dump(*t.db.webapp) == before);
  // Ada's two, and only hers.
  CHECK(t.permissions(ada).count("stage.present") == 0);
  CHECK(t.db.ok("accept_invitations", {{"actorUserId", ada}})["claimedGrants"] == 2);
  CHECK(t.permissions(ada).count("stage.present") == 1);
  CHECK(t.permissions(ada, t.room1).count("room.join") == 1);
  auto waiting = t.db.webapp->query("SELECT p.email FROM invitations i JOIN pending_profiles p ON "
                                    "p.id = i.pending_profile_id WHERE i.status = 'pending' "
                                    "ORDER BY p.email");
  REQUIRE(waiting->rows.size() == 2);
  CHECK(waiting->rows[0][0].as_text() == "att@example.com");
  CHECK(waiting->rows[1][0].as_text() == "someone.else@example.com");
}

TEST_CASE("regression: inviting the same email twice keeps one pending invitation") {
  Tenant t;
  Json in = {{"actorUserId", kEventuallAdmin},
             {"email", "twice@example.com"},
             {"eventId", t.event},
             {"roleId", kSpeaker}};
  Json first = t.db.ok("invite", in);
  Json second = t.db.ok("invite", in);
  CHECK(second == first);
  CHECK(t.db.webapp_count("invitations") == 1);
  CHECK(t.db.webapp_count("pending_profiles") == 1);
}

// What a call answers, success or failure, as one value to compare.
Json answer(testing::TestDatabases& db, const std::string& op, const Json& input) {
  auto result = db.call(op, input);
  if (result.ok()) return {{"ok", true}, {"value", std::move(result).value()}};
  return {{"ok", false},
          {"code", std::string(result.error().code_name())},
          {"message", result.error().message()}};
}

// The same answer with one email spelled as another: two answers equal after
// this differ in nothing but the address the caller typed.
Json with_email(Json value, const std::string& from, const std::string& to) {
  std::string text = dump_json(value);
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return Json::parse(text);
}

TEST_CASE("regression: the inviter cannot tell a verified user's email from an unknown one") {
  Tenant t;
  // A verified user of the platform, unknown to this event.
  Json known = t.db.ok("sign_up", {{"email", "known@elsewhere.example"}, {"name", "Known"}});
  t.db.ok("verify_email", {{"token", known["verification"]["token"]}});
  const std::string known_id = known["user"]["id"];
  const std::string kKnown = "known@elsewhere.example";
  const std::string kUnknown = "nobody@elsewhere.example";
  auto invite = [&](const std::string& actor, const std::string& email, const std::string& role,
                    std::optional<std::string> room) {
    Json in = {{"actorUserId", actor}, {"email", email}, {"eventId", t.event}, {"roleId", role}};
    if (room) in["roomId"] = *room;
    return answer(t.db, "invite", in);
  };
  struct Case {
    std::string actor, role;
    std::optional<std::string> room;
  };
  const std::vector<Case> cases = {
      {t.moderator, kSpeaker, std::nullopt},     // conferred
      {t.moderator, kSpeaker, std::nullopt},     // again: already there
      {t.room_moderator, kAttendee, t.room1},    // on a room
      {t.moderator, kOrganizer, std::nullopt},   // forbidden: beyond their own
      {t.attendee, kAttendee, std::nullopt},     // forbidden: no invitation.create
      {t.stranger, kAttendee, std::nullopt},     // not_found: cannot see the event
      {t.room_moderator, kAttendee, t.room2},    // forbidden: another room
  };
  for (const auto& c : cases) {
    const Json for_known = invite(c.actor, kKnown, c.role, c.room);
    const Json for_unknown = invite(c.actor, kUnknown, c.role, c.room);
    const std::string known_text = dump_json(for_known);
    INFO(known_text);
    CHECK(known_text.find(known_id) == std::string::npos);
    CHECK(with_email(for_known, kKnown, kUnknown) == for_unknown);
  }
  // Behind the same answer, both addresses wait as invitations, until the
  // verified user accepts theirs.
  auto held = [&] {
    auto grants = t.db.webapp->query(
        "SELECT count(*) FROM access_grants WHERE user_id = ? AND source = 'invitation'", {known_id});
    return grants->rows[0][0].as_integer();
  };
  for (const std::string& email : {kKnown, kUnknown}) {
    auto waiting = t.db.webapp->query(
        "SELECT count(*) FROM invitations i JOIN pending_profiles p ON p.id = i.pending_profile_id "
        "WHERE p.email = ? AND i.status = 'pending'",
        {email});
    CHECK(waiting->rows[0][0].as_integer() == 2);
  }
  CHECK(held() == 0);
  CHECK(t.db.ok("accept_invitations", {{"actorUserId", known_id}})["claimedGrants"] == 2);
  CHECK(held() == 2);
}

// Two Tenants alike but for the address invited: one invites a verified
// user's email, the other an address nobody holds. Everything the inviters
// can read about the invitations must be the same, but for the address, until
// the invitee accepts.
TEST_CASE("regression: list_participants shows an invited verified user like an unknown address") {
  const std::string kKnown = "known@elsewhere.example";
  const std::string kUnknown = "nobody@elsewhere.example";
  // Every answer the inviting tenant's members get, in order.
  auto world = [&](const std::string& email, bool accept) {
    Tenant t(true);
    Json known = t.db.ok("sign_up", {{"email", kKnown}, {"name", "Known Person"}});
    t.db.ok("verify_email", {{"token", known["verification"]["token"]}});
    Json answers = Json::array();
    auto invite = [&](const std::string& actor, const std::string& role, Json extra) {
      Json in = {{"actorUserId", actor}, {"email", email}, {"eventId", t.event}, {"roleId", role}};
      in.update(extra);
      answers.push_back(answer(t.db, "invite", in));
    };
    auto lists = [&] {
      for (const auto& actor : {kEventuallAdmin, t.moderator, t.organizer}) {
        answers.push_back(answer(t.db, "list_participants", {{"actorUserId", actor}, {"eventId", t.event}}));
        answers.push_back(
            answer(t.db, "get_event", {{"actorUserId", actor}, {"id", t.event}}));
      }
    };
    invite(t.moderator, kSpeaker, {{"name", "Guest Speaker"}});
    lists();
    invite(t.moderator, kSpeaker, {{"name", "Guest Speaker"}});  // again
    invite(t.room_moderator, kAttendee, {{"roomId", t.room1}});  // no name, on a room
    invite(kEventuallAdmin, kOrganizer, {{"expiresAt", 1767225600 + 86'400}});
    lists();
    if (accept) answers.push_back(answer(t.db, "accept_invitations", {{"actorUserId", known["user"]["id"]}}));
    lists();
    return answers;
  };
  const Json for_known = world(kKnown, false);
  const Json for_unknown = world(kUnknown, false);
  CHECK(dump_json(for_known).find("Known Person") == std::string::npos);
  const bool alike = with_email(for_known, kKnown, kUnknown) == for_unknown;
  CHECK(alike);
  // Once accepted, the invitee takes part under their own name.
  const std::string accepted = dump_json(world(kKnown, true));
  CHECK(accepted.find("Known Person") != std::string::npos);
}

// grant_access, invite, list_participants and list_roles read their input by
// their contracts: the codes and messages are those Input gave.
TEST_CASE("the access operations refuse bad input with the messages they always gave, writing nothing") {
  Tenant t;
  const std::string before = t.db.dump(*t.db.webapp);
  auto message = [&](const std::string& op, const Json& in) {
    auto outcome = t.db.call(op, in);
    REQUIRE(!outcome.ok());
    CHECK(std::string(outcome.error().code_name()) == "invalid_input");
    return outcome.error().message();
  };
  const Json grant = {{"actorUserId", kEventuallAdmin}, {"userId", t.attendee}, {"eventId", t.event},
                      {"roleId", kSpeaker}};
  auto with = [](Json in, const std::string& key, Json value) {
    in[key] = std::move(value);
    return in;
  };
  CHECK(message("grant_access", with(grant, "expiresAt", 1)) == "expiresAt must be in the future");
  CHECK(message("grant_access", with(grant, "expiresAt", 0)) == "expiresAt must be between 1 and " +
                                                                    std::to_string(INT64_MAX));
  CHECK(message("grant_access", with(grant, "userId", "Bob")) ==
        "userId must be an id (24 lowercase letters and digits, starting with a letter)");
  CHECK(message("grant_access", with(grant, "roleId", nullptr)) == "roleId is required");
  const Json invite = {{"actorUserId", kEventuallAdmin}, {"email", "a@example.com"}, {"eventId", t.event},
                       {"roleId", kSpeaker}};
  CHECK(message("invite", with(invite, "email", "not an email")) == "email must be an email address");
  CHECK(message("invite", with(invite, "name", 7)) == "name must be a string");
  CHECK(message("invite", with(invite, "expiresAt", 2)) == "expiresAt must be in the future");
  const Json list = {{"actorUserId", kEventuallAdmin}, {"eventId", t.event}};
  CHECK(message("list_participants", with(list, "limit", 201)) == "limit must be between 1 and 200");
  CHECK(message("list_participants", with(list, "offset", -1)) ==
        "offset must be between 0 and 1000000");
  CHECK(message("list_participants", with(list, "limit", "10")) == "limit must be a number");
  CHECK(message("list_participants", with(list, "limit", 2.5)) == "limit must be a whole number");
  CHECK(message("list_roles", {{"actorUserId", kEventuallAdmin}}) == "accountId is required with an actor");
  CHECK(message("list_roles", {{"accountId", "Nope"}}) ==
        "accountId must be an id (24 lowercase letters and digits, starting with a letter)");
  CHECK(t.db.dump(*t.db.webapp) == before);
}

TEST_CASE("regression: a non-owner organizer cannot grant a role carrying what they lack") {
  Tenant t;
  t.db.ok("define_permission", {{"name", "payouts.manage"}});
  Json treasurer = t.db.ok("define_role", {{"actorUserId", kEventuallAdmin},
                                           {"accountId", kEventuallAccount},
                                           {"name", "treasurer"},
                                           {"permissions", {"payouts.manage"}},
                                           {"inherits", {kAttendee}}});
  const std::string role = treasurer["role"]["id"];
  const std::string before = t.db.dump(*t.db.webapp);
  CHECK(t.db.error_code("grant_access", {{"actorUserId", t.organizer},
                                         {"userId", t.organizer},
                                         {"eventId", t.event},
                                         {"roleId", role}}) == "forbidden");
  CHECK(t.db.dump(*t.db.webapp) == before);
  // The owner may; an organizer may pass on the organizer role itself.
  CHECK(!t.grant(kEventuallAdmin, t.attendee, role).is_null());
  CHECK(!t.grant(t.organizer, t.stranger, kOrganizer).is_null());
}

TEST_CASE("regression: a non-owner organizer cannot revoke a grant the owner made") {
  Tenant t;
  Json owners = t.grant(kEventuallAdmin, t.stranger, kSpeaker);
  CHECK(t.db.error_code("revoke_access", {{"actorUserId", t.organizer},
                                          {"grantId", owners["grant"]["id"]}}) == "forbidden");
  // A moderator cannot revoke at all; an organizer can revoke what they granted.
  Json theirs = t.grant(t.organizer, t.stranger, kAttendee);
  CHECK(t.db.error_code("revoke_access", {{"actorUserId", t.moderator},
                                          {"grantId", theirs["grant"]["id"]}}) == "forbidden");
  CHECK(t.db.ok("revoke_access", {{"actorUserId", t.organizer},
                                  {"grantId", theirs["grant"]["id"]}})["revoked"]["id"] ==
        theirs["grant"]["id"]);
  // Another tenant's grant reads as a missing one.
  CHECK(t.db.error_code("revoke_access", {{"actorUserId", kMomentusAdmin},
                                          {"grantId", owners["grant"]["id"]}}) == "not_found");
  CHECK(t.db.error_code("revoke_access", {{"actorUserId", kMomentusAdmin},
                                          {"grantId", "zzzzzzzzzzzzzzzzzzzzzzzz"}}) == "not_found");
}

TEST_CASE("regression: a grant's expiry must lie ahead, and expired grants list no one") {
  Tenant t;
  CHECK(t.db.error_code("grant_access", {{"actorUserId", kEventuallAdmin},
                                         {"userId", t.stranger},
                                         {"eventId", t.event},
                                         {"roleId", kAttendee},
                                         {"expiresAt", 1000}}) == "invalid_input");
  // Expire the attendee's grant in place; the list no longer shows them.
  REQUIRE(t.db.webapp->query("UPDATE access_grants SET expires_at = 1000 WHERE user_id = ?",
                             {t.attendee})
              .ok());
  Json page = t.db.ok("list_participants", {{"actorUserId", kEventuallAdmin}, {"eventId", t.event}});
  for (const auto& p : page["participants"]) CHECK(p["userId"] != t.attendee);
}

TEST_CASE("regression: account operations answer a holder of an expired grant like a stranger") {
  Tenant t;
  // The attendee's only grant on the account's events is over; the stranger
  // never had one. Neither may know more of the account than the other.
  REQUIRE(t.db.webapp->query("UPDATE access_grants SET expires_at = 1000 WHERE user_id = ?",
                             {t.attendee})
              .ok());
  const std::string before = t.db.dump(*t.db.webapp);
  auto ops = [&](const std::string& actor) {
    const Json account = {{"actorUserId", actor}, {"accountId", kEventuallAccount}};
    Json renamed = account, added = account, removed = account, created = account;
    renamed["name"] = "Pwned";
    added["userId"] = actor;
    removed["userId"] = kEventuallAdmin;
    created["retailer"] = "shopify";
    created["externalAccountId"] = "shop.example";
    created["secretCiphertext"] = std::string(64, 'A');
    return std::vector<std::pair<std::string, Json>>{{"rename_account", renamed},
                                                     {"add_account_owner", added},
                                                     {"remove_account_owner", removed},
                                                     {"list_retailer_connections", account},
                                                     {"create_retailer_connection", created}};
  };
  const auto by_expired = ops(t.attendee);
  const auto by_stranger = ops(t.stranger);
  for (std::size_t i = 0; i < by_expired.size(); ++i) {
    const std::string name = by_expired[i].first;
    INFO(name);
    const Json expired = answer(t.db, name, by_expired[i].second);
    const Json stranger = answer(t.db, name, by_stranger[i].second);
    CHECK(expired["code"] == "not_found");
    CHECK(expired == stranger);
  }
  CHECK(t.db.dump(*t.db.webapp) == before);
  // While the grant runs, its holder sees the account and is told no.
  REQUIRE(t.db.webapp->query("UPDATE access_grants SET expires_at = NULL WHERE user_id = ?",
                             {t.attendee})
              .ok());
  CHECK(t.db.error_code("rename_account", by_expired[0].second) == "forbidden");
}

TEST_CASE("regression: a role inheriting itself is a conflict, like every cycle") {
  testing::TestDatabases db;
  CHECK(db.error_code("add_role_inheritance", {{"roleId", kAttendee}, {"parentRoleId", kAttendee}}) ==
        "conflict");
}

TEST_CASE("regression: another tenant's role reads like a missing one") {
  testing::TestDatabases db;
  Json role = db.ok("define_role", {{"actorUserId", kEventuallAdmin},
                                    {"accountId", kEventuallAccount},
                                    {"name", "vip"},
                                    {"permissions", {"stage.present"}}});
  for (const std::string& id : {role["role"]["id"].get<std::string>(),
                                std::string("zzzzzzzzzzzzzzzzzzzzzzzz")}) {
    CHECK(db.error_code("add_role_permission", {{"actorUserId", kMomentusAdmin},
                                                {"roleId", id},
                                                {"permission", "event.view"}}) == "not_found");
    CHECK(db.error_code("add_role_inheritance", {{"actorUserId", kMomentusAdmin},
                                                 {"roleId", id},
                                                 {"parentRoleId", kAttendee}}) == "not_found");
  }
}

TEST_CASE("regression: explain_permission answers alike for a missing event and another tenant's") {
  Tenant t;
  auto reason = [&](const std::string& event) {
    Json out = t.db.ok("explain_permission", {{"userId", t.stranger},
                                              {"eventId", event},
                                              {"permission", "event.view"}});
    out.erase("permission");
    return dump_json(out);
  };
  CHECK(reason(t.event) == reason("zzzzzzzzzzzzzzzzzzzzzzzz"));
}

TEST_CASE("regression: listing another tenant's account reads like listing a missing one") {
  Tenant t;
  auto answer = [&](const std::string& account) {
    auto out = t.db.call("list_account_events", {{"actorUserId", t.stranger}, {"accountId", account}});
    REQUIRE(!out.ok());
    CHECK(out.error().code_name() == std::string("not_found"));
    return out.error().message().find("not found") != std::string::npos;
  };
  CHECK(answer(kEventuallAccount));
  CHECK(answer("zzzzzzzzzzzzzzzzzzzzzzzz"));
  // Anyone who sees one of its events lists what they see.
  CHECK(t.db.ok("list_account_events", {{"actorUserId", t.attendee}, {"accountId", kEventuallAccount}})
            ["events"].size() == 1);
}

TEST_CASE("a room grant lets its holder see the event and act in that room") {
  Tenant t;
  const std::string user = t.user("roomorg@example.com");
  t.grant(kEventuallAdmin, user, kOrganizer, t.room1);
  CHECK(t.db.ok("get_event", {{"actorUserId", user}, {"id", t.event}})["event"]["id"] == t.event);
  Json first = t.grant(user, t.stranger, kAttendee, t.room1);
  CHECK(first["created"] == true);
  Json again = t.db.ok("grant_access", {{"actorUserId", user},
                                        {"userId", t.stranger},
                                        {"eventId", t.event},
                                        {"roomId", t.room1},
                                        {"roleId", kAttendee}});
  CHECK(again["created"] == false);
  CHECK(again["grant"]["id"] == first["grant"]["id"]);
  CHECK(t.db.error_code("grant_access", {{"actorUserId", user},
                                         {"userId", t.stranger},
                                         {"eventId", t.event},
                                         {"roomId", t.room2},
                                         {"roleId", kAttendee}}) == "forbidden");
}

// --- Role graphs built to make the walks explode --------------------------------

std::string define(testing::TestDatabases& db, const std::string& name,
                   const std::vector<std::string>& parents,
                   std::vector<std::string> permissions = {}) {
  Json in = {{"actorUserId", kEventuallAdmin},
             {"accountId", kEventuallAccount},
             {"name", name},
             {"permissions", permissions},
             {"inherits", parents}};
  return db.ok("define_role", in)["role"]["id"];
}

// Rows the walk used by every check produces for a user on an event: with set
// semantics, exactly the distinct roles reached.
std::pair<std::int64_t, std::int64_t> walk_rows(testing::TestDatabases& db,
                                                const std::string& user,
                                                const std::string& event) {
  const auto held = ops::rbac::held_roles("held", user, ops::rbac::EventRef::value(event),
                                          ops::rbac::RoomScope::of(std::nullopt), 4102444800);
  auto rows = db.webapp->query("WITH RECURSIVE " + held.sql +
                                   " SELECT count(*) AS n, count(DISTINCT role_id) AS d FROM held",
                               held.params);
  REQUIRE(rows.ok());
  return {rows->rows[0][0].as_integer(), rows->rows[0][1].as_integer()};
}

// The reads' bounded work: `can` is one probe of role_reach per grant (its SQL
// walks nothing), and the granted role's rows there are one per permission it
// reaches, at the shortest chain's length.
void check_reads_do_not_walk(testing::TestDatabases& db, const std::string& granted,
                             std::int64_t depth) {
  const auto can = ops::rbac::holds_permission("u", "stage.present",
                                               ops::rbac::EventRef::value("e"), std::nullopt, 0);
  CHECK(can.sql.find("RECURSIVE") == std::string::npos);
  CHECK(can.sql.find("roles_inheritances") == std::string::npos);
  auto rows = db.webapp->query(
      "SELECT count(*), max(distance) FROM role_reach WHERE role_id = ?", {granted});
  REQUIRE(rows.ok());
  const std::int64_t reached = rows->rows[0][0].as_integer();
  const std::int64_t distance = rows->rows[0][1].as_integer();
  CHECK(reached == 1);
  CHECK(distance == depth);
}

TEST_CASE("a layered-diamond role graph is walked once per role") {
  Tenant t;
  // Layers of two, each role inheriting both roles of the layer below it:
  // 2^16 paths from the top to the bottom, 34 roles.
  std::vector<std::string> below;
  for (int layer = ops::rbac::kMaxInheritanceDepth; layer >= 0; --layer) {
    std::vector<std::string> here;
    for (int i = 0; i < 2; ++i) {
      here.push_back(define(t.db, "d" + std::to_string(layer) + "_" + std::to_string(i), below,
                            layer == ops::rbac::kMaxInheritanceDepth
                                ? std::vector<std::string>{"stage.present"}
                                : std::vector<std::string>{}));
    }
    below = here;
  }
  // One layer more would be deeper than the limit.
  CHECK(t.db.error_code("define_role", {{"actorUserId", kEventuallAdmin},
                                        {"accountId", kEventuallAccount},
                                        {"name", "too_deep"},
                                        {"inherits", below}}) == "conflict");
  t.grant(kEventuallAdmin, t.stranger, below[0]);
  const auto [rows, distinct] = walk_rows(t.db, t.stranger, t.event);
  CHECK(rows == distinct);
  CHECK(distinct == 2 * (ops::rbac::kMaxInheritanceDepth + 1) - 1);
  CHECK(t.db.ok("can", {{"userId", t.stranger}, {"eventId", t.event}, {"permission", "stage.present"}})
            ["allowed"] == true);
  Json why = t.db.ok("explain_permission",
                     {{"userId", t.stranger}, {"eventId", t.event}, {"permission", "stage.present"}});
  CHECK(why["allowed"] == true);
  CHECK(why["path"].size() == static_cast<std::size_t>(ops::rbac::kMaxInheritanceDepth + 1));
  check_reads_do_not_walk(t.db, below[0], ops::rbac::kMaxInheritanceDepth);
  const auto held = t.permissions(t.stranger);
  CHECK(held.size() == 1);
  CHECK(held.count("stage.present") == 1);
}

TEST_CASE("the widest fan-out allowed is walked once per role") {
  Tenant t;
  // 200 roles (kMaxRolesPerAccount): a bottom layer of 19, 9 layers of 20
  // and one granted role, each role inheriting every role of the layer below
  // (kMaxParentsPerRole): 20^8 * 19 paths from the top, depth 10.
  const int parents = static_cast<int>(ops::rbac::kMaxParentsPerRole);
  const int total = static_cast<int>(ops::rbac::kMaxRolesPerAccount);
  std::vector<int> layers{total - 1 - 9 * parents};
  for (int i = 0; i < 9; ++i) layers.push_back(parents);
  layers.push_back(1);
  std::vector<std::string> below;
  for (std::size_t layer = 0; layer < layers.size(); ++layer) {
    std::vector<std::string> here;
    for (int i = 0; i < layers[layer]; ++i) {
      here.push_back(define(t.db, "f" + std::to_string(layer) + "_" + std::to_string(i), below,
                            layer == 0 ? std::vector<std::string>{"stage.present"}
                                       : std::vector<std::string>{}));
    }
    below = here;
  }
  // The account is full, and the top role has all the parents it may.
  CHECK(t.db.error_code("define_role", {{"actorUserId", kEventuallAdmin},
                                        {"accountId", kEventuallAccount},
                                        {"name", "one_more"}}) == "conflict");
  t.grant(kEventuallAdmin, t.stranger, below[0]);
  const auto [rows, distinct] = walk_rows(t.db, t.stranger, t.event);
  const std::int64_t walked = rows;
  const std::int64_t reached = distinct;
  CHECK(walked == reached);
  CHECK(reached == total);
  CHECK(t.db.ok("can", {{"userId", t.stranger}, {"eventId", t.event}, {"permission", "stage.present"}})
            ["allowed"] == true);
  Json why = t.db.ok("explain_permission",
                     {{"userId", t.stranger}, {"eventId", t.event}, {"permission", "stage.present"}});
  CHECK(why["allowed"] == true);
  CHECK(why["path"].size() == layers.size());
  check_reads_do_not_walk(t.db, below[0], static_cast<std::int64_t>(layers.size()) - 1);
  CHECK(t.permissions(t.stranger) == std::set<std::string>{"stage.present"});
}

TEST_CASE("a chain may be as deep as the limit and no deeper, and a cycle is refused at any depth") {
  testing::TestDatabases db;
  std::vector<std::string> chain{define(db, "c0", {})};
  for (int i = 1; i <= ops::rbac::kMaxInheritanceDepth; ++i) {
    chain.push_back(define(db, "c" + std::to_string(i), {}));
    CHECK(db.ok("add_role_inheritance", {{"actorUserId", kEventuallAdmin},
                                         {"roleId", chain[i - 1]},
                                         {"parentRoleId", chain[i]}})["added"] == true);
  }
  const std::string extra = define(db, "extra", {});
  CHECK(db.error_code("add_role_inheritance", {{"actorUserId", kEventuallAdmin},
                                               {"roleId", chain.back()},
                                               {"parentRoleId", extra}}) == "conflict");
  CHECK(db.error_code("add_role_inheritance", {{"actorUserId", kEventuallAdmin},
                                               {"roleId", extra},
                                               {"parentRoleId", chain.front()}}) == "conflict");
  auto closing = db.call("add_role_inheritance", {{"actorUserId", kEventuallAdmin},
                                                   {"roleId", chain.back()},
                                                   {"parentRoleId", chain.front()}});
  REQUIRE(!closing.ok());
  CHECK(closing.error().code_name() == std::string("conflict"));
  CHECK(closing.error().message().find("cycle") != std::string::npos);

  // A chain deeper than any write allows (as older data may hold), written
  // behind the core's back: the cycle check still sees its far end.
  std::string previous = define(db, "legacy0", {});
  const std::string first = previous;
  for (int i = 1; i < 40; ++i) {
    const std::string next = define(db, "legacy" + std::to_string(i), {});
    REQUIRE(db.webapp->query("INSERT INTO roles_inheritances (id, role_id, parent_role_id, "
                             "created_at) VALUES (?, ?, ?, 1)",
                             {"legacyedge" + std::string(14 - std::to_string(i).size(), '0') +
                                  std::to_string(i),
                              previous, next})
                .ok());
    previous = next;
  }
  auto legacy = db.call("add_role_inheritance", {{"actorUserId", kEventuallAdmin},
                                                  {"roleId", previous},
                                                  {"parentRoleId", first}});
  REQUIRE(!legacy.ok());
  CHECK(legacy.error().message().find("cycle") != std::string::npos);
}

TEST_CASE("a role has at most kMaxParentsPerRole parents, an account kMaxRolesPerAccount roles") {
  testing::TestDatabases db;
  std::vector<std::string> parents;
  for (std::size_t i = 0; i < ops::rbac::kMaxParentsPerRole; ++i) {
    parents.push_back(define(db, "p" + std::to_string(i), {}));
  }
  const std::string wide = define(db, "wide", parents);
  const std::string one_more = define(db, "one_more", {});
  CHECK(db.error_code("add_role_inheritance", {{"actorUserId", kEventuallAdmin},
                                               {"roleId", wide},
                                               {"parentRoleId", one_more}}) == "conflict");
  auto n = db.webapp->query("SELECT count(*) FROM roles WHERE account_id = ?", {kEventuallAccount});
  for (auto i = n->rows[0][0].as_integer(); i < static_cast<std::int64_t>(ops::rbac::kMaxRolesPerAccount);
       ++i) {
    define(db, "filler" + std::to_string(i), {});
  }
  CHECK(db.error_code("define_role", {{"actorUserId", kEventuallAdmin},
                                      {"accountId", kEventuallAccount},
                                      {"name", "past_the_limit"}}) == "conflict");
}

// --- Credentials and scopes, enforced in the core --------------------------------

std::string api_key(testing::TestDatabases& db, const std::string& user, Json scopes) {
  return db.ok("create_api_key", {{"userId", user}, {"name", "k"}, {"scopes", scopes}})["key"];
}

TEST_CASE("regression: an API key runs only what its scopes name, and mints no wider key") {
  testing::TestDatabases db;
  const std::string key = api_key(db, kEventuallAdmin, {"events:read"});
  const Json auth = {{"apiKey", key}};
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("create_event", {{"auth", auth}, {"accountId", kEventuallAccount}, {"name", "x"}}) ==
        "forbidden");
  CHECK(db.error_code("create_api_key", {{"auth", auth}, {"name", "wider"}, {"scopes", {"events:write"}}}) ==
        "forbidden");
  CHECK(db.error_code("create_api_key", {{"auth", auth}, {"name", "all"}, {"scopes", {"admin:all"}}}) ==
        "forbidden");  // no keys:write: refused before the scope is even read
  CHECK(db.error_code("create_session", {{"auth", auth}, {"ttlSeconds", 365 * 86400}}) == "forbidden");
  CHECK(db.error_code("revoke_user_sessions", {{"auth", auth}}) == "forbidden");
  CHECK(db.error_code("define_permission", {{"auth", auth}, {"name", "x.y"}}) == "forbidden");
  // Only the last_used_at stamp of the key changed.
  auto stamp = db.webapp->query("UPDATE mcp_api_keys SET last_used_at = NULL");
  REQUIRE(stamp.ok());
  CHECK(db.dump(*db.webapp) == before);

  // Within its scopes it acts as its user, whatever actorUserId the body names.
  Json mine = db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                                     {"accountId", kEventuallAccount},
                                     {"name", "Mine"}});
  CHECK(db.ok("get_event", {{"auth", auth}, {"actorUserId", kMomentusAdmin}, {"id", mine["event"]["id"]}})
            ["event"]["id"] == mine["event"]["id"]);
  // A key with keys:write mints only within what it holds; no scope is a wildcard.
  const Json minting = {{"apiKey", api_key(db, kEventuallAdmin, {"keys:write", "events:read"})}};
  CHECK(db.ok("create_api_key", {{"auth", minting}, {"name", "narrow"}, {"scopes", {"events:read"}}})
            ["apiKey"]["userId"] == kEventuallAdmin);
  CHECK(db.error_code("create_api_key", {{"auth", minting}, {"name", "w"}, {"scopes", {"events:write"}}}) ==
        "forbidden");
  CHECK(db.error_code("create_api_key", {{"userId", kEventuallAdmin}, {"name", "w"}, {"scopes", {"admin:all"}}}) ==
        "invalid_input");
  // Acting on someone else is refused.
  CHECK(db.error_code("create_api_key", {{"auth", minting}, {"userId", kMomentusAdmin}, {"name", "x"},
                                         {"scopes", {"events:read"}}}) == "forbidden");
}

TEST_CASE("anonymous callers reach only public operations; sessions reach no administrative one") {
  testing::TestDatabases db;
  const Json anonymous = {{"anonymous", true}};
  CHECK(db.error_code("create_event", {{"auth", anonymous}, {"accountId", kEventuallAccount}, {"name", "x"}}) ==
        "unauthenticated");
  CHECK(db.error_code("get_user", {{"auth", anonymous}, {"id", kEventuallAdmin}}) == "unauthenticated");
  CHECK(db.error_code("create_event", {{"auth", {{"sessionToken", "nope"}}}, {"accountId", kEventuallAccount},
                                       {"name", "x"}}) == "unauthenticated");
  CHECK(db.error_code("create_event", {{"auth", {{"sessionToken", "a"}, {"apiKey", "b"}}}}) == "invalid_input");
  const std::string token = db.ok("create_session", {{"userId", kEventuallAdmin}})["token"];
  const Json session = {{"sessionToken", token}};
  CHECK(db.error_code("define_permission", {{"auth", session}, {"name", "x.y"}}) == "forbidden");
  CHECK(db.error_code("get_user", {{"auth", session}, {"id", kMomentusAdmin}}) == "forbidden");
  CHECK(db.ok("get_user", {{"auth", session}})["user"]["id"] == kEventuallAdmin);
  // A user the trusted caller authenticated itself (the RPC service) is held
  // to the same policy.
  const Json asserted = {{"user", kEventuallAdmin}};
  CHECK(db.error_code("define_permission", {{"auth", asserted}, {"name", "x.y"}}) == "forbidden");
  CHECK(db.error_code("get_user", {{"auth", asserted}, {"id", kMomentusAdmin}}) == "forbidden");
  CHECK(db.ok("get_user", {{"auth", asserted}})["user"]["id"] == kEventuallAdmin);
  CHECK(db.error_code("get_user", {{"auth", {{"user", "not an id"}}}}) == "invalid_input");
}

TEST_CASE("regression: signing out everywhere ends sessions and login tokens, not API keys") {
  testing::TestDatabases db;
  const std::string token = db.ok("create_session", {{"userId", kEventuallAdmin}})["token"];
  const std::string login = db.ok("issue_login_token", {{"userId", kEventuallAdmin}})["token"];
  const std::string key = api_key(db, kEventuallAdmin, {"events:read"});
  Json out = db.ok("revoke_user_sessions", {{"auth", {{"sessionToken", token}}}});
  CHECK(out["revoked"] == 1);
  CHECK(out["loginTokensRevoked"] == 1);
  CHECK(db.error_code("validate_session", {{"token", token}}) == "unauthenticated");
  CHECK(db.error_code("consume_login_token", {{"token", login}}) == "unauthenticated");
  // API keys are revoked one by one (revoke_api_key): still live here.
  CHECK(db.ok("authenticate_api_key", {{"key", key}})["user"]["id"] == kEventuallAdmin);
}

// --- The escalation search ---------------------------------------------------------

// Random sequences of rights-changing operations by non-owner actors, from a
// seeded state with two tenants. After every step, every live grant that a
// non-owner conferred carries only permissions an owner conferred at that
// scope (the ceiling the owners set: non-owners can only pass on subsets), and
// no role of the catalog changed. Steps: EVENTUALL_ESCALATION_STEPS (default 10,000).
TEST_CASE("escalation search: non-owners never confer beyond what they hold") {
  Tenant t;
  t.db.ok("define_permission", {{"name", "payouts.manage"}});
  const std::string treasurer = define(t.db, "treasurer", {kAttendee}, {"payouts.manage"});
  const std::string backstage = define(t.db, "backstage", {kSpeaker}, {"participants.view"});
  // A second tenant with an event and a role of its own.
  Json other = t.db.ok("create_event", {{"actorUserId", kMomentusAdmin},
                                        {"accountId", "seedaccountmomentus00001"},
                                        {"name", "Other"},
                                        {"rooms", {{{"name", "Hall"}}}}});
  const std::string other_event = other["event"]["id"];
  const std::string other_room = other["rooms"][0]["id"];
  const std::string other_role =
      t.db.ok("define_role", {{"actorUserId", kMomentusAdmin},
                              {"accountId", "seedaccountmomentus00001"},
                              {"name", "crew"},
                              {"permissions", {"grant.manage", "event.manage"}}})["role"]["id"];
  t.grant(kEventuallAdmin, t.attendee, backstage, t.room2);

  const std::vector<std::string> actors = {t.moderator, t.room_moderator, t.organizer, t.attendee,
                                           t.stranger, kMomentusAdmin};
  const std::vector<std::string> events = {t.event, other_event};
  const std::vector<std::optional<std::string>> rooms = {std::nullopt, t.room1, t.room2, other_room};
  const std::vector<std::string> roles = {kAttendee, kSpeaker,   kModerator, kOrganizer,
                                          treasurer, backstage, other_role};
  const std::vector<std::string> emails = {"mod@example.com", "org@example.com", "new1@example.com",
                                           "new2@example.com", "att@example.com"};
  std::set<std::string> owners = {kEventuallAdmin, kMomentusAdmin};

  // (event, room or "", permission) that some non-owner holds at the start.
  const std::string grant_permissions_sql =
      "WITH RECURSIVE reach(grant_id, role_id) AS (SELECT g.id, g.role_id FROM access_grants g "
      "WHERE g.expires_at IS NULL OR g.expires_at > unixepoch() UNION SELECT reach.grant_id, "
      "ri.parent_role_id FROM roles_inheritances ri JOIN reach ON ri.role_id = reach.role_id) "
      "SELECT DISTINCT g.event_id, coalesce(g.room_id, ''), p.name, coalesce(g.granted_by_user_id, '') "
      "FROM reach JOIN access_grants g ON g.id = reach.grant_id "
      "JOIN role_to_permissions rp ON rp.role_id = reach.role_id "
      "JOIN permissions p ON p.id = rp.permission_id";
  using Held = std::tuple<std::string, std::string, std::string>;
  // The ceiling: every (event, room or "", permission) an owner has ever
  // conferred (event-wide counting on every room). It only grows: the owner
  // of the second tenant acts too, on its own event as an owner.
  std::set<Held> ceiling;
  auto raise_ceiling = [&](const sql::ResultSet& rows) {
    for (const auto& row : rows.rows) {
      if (!owners.count(row[3].as_text())) continue;
      ceiling.insert({row[0].as_text(), row[1].as_text(), row[2].as_text()});
      if (!row[1].as_text().empty()) continue;
      for (const auto& r : rooms) {
        if (r) ceiling.insert({row[0].as_text(), *r, row[2].as_text()});
      }
    }
  };
  // Platform roles and the first tenant's (whose owner never acts here).
  const std::string catalog_sql =
      "SELECT (SELECT group_concat(role_id || '>' || permission_id) FROM (SELECT * FROM "
      "role_to_permissions WHERE role_id IN (SELECT id FROM roles WHERE account_id IS NULL OR "
      "account_id = 'seedaccounteventuall0001') ORDER BY 1)) || '|' || (SELECT "
      "group_concat(role_id || '>' || parent_role_id) FROM (SELECT * FROM roles_inheritances "
      "WHERE role_id IN (SELECT id FROM roles WHERE account_id IS NULL OR account_id = "
      "'seedaccounteventuall0001') ORDER BY 1))";
  auto catalog = [&] {
    auto rows = t.db.webapp->query(catalog_sql);
    REQUIRE(rows.ok());
    return rows->rows[0][0].as_text();
  };
  const std::string catalog_before = catalog();

  // scripts/reliability.sh escalation runs longer, with a seed of its own.
  const char* configured = std::getenv("EVENTUALL_ESCALATION_STEPS");
  const int steps = configured ? std::atoi(configured) : 10'000;
  const char* seeded = std::getenv("EVENTUALL_ESCALATION_SEED");
  const auto seed = static_cast<std::uint32_t>(seeded ? std::strtoul(seeded, nullptr, 10) : 20261201);
  std::mt19937 random(seed);
  auto pick = [&](const auto& pool) { return pool[random() % pool.size()]; };
  std::vector<std::string> grant_ids;
  int tried = 0, refused = 0, violations = 0;
  for (int step = 0; step < steps; ++step) {
    const std::string actor = pick(actors);
    const std::string event = pick(events);
    const auto room = pick(rooms);
    Json in = {{"actorUserId", actor}, {"eventId", event}, {"roleId", pick(roles)}};
    if (room) in["roomId"] = *room;
    std::string op;
    switch (random() % 9) {
      case 0:
      case 1:
        op = "grant_access";
        in["userId"] = pick(actors);
        break;
      case 2:
        op = "invite";
        in["email"] = pick(emails);
        break;
      case 3:
        op = "revoke_access";
        in = {{"actorUserId", actor},
              {"grantId", grant_ids.empty() ? std::string(24, 'z') : pick(grant_ids)}};
        break;
      case 4:
        op = "add_role_permission";
        in = {{"actorUserId", actor}, {"roleId", pick(roles)}, {"permission", "payouts.manage"}};
        break;
      case 5:
        op = "add_role_inheritance";
        in = {{"actorUserId", actor}, {"roleId", pick(roles)}, {"parentRoleId", pick(roles)}};
        break;
      case 6:
        // Accepting claims what was invited to a verified email.
        op = "accept_invitations";
        in = {{"actorUserId", actor}};
        break;
      case 7:
        // Removals never raise anyone, and are the owners' alone.
        op = pick(std::vector<std::string>{"remove_role_permission", "remove_role_inheritance",
                                           "delete_role"});
        in = {{"actorUserId", actor},
              {"roleId", pick(roles)},
              {"permission", "stage.present"},
              {"parentRoleId", pick(roles)},
              {"revokeGrants", true}};
        break;
      default:
        // Signing up as an invited address claims what was invited.
        op = "sign_up";
        in = {{"email", pick(emails)}, {"name", "Claimer"}};
        break;
    }
    ++tried;
    auto outcome = t.db.call(op, in);
    if (!outcome.ok()) {
      ++refused;
      const std::string code(outcome.error().code_name());
      CHECK_MESSAGE(code != "internal", op, " ", outcome.error().message());
      CHECK_MESSAGE(code != "db_error", op, " ", outcome.error().message());
    } else if (op == "grant_access") {
      grant_ids.push_back((*outcome)["grant"]["id"]);
    }
    if (step % 97 == 0 && !grant_ids.empty()) {
      auto all = t.db.webapp->query("SELECT id FROM access_grants ORDER BY random() LIMIT 3");
      for (const auto& row : all->rows) grant_ids.push_back(row[0].as_text());
    }

    auto rows = t.db.webapp->query(grant_permissions_sql);
    REQUIRE(rows.ok());
    raise_ceiling(*rows);
    for (const auto& row : rows->rows) {
      if (owners.count(row[3].as_text())) continue;  // owners are exempt
      if (!ceiling.count({row[0].as_text(), row[1].as_text(), row[2].as_text()})) {
        ++violations;
        FAIL_CHECK("step " << step << " (" << op << " " << dump_json(in) << "): " << row[2].as_text()
                           << " conferred by " << row[3].as_text() << " on " << row[0].as_text()
                           << "/" << row[1].as_text());
      }
    }
    if (catalog() != catalog_before) {
      ++violations;
      FAIL_CHECK("step " << step << " (" << op << "): the role catalog changed");
    }
    if (violations) break;
  }
  MESSAGE("escalation search (seed " << seed << "): " << tried << " steps tried (" << refused
                                     << " refused), "
                                << violations << " violations, " << grant_ids.size()
                                << " grants made or seen");
  CHECK(violations == 0);
}

}  // namespace
}  // namespace eventuall
