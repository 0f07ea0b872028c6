#include "runtime/context.h"

#include <algorithm>

#include "runtime/schema_guard.h"

namespace eventuall::runtime {

void BatchAwaiter::await_suspend(coro::coroutine_handle<> waiting) {
  ctx_.submit(std::move(batch_), guarded_);
  ctx_.waiting_ = waiting;
}

Result<sql::BatchResult> BatchAwaiter::await_resume() {
  // An empty batch never suspends (D1 rejects batch([])): it has no results.
  if (!ctx_.outcome_) return sql::BatchResult{};
  Result<sql::BatchResult> outcome = std::move(*ctx_.outcome_);
  ctx_.outcome_.reset();
  return outcome;
}

void Context::submit(sql::Batch batch, bool guarded) {
  guard_statements_ = 0;
  pending_has_schema_guard_ = false;
  pending_has_credential_guard_ = false;
  if (!guarded) {
    pending_.emplace(std::move(batch));
    return;
  }
  if (credential_guard_armed() && !credential_confirmed_ &&
      batch.database != sql::Database::kWebapp) {
    held_.emplace(std::move(batch));
    put_guards_in_front(sql::Batch{sql::Database::kWebapp, {}});
    return;
  }
  put_guards_in_front(std::move(batch));
}

void Context::put_guards_in_front(sql::Batch batch) {
  std::vector<sql::Statement> front;
  const std::size_t db = index(batch.database);
  if (instance_.schema_guard && !schema_confirmed_[db]) {
    front.push_back(schema_guard_statement(batch.database));
    schema_guarded_[db] = true;
    pending_has_schema_guard_ = true;
  }
  if (credential_guard_armed() && !credential_confirmed_ &&
      batch.database == sql::Database::kWebapp) {
    for (const auto& s : credential_guard_) front.push_back(s);
    pending_has_credential_guard_ = true;
  }
  guard_statements_ = front.size();
  if (!front.empty()) {
    for (auto& s : batch.statements) front.push_back(std::move(s));
    batch.statements = std::move(front);
  }
  pending_.emplace(std::move(batch));
}

coro::coroutine_handle<> Context::complete_batch(Result<sql::BatchResult> outcome) {
  const sql::Database db = pending_->database;
  pending_.reset();
  if (outcome.ok()) {
    if (pending_has_schema_guard_) confirm_schema(db);
    if (pending_has_credential_guard_) credential_confirmed_ = true;
    auto& results = *outcome;
    results.erase(results.begin(),
                  results.begin() + static_cast<std::ptrdiff_t>(
                                        std::min(guard_statements_, results.size())));
  }
  if (held_) {
    sql::Batch batch = std::move(*held_);
    held_.reset();
    if (outcome.ok()) {
      // The credential holds: now the operation's own batch.
      submit(std::move(batch), true);
      return coro::noop_coroutine();
    }
    // The operation's batch never runs; it gets the guard batch's error.
  }
  outcome_.emplace(std::move(outcome));
  return std::exchange(waiting_, {});
}

}  // namespace eventuall::runtime
