// Identity natively: provider sign-in (find-or-create, race-safe), email
// verification, the claim of pending invitations (only by a verified email),
// sessions, MCP login tokens and MCP API keys. Every
// refusal writes nothing (database dumps before and after are equal).
#include <chrono>

#include "common/encoding.h"
#include "crypto/sha256.h"
#include "identity_support.h"
#include "ops/identity/user_creation.h"

namespace eventuall {
namespace {

using testing::scalar;

std::string sha256_hex(const std::string& s) {
  return to_hex(crypto::sha256(s));
}

Json google(const std::string& account, const std::string& email, const std::string& name = "G") {
  return {{"provider", "google"}, {"providerAccountId", account}, {"email", email}, {"name", name}};
}

// The same sign-in, the provider vouching for the email.
Json google_verified(const std::string& account, const std::string& email,
                     const std::string& name = "G") {
  Json out = google(account, email, name);
  out["emailVerified"] = true;
  return out;
}

// --- provider sign-in ---------------------------------------------------------

TEST_CASE("sign in with a provider creates, then finds, the same user") {
  testing::TestDatabases db;
  auto first = db.ok("sign_in_with_provider", google("g-1", "Lin@Example.com", "Lin"));
  CHECK(first["created"] == true);
  CHECK(first["linked"] == true);
  CHECK(first["user"]["email"] == "lin@example.com");
  CHECK(first["account"]["kind"] == "personal");
  CHECK(first["claimedGrants"] == 0);
  const std::string user_id = first["user"]["id"];
  CHECK(scalar(*db.webapp,
               "SELECT count(*) FROM account_ownership WHERE user_id = ? AND account_id = ?",
               {user_id, first["account"]["id"].get<std::string>()})
            .as_integer() == 1);

  const std::string before = db.dump(*db.webapp);
  auto again = db.ok("sign_in_with_provider", google("g-1", "lin@example.com", "Other Name"));
  CHECK(again["created"] == false);
  CHECK(again["linked"] == false);
  CHECK_FALSE(again.contains("account"));
  CHECK(again["user"] == first["user"]);
  CHECK(db.dump(*db.webapp) == before);

  // The identity decides, not the email it reports now.
  auto moved = db.ok("sign_in_with_provider", google("g-1", "new-address@example.com"));
  CHECK(moved["user"]["id"] == user_id);
  CHECK(db.webapp_count("users") == 4);
}

TEST_CASE("sign in with a new identity for a known email links the existing user") {
  testing::TestDatabases db;
  auto signed_up = testing::verified_sign_up(db, {{"email", "mae@example.com"}, {"name", "Mae"}});
  const std::string user_id = signed_up["user"]["id"];
  // Only if the provider vouches for the email: otherwise conflict, nothing written.
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("sign_in_with_provider", {{"provider", "github"},
                                                {"providerAccountId", "4242"},
                                                {"email", "MAE@example.com"}}) == "conflict");
  CHECK(db.dump(*db.webapp) == before);
  auto via_github = db.ok("sign_in_with_provider", {{"provider", "github"},
                                                    {"providerAccountId", "4242"},
                                                    {"email", "MAE@example.com"},
                                                    {"emailVerified", true}});
  CHECK(via_github["created"] == false);
  CHECK(via_github["linked"] == true);
  CHECK(via_github["user"]["id"] == user_id);
  CHECK(db.webapp_count("users") == 4);
  CHECK(db.webapp_count("accounts") == 4);
  CHECK(scalar(*db.webapp, "SELECT user_id FROM user_providers WHERE provider = 'github'")
            .as_text() == user_id);

  // Without a name, a new user is named after the email's local part.
  auto unnamed = db.ok(
      "sign_in_with_provider",
      {{"provider", "discord"}, {"providerAccountId", "d1"}, {"email", "quiet.one@example.com"}});
  CHECK(unnamed["created"] == true);
  CHECK(unnamed["user"]["name"] == "quiet.one");
}

TEST_CASE("concurrent first sign-ins of one identity end with one user") {
  testing::TestDatabases db;
  std::vector<Json> inputs(20, google("race-1", "race@example.com", "Racer"));
  auto outcomes = testing::run_interleaved(db, "sign_in_with_provider", inputs, testing::wall_ms());
  int created = 0;
  std::set<std::string> users;
  for (auto& o : outcomes) {
    REQUIRE(o.ok());
    created += o.value()["created"].get<bool>() ? 1 : 0;
    users.insert(o.value()["user"]["id"].get<std::string>());
  }
  CHECK(created == 1);
  CHECK(users.size() == 1);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM users WHERE email = 'race@example.com'")
            .as_integer() == 1);
  CHECK(db.webapp_count("user_providers") == 1);
  CHECK(db.webapp_count("accounts") == 4);
  CHECK(db.webapp_count("account_ownership") == 4);

  // The same identity racing a plain sign-up of its email: still one user.
  testing::TestDatabases db2;
  std::vector<Json> mixed;
  for (int i = 0; i < 10; ++i) mixed.push_back(google_verified("race-2", "both@example.com"));
  auto a = testing::run_interleaved(db2, "sign_in_with_provider", mixed, testing::wall_ms());
  auto b = db2.call("sign_up", {{"email", "both@example.com"}, {"name", "Both"}});
  CHECK_FALSE(b.ok());
  CHECK(scalar(*db2.webapp, "SELECT count(*) FROM users WHERE email = 'both@example.com'")
            .as_integer() == 1);
}

