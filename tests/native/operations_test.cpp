// The first operations, natively: results, one batch each, and nothing
// written when they fail.
#include "test_support.h"

namespace eventuall {
namespace {

TEST_CASE("sign up creates user, personal account and ownership together") {
  testing::TestDatabases db;
  auto result = db.ok("sign_up", {{"email", " Grace@Example.COM "}, {"name", "Grace Hopper"}});
  CHECK(result["user"]["email"] == "grace@example.com");
  CHECK(result["account"]["kind"] == "personal");
  CHECK(id::is_our_id(result["user"]["id"].get<std::string>()));
  auto owned = db.webapp->query(
      "SELECT count(*) AS n FROM account_ownership WHERE user_id = ? AND account_id = ?",
      {result["user"]["id"].get<std::string>(), result["account"]["id"].get<std::string>()});
  REQUIRE(owned.ok());
  CHECK(owned->rows[0][0].as_integer() == 1);
}

TEST_CASE("a failed sign up writes nothing") {
  testing::TestDatabases db;
  auto first = db.ok("sign_up", {{"email", "dup@example.com"}, {"name", "First"}});
  // Taken once verified (an unverified row does not reserve the email: identity_test.cpp).
  db.ok("verify_email", {{"token", first["verification"]["token"]}});
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("sign_up", {{"email", "dup@example.com"}, {"name", "Second"}}) == "conflict");
  CHECK(db.error_code("sign_up", {{"email", "x@example.com"}}) == "invalid_input");
  CHECK(db.dump(*db.webapp) == before);
}

TEST_CASE("an injected failure at any statement of sign up leaves the database unchanged") {
  for (std::size_t k = 0; k < 5; ++k) {  // user, account, ownership, token, read
    testing::TestDatabases db;
    const std::string before = db.dump(*db.webapp);
    db.webapp->fail_statement_for_testing(k);
    INFO("failing statement " << k);
    CHECK(db.error_code("sign_up", {{"email", "k@example.com"}, {"name", "K"}}) == "db_error");
    db.webapp->fail_statement_for_testing(std::nullopt);
    CHECK(db.dump(*db.webapp) == before);
  }
}

TEST_CASE("create event with many rooms chunks its inserts and stays atomic") {
  testing::TestDatabases db;
  Json rooms = Json::array();
  for (int i = 0; i < 100; ++i) rooms.push_back({{"name", "Room " + std::to_string(i)}});
  auto created = db.ok("create_event",
                       {{"actorUserId", "seedusereventuall0000001"}, {"actorUserId", "seedusereventuall0000001"}, {"accountId", "seedaccounteventuall0001"}, {"name", "Big"}, {"rooms", rooms}});
  REQUIRE(created["rooms"].size() == 100);
  CHECK(created["rooms"][99]["position"] == 99);
  CHECK(db.webapp_count("rooms") == 100);

  // 100 rooms of 8 columns need 9 room statements; failing the last one
  // must undo the event and every earlier chunk.
  const std::string before = db.dump(*db.webapp);
  db.webapp->fail_statement_for_testing(9);
  CHECK(db.error_code("create_event", {{"actorUserId", "seedusereventuall0000001"}, {"actorUserId", "seedusereventuall0000001"}, {"accountId", "seedaccounteventuall0001"},
                                       {"name", "Big again"},
                                       {"rooms", rooms}}) == "db_error");
  db.webapp->fail_statement_for_testing(std::nullopt);
  CHECK(db.dump(*db.webapp) == before);

  rooms.push_back({{"name", "one too many"}});
  CHECK(db.error_code("create_event", {{"actorUserId", "seedusereventuall0000001"}, {"actorUserId", "seedusereventuall0000001"}, {"accountId", "seedaccounteventuall0001"},
                                       {"name", "Too big"},
                                       {"rooms", rooms}}) == "invalid_input");
}

TEST_CASE("create event for a missing account is not_found and writes nothing") {
  testing::TestDatabases db;
  const std::string before = db.dump(*db.webapp);
  CHECK(db.error_code("create_event", {{"actorUserId", "seedusereventuall0000001"}, {"accountId", "nosuchaccountaaaaaaaaaaa"},
                                       {"name", "E"},
                                       {"rooms", Json::array({{{"name", "R"}}})}}) == "not_found");
  CHECK(db.dump(*db.webapp) == before);
}

TEST_CASE("get event returns rooms by position and tickets by price in one statement") {
  testing::TestDatabases db;
  auto created = db.ok("create_event", {{"actorUserId", "seedusermomentus00000001"}, {"accountId", "seedaccountmomentus00001"},
                                        {"name", "Concert"},
                                        {"rooms", Json::array({{{"name", "A"}}, {{"name", "B"}}})}});
  const std::string event_id = created["event"]["id"];
  REQUIRE(db.webapp
              ->exec_script("INSERT INTO tickets (id, event_id, name, price) VALUES "
                            "('ticketvipaaaaaaaaaaaaaaa', '" + event_id + "', 'VIP', 9900),"
                            "('ticketfreeaaaaaaaaaaaaaa', '" + event_id + "', 'Free', 0),"
                            "('ticketgaaaaaaaaaaaaaaaaa', '" + event_id + "', 'GA', 2500)")
              .ok());
  auto event = db.ok("get_event", {{"actorUserId", "seedusermomentus00000001"}, {"id", event_id}});
  REQUIRE(event["tickets"].size() == 3);
  CHECK(event["tickets"][0]["name"] == "Free");
  CHECK(event["tickets"][1]["name"] == "GA");
  CHECK(event["tickets"][2]["price"] == 9900);
  CHECK(event["rooms"][0]["name"] == "A");
  CHECK(event["rooms"][1]["name"] == "B");
  CHECK(db.error_code("get_event", {{"actorUserId", "seedusermomentus00000001"}, {"id", "nosucheventaaaaaaaaaaaaa"}}) == "not_found");
}

TEST_CASE("list account events pages through every event exactly once") {
  testing::TestDatabases db;
  for (int i = 0; i < 7; ++i) {
    db.ok("create_event", {{"actorUserId", "seedusersgblaise00000001"}, {"accountId", "seedaccountsgblaise00001"}, {"name", "E" + std::to_string(i)}});
  }
  std::set<std::string> seen;
  Json cursor = nullptr;
  int pages = 0;
  do {
    Json input = {{"actorUserId", "seedusersgblaise00000001"}, {"accountId", "seedaccountsgblaise00001"}, {"limit", 3}};
    if (!cursor.is_null()) input["cursor"] = cursor;
    auto page = db.ok("list_account_events", input);
    for (const auto& e : page["events"]) CHECK(seen.insert(e["id"].get<std::string>()).second);
    cursor = page["nextCursor"];
    ++pages;
  } while (!cursor.is_null() && pages < 10);
  CHECK(pages == 3);
  CHECK(seen.size() == 7);
}

TEST_CASE("secret columns never appear in results") {
  CHECK(schema::select_list(schema::webapp_schema().table("sessions")).find("token_hash") ==
        std::string::npos);
  CHECK(schema::json_object_sql(schema::webapp_schema().table("mcp_api_keys"), "k")
            .find("key_hash") == std::string::npos);
}

}  // namespace
}  // namespace eventuall
