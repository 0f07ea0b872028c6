#pragma once
// One operation in flight: its Context and its root coroutine. A binding
// starts it, runs each batch it asks for, resumes it, and reads the outcome.
// Executions are independent heap objects, so any number may be in flight.

#include <memory>
#include <optional>

#include "common/json.h"
#include "runtime/context.h"
#include "runtime/task.h"

namespace eventuall::runtime {

using OperationTask = Task<Result<Json>>;

class Execution {
 public:
  // seed and now_ms come from the binding (crypto.getRandomValues and
  // Date.now() in a Worker); InstanceState may replace them in tests.
  Execution(InstanceState& instance, const crypto::Seed& seed, std::int64_t now_ms);

  Context& context() { return context_; }

  // Runs task until it waits on its first batch or finishes.
  void start(OperationTask task);
  bool waiting() const { return context_.has_pending_batch(); }
  const sql::Batch& pending_batch() const { return context_.pending_batch(); }
  // Hands back the pending batch's rows (or error) and runs to the next wait.
  void resume(Result<sql::BatchResult> outcome);

  bool done() const { return task_ && task_->done(); }
  Result<Json> take_outcome();

 private:
  Context context_;
  std::optional<OperationTask> task_;
};

}  // namespace eventuall::runtime