TEST_CASE("bad provider sign-in input is refused before any write") {
  testing::TestDatabases db;
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("sign_in_with_provider",
                      {{"provider", "myspace"}, {"providerAccountId", "1"}, {"email", "a@b.co"}}) ==
        "invalid_input");
  CHECK(db.error_code("sign_in_with_provider", {{"providerAccountId", "1"}, {"email", "a@b.co"}}) ==
        "invalid_input");
  CHECK(db.error_code("sign_in_with_provider", {{"provider", "google"}, {"email", "a@b.co"}}) ==
        "invalid_input");
  CHECK(db.error_code("sign_in_with_provider",
                      {{"provider", "google"}, {"providerAccountId", 7}, {"email", "a@b.co"}}) ==
        "invalid_input");
  CHECK(db.error_code("sign_in_with_provider",
                      {{"provider", "google"}, {"providerAccountId", "1"}, {"email", ""}}) ==
        "invalid_input");
  CHECK(db.error_code("sign_in_with_provider",
                      {{"provider", "google"}, {"providerAccountId", "1"}, {"email", "nope"}}) ==
        "invalid_input");
  CHECK(db.error_code("sign_in_with_provider", {{"provider", "google"},
                                                {"providerAccountId", "1"},
                                                {"email", "a@b.co"},
                                                {"birthdate", "1999-02-30"}}) == "invalid_input");
  CHECK(db.error_code("sign_in_with_provider", Json::array()) == "invalid_input");
  CHECK(db.dump(*db.webapp) == before);
}

TEST_CASE("link and unlink providers") {
  testing::TestDatabases db;
  const std::string user = "seedusermomentus00000001";
  auto linked = db.ok("link_provider",
                      {{"userId", user}, {"provider", "github"}, {"providerAccountId", "77"}});
  CHECK(linked["provider"]["userId"] == user);
  CHECK(linked["claimedGrants"] == 0);
  auto signed_in = db.ok(
      "sign_in_with_provider",
      {{"provider", "github"}, {"providerAccountId", "77"}, {"email", "whoever@example.com"}});
  CHECK(signed_in["user"]["id"] == user);
  CHECK(signed_in["created"] == false);

  const std::string before = db.dump(*db.webapp);
  // Linked already, to this user or another: conflict.
  CHECK(db.error_code("link_provider",
                      {{"userId", user}, {"provider", "github"}, {"providerAccountId", "77"}}) ==
        "conflict");
  CHECK(db.error_code("link_provider", {{"userId", "seedusersgblaise00000001"},
                                        {"provider", "github"},
                                        {"providerAccountId", "77"}}) == "conflict");
  CHECK(db.error_code("link_provider", {{"userId", "nosuchuseraaaaaaaaaaaaaa"},
                                        {"provider", "github"},
                                        {"providerAccountId", "78"}}) == "not_found");
  CHECK(db.error_code("link_provider", {{"userId", "bad id"},
                                        {"provider", "github"},
                                        {"providerAccountId", "78"}}) == "invalid_input");
  CHECK(db.error_code("link_provider",
                      {{"userId", user}, {"provider", "github"}, {"providerAccountId", ""}}) ==
        "invalid_input");
  CHECK(db.error_code("unlink_provider", {{"userId", user}, {"provider", "google"}}) ==
        "not_found");
  CHECK(db.error_code("unlink_provider",
                      {{"userId", user}, {"provider", "github"}, {"providerAccountId", "76"}}) ==
        "not_found");
  CHECK(db.error_code("unlink_provider", {{"userId", "seedusersgblaise00000001"},
                                          {"provider", "github"}}) == "not_found");
  CHECK(db.error_code("unlink_provider", {{"userId", user}, {"provider", 3}}) == "invalid_input");
  CHECK(db.dump(*db.webapp) == before);

  // Unlinking the last provider is allowed (documented in unlink_provider.cpp).
  auto unlinked = db.ok("unlink_provider", {{"userId", user}, {"provider", "github"}});
  REQUIRE(unlinked["unlinked"].size() == 1);
  CHECK(unlinked["unlinked"][0]["providerAccountId"] == "77");
  CHECK(db.webapp_count("user_providers") == 0);
  // After unlinking, the identity signs in as the user with its email (new).
  auto fresh = db.ok(
      "sign_in_with_provider",
      {{"provider", "github"}, {"providerAccountId", "77"}, {"email", "whoever@example.com"}});
  CHECK(fresh["created"] == true);
}

// --- claim of pending invitations ------------------------------------------------

TEST_CASE("verify_email claims the email's pending invitations in the same batch") {
  testing::TestDatabases db;
  auto s = testing::make_event(*db.webapp);
  testing::exec(
      *db.webapp,
      "INSERT INTO orders (id, event_id, retailer, external_order_id, buyer_email, currency) "
      "VALUES ('orderclaimaaaaaaaaaaaaaa', '" +
          s.event + "', 'shopify', 'ext-1', 'ivy@example.com', 'USD')");
  testing::invite(*db.webapp, s, "profileivyaaaaaaaaaaaaaa", "ivy@example.com",
                  {{"invitationeventaaaaaaaaa", "", s.role},
                   {"invitationroomaaaaaaaaaaa", s.room, s.other_role, "pending", -1,
                    "orderclaimaaaaaaaaaaaaaa"},
                   {"invitationexpiredaaaaaaaa", "", s.other_role, "pending", 1000},
                   {"invitationrevokedaaaaaaaa", s.room, s.role, "revoked"}});
  testing::invite(*db.webapp, s, "profileotheraaaaaaaaaaaa", "other@example.com",
                  {{"invitationotheraaaaaaaaaa", "", s.role}});

  // Signing up proves nothing: no claim until the token comes back.
  auto signed_up = db.ok("sign_up", {{"email", "Ivy@Example.com"}, {"name", "Ivy"}});
  CHECK_FALSE(signed_up.contains("claimedGrants"));
  CHECK(signed_up["user"]["emailVerifiedAt"].is_null());
  CHECK(db.webapp_count("access_grants") == 0);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM invitations WHERE status = 'accepted'")
            .as_integer() == 0);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM orders WHERE user_id IS NOT NULL").as_integer() ==
        0);
  auto result = db.ok("verify_email", {{"token", signed_up["verification"]["token"]}});
  CHECK(result["claimedGrants"] == 2);
  CHECK_FALSE(result["user"]["emailVerifiedAt"].is_null());
  const std::string user_id = result["user"]["id"];
  CHECK(user_id == signed_up["user"]["id"]);
  CHECK(scalar(*db.webapp, "SELECT user_id FROM orders WHERE id = 'orderclaimaaaaaaaaaaaaaa'")
            .as_text() == user_id);

  auto grants = db.webapp->query(
      "SELECT id, user_id, event_id, room_id, role_id, source, order_id, granted_by_user_id "
      "FROM access_grants ORDER BY id");
  REQUIRE(grants.ok());
  REQUIRE(grants->rows.size() == 2);
  // The grant id is the invitation id.
  CHECK(grants->rows[0][0].as_text() == "invitationeventaaaaaaaaa");
  CHECK(grants->rows[0][3].is_null());
  CHECK(grants->rows[1][0].as_text() == "invitationroomaaaaaaaaaaa");
  CHECK(grants->rows[1][3].as_text() == s.room);
  CHECK(grants->rows[1][6].as_text() == "orderclaimaaaaaaaaaaaaaa");
  // An order's invitation becomes an order grant, so a refund revokes it.
  CHECK(grants->rows[0][5].as_text() == "invitation");
  CHECK(grants->rows[1][5].as_text() == "order");
  for (const auto& g : grants->rows) {
    CHECK(g[1].as_text() == user_id);
    CHECK(g[7].as_text() == "seedusereventuall0000001");
  }
  CHECK(scalar(*db.webapp,
               "SELECT group_concat(id || ':' || status, ',') FROM (SELECT * FROM invitations "
               "ORDER BY id)")
            .as_text() ==
        "invitationeventaaaaaaaaa:accepted,invitationexpiredaaaaaaaa:pending,"
        "invitationotheraaaaaaaaaa:pending,invitationrevokedaaaaaaaa:revoked,"
        "invitationroomaaaaaaaaaaa:accepted");
  CHECK(scalar(
            *db.webapp,
            "SELECT claimed_by_user_id FROM pending_profiles WHERE id = 'profileivyaaaaaaaaaaaaaa'")
            .as_text() == user_id);
  CHECK(scalar(*db.webapp,
               "SELECT claimed_by_user_id IS NULL FROM pending_profiles WHERE id = "
               "'profileotheraaaaaaaaaaaa'")
            .as_integer() == 1);

  // Claiming again (a provider linked later) grants nothing twice.
  auto linked = db.ok("link_provider",
                      {{"userId", user_id}, {"provider", "google"}, {"providerAccountId", "ivy"}});
  CHECK(linked["claimedGrants"] == 0);
  CHECK(db.webapp_count("access_grants") == 2);
}

