// Runs every shared fixture natively. The JS suites run the same files through
// the wasm build and compare their outcomes with these, byte for byte.
#include <filesystem>

#include "sqlite/fixture.h"
#include "test_support.h"

namespace eventuall {
namespace {

TEST_CASE("shared fixtures pass natively") {
  int fixtures = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::source_path("tests/fixtures"))) {
    if (entry.path().extension() != ".json") continue;
    ++fixtures;
    auto text = sqlite::read_file(entry.path().string());
    REQUIRE(text.ok());
    auto fixture = parse_json(*text);
    REQUIRE(fixture.ok());
    auto run = sqlite::run_fixture(*fixture, testing::source_path("migrations"));
    REQUIRE(run.ok());
    INFO(entry.path().filename().string());
    CHECK(run->outcomes.size() == fixture->value("steps", Json::array()).size());
    for (const auto& failure : run->failures) FAIL_CHECK(failure);
  }
  CHECK(fixtures >= 2);
}

TEST_CASE("a fixture run is deterministic") {
  auto text = sqlite::read_file(testing::source_path("tests/fixtures/foundation.json"));
  REQUIRE(text.ok());
  auto fixture = parse_json(*text);
  REQUIRE(fixture.ok());
  auto first = sqlite::run_fixture(*fixture, testing::source_path("migrations"));
  auto second = sqlite::run_fixture(*fixture, testing::source_path("migrations"));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(dump_json(first->outcomes) == dump_json(second->outcomes));
}

TEST_CASE("fixture expectations catch mismatches") {
  CHECK(sqlite::subset_mismatch(Json{{"a", 1}}, Json{{"a", 1}, {"b", 2}}).empty());
  CHECK_FALSE(sqlite::subset_mismatch(Json{{"a", 1}}, Json{{"a", 2}}).empty());
  CHECK_FALSE(sqlite::subset_mismatch(Json{{"a", 1}}, Json{{"b", 1}}).empty());
  CHECK_FALSE(sqlite::subset_mismatch(Json::array({1, 2}), Json::array({1})).empty());
  std::vector<Json> outcomes = {Json{{"value", {{"id", "x"}, {"list", {7, 8}}}}}};
  CHECK(sqlite::resolve_references("$0.value.id", outcomes) == "x");
  CHECK(sqlite::resolve_references("$0.value.list.1", outcomes) == 8);
  CHECK(sqlite::resolve_references("$3.value", outcomes) == "$3.value");
}

}  // namespace
}  // namespace eventuall
