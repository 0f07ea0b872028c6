// Accounts natively: create, rename, owners (always at least one), a user's
// accounts, and tenant isolation — a stranger probing another tenant's account
// gets exactly what a nonexistent account gives, and nothing is written.
#include "identity_support.h"

namespace eventuall {
namespace {

using testing::kBlaiseAdmin;
using testing::kEventuallAccount;
using testing::kEventuallAdmin;
using testing::kMomentusAdmin;

using testing::scalar;

const std::string kNoAccount = "nosuchaccountaaaaaaaaaaa";
const std::string kNoUser = "nosuchuseraaaaaaaaaaaaaa";

TEST_CASE("create an organization account and list a user's accounts") {
  testing::TestDatabases db;
  auto signed_up = db.ok("sign_up", {{"email", "org@example.com"}, {"name", "Org Maker"}});
  const std::string user = signed_up["user"]["id"];
  auto created = db.ok("create_account", {{"actorUserId", user}, {"name", "  Acme Events "}});
  CHECK(created["account"]["name"] == "Acme Events");
  CHECK(created["account"]["kind"] == "organization");
  CHECK(created["ownership"]["userId"] == user);

  auto listed = db.ok("list_user_accounts", {{"userId", user}});
  REQUIRE(listed["accounts"].size() == 2);
  CHECK(listed["accounts"][0]["kind"] == "personal");
  CHECK(listed["accounts"][1] == created["account"]);
  CHECK(db.ok("list_user_accounts", {{"userId", kEventuallAdmin}})["accounts"].size() == 1);

  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("create_account", {{"actorUserId", kNoUser}, {"name", "Ghost"}}) ==
        "not_found");
  CHECK(db.error_code("create_account", {{"actorUserId", user}, {"name", std::string(201, 'x')}}) ==
        "invalid_input");
  CHECK(db.error_code("create_account", {{"actorUserId", user}}) == "invalid_input");
  CHECK(db.error_code("create_account", {{"actorUserId", 5}, {"name", "x"}}) == "invalid_input");
  CHECK(db.error_code("list_user_accounts", {{"userId", kNoUser}}) == "not_found");
  CHECK(db.error_code("list_user_accounts", {{"userId", "x"}}) == "invalid_input");
  CHECK(db.dump(*db.webapp) == before);
}

TEST_CASE("an injected failure in any statement of an account write leaves nothing behind") {
  testing::TestDatabases db;
  db.ok("add_account_owner", {{"actorUserId", kEventuallAdmin},
                              {"accountId", kEventuallAccount},
                              {"userId", kBlaiseAdmin}});
  const std::string before = db.dump(*db.webapp);
  const std::vector<std::pair<std::string, Json>> writes = {
      {"create_account", {{"actorUserId", kEventuallAdmin}, {"name", "Failing"}}},
      {"rename_account",
       {{"actorUserId", kEventuallAdmin}, {"accountId", kEventuallAccount}, {"name", "Failing"}}},
      {"add_account_owner",
       {{"actorUserId", kEventuallAdmin},
        {"accountId", kEventuallAccount},
        {"userId", kMomentusAdmin}}},
      {"remove_account_owner",
       {{"actorUserId", kEventuallAdmin},
        {"accountId", kEventuallAccount},
        {"userId", kBlaiseAdmin}}},
  };
  for (const auto& [op, input] : writes) {
    for (std::size_t k = 0; k < 2; ++k) {
      const std::string& name = op;  // clang-14 lambdas cannot capture a structured binding
      INFO(name << " failing statement " << k);
      db.webapp->fail_statement_for_testing(k);
      CHECK(db.error_code(op, input) == "db_error");
      db.webapp->fail_statement_for_testing(std::nullopt);
      CHECK(db.dump(*db.webapp) == before);
    }
  }
}

TEST_CASE("only owners rename; strangers cannot tell the account exists") {
  testing::TestDatabases db;
  auto renamed = db.ok("rename_account", {{"actorUserId", kEventuallAdmin},
                                          {"accountId", kEventuallAccount},
                                          {"name", "Eventuall Inc"}});
  CHECK(renamed["account"]["name"] == "Eventuall Inc");
  CHECK(renamed["account"]["kind"] == "organization");

  const std::string before = db.dump(*db.webapp);
  auto stranger = db.call(
      "rename_account",
      {{"actorUserId", kMomentusAdmin}, {"accountId", kEventuallAccount}, {"name", "Pwned"}});
  auto missing =
      db.call("rename_account",
              {{"actorUserId", kMomentusAdmin}, {"accountId", kNoAccount}, {"name", "Pwned"}});
  REQUIRE_FALSE(stranger.ok());
  REQUIRE_FALSE(missing.ok());
  CHECK(stranger.error().code_name() == "not_found");
  CHECK(missing.error().code_name() == "not_found");
  // Same words too, apart from the id the caller already sent.
  CHECK(stranger.error().message() == "account " + kEventuallAccount + " not found");
  CHECK(missing.error().message() == "account " + kNoAccount + " not found");
  CHECK(db.error_code("rename_account", {{"actorUserId", kNoUser},
                                         {"accountId", kEventuallAccount},
                                         {"name", "x"}}) == "not_found");
  CHECK(db.error_code("rename_account", {{"actorUserId", kEventuallAdmin},
                                         {"accountId", kEventuallAccount},
                                         {"name", ""}}) == "invalid_input");
  CHECK(db.error_code("rename_account", {{"actorUserId", kEventuallAdmin},
                                         {"accountId", kEventuallAccount}}) == "invalid_input");
  CHECK(db.dump(*db.webapp) == before);

  // A user who can see the account (a grant on one of its events) but does
  // not own it is forbidden.
  testing::exec(
      *db.webapp,
      "INSERT INTO events (id, account_id, name) VALUES "
      "('eventvisibleaaaaaaaaaaaa', '" +
          kEventuallAccount +
          "', 'Visible');"
          "INSERT INTO roles (id, name) VALUES ('roleguestaaaaaaaaaaaaaaa', 'test guest');"
          "INSERT INTO access_grants (id, user_id, event_id, role_id) VALUES "
          "('grantguestaaaaaaaaaaaaaa', '" +
          kMomentusAdmin + "', 'eventvisibleaaaaaaaaaaaa', 'roleguestaaaaaaaaaaaaaaa')");
  const std::string with_grant = db.dump(*db.webapp);
  CHECK(db.error_code("rename_account", {{"actorUserId", kMomentusAdmin},
                                         {"accountId", kEventuallAccount},
                                         {"name", "Pwned"}}) == "forbidden");
  CHECK(db.error_code("add_account_owner", {{"actorUserId", kMomentusAdmin},
                                            {"accountId", kEventuallAccount},
                                            {"userId", kMomentusAdmin}}) == "forbidden");
  CHECK(db.error_code("remove_account_owner", {{"actorUserId", kMomentusAdmin},
                                               {"accountId", kEventuallAccount},
                                               {"userId", kEventuallAdmin}}) == "forbidden");
  CHECK(db.dump(*db.webapp) == with_grant);
}

TEST_CASE("add and remove owners; an account always keeps one") {
  testing::TestDatabases db;
  auto added = db.ok("add_account_owner", {{"actorUserId", kEventuallAdmin},
                                           {"accountId", kEventuallAccount},
                                           {"userId", kBlaiseAdmin}});
  CHECK(added["ownership"]["userId"] == kBlaiseAdmin);
  CHECK(added["ownership"]["accountId"] == kEventuallAccount);
  // The new owner can act on the account now.
  db.ok("rename_account",
        {{"actorUserId", kBlaiseAdmin}, {"accountId", kEventuallAccount}, {"name", "Shared"}});
  CHECK(db.ok("list_user_accounts", {{"userId", kBlaiseAdmin}})["accounts"].size() == 2);

  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("add_account_owner", {{"actorUserId", kEventuallAdmin},
                                            {"accountId", kEventuallAccount},
                                            {"userId", kBlaiseAdmin}}) == "conflict");
  CHECK(db.error_code("add_account_owner", {{"actorUserId", kEventuallAdmin},
                                            {"accountId", kEventuallAccount},
                                            {"userId", kNoUser}}) == "not_found");
  CHECK(db.error_code("add_account_owner", {{"actorUserId", kMomentusAdmin},
                                            {"accountId", kEventuallAccount},
                                            {"userId", kMomentusAdmin}}) == "not_found");
  CHECK(db.error_code("add_account_owner", {{"actorUserId", kEventuallAdmin},
                                            {"accountId", kNoAccount},
                                            {"userId", kMomentusAdmin}}) == "not_found");
  CHECK(db.error_code("add_account_owner", {{"actorUserId", kEventuallAdmin},
                                            {"accountId", kEventuallAccount}}) == "invalid_input");
  CHECK(db.error_code("remove_account_owner", {{"actorUserId", kEventuallAdmin},
                                               {"accountId", kEventuallAccount},
                                               {"userId", kMomentusAdmin}}) == "not_found");
  CHECK(db.error_code("remove_account_owner", {{"actorUserId", kMomentusAdmin},
                                               {"accountId", kEventuallAccount},
                                               {"userId", kEventuallAdmin}}) == "not_found");
  CHECK(db.error_code("remove_account_owner", {{"actorUserId", kEventuallAdmin},
                                               {"accountId", kEventuallAccount},
                                               {"userId", true}}) == "invalid_input");
  CHECK(db.dump(*db.webapp) == before);