TEST_CASE(
    "sign in with a provider and link_provider claim invitations when the email is verified") {
  testing::TestDatabases db;
  auto s = testing::make_event(*db.webapp);
  testing::invite(*db.webapp, s, "profilenewaaaaaaaaaaaaaa", "new@example.com",
                  {{"invitationnewaaaaaaaaaaa", "", s.role}});
  // The provider does not vouch for the email: a user, but no claim.
  auto unproven = db.ok("sign_in_with_provider", google("g-new", "new@example.com"));
  CHECK(unproven["created"] == true);
  CHECK(unproven["claimedGrants"] == 0);
  CHECK(unproven["user"]["emailVerifiedAt"].is_null());
  CHECK(db.webapp_count("access_grants") == 0);
  // The same identity later, vouched for: verified and claimed.
  auto created = db.ok("sign_in_with_provider", google_verified("g-new", "new@example.com"));
  CHECK(created["created"] == false);
  CHECK(created["claimedGrants"] == 1);
  CHECK_FALSE(created["user"]["emailVerifiedAt"].is_null());

  // An invitation to an existing user's email is claimed when they link a
  // provider that vouches for that email, and only then.
  testing::invite(*db.webapp, s, "profileadminaaaaaaaaaaaa", "admin@momentus.example",
                  {{"invitationadminaaaaaaaaa", s.room, s.role}});
  CHECK(db.ok("link_provider", {{"userId", "seedusermomentus00000001"},
                                {"provider", "apple"},
                                {"providerAccountId", "a-0"}})["claimedGrants"] == 0);
  // Another address vouched for is not the user's: still nothing.
  CHECK(db.ok("link_provider", {{"userId", "seedusermomentus00000001"},
                                {"provider", "github"},
                                {"providerAccountId", "gh-0"},
                                {"email", "someone-else@example.com"},
                                {"emailVerified", true}})["claimedGrants"] == 0);
  CHECK(db.error_code("link_provider", {{"userId", "seedusermomentus00000001"},
                                        {"provider", "discord"},
                                        {"providerAccountId", "d-0"},
                                        {"emailVerified", true}}) == "invalid_input");
  CHECK(db.error_code("link_provider", {{"userId", "seedusermomentus00000001"},
                                        {"provider", "discord"},
                                        {"providerAccountId", "d-0"},
                                        {"email", "admin@momentus.example"},
                                        {"emailVerified", "yes"}}) == "invalid_input");
  auto linked = db.ok("link_provider", {{"userId", "seedusermomentus00000001"},
                                        {"provider", "apple"},
                                        {"providerAccountId", "a-1"},
                                        {"email", "Admin@Momentus.example"},
                                        {"emailVerified", true}});
  CHECK(linked["claimedGrants"] == 1);
  CHECK(
      scalar(*db.webapp, "SELECT user_id FROM access_grants WHERE id = 'invitationadminaaaaaaaaa'")
          .as_text() == "seedusermomentus00000001");

  // A grant the user already holds is not duplicated; the invitation is accepted.
  testing::exec(*db.webapp,
                "INSERT INTO pending_profiles (id, event_id, email) VALUES "
                "('profilesgaaaaaaaaaaaaaaa', '" +
                    s.event +
                    "', 'admin@sgblaise.example');"
                    "INSERT INTO access_grants (id, user_id, event_id, role_id) VALUES "
                    "('grantmanualaaaaaaaaaaaaa', 'seedusersgblaise00000001', '" +
                    s.event + "', '" + s.role +
                    "');"
                    "INSERT INTO invitations (id, pending_profile_id, event_id, role_id) VALUES "
                    "('invitationdupaaaaaaaaaaa', 'profilesgaaaaaaaaaaaaaaa', '" +
                    s.event + "', '" + s.role + "')");
  auto dup = db.ok("sign_in_with_provider", google_verified("g-sg", "admin@sgblaise.example"));
  CHECK(dup["linked"] == true);
  CHECK(dup["claimedGrants"] == 0);
  CHECK(scalar(*db.webapp,
               "SELECT count(*) FROM access_grants WHERE user_id = 'seedusersgblaise00000001'")
            .as_integer() == 1);
  CHECK(scalar(*db.webapp, "SELECT status FROM invitations WHERE id = 'invitationdupaaaaaaaaaaa'")
            .as_text() == "accepted");
}

