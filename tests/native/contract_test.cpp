// Operation contracts (wasm/ops/contract.h): every registered operation
// declares one; the generic validator answers as Input does; an answer off
// its declared shape is named by path. The fixtures check every outcome
// against its contract (bindings/sqlite/fixture.cpp).
#include <set>

#include "ops/contract.h"

#include "ops/operation.h"
#include "ops/rbac/platform_catalog.h"
#include "test_support.h"

namespace eventuall {
namespace {

using ops::contract::check_output;
using ops::contract::Fields;
using ops::contract::json_schema;
using testing::kEventuallAdmin;
using testing::TestDatabases;

const Fields& create_event_input() {
  return ops::find_operation("create_event")->contract().input;
}

std::string refusal(const Fields& fields, const Json& input) {
  auto read = ops::contract::read(fields, input);
  return read.ok() ? std::string("accepted") : read.error().message();
}

TEST_CASE("every registered operation declares a contract, with an answer shape") {
  std::vector<std::string> missing;
  for (const auto& op : ops::operations()) {
    if (!op.contract || op.contract().output.empty()) missing.emplace_back(op.name);
  }
  const std::string names = [&] {
    std::string all;
    for (const auto& m : missing) all += m + " ";
    return all;
  }();
  INFO("operations without a contract: " << names);
  CHECK(missing.empty());
}

TEST_CASE("every contract names tables and enum columns the schemas have") {
  // json_schema resolves every table and enum column; a wrong name is our
  // bug and stops the test (common/bug.h).
  for (const auto& op : ops::operations()) {
    const std::string name(op.name);
    INFO(name);
    CHECK(json_schema(op.contract().input, true).is_object());
    CHECK(json_schema(op.contract().output, false).is_object());
  }
}

TEST_CASE("the contract validator answers with Input's messages, first problem first") {
  const Fields& in = create_event_input();
  CHECK(refusal(in, Json::array()) == "input must be a JSON object");
  CHECK(refusal(in, Json::object()) == "actorUserId is required");
  const Json base = {{"actorUserId", kEventuallAdmin}, {"accountId", testing::kEventuallAccount}};
  Json no_name = base;
  CHECK(refusal(in, no_name) == "name is required");
  Json bad = base;
  bad["name"] = "  Gala  ";
  bad["status"] = "live";
  CHECK(refusal(in, bad) == "status must be one of: draft, active, archive");
  bad["status"] = nullptr;
  bad["rooms"] = Json::array({{{"name", "Main"}}, {{"name", " "}}});
  CHECK(refusal(in, bad) == "rooms[1].name must not be empty");
  bad["rooms"] = Json::array({{{"name", "Main"}, {"capacity", 0}}});
  CHECK(refusal(in, bad) == "rooms[0].capacity must be between 1 and 9223372036854775807");
  bad["rooms"] = "Main";
  CHECK(refusal(in, bad) == "rooms must be an array");
  bad["accountId"] = "not an id";
  CHECK(refusal(in, bad) ==
        "accountId must be an id (24 lowercase letters and digits, starting with a letter)");
}

TEST_CASE("the validated input is trimmed and defaulted as declared") {
  Json input = {{"actorUserId", kEventuallAdmin},
                {"accountId", testing::kEventuallAccount},
                {"name", "  Gala  "},
                {"rooms", Json::array({{{"name", " Main "}}})}};
  auto read = ops::contract::read(create_event_input(), input);
  REQUIRE(read.ok());
  CHECK(read->text("name") == "Gala");
  CHECK(read->text("status") == "draft");
  CHECK(!read->optional_integer("startsAt"));
  auto rooms = read->objects("rooms");
  REQUIRE(rooms.size() == 1);
  CHECK(rooms[0].text("name") == "Main");
  CHECK(rooms[0].text("kind") == "session");
}

// The args are the parsed input checked in place: they hold exactly the
// declared, non-null members as checked (trimmed, defaulted, integers signed),
// nothing undeclared, and a const input is left as it was.
TEST_CASE("the args hold only what was checked, and a const input is not changed") {
  const Json input = {{"actorUserId", kEventuallAdmin},
                      {"accountId", testing::kEventuallAccount},
                      {"name", "  Gala  "},
                      {"description", nullptr},
                      {"startsAt", 1700000000.0},
                      {"undeclared", {{"deep", Json::array({1, 2})}}},
                      {"rooms", Json::array({{{"name", " Main "}, {"kind", nullptr}, {"x", 1}},
                                             {{"name", "B"}, {"capacity", 3}}})}};
  const Json before = input;
  auto read = ops::contract::read(create_event_input(), input);
  REQUIRE(read.ok());
  CHECK(input == before);
  const Json expected = {
      {"actorUserId", kEventuallAdmin},
      {"accountId", testing::kEventuallAccount},
      {"name", "Gala"},
      {"status", "draft"},
      {"startsAt", 1700000000},
      {"rooms", Json::array({{{"name", "Main"}, {"kind", "session"}},
                             {{"name", "B"}, {"kind", "session"}, {"capacity", 3}}})}};
  CHECK(read->json() == expected);
  CHECK(read->json()["startsAt"].is_number_integer());
  CHECK(read->json()["rooms"][1]["capacity"].is_number_integer());
  auto rooms = read->objects("rooms");
  REQUIRE(rooms.size() == 2);
  CHECK(rooms[0].json() == expected["rooms"][0]);
  CHECK(rooms[1].integer("capacity") == 3);

  // Moved in, the same args; a refused input gives the same error either way.
  Json moved = before;
  auto owned = ops::contract::read(create_event_input(), std::move(moved));
  REQUIRE(owned.ok());
  CHECK(owned->json() == expected);
  Json bad = before;
  bad["rooms"][1]["name"] = " ";
  const std::string refused = refusal(create_event_input(), bad);
  auto moved_bad = ops::contract::read(create_event_input(), std::move(bad));
  REQUIRE(!moved_bad.ok());
  CHECK(moved_bad.error().message() == refused);
  CHECK(refused == "rooms[1].name must not be empty");
}

TEST_CASE("an answer off its declared shape is named by its path") {
  const Fields& out = ops::find_operation("create_event")->contract().output;
  TestDatabases db;
  Json answer = db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                                       {"accountId", testing::kEventuallAccount},
                                       {"name", "Gala"},
                                       {"rooms", Json::array({{{"name", "Main"}}})}});
  CHECK(!check_output(out, answer));
  Json wrong = answer;
  wrong["event"]["status"] = "live";
  CHECK(check_output(out, wrong).value_or("") ==
        "$.event.status: must be one of draft, active, archive");
  wrong = answer;
  wrong["rooms"][0]["capacity"] = "ten";
  CHECK(check_output(out, wrong).value_or("") == "$.rooms[0].capacity: must be an integer");
  wrong = answer;
  wrong["extra"] = 1;
  CHECK(check_output(out, wrong).value_or("") == "$.extra: is not declared");
  wrong = answer;
  wrong.erase("rooms");
  CHECK(check_output(out, wrong).value_or("") == "$.rooms: is missing");
  wrong = answer;
  wrong["event"].erase("name");
  CHECK(check_output(out, wrong).value_or("") == "$.event.name: is missing");
}

