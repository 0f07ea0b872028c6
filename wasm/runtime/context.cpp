#include "runtime/context.h"

namespace eventuall::runtime {

void BatchAwaiter::await_suspend(coro::coroutine_handle<> waiting) {
  ctx_.pending_.emplace(std::move(batch_));
  ctx_.waiting_ = waiting;
}

Result<sql::BatchResult> BatchAwaiter::await_resume() {
  // An empty batch never suspends (D1 rejects batch([])): it has no results.
  if (!ctx_.outcome_) return sql::BatchResult{};
  Result<sql::BatchResult> outcome = std::move(*ctx_.outcome_);
  ctx_.outcome_.reset();
  return outcome;
}

coro::coroutine_handle<> Context::complete_batch(Result<sql::BatchResult> outcome) {
  pending_.reset();
  outcome_.emplace(std::move(outcome));
  return std::exchange(waiting_, {});
}

}  // namespace eventuall::runtime