TEST_CASE("a refused link or an injected failure leaves invitations unclaimed") {
  testing::TestDatabases db;
  auto s = testing::make_event(*db.webapp);
  testing::invite(*db.webapp, s, "profileadminaaaaaaaaaaaa", "admin@momentus.example",
                  {{"invitationadminaaaaaaaaa", "", s.role}});
  testing::invite(*db.webapp, s, "profilejoyaaaaaaaaaaaaaa", "joy@example.com",
                  {{"invitationjoyaaaaaaaaaaa", "", s.role}});
  db.ok("link_provider", {{"userId", "seedusereventuall0000001"},
                          {"provider", "github"},
                          {"providerAccountId", "taken"}});
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("link_provider", {{"userId", "seedusermomentus00000001"},
                                        {"provider", "github"},
                                        {"providerAccountId", "taken"}}) == "conflict");
  CHECK(db.dump(*db.webapp) == before);

  // sign_up: 3 creation + token + read; sign_in_with_provider (vouched for):
  // 3 creation + revocations + link + mark verified + claim + read.
  for (std::size_t k = 0; k < 5; ++k) {
    INFO("sign_up failing statement " << k);
    db.webapp->fail_statement_for_testing(k);
    CHECK(db.error_code("sign_up", {{"email", "joy@example.com"}, {"name", "Joy"}}) == "db_error");
    db.webapp->fail_statement_for_testing(std::nullopt);
    CHECK(db.dump(*db.webapp) == before);
  }
  for (std::size_t k = 0;
       k < 6 + ops::identity::kRevokeStatementCount + ops::identity::kClaimStatementCount; ++k) {
    INFO("sign_in_with_provider failing statement " << k);
    db.webapp->fail_statement_for_testing(k);
    CHECK(db.error_code("sign_in_with_provider", google_verified("g-joy", "joy@example.com")) ==
          "db_error");
    db.webapp->fail_statement_for_testing(std::nullopt);
    CHECK(db.dump(*db.webapp) == before);
  }
  for (std::size_t k = 0; k < 2 + ops::identity::kClaimStatementCount; ++k) {
    INFO("link_provider failing statement " << k);
    db.webapp->fail_statement_for_testing(k);
    CHECK(db.error_code("link_provider", {{"userId", "seedusermomentus00000001"},
                                          {"provider", "google"},
                                          {"providerAccountId", "m"},
                                          {"email", "admin@momentus.example"},
                                          {"emailVerified", true}}) == "db_error");
    db.webapp->fail_statement_for_testing(std::nullopt);
    CHECK(db.dump(*db.webapp) == before);
  }
  CHECK(db.ok("sign_in_with_provider",
              google_verified("g-joy", "joy@example.com"))["claimedGrants"] == 1);
}

// --- email verification (issue 14, item 7) ----------------------------------------

// Three tenants' pending access for one address: an organizer invitation, a
// moderator invitation on a room and a paid order's invitation.
void invite_victim_in_three_tenants(testing::TestDatabases& db) {
  testing::exec(
      *db.webapp,
      "INSERT INTO events (id, account_id, name) VALUES "
      "('eventtenantaaaaaaaaaaaaa', 'seedaccounteventuall0001', 'A'), "
      "('eventtenantbbbbbbbbbbbbb', 'seedaccountmomentus00001', 'B'), "
      "('eventtenantccccccccccccc', 'seedaccountsgblaise00001', 'C');"
      "INSERT INTO rooms (id, event_id, name) VALUES "
      "('roomtenantbbbbbbbbbbbbbb', 'eventtenantbbbbbbbbbbbbb', 'Stage');"
      "INSERT INTO orders (id, event_id, retailer, external_order_id, buyer_email, currency) "
      "VALUES ('ordertenantccccccccccccc', 'eventtenantccccccccccccc', 'manual', 'paid-1', "
      "'cfo@victim.example', 'USD');"
      "INSERT INTO pending_profiles (id, event_id, email) VALUES "
      "('profiletenantaaaaaaaaaaa', 'eventtenantaaaaaaaaaaaaa', 'cfo@victim.example'), "
      "('profiletenantbbbbbbbbbbb', 'eventtenantbbbbbbbbbbbbb', 'cfo@victim.example'), "
      "('profiletenantccccccccccc', 'eventtenantccccccccccccc', 'cfo@victim.example');"
      "INSERT INTO invitations (id, pending_profile_id, event_id, room_id, role_id, order_id) "
      "VALUES ('invitetenantaaaaaaaaaaaa', 'profiletenantaaaaaaaaaaa', "
      "'eventtenantaaaaaaaaaaaaa', NULL, 'roleorganizer00000000000', NULL), "
      "('invitetenantbbbbbbbbbbbb', 'profiletenantbbbbbbbbbbb', 'eventtenantbbbbbbbbbbbbb', "
      "'roomtenantbbbbbbbbbbbbbb', 'rolemoderator00000000000', NULL), "
      "('invitetenantcccccccccccc', 'profiletenantccccccccccc', 'eventtenantccccccccccccc', "
      "NULL, 'roleattendee000000000000', 'ordertenantccccccccccccc')");
}

