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

#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace eventuall::sqlite {

struct FixtureRun {
  std::vector<Json> outcomes;         // each {"ok":..,"value"|"error":..}
  std::vector<std::string> failures;  // expectations not met
};

// Runs the fixture against fresh in-memory databases migrated from
// migrations_root/{webapp,workers} and seeded from migrations_root/seeds.
Result<FixtureRun> run_fixture(const Json& fixture, const std::string& migrations_root);

Json resolve_references(const Json& value, const std::vector<Json>& outcomes);
// Empty when actual contains expected; otherwise where they differ.
std::string subset_mismatch(const Json& expected, const Json& actual, const std::string& path = "");

}  // namespace eventuall::sqlite
