// The coroutine runtime: operations suspend on batches, nest, and many can be
// in flight at once, each resumed in any order.
#include <memory>

#include "ops/operation.h"
#include "runtime/execution.h"
#include "test_support.h"

namespace eventuall {
namespace {

using runtime::Context;
using runtime::Task;

Task<Result<std::int64_t>> read_number(Context& ctx, std::int64_t n) {
  sql::Statement select{"SELECT ? AS n", {n}};
  auto rows = co_await ctx.run(sql::Database::kWebapp, std::move(select));
  if (!rows.ok()) co_return rows.take_error();
  co_return (*rows)[0].rows[0][0].as_integer();
}

Task<Result<std::int64_t>> no_batch(Context&, std::int64_t n) { co_return n * 2; }

// Two nested tasks that suspend, one that finishes inline, one empty batch.
runtime::OperationTask sum_operation(Context& ctx, std::int64_t base) {
  auto a = co_await read_number(ctx, base);
  auto b = co_await no_batch(ctx, base);
  std::vector<sql::Statement> nothing;
  auto empty = co_await ctx.run(sql::Database::kWebapp, std::move(nothing));
  auto c = co_await read_number(ctx, base + 1);
  if (!a.ok() || !b.ok() || !c.ok() || !empty.ok()) co_return Error::internal("step failed");
  co_return Json(*a + *b + *c);
}

TEST_CASE("many executions in flight complete in any resume order") {
  testing::TestDatabases db;
  runtime::InstanceState instance;
  std::vector<std::unique_ptr<runtime::Execution>> executions;
  for (int i = 0; i < 100; ++i) {
    executions.push_back(std::make_unique<runtime::Execution>(instance, crypto::Seed{}, 0));
    executions.back()->start(sum_operation(executions.back()->context(), i));
    CHECK(executions.back()->waiting());
  }
  // Resume from the back, one batch at a time, round-robin until all finish.
  bool progressed = true;
  while (progressed) {
    progressed = false;
    for (auto it = executions.rbegin(); it != executions.rend(); ++it) {
      auto& e = **it;
      if (!e.waiting()) continue;
      e.resume(db.webapp->run_batch(e.pending_batch().statements));
      progressed = true;
    }
  }
  for (int i = 0; i < 100; ++i) {
    REQUIRE(executions[i]->done());
    auto outcome = executions[i]->take_outcome();
    REQUIRE(outcome.ok());
    CHECK(outcome.value() == i + 2 * i + (i + 1));
  }
}

TEST_CASE("a failed batch reaches the operation as a classified error") {
  runtime::InstanceState instance;
  instance.schema_guard = false;  // the results below are made up: no guard in front
  runtime::Execution e(instance, crypto::Seed{}, 0);
  e.start(sum_operation(e.context(), 1));
  REQUIRE(e.waiting());
  e.resume(Error::db_error("D1_ERROR: UNIQUE constraint failed: x.y"));
  // The first read failed, but the operation still runs its later steps.
  while (e.waiting()) e.resume(sql::BatchResult{sql::ResultSet{{"n"}, {{std::int64_t{5}}}, 0}});
  REQUIRE(e.done());
  auto outcome = e.take_outcome();
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().code() == ErrorCode::kInternal);
}

TEST_CASE("an execution dropped while waiting frees its frames") {
  runtime::InstanceState instance;
  auto e = std::make_unique<runtime::Execution>(instance, crypto::Seed{}, 0);
  e->start(sum_operation(e->context(), 1));
  CHECK(e->waiting());
  e.reset();  // LeakSanitizer (sanitizer build) reports if frames leak
}

TEST_CASE("dispatch rejects unknown names, oversize and deep input without running") {
  runtime::InstanceState instance;
  auto outcome_of = [&](std::string name, std::string input) {
    runtime::Execution e(instance, crypto::Seed{}, 0);
    e.start(ops::dispatch(e.context(), std::move(name), std::move(input)));
    REQUIRE_FALSE(e.waiting());
    return e.take_outcome();
  };
  CHECK(outcome_of("drop_everything", "{}").error().code() == ErrorCode::kInvalidInput);
  CHECK(outcome_of("sign_up", std::string(ops::kMaxInputBytes + 1, ' ')).error().code() ==
        ErrorCode::kInvalidInput);
  CHECK(outcome_of("sign_up", std::string(100000, '[')).error().code() == ErrorCode::kInvalidInput);
  CHECK(outcome_of("sign_up", "{\"email\":\"\xff\"}").error().code() == ErrorCode::kInvalidInput);
  CHECK(outcome_of("sign_up", "nul\0l").error().code() == ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace eventuall