TEST_CASE(
    "issue 14: an unverified sign_up of another's email claims nothing, and the owner "
    "still signs up and claims") {
  testing::TestDatabases db;
  invite_victim_in_three_tenants(db);
  const std::string untouched = db.dump(*db.webapp);

  // The attacker: an anonymous sign_up with the victim's address.
  auto attacker =
      db.ok("sign_up",
            {{"email", "cfo@victim.example"}, {"name", "Not The CFO"}, {"location", "Somewhere"}});
  CHECK(attacker["created"] == true);
  CHECK(db.webapp_count("access_grants") == 0);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM invitations WHERE status = 'pending'")
            .as_integer() == 3);
  CHECK(scalar(*db.webapp,
               "SELECT count(*) FROM pending_profiles WHERE claimed_by_user_id IS "
               "NOT NULL")
            .as_integer() == 0);
  CHECK(scalar(*db.webapp, "SELECT user_id IS NULL FROM orders").as_integer() == 1);
  CHECK(db.ok("can", {{"userId", attacker["user"]["id"]},
                      {"eventId", "eventtenantaaaaaaaaaaaaa"},
                      {"permission", "event.manage"}})["allowed"] == false);
  // A backend that handed the unverified row a session and an API key.
  const std::string attacker_id = attacker["user"]["id"];
  auto session = db.ok("create_session", {{"userId", attacker_id}});
  auto key = db.ok("create_api_key",
                   {{"userId", attacker_id}, {"name", "mine"}, {"scopes", {"events:read"}}});
  auto login = db.ok("issue_login_token", {{"userId", attacker_id}});
  db.ok("link_provider",
        {{"userId", attacker_id}, {"provider", "github"}, {"providerAccountId", "attacker"}});

  // The victim: no conflict lock-out. The unverified row does not reserve the
  // address; the victim's sign_up issues a token for it.
  auto victim = db.ok("sign_up", {{"email", "CFO@victim.example"}, {"name", "The CFO"}});
  CHECK(victim["created"] == false);
  CHECK(victim["user"]["id"] == attacker_id);
  CHECK_FALSE(victim.contains("account"));
  CHECK(victim["verification"]["token"] != attacker["verification"]["token"]);
  CHECK(db.webapp_count("users") == 4);

  auto verified = db.ok("verify_email", {{"token", victim["verification"]["token"]}});
  CHECK(verified["claimedGrants"] == 3);
  // The verified owner took the row over, with the profile they signed up with...
  CHECK(verified["user"]["name"] == "The CFO");
  CHECK(verified["user"]["location"].is_null());
  CHECK(scalar(*db.webapp,
               "SELECT a.name FROM accounts a JOIN account_ownership o ON o.account_id = a.id "
               "WHERE o.user_id = ? AND a.kind = 'personal'",
               {attacker_id})
            .as_text() == "The CFO");
  // ...and everything issued to it before the proof is dead.
  CHECK(db.error_code("validate_session", {{"token", session["token"]}}) == "unauthenticated");
  CHECK(db.error_code("authenticate_api_key", {{"key", key["key"]}}) == "unauthenticated");
  CHECK(db.error_code("consume_login_token", {{"token", login["token"]}}) == "unauthenticated");
  CHECK(db.webapp_count("user_providers") == 0);
  CHECK(db.ok("can", {{"userId", attacker_id},
                      {"eventId", "eventtenantaaaaaaaaaaaaa"},
                      {"permission", "event.manage"}})["allowed"] == true);
  CHECK(scalar(*db.webapp, "SELECT user_id FROM orders").as_text() == attacker_id);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM invitations WHERE status = 'accepted'")
            .as_integer() == 3);

  // The first token (mailed to the victim too) proves the email again but
  // changes nothing: the row is verified, the profile stays.
  auto again = db.ok("verify_email", {{"token", attacker["verification"]["token"]}});
  CHECK(again["user"]["name"] == "The CFO");
  CHECK(again["claimedGrants"] == 0);
  // Now the address is taken for good.
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("sign_up", {{"email", "cfo@victim.example"}, {"name", "X"}}) == "conflict");
  CHECK(db.error_code("issue_email_verification", {{"userId", attacker_id}}) == "conflict");
  CHECK(db.dump(*db.webapp) == before);
  CHECK(untouched != before);
}

TEST_CASE("issue 14: access issued to an unverified user's email waits for the verification") {
  testing::TestDatabases db;
  auto event = db.ok("create_event", {{"actorUserId", "seedusereventuall0000001"},
                                      {"accountId", "seedaccounteventuall0001"},
                                      {"name", "Door sales"}});
  const std::string event_id = event["event"]["id"];
  auto ticket = db.ok("create_ticket", {{"actorUserId", "seedusereventuall0000001"},
                                        {"eventId", event_id},
                                        {"name", "Seat"},
                                        {"price", 1000},
                                        {"currency", "USD"}});
  auto unverified = db.ok("sign_up", {{"email", "buyer@example.com"}, {"name", "Buyer"}});
  auto order =
      db.ok("ingest_order",
            {{"actorUserId", "seedusereventuall0000001"},
             {"eventId", event_id},
             {"retailer", "manual"},
             {"payload",
              {{"reference", "door-1"},
               {"email", "buyer@example.com"},
               {"currency", "USD"},
               {"items",
                {{{"ticketId", ticket["ticket"]["id"]}, {"quantity", 1}, {"unitPrice", 1000}}}}}}});
  CHECK(order["order"]["userId"].is_null());
  CHECK(order["access"].size() == 1);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM access_grants WHERE order_id IS NOT NULL")
            .as_integer() == 0);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM invitations WHERE status = 'pending'")
            .as_integer() == 1);
  auto verified = db.ok("verify_email", {{"token", unverified["verification"]["token"]}});
  CHECK(verified["claimedGrants"] == 1);
  CHECK(scalar(*db.webapp, "SELECT user_id FROM orders").as_text() == unverified["user"]["id"]);
}

