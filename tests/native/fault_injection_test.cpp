// Fault injection over every fixture: for each step, each statement k the
// step runs (counted across all its batches, on both databases) and each
// batch b it commits, fail it in each way a real database fails:
//   - statement k fails before it runs (a generic error): db_error;
//   - statement k runs, then a real constraint error (UNIQUE, NOT NULL,
//     CHECK, FOREIGN KEY in turn) fails it: the code SQLite's message is
//     classified to (conflict or invalid_input), as under a racing write;
//   - batch b's COMMIT fails after all its statements ran: db_error;
// and check that
//   - the operation returns that typed error, never ok,
//   - the full dumps of BOTH databases equal the dumps before the step,
//   - a retry without the fault, with fresh randomness and a later clock as
//     a real retry gets (the ids and tokens the failed attempt drew are not
//     drawn again), ends exactly as a first attempt with that randomness
//     ends from the state before the step: same outcome, same dumps
//     (cross-database workflows end correct, with no orphans).
// Data-driven: every operation in the registry must be reached by some
// fixture step, so a new operation without a fixture fails here by name.
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "ops/operation.h"
#include "sql/db_error.h"
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
  std::map<sqlite::FaultKind, std::size_t> per_kind;  // faults injected
  std::map<std::string, std::size_t> per_operation;   // faults injected
  std::set<std::string> problems;                     // one line per (op, kind)
};

Json parse_outcome(const std::string& text) {
  auto parsed = parse_json(text);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

const char* kind_name(sqlite::FaultKind kind) {
  switch (kind) {
    case sqlite::FaultKind::kBeforeStatement:
      return "a generic error before statement";
    case sqlite::FaultKind::kConstraint:
      return "a constraint error in statement";
    case sqlite::FaultKind::kCommit:
      return "a failed COMMIT of batch";
  }
  return "?";
}

// The code a fault of this kind at this index must be answered with: the
// classification of SQLite's own message for the violation
// (sqlite_database.cpp: UNIQUE, NOT NULL, CHECK, FOREIGN KEY in turn).
std::string expected_code(sqlite::FaultKind kind, std::size_t k) {
  if (kind != sqlite::FaultKind::kConstraint) return "db_error";
  static const char* const kMessages[] = {
      "UNIQUE constraint failed: eventuall_fault.u", "NOT NULL constraint failed: eventuall_fault.n",
      "CHECK constraint failed: c > 0", "FOREIGN KEY constraint failed"};
  return std::string(sql::classify_db_error(kMessages[k % 4]).code_name());
}

struct Images {
  std::string webapp, workers;
  runtime::InstanceState state;
};

void inject_faults(const std::string& name, const Json& fixture, FaultTally& tally) {
  auto opened = sqlite::open_fixture_environment(fixture, testing::source_path("migrations"));
  REQUIRE(opened.ok());
  sqlite::FixtureEnvironment& env = *opened;
  sqlite::StatementFaultPlan plan;
  env.webapp->set_fault_plan_for_testing(&plan);
  env.workers->set_fault_plan_for_testing(&plan);
  runtime::InstanceState& state = env.client->instance_state_for_testing();
  const auto take = [&] { return Images{serialize(*env.webapp), serialize(*env.workers), state}; };
  const auto put_back = [&](const Images& images) {
    restore(*env.webapp, images.webapp);
    restore(*env.workers, images.workers);
    state = images.state;
  };

  std::vector<Json> outcomes;
  const Json steps = sqlite::fixture_steps(fixture);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string op = steps[i].value("op", std::string());
    const std::string input = dump_json(sqlite::step_input(steps[i], outcomes));
    const std::string where = name + " step " + std::to_string(i) + " (" + op + ")";

    const std::string before_dump = dump_both(env);
    const Images before = take();

    plan.arm(std::nullopt);
    const std::string clean = env.client->call_text(op, input);
    const std::size_t statements = plan.seen;
    const std::size_t batches = plan.commits;
    const Images after = take();
    ++tally.steps;

    for (const auto kind : {sqlite::FaultKind::kBeforeStatement, sqlite::FaultKind::kConstraint,
                            sqlite::FaultKind::kCommit}) {
      const std::size_t points = kind == sqlite::FaultKind::kCommit ? batches : statements;
      for (std::size_t k = 0; k < points; ++k) {
        put_back(before);
        plan.arm(k, kind);
        const Json faulted = parse_outcome(env.client->call_text(op, input));
        ++tally.faults;
        ++tally.per_kind[kind];
        ++tally.per_operation[op];
        const std::string at = where + " with " + kind_name(kind) + " " + std::to_string(k) +
                               " of " + std::to_string(points);
        if (!plan.fired) tally.problems.insert(op + ": the fault was never reached (" + at + ")");
        const std::string code = expected_code(kind, k);
        if (faulted.value("ok", true)) {
          tally.problems.insert(op + ": succeeded despite " + kind_name(kind) + " (" + at + ")");
        } else if (faulted["error"].value("code", std::string()) != code) {
          tally.problems.insert(op + ": " + kind_name(kind) + " gave " +
                                dump_json(faulted["error"]) + ", not " + code + " (" + at + ")");
        }
        if (dump_both(env) != before_dump) {
          tally.problems.insert(op + ": a failure left writes behind (" + at + ")");
        }

        // The retry draws on from where the failed attempt left the
        // randomness and the clock; a first attempt drawing the same must end
        // the same way.
        const runtime::InstanceState fresh = state;
        plan.arm(std::nullopt);
        const std::string retried = env.client->call_text(op, input);
        const std::string retried_dump = dump_both(env);
        put_back(before);
        state = fresh;
        const std::string first = env.client->call_text(op, input);
        if (retried != first) {
          tally.problems.insert(op + ": the retry returned another outcome than a first attempt (" +
                                at + ")");
        }
        if (retried_dump != dump_both(env)) {
          tally.problems.insert(op + ": the retry left another state than a first attempt (" + at +
                                ")");
        }
      }
    }
    put_back(after);
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
  std::printf(
      "fault injection: %zu faults injected over %zu fixture steps, %zu operations (%zu before a "
      "statement, %zu constraint errors, %zu failed COMMITs)\n",
      tally.faults, tally.steps, tally.per_operation.size(),
      tally.per_kind[sqlite::FaultKind::kBeforeStatement],
      tally.per_kind[sqlite::FaultKind::kConstraint], tally.per_kind[sqlite::FaultKind::kCommit]);
  CHECK(tally.per_kind[sqlite::FaultKind::kConstraint] > 0);
  CHECK(tally.per_kind[sqlite::FaultKind::kCommit] > 0);
  CHECK(tally.faults > 0);
}

}  // namespace
}  // namespace eventuall