  // An owner may remove themselves while another owner remains...
  auto removed = db.ok("remove_account_owner", {{"actorUserId", kEventuallAdmin},
                                                {"accountId", kEventuallAccount},
                                                {"userId", kEventuallAdmin}});
  CHECK(removed["removed"]["userId"] == kEventuallAdmin);
  CHECK(db.error_code("rename_account", {{"actorUserId", kEventuallAdmin},
                                         {"accountId", kEventuallAccount},
                                         {"name", "x"}}) == "not_found");
  // ...but never the last one.
  const std::string one_owner = db.dump(*db.webapp);
  CHECK(db.error_code("remove_account_owner", {{"actorUserId", kBlaiseAdmin},
                                               {"accountId", kEventuallAccount},
                                               {"userId", kBlaiseAdmin}}) == "conflict");
  CHECK(db.dump(*db.webapp) == one_owner);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM account_ownership WHERE account_id = ?",
               {kEventuallAccount})
            .as_integer() == 1);
}

TEST_CASE("owners removing each other at once leave exactly one owner") {
  testing::TestDatabases db;
  db.ok("add_account_owner", {{"actorUserId", kEventuallAdmin},
                              {"accountId", kEventuallAccount},
                              {"userId", kBlaiseAdmin}});
  db.ok("add_account_owner", {{"actorUserId", kEventuallAdmin},
                              {"accountId", kEventuallAccount},
                              {"userId", kMomentusAdmin}});
  // Every owner removes every owner (themselves included), all in flight at once.
  std::vector<Json> inputs;
  for (const auto& actor : {kEventuallAdmin, kBlaiseAdmin, kMomentusAdmin}) {
    for (const auto& target : {kEventuallAdmin, kBlaiseAdmin, kMomentusAdmin}) {
      inputs.push_back(
          {{"actorUserId", actor}, {"accountId", kEventuallAccount}, {"userId", target}});
    }
  }
  auto outcomes = testing::run_interleaved(db, "remove_account_owner", inputs, testing::wall_ms());
  int removed = 0;
  for (auto& o : outcomes) removed += o.ok() ? 1 : 0;
  CHECK(removed == 2);
  CHECK(scalar(*db.webapp, "SELECT count(*) FROM account_ownership WHERE account_id = ?",
               {kEventuallAccount})
            .as_integer() == 1);
}