TEST_CASE(
    "verify_email: only its hash is stored; unknown, expired, malformed tokens write nothing") {
  testing::TestDatabases db;
  db.client.set_deterministic_for_testing(crypto::Seed{}, 1767225600000);  // each call +1 s
  auto up = db.ok("sign_up", {{"email", "tess@example.com"}, {"name", "Tess"}, {"ttlSeconds", 2}});
  const std::string token = up["verification"]["token"];
  CHECK(up["verification"]["expiresAt"] == 1767225602);
  CHECK(scalar(*db.webapp, "SELECT token_hash FROM email_verifications").as_text() ==
        sha256_hex(token));
  CHECK(db.dump(*db.webapp).find(token) == std::string::npos);
  const std::string user_id = up["user"]["id"];
  auto reissued = db.ok("issue_email_verification", {{"userId", user_id}});  // t0+1
  CHECK(reissued["expiresAt"] == 1767225601 + 86400);

  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("verify_email", {{"token", token}}) == "unauthenticated");  // t0+2: expired
  CHECK(db.error_code("verify_email", {{"token", std::string(43, 'A')}}) == "unauthenticated");
  CHECK(db.error_code("verify_email", {{"token", "short"}}) == "unauthenticated");
  CHECK(db.error_code("verify_email", {{"token", 7}}) == "invalid_input");
  CHECK(db.error_code("verify_email", Json::object()) == "invalid_input");
  CHECK(db.error_code("issue_email_verification", {{"userId", "nosuchuseraaaaaaaaaaaaaa"}}) ==
        "not_found");
  CHECK(db.error_code("issue_email_verification", {{"userId", user_id}, {"ttlSeconds", 0}}) ==
        "invalid_input");
  CHECK(db.error_code("sign_up",
                      {{"email", "t@example.com"}, {"name", "T"}, {"ttlSeconds", 604801}}) ==
        "invalid_input");
  CHECK(db.error_code("sign_in_with_provider", {{"provider", "google"},
                                                {"providerAccountId", "x"},
                                                {"email", "x@example.com"},
                                                {"emailVerified", 1}}) == "invalid_input");
  CHECK(db.dump(*db.webapp) == before);

  // Every statement of verify_email failing in turn: nothing written.
  for (std::size_t k = 0;
       k < 5 + ops::identity::kRevokeStatementCount + ops::identity::kClaimStatementCount; ++k) {
    INFO("verify_email failing statement " << k);
    db.webapp->fail_statement_for_testing(k);
    CHECK(db.error_code("verify_email", {{"token", reissued["token"]}}) == "db_error");
    db.webapp->fail_statement_for_testing(std::nullopt);
    CHECK(db.dump(*db.webapp) == before);
  }
  CHECK(db.ok("verify_email", {{"token", reissued["token"]}})["user"]["id"] == user_id);
}

TEST_CASE("under 50 concurrent verify_email calls with one token exactly one succeeds") {
  testing::TestDatabases db;
  auto s = testing::make_event(*db.webapp);
  testing::invite(*db.webapp, s, "profileracyaaaaaaaaaaaaa", "racy@example.com",
                  {{"invitationracyaaaaaaaaaa", "", s.role}});
  auto up = db.ok("sign_up", {{"email", "racy@example.com"}, {"name", "Racy"}});
  std::vector<Json> inputs(50, Json{{"token", up["verification"]["token"]}});
  auto outcomes = testing::run_interleaved(db, "verify_email", inputs, testing::wall_ms());
  int succeeded = 0;
  for (auto& o : outcomes) {
    if (o.ok()) {
      ++succeeded;
      CHECK(o.value()["claimedGrants"] == 1);
    } else {
      CHECK(o.error().code() == ErrorCode::kUnauthenticated);
    }
  }
  CHECK(succeeded == 1);
  CHECK(db.webapp_count("access_grants") == 1);
}

TEST_CASE("a provider that vouches for an unverified row's email takes it over") {
  testing::TestDatabases db;
  invite_victim_in_three_tenants(db);
  auto attacker = db.ok("sign_up", {{"email", "cfo@victim.example"}, {"name", "Not The CFO"}});
  const std::string attacker_id = attacker["user"]["id"];
  auto session = db.ok("create_session", {{"userId", attacker_id}});
  db.ok("link_provider",
        {{"userId", attacker_id}, {"provider", "github"}, {"providerAccountId", "attacker"}});
  // Not vouched for: the email is someone's, unproven here. Nothing written.
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("sign_in_with_provider", google("victim-g", "cfo@victim.example")) ==
        "conflict");
  CHECK(db.dump(*db.webapp) == before);
  auto victim = db.ok("sign_in_with_provider", google_verified("victim-g", "cfo@victim.example"));
  CHECK(victim["created"] == false);
  CHECK(victim["linked"] == true);
  CHECK(victim["claimedGrants"] == 3);
  CHECK(victim["user"]["id"] == attacker_id);
  CHECK(db.error_code("validate_session", {{"token", session["token"]}}) == "unauthenticated");
  // Only the vouching identity stays linked.
  CHECK(scalar(*db.webapp, "SELECT group_concat(provider_account_id) FROM user_providers")
            .as_text() == "victim-g");
  // A returning sign-in revokes nothing more.
  auto fresh = db.ok("create_session", {{"userId", attacker_id}});
  db.ok("sign_in_with_provider", google_verified("victim-g", "cfo@victim.example"));
  CHECK(db.ok("validate_session", {{"token", fresh["token"]}})["user"]["id"] == attacker_id);
}

// --- sessions -------------------------------------------------------------------

