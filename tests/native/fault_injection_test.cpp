// Fault injection over every fixture: for each step and each statement k the
// step runs (counted across all its batches, on both databases), fail
// statement k and check that
//   - the operation returns a typed db_error,
//   - the full dumps of BOTH databases equal the dumps before the step,
//   - a retry without the fault gives the clean run's outcome and state
//     (cross-database workflows end correct, with no orphans).
// Data-driven: every operation in the registry must be reached by some
// fixture step, so a new operation without a fixture fails here by name.
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "ops/operation.h"
#include "sqlite/database_dump.h"
#include "sqlite/fixture.h"
#include "sqlite/migrations.h"
#include "test_support.h"

namespace eventuall {
namespace {

// An in-memory database's bytes, to put it back after a step is tried.
std::string serialize(sqlite::SqliteDatabase& db) {
  auto image = db.snapshot_for_testing();
  REQUIRE(image.ok());
  return std::move(image).value();
}

void restore(sqlite::SqliteDatabase& db, const std::string& image) {
  REQUIRE(db.restore_for_testing(image).ok());
}

std::string dump_both(sqlite::FixtureEnvironment& env) {
  auto webapp = sqlite::dump_database(*env.webapp);
  auto workers = sqlite::dump_database(*env.workers);
  REQUIRE(webapp.ok());
  REQUIRE(workers.ok());
  return "webapp\n" + *webapp + "workers\n" + *workers;
}

struct FaultTally {
  std::size_t faults = 0;
  std::size_t steps = 0;
  std::map<std::string, std::size_t> per_operation;  // faults injected
  std::set<std::string> problems;                    // one line per (op, kind)
};

Json parse_outcome(const std::string& text) {
  auto parsed = parse_json(text);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

void inject_faults(const std::string& name, const Json& fixture, FaultTally& tally) {
  auto opened = sqlite::open_fixture_environment(fixture, testing::source_path("migrations"));
  REQUIRE(opened.ok());
  sqlite::FixtureEnvironment& env = *opened;
  sqlite::StatementFaultPlan plan;
  env.webapp->set_fault_plan_for_testing(&plan);
  env.workers->set_fault_plan_for_testing(&plan);
  runtime::InstanceState& state = env.client->instance_state_for_testing();

  std::vector<Json> outcomes;
  const Json steps = sqlite::fixture_steps(fixture);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string op = steps[i].value("op", std::string());
    const std::string input = dump_json(sqlite::step_input(steps[i], outcomes));
    const std::string where = name + " step " + std::to_string(i) + " (" + op + ")";

    const std::string before = dump_both(env);
    const std::string webapp_image = serialize(*env.webapp);
    const std::string workers_image = serialize(*env.workers);
    const runtime::InstanceState state_before = state;

    plan.arm(std::nullopt);
    const std::string clean = env.client->call_text(op, input);
    const std::size_t statements = plan.seen;
    const std::string after = dump_both(env);
    ++tally.steps;

    for (std::size_t k = 0; k < statements; ++k) {
      restore(*env.webapp, webapp_image);
      restore(*env.workers, workers_image);
      state = state_before;
      plan.arm(k);
      const Json faulted = parse_outcome(env.client->call_text(op, input));
      ++tally.faults;
      ++tally.per_operation[op];
      const std::string at =
          where + " failing statement " + std::to_string(k) + " of " + std::to_string(statements);
      if (!plan.fired) tally.problems.insert(op + ": the fault was never reached (" + at + ")");
      if (faulted.value("ok", true)) {
        tally.problems.insert(op + ": succeeded despite a failed statement (" + at + ")");
      } else if (faulted["error"].value("code", std::string()) != "db_error") {
        tally.problems.insert(op + ": a failed statement gave " + dump_json(faulted["error"]) +
                              " (" + at + ")");
      }
      if (dump_both(env) != before) {
        tally.problems.insert(op + ": a failure left writes behind (" + at + ")");
      }

      // The retry must end exactly where a run without failure ends.
      state = state_before;
      plan.arm(std::nullopt);
      if (env.client->call_text(op, input) != clean) {
        tally.problems.insert(op + ": the retry returned another outcome (" + at + ")");
      }
      if (dump_both(env) != after) {
        tally.problems.insert(op + ": the retry left another state (" + at + ")");
      }
    }
    outcomes.push_back(parse_outcome(clean));
  }
}

TEST_CASE("every statement of every fixture step can fail without leaving a trace") {
  FaultTally tally;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::source_path("tests/fixtures"))) {
    if (entry.path().extension() != ".json") continue;
    auto text = sqlite::read_file(entry.path().string());
    REQUIRE(text.ok());
    auto fixture = parse_json(*text);
    REQUIRE(fixture.ok());
    inject_faults(entry.path().filename().string(), *fixture, tally);
  }
  for (const auto& problem : tally.problems) FAIL_CHECK(problem);

  // Every registered operation reached the database in some fixture.
  for (const auto& op : ops::operations()) {
    const std::string name(op.name);
    if (tally.per_operation[name] == 0) {
      FAIL_CHECK("operation " << name << " has no fixture step that reaches the database: "
                              << "add one to tests/fixtures");
    }
  }
  std::printf("fault injection: %zu faults injected over %zu fixture steps, %zu operations\n",
              tally.faults, tally.steps, tally.per_operation.size());
  CHECK(tally.faults > 0);
}

}  // namespace
}  // namespace eventuall