TEST_CASE("every account operation refuses another tenant's account and writes nothing") {
  testing::TestDatabases db;
  const std::string before = db.dump(*db.webapp);
  // Momentus' admin against Eventuall's account: indistinguishable from a missing one.
  for (const auto& [op, input] : std::vector<std::pair<std::string, Json>>{
           {"rename_account",
            {{"actorUserId", kMomentusAdmin},
             {"accountId", kEventuallAccount},
             {"name", "Mine now"}}},
           {"add_account_owner",
            {{"actorUserId", kMomentusAdmin},
             {"accountId", kEventuallAccount},
             {"userId", kMomentusAdmin}}},
           {"remove_account_owner",
            {{"actorUserId", kMomentusAdmin},
             {"accountId", kEventuallAccount},
             {"userId", kEventuallAdmin}}},
       }) {
    const std::string& name = op;  // clang-14 lambdas cannot capture a structured binding
    INFO(name);
    auto cross = db.call(op, input);
    Json missing_input = input;
    missing_input["accountId"] = kNoAccount;
    auto missing = db.call(op, missing_input);
    REQUIRE_FALSE(cross.ok());
    REQUIRE_FALSE(missing.ok());
    CHECK(cross.error().code_name() == "not_found");
    CHECK(missing.error().code_name() == "not_found");
  }
  CHECK(db.dump(*db.webapp) == before);
}

}  // namespace
}  // namespace eventuall