TEST_CASE("sessions: the token is shown once and only its hash is stored") {
  testing::TestDatabases db;
  const std::string user = "seedusereventuall0000001";
  auto created = db.ok("create_session",
                       {{"userId", user}, {"userAgent", "curl/8"}, {"ipAddress", "127.0.0.1"}});
  const std::string token = created["token"];
  // "evs_" + 43 base64url characters + "." + the user id.
  REQUIRE(token.size() == 4 + 43 + 1 + 24);
  CHECK(token.substr(0, 4) == "evs_");
  CHECK(token.substr(4, 43).find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
  CHECK(token.substr(47) == "." + user);
  CHECK_FALSE(created["session"].contains("tokenHash"));
  CHECK(created["session"]["expiresAt"].get<std::int64_t>() -
            created["session"]["createdAt"].get<std::int64_t>() ==
        30 * 86400);
  CHECK(scalar(*db.webapp, "SELECT token_hash FROM sessions").as_text() == sha256_hex(token));
  CHECK(db.dump(*db.webapp).find(token) == std::string::npos);

  auto valid = db.ok("validate_session", {{"token", token}});
  CHECK(valid["user"]["id"] == user);
  CHECK(valid["session"]["id"] == created["session"]["id"]);
  CHECK_FALSE(valid["session"]["lastSeenAt"].is_null());
  CHECK_FALSE(dump_json(valid).find("okenHash") != std::string::npos);
  CHECK_FALSE(dump_json(valid).find(sha256_hex(token)) != std::string::npos);
}

TEST_CASE("sessions: expired, revoked, unknown and malformed tokens are unauthenticated") {
  testing::TestDatabases db;
  db.client.set_deterministic_for_testing(crypto::Seed{}, 1767225600000);  // each call +1 s
  const std::string user = "seedusereventuall0000001";
  auto short_lived =
      db.ok("create_session", {{"userId", user}, {"ttlSeconds", 2}});  // t0, expires t0+2
  const std::string token = short_lived["token"];
  CHECK(db.ok("validate_session", {{"token", token}})["session"]["lastSeenAt"] ==
        1767225601);  // t0+1
  CHECK(db.error_code("validate_session", {{"token", token}}) ==
        "unauthenticated");  // t0+2: expires_at <= now
  CHECK(db.error_code("extend_session", {{"token", token}, {"ttlSeconds", 60}}) ==
        "unauthenticated");

  auto other = db.ok("create_session", {{"userId", user}});
  const std::string live = other["token"];
  auto extended = db.ok("extend_session", {{"token", live}, {"ttlSeconds", 3600 * 24 * 60}});
  CHECK(extended["session"]["expiresAt"].get<std::int64_t>() >
        other["session"]["expiresAt"].get<std::int64_t>());
  // Extending never shortens.
  auto kept = db.ok("extend_session", {{"token", live}, {"ttlSeconds", 5}});
  CHECK(kept["session"]["expiresAt"] == extended["session"]["expiresAt"]);

  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("validate_session", {{"token", std::string(43, 'A')}}) == "unauthenticated");
  CHECK(db.error_code("validate_session", {{"token", "short"}}) == "unauthenticated");
  CHECK(db.error_code("validate_session", {{"token", live + "="}}) == "unauthenticated");
  CHECK(db.error_code("validate_session", {{"token", 12}}) == "invalid_input");
  CHECK(db.error_code("validate_session", {{"token", ""}}) == "invalid_input");
  CHECK(db.error_code("validate_session", Json::object()) == "invalid_input");
  CHECK(db.error_code("extend_session", {{"token", live}, {"ttlSeconds", 0}}) == "invalid_input");
  CHECK(db.error_code("extend_session", {{"token", live}, {"ttlSeconds", "1"}}) == "invalid_input");
  CHECK(db.error_code("create_session", {{"userId", "nosuchuseraaaaaaaaaaaaaa"}}) == "not_found");
  CHECK(db.error_code("create_session", {{"userId", user}, {"ttlSeconds", -5}}) == "invalid_input");
  CHECK(db.error_code("revoke_session", {{"token", std::string(43, 'B')}}) == "unauthenticated");
  CHECK(db.error_code("revoke_session", {{"sessionId", other["session"]["id"]},
                                         {"userId", "seedusermomentus00000001"}}) == "not_found");
  CHECK(db.error_code("revoke_session", {{"token", live}, {"userId", user}}) == "invalid_input");
  CHECK(db.error_code("revoke_session", Json::object()) == "invalid_input");
  CHECK(db.error_code("revoke_user_sessions", {{"userId", "nosuchuseraaaaaaaaaaaaaa"}}) ==
        "not_found");
  CHECK(db.dump(*db.webapp) == before);

  auto revoked = db.ok("revoke_session", {{"token", live}});
  CHECK_FALSE(revoked["session"]["revokedAt"].is_null());
  CHECK(db.error_code("validate_session", {{"token", live}}) == "unauthenticated");
  // Revoking again keeps the first revocation time.
  CHECK(db.ok("revoke_session", {{"token", live}})["session"]["revokedAt"] ==
        revoked["session"]["revokedAt"]);
}

TEST_CASE("sessions: revoke by id, and revoke all of a user's") {
  testing::TestDatabases db;
  const std::string user = "seedusereventuall0000001";
  std::vector<std::string> tokens;
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    auto s = db.ok("create_session", {{"userId", user}});
    tokens.push_back(s["token"]);
    ids.push_back(s["session"]["id"]);
  }
  auto other = db.ok("create_session", {{"userId", "seedusermomentus00000001"}});
  db.ok("revoke_session", {{"sessionId", ids[0]}, {"userId", user}});
  CHECK(db.error_code("validate_session", {{"token", tokens[0]}}) == "unauthenticated");
  CHECK(db.ok("validate_session", {{"token", tokens[1]}})["user"]["id"] == user);

  CHECK(db.ok("revoke_user_sessions", {{"userId", user}})["revoked"] == 3);
  for (const auto& t : tokens)
    CHECK(db.error_code("validate_session", {{"token", t}}) == "unauthenticated");
  CHECK(db.ok("validate_session", {{"token", other["token"]}})["user"]["id"] ==
        "seedusermomentus00000001");
  CHECK(db.ok("revoke_user_sessions", {{"userId", user}})["revoked"] == 0);
}

// --- MCP login tokens -------------------------------------------------------------

TEST_CASE("a login token is consumed exactly once") {
  testing::TestDatabases db;
  const std::string user = "seedusermomentus00000001";
  auto issued = db.ok("issue_login_token", {{"userId", user}});
  const std::string token = issued["token"];
  CHECK(scalar(*db.webapp, "SELECT token_hash FROM mcp_login_tokens").as_text() ==
        sha256_hex(token));
  CHECK(db.dump(*db.webapp).find(token) == std::string::npos);
  auto consumed = db.ok("consume_login_token", {{"token", token}});
  CHECK(consumed["user"]["id"] == user);
  const std::string after = db.dump(*db.webapp);
  CHECK(db.error_code("consume_login_token", {{"token", token}}) == "unauthenticated");
  CHECK(db.error_code("consume_login_token", {{"token", "not a token"}}) == "unauthenticated");
  CHECK(db.error_code("consume_login_token", {{"token", Json::array()}}) == "invalid_input");
  CHECK(db.error_code("issue_login_token", {{"userId", "nosuchuseraaaaaaaaaaaaaa"}}) ==
        "not_found");
  CHECK(db.error_code("issue_login_token", {{"userId", user}, {"ttlSeconds", 86401}}) ==
        "invalid_input");
  CHECK(db.dump(*db.webapp) == after);
}

TEST_CASE("an expired login token is refused") {
  testing::TestDatabases db;
  db.client.set_deterministic_for_testing(crypto::Seed{}, 1767225600000);
  auto issued =
      db.ok("issue_login_token", {{"userId", "seedusermomentus00000001"}, {"ttlSeconds", 1}});
  CHECK(issued["expiresAt"] == 1767225601);
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("consume_login_token", {{"token", issued["token"]}}) == "unauthenticated");
  CHECK(db.dump(*db.webapp) == before);
}

