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
  // Per database (sql::Database as index): a batch carrying the schema guard
  // has succeeded in this instance, so no batch carries it any more. A
  // native client holds one pair of databases, so this is per database; the
  // wasm binding serves many (a fleet, Durable Objects) and instead tells
  // each operation which of its databases are confirmed (set_schema_confirmed).
  bool schema_confirmed[2] = {false, false};
  // Off only for a caller that runs operations on a database it migrates
  // itself, step by step (a test of a data migration).
  bool schema_guard = true;
};

class Context;

// co_await ctx.run(batch): suspends until the binding has run the batch
// atomically and handed back its rows or its error.
class BatchAwaiter {
 public:
  BatchAwaiter(Context& ctx, sql::Batch batch, bool guarded = true)
      : ctx_(ctx), batch_(std::move(batch)), guarded_(guarded) {}
  bool await_ready() const noexcept { return batch_.statements.empty(); }
  void await_suspend(coro::coroutine_handle<> waiting);
  Result<sql::BatchResult> await_resume();

 private:
  Context& ctx_;
  sql::Batch batch_;
  bool guarded_;
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
  std::vector<std::string> scopes;  // an API key's (on the fast path: the one the guard checks)
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
      : instance_(instance),
        random_(seed),
        now_ms_(now_ms),
        schema_confirmed_{instance.schema_confirmed[0], instance.schema_confirmed[1]} {}

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
  // A batch that carries no guard: the guards' own failure paths.
  BatchAwaiter run_unguarded(sql::Database db, sql::Statement statement) {
    std::vector<sql::Statement> statements;
    statements.push_back(std::move(statement));
    return BatchAwaiter(*this, sql::Batch{db, std::move(statements)}, false);
  }

  // Guards: statements the runtime puts in front of an operation's batches,
  // each failing its batch (so nothing of it is written) unless what it
  // checks holds. A guard rides every batch of its database until one batch
  // carrying it succeeds: then it is confirmed and rides no more. The
  // operation sees only its own statements' results.
  //
  // The schema guard (schema_guard.h) rides the first batches of each
  // database until the instance has confirmed it.
  bool schema_unconfirmed(sql::Database db) const {
    return schema_guarded_[index(db)] && !schema_confirmed_[index(db)];
  }
  void confirm_schema(sql::Database db) {
    schema_confirmed_[index(db)] = true;
    instance_.schema_confirmed[index(db)] = true;
  }
  // The caller's knowledge of this operation's databases (the wasm binding's
  // per-binding memory) instead of the instance's; read back when it ends.
  void set_schema_confirmed(bool webapp, bool workers) {
    schema_confirmed_[0] = webapp;
    schema_confirmed_[1] = workers;
  }
  bool schema_confirmed(sql::Database db) const { return schema_confirmed_[index(db)]; }
  // The credential guard (ops/credentials.cpp): a claimed credential's check
  // and its last-seen stamp, on the webapp database. A batch on the workers
  // database while it is unconfirmed is preceded by a webapp batch of the
  // guard alone, so no write of any database happens before it holds.
  void arm_credential_guard(std::vector<sql::Statement> statements) {
    credential_guard_ = std::move(statements);
    credential_confirmed_ = false;
  }
  bool credential_guard_armed() const { return !credential_guard_.empty(); }
  bool credential_confirmed() const { return credential_confirmed_; }
  void disarm_credential_guard() { credential_guard_.clear(); }

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

  static std::size_t index(sql::Database db) { return db == sql::Database::kWebapp ? 0 : 1; }
  // Makes batch pending, with the guards it must carry in front.
  void submit(sql::Batch batch, bool guarded);
  void put_guards_in_front(sql::Batch batch);

  InstanceState& instance_;
  crypto::Random random_;
  std::int64_t now_ms_;
  Credential credential_;
  std::optional<sql::Batch> pending_;
  // The operation's batch, held while a webapp batch of the credential guard
  // runs first (the operation's batch is on the workers database).
  std::optional<sql::Batch> held_;
  // Guards in front of the pending batch: how many statements, and which.
  std::size_t guard_statements_ = 0;
  bool pending_has_schema_guard_ = false;
  bool pending_has_credential_guard_ = false;
  bool schema_guarded_[2] = {false, false};
  bool schema_confirmed_[2];
  std::vector<sql::Statement> credential_guard_;
  bool credential_confirmed_ = false;
  std::optional<Result<sql::BatchResult>> outcome_;
  coro::coroutine_handle<> waiting_;
};

}  // namespace eventuall::runtime
