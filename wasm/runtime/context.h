#pragma once
// What an operation may touch: batches against the two databases, the clock,
// randomness and id generation — all supplied by the binding. The core holds
// no database and does no I/O; it only asks for batches and waits.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/coroutine.h"
#include "common/status.h"
#include "crypto/random.h"
#include "id/cuid2.h"
#include "sql/statement.h"

namespace eventuall::runtime {

// Test-only: makes every operation's seed and clock a deterministic sequence,
// so the native and wasm paths produce byte-identical results on a fixture.
class DeterministicForTesting {
 public:
  void enable(const crypto::Seed& seed, std::int64_t start_ms) {
    seeds_.emplace(seed);
    next_ms_ = start_ms;
  }
  crypto::Seed seed_or(const crypto::Seed& given) {
    if (!seeds_) return given;
    crypto::Seed seed;
    seeds_->fill(seed.data(), seed.size());
    return seed;
  }
  // Each operation is one second after the previous one.
  std::int64_t now_or(std::int64_t given) {
    if (!seeds_) return given;
    const std::int64_t now = next_ms_;
    next_ms_ += 1000;
    return now;
  }

 private:
  std::optional<crypto::Random> seeds_;
  std::int64_t next_ms_ = 0;
};

// State kept per wasm instance or per native client, shared by operations.
struct InstanceState {
  id::Cuid2Generator ids;
  DeterministicForTesting testing;
};

class Context;

// co_await ctx.run(batch): suspends until the binding has run the batch
// atomically and handed back its rows or its error.
class BatchAwaiter {
 public:
  BatchAwaiter(Context& ctx, sql::Batch batch) : ctx_(ctx), batch_(std::move(batch)) {}
  bool await_ready() const noexcept { return batch_.statements.empty(); }
  void await_suspend(coro::coroutine_handle<> waiting);
  Result<sql::BatchResult> await_resume();

 private:
  Context& ctx_;
  sql::Batch batch_;
};

// Who an operation runs for, as dispatch established it. Trusted: the caller
// passed no credential (its own backend: the admin route, a signed webhook, a
// test); anyone else came with a session token, an API key, a user the
// trusted caller authenticated itself (asserted: an RPC caller's backend), or
// nothing.
struct Credential {
  enum class Kind { kTrusted, kAnonymous, kSession, kApiKey, kAsserted };
  Kind kind = Kind::kTrusted;
  std::string user_id;
  std::vector<std::string> scopes;  // an API key's
  bool has_scope(std::string_view scope) const {
    for (const auto& s : scopes) {
      if (s == scope) return true;
    }
    return false;
  }
};

class Context {
 public:
  Context(InstanceState& instance, const crypto::Seed& seed, std::int64_t now_ms)
      : instance_(instance), random_(seed), now_ms_(now_ms) {}

  // Build the statement list before co_await: g++ 12 miscompiles a braced
  // list inside a co_await expression ("array used as initializer").
  BatchAwaiter run(sql::Database db, std::vector<sql::Statement> statements) {
    return BatchAwaiter(*this, sql::Batch{db, std::move(statements)});
  }
  BatchAwaiter run(sql::Database db, sql::Statement statement) {
    std::vector<sql::Statement> statements;
    statements.push_back(std::move(statement));
    return run(db, std::move(statements));
  }

  std::int64_t now_ms() const { return now_ms_; }
  std::int64_t now_seconds() const { return now_ms_ / 1000; }
  std::string new_id() { return instance_.ids.next(random_, now_ms_); }
  crypto::Random& random() { return random_; }
  const Credential& credential() const { return credential_; }
  void set_credential(Credential credential) { credential_ = std::move(credential); }

  // Driver side: the batch the operation waits on, and how to continue it.
  bool has_pending_batch() const { return pending_.has_value(); }
  const sql::Batch& pending_batch() const { return *pending_; }
  // Hands the batch outcome back and returns the coroutine to resume.
  coro::coroutine_handle<> complete_batch(Result<sql::BatchResult> outcome);

 private:
  friend class BatchAwaiter;

  InstanceState& instance_;
  crypto::Random random_;
  std::int64_t now_ms_;
  Credential credential_;
  std::optional<sql::Batch> pending_;
  std::optional<Result<sql::BatchResult>> outcome_;
  coro::coroutine_handle<> waiting_;
};

}  // namespace eventuall::runtime
