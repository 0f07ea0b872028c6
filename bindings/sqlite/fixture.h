#pragma once
// Fixtures: a list of operation calls with expected outcomes, shared by the
// native tests and the JS tests (wasm through sql.js and through Miniflare).
//
//   {"name": "...", "seed": "<64 hex chars>", "startMs": 1767225600000,
//    "steps": [{"op": "sign_up", "input": {...}, "expect": {...}}, ...]}
//
// A string "$N.path.to.field" anywhere in an input or expectation stands for
// that field of step N's outcome. "expect" matches as a subset: every key it
// names must be present and equal; arrays match element by element.
// Deterministic seed and clock make the outcomes identical on every path.

#include <memory>
#include <string>
#include <vector>

#include "client.h"
#include "common/json.h"
#include "common/status.h"
#include "sqlite_database.h"

namespace eventuall::sqlite {

// What a fixture runs against: fresh in-memory databases migrated from
// migrations_root/{webapp,workers}, seeded from migrations_root/seeds unless
// the fixture says "seed_data": false, and a client on the fixture's
// deterministic seed and clock.
struct FixtureEnvironment {
  std::unique_ptr<SqliteDatabase> webapp;
  std::unique_ptr<SqliteDatabase> workers;
  std::unique_ptr<Client> client;
};
Result<FixtureEnvironment> open_fixture_environment(const Json& fixture,
                                                    const std::string& migrations_root);

// The steps of a fixture, and step's input with its "$N..." references
// resolved against the outcomes so far.
Json fixture_steps(const Json& fixture);
Json step_input(const Json& step, const std::vector<Json>& outcomes);

struct FixtureRun {
  std::vector<Json> outcomes;         // each {"ok":..,"value"|"error":..}
  std::vector<std::string> failures;  // expectations not met
  // The databases' files after the last step, for comparing them with the
  // other targets' (tests/js/fixtures.test.mjs).
  std::string webapp_image;
  std::string workers_image;
};

// Runs the fixture in a fresh FixtureEnvironment.
Result<FixtureRun> run_fixture(const Json& fixture, const std::string& migrations_root);

Json resolve_references(const Json& value, const std::vector<Json>& outcomes);
// Empty when actual contains expected; otherwise where they differ.
std::string subset_mismatch(const Json& expected, const Json& actual, const std::string& path = "");

}  // namespace eventuall::sqlite