TEST_CASE("an open answer object's undeclared members are scalars, as its TypeScript says") {
  using namespace ops::contract;
  const Fields out{object("item", {text("title")}).open()};
  CHECK(!check_output(out, {{"item", {{"title", "Poster"}, {"sku", "P-1"}, {"quantity", 2},
                                      {"gift", false}, {"note", nullptr}}}}));
  CHECK(check_output(out, {{"item", {{"title", "Poster"}, {"tags", Json::array({"a"})}}}})
            .value_or("") == "$.item.tags: an undeclared member must be a string, number, boolean or null");
  CHECK(check_output(out, {{"item", {{"title", "Poster"}, {"meta", {{"a", 1}}}}}}).has_value());
  const Json schema = json_schema(out, false);
  CHECK(schema["properties"]["item"]["additionalProperties"]["type"] ==
        Json::array({"string", "number", "boolean", "null"}));
}

TEST_CASE("can with a misspelled permission answers invalid_input, never allowed: false") {
  TestDatabases db;
  Json event = db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                                      {"accountId", testing::kEventuallAccount},
                                      {"name", "Gala"}});
  const std::string event_id = event["event"]["id"];
  const std::string before = db.dump(*db.webapp);
  // A well-formed name the catalog lacks, and a malformed one.
  CHECK(db.error_code("can", {{"userId", kEventuallAdmin},
                              {"eventId", event_id},
                              {"permission", "room.joinn"}}) == "invalid_input");
  CHECK(db.error_code("can", {{"userId", kEventuallAdmin},
                              {"eventId", event_id},
                              {"permission", "Room Join"}}) == "invalid_input");
  CHECK(db.ok("can", {{"userId", kEventuallAdmin},
                      {"eventId", event_id},
                      {"permission", "room.join"}})["allowed"] == true);
  CHECK(db.dump(*db.webapp) == before);
}

TEST_CASE("the platform catalog the package exports is the one the migrations seed") {
  TestDatabases db;
  auto permissions = db.webapp->query("SELECT name FROM permissions ORDER BY name");
  auto roles = db.webapp->query("SELECT name, id FROM roles WHERE account_id IS NULL ORDER BY name");
  REQUIRE(permissions.ok());
  REQUIRE(roles.ok());
  std::set<std::string> seeded, declared;
  for (const auto& row : permissions->rows) seeded.insert(row[0].as_text());
  for (auto p : ops::rbac::kStandardPermissions) declared.emplace(p);
  CHECK(seeded == declared);
  std::set<std::pair<std::string, std::string>> seeded_roles, declared_roles;
  for (const auto& row : roles->rows) seeded_roles.emplace(row[0].as_text(), row[1].as_text());
  for (const auto& r : ops::rbac::kPlatformRoles) declared_roles.emplace(r.name, r.id);
  CHECK(seeded_roles == declared_roles);
}

}  // namespace
}  // namespace eventuall
