#include "runtime/execution.h"

#include "sql/db_error.h"

namespace eventuall::runtime {

Execution::Execution(InstanceState& instance, const crypto::Seed& seed, std::int64_t now_ms)
    : context_(instance, instance.testing.seed_or(seed), instance.testing.now_or(now_ms)) {}

void Execution::start(OperationTask task) {
  task_.emplace(std::move(task));
  task_->handle().resume();
}

void Execution::resume(Result<sql::BatchResult> outcome) {
  if (!waiting()) return;
  if (!outcome.ok()) outcome = sql::classify_db_error(outcome.error().message());
  context_.complete_batch(std::move(outcome)).resume();
}

Result<Json> Execution::take_outcome() {
  if (!done()) return Error::internal("operation has not finished");
  return task_->take_value();
}

}  // namespace eventuall::runtime