TEST_CASE("under 50 concurrent consume attempts exactly one succeeds") {
  testing::TestDatabases db;
  auto issued = db.ok("issue_login_token", {{"userId", "seedusersgblaise00000001"}});
  std::vector<Json> inputs(50, Json{{"token", issued["token"]}});
  auto outcomes = testing::run_interleaved(db, "consume_login_token", inputs, testing::wall_ms());
  int succeeded = 0;
  for (auto& o : outcomes) {
    if (o.ok()) {
      ++succeeded;
      CHECK(o.value()["user"]["id"] == "seedusersgblaise00000001");
    } else {
      CHECK(o.error().code() == ErrorCode::kUnauthenticated);
    }
  }
  CHECK(succeeded == 1);
}

// --- MCP API keys -----------------------------------------------------------------

TEST_CASE("API keys: created once, listed without secrets, authenticated with scopes") {
  testing::TestDatabases db;
  const std::string user = "seedusereventuall0000001";
  auto created =
      db.ok("create_api_key", {{"userId", user},
                               {"name", "CI"},
                               {"scopes", {"events:read", "events:write", "events:read"}}});
  const std::string key = created["key"];
  CHECK(key.rfind("evk_", 0) == 0);
  CHECK(key.size() == 4 + 43 + 1 + 24);  // "evk_" + token + "." + user id
  CHECK(created["apiKey"]["keyPrefix"] == key.substr(0, 12));
  CHECK(created["apiKey"]["scopes"] == Json::array({"events:read", "events:write"}));
  CHECK_FALSE(created["apiKey"].contains("keyHash"));
  CHECK(scalar(*db.webapp, "SELECT key_hash FROM mcp_api_keys").as_text() == sha256_hex(key));
  CHECK(db.dump(*db.webapp).find(key) == std::string::npos);

  auto listed = db.ok("list_api_keys", {{"userId", user}});
  REQUIRE(listed["apiKeys"].size() == 1);
  CHECK(listed["apiKeys"][0] == created["apiKey"]);
  CHECK(db.ok("list_api_keys", {{"userId", "seedusermomentus00000001"}})["apiKeys"].empty());

  auto authed = db.ok("authenticate_api_key", {{"key", key}, {"scope", "events:write"}});
  CHECK(authed["user"]["id"] == user);
  CHECK_FALSE(authed["apiKey"]["lastUsedAt"].is_null());
  CHECK(db.ok("authenticate_api_key", {{"key", key}})["apiKey"]["id"] == created["apiKey"]["id"]);

  // A missing scope is forbidden and does not count as a use.
  testing::exec(*db.webapp, "UPDATE mcp_api_keys SET last_used_at = 5");
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("authenticate_api_key", {{"key", key}, {"scope", "orders:read"}}) ==
        "forbidden");
  CHECK(db.error_code("authenticate_api_key", {{"key", key}, {"scope", "Orders"}}) ==
        "invalid_input");
  CHECK(db.error_code("authenticate_api_key", {{"key", "evk_" + std::string(43, 'x')}}) ==
        "unauthenticated");
  CHECK(db.error_code("authenticate_api_key", {{"key", key.substr(4)}}) == "unauthenticated");
  CHECK(db.error_code("authenticate_api_key", {{"key", nullptr}}) == "invalid_input");
  CHECK(
      db.error_code("create_api_key", {{"userId", user}, {"name", "x"}, {"scopes", {"events"}}}) ==
      "invalid_input");
  CHECK(db.error_code("create_api_key",
                      {{"userId", user}, {"name", "x"}, {"scopes", {"events:read", 3}}}) ==
        "invalid_input");
  CHECK(db.error_code("create_api_key",
                      {{"userId", user}, {"name", "x"}, {"scopes", "events:read"}}) ==
        "invalid_input");
  CHECK(db.error_code("create_api_key", {{"userId", user}, {"name", "x"}}) == "invalid_input");
  CHECK(db.error_code("create_api_key",
                      {{"userId", user}, {"name", ""}, {"scopes", Json::array()}}) ==
        "invalid_input");
  CHECK(db.error_code("create_api_key", {{"userId", "nosuchuseraaaaaaaaaaaaaa"},
                                         {"name", "x"},
                                         {"scopes", Json::array()}}) == "not_found");
  CHECK(db.error_code("revoke_api_key", {{"userId", "seedusermomentus00000001"},
                                         {"keyId", created["apiKey"]["id"]}}) == "not_found");
  CHECK(db.error_code("list_api_keys", {{"userId", "nosuchuseraaaaaaaaaaaaaa"}}) == "not_found");
  CHECK(db.dump(*db.webapp) == before);

  auto revoked = db.ok("revoke_api_key", {{"userId", user}, {"keyId", created["apiKey"]["id"]}});
  CHECK_FALSE(revoked["apiKey"]["revokedAt"].is_null());
  CHECK(db.error_code("authenticate_api_key", {{"key", key}}) == "unauthenticated");
}

TEST_CASE("API keys expire") {
  testing::TestDatabases db;
  db.client.set_deterministic_for_testing(crypto::Seed{}, 1767225600000);
  auto created = db.ok("create_api_key", {{"userId", "seedusereventuall0000001"},
                                          {"name", "brief"},
                                          {"scopes", Json::array()},
                                          {"ttlSeconds", 2}});
  CHECK(created["apiKey"]["expiresAt"] == 1767225602);
  CHECK(db.ok("authenticate_api_key", {{"key", created["key"]}})["apiKey"]["lastUsedAt"] ==
        1767225601);
  CHECK(db.error_code("authenticate_api_key", {{"key", created["key"]}}) == "unauthenticated");
  // A key without scopes is refused any required scope.
  auto open =
      db.ok("create_api_key",
            {{"userId", "seedusereventuall0000001"}, {"name", "none"}, {"scopes", Json::array()}});
  CHECK(db.error_code("authenticate_api_key", {{"key", open["key"]}, {"scope", "events:read"}}) ==
        "forbidden");
}

}  // namespace
}  // namespace eventuall
