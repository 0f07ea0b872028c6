#pragma once
// A native database: libsqlite3 with foreign keys on, running each batch of
// the core as one transaction (what D1's batch() guarantees).

#include <memory>
#include <optional>
#include <vector>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "sql/statement.h"

struct sqlite3;
struct sqlite3_stmt;

namespace eventuall::sqlite {

// Test-only: how an injected fault fails.
enum class FaultKind {
  // The statement fails before it runs, with a generic error.
  kBeforeStatement,
  // The statement runs, then a real constraint violation fails it inside the
  // same transaction (SQLite's own error: UNIQUE, NOT NULL, CHECK and FOREIGN
  // KEY in turn, by index), as when a concurrent write took a key.
  kConstraint,
  // The batch's COMMIT fails (SQLite's commit hook refuses it), after every
  // statement ran; fail_at counts batches, not statements.
  kCommit,
};

// Test-only: fails the statement (or, for kCommit, the batch) at index
// fail_at, counted across every batch (and every database sharing this plan)
// since it was armed, so a fault can hit any statement of a multi-batch or
// cross-database operation.
struct StatementFaultPlan {
  std::optional<std::size_t> fail_at;
  FaultKind kind = FaultKind::kBeforeStatement;
  std::size_t seen = 0;     // statements attempted since armed
  std::size_t commits = 0;  // batch COMMITs attempted since armed
  bool fired = false;

  void arm(std::optional<std::size_t> index, FaultKind fault = FaultKind::kBeforeStatement) {
    *this = StatementFaultPlan{index, fault};
  }
  // Counts one statement; true when it is the one to fail.
  bool hit() { return count(seen, kind != FaultKind::kCommit); }
  // Counts one COMMIT; true when it is the one to fail.
  bool hit_commit() { return count(commits, kind == FaultKind::kCommit); }

 private:
  bool count(std::size_t& counter, bool this_kind) {
    const bool fail = this_kind && fail_at && counter == *fail_at;
    ++counter;
    fired = fired || fail;
    return fail;
  }
};

class SqliteDatabase {
 public:
  // ":memory:" for a private in-memory database.
  static Result<std::unique_ptr<SqliteDatabase>> open(const std::string& path);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // All statements commit or none do; a failure reports SQLite's message.
  Result<sql::BatchResult> run_batch(const std::vector<sql::Statement>& statements);
  // Runs a script of several statements (migrations, seeds), then the bound
  // statements in `then`, all in one transaction.
  Status exec_script(std::string_view sql, const std::vector<sql::Statement>& then = {});
  // One statement outside any batch, for tools and tests.
  Result<sql::ResultSet> query(const std::string& sql, const std::vector<sql::Value>& params = {});

  // Test-only: fail the statement at this index (0-based) of the next batches.
  void fail_statement_for_testing(std::optional<std::size_t> index) { fail_at_ = index; }
  // Test-only: count statements in plan (shared with other databases); null
  // detaches it. The plan must outlive its use. Attaching creates the TEMP
  // tables kConstraint violates (never in the main database or its dumps).
  void set_fault_plan_for_testing(StatementFaultPlan* plan);

  // Test-only: the main database's bytes, and putting such bytes back (the
  // statement cache is dropped first: cached statements would point into the
  // replaced database).
  Result<std::string> snapshot_for_testing();
  Status restore_for_testing(const std::string& image);

  sqlite3* handle() { return db_; }

 private:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  Result<sqlite3_stmt*> prepare_cached(const std::string& sql);
  Result<sql::ResultSet> run_statement(const sql::Statement& statement);
  Status exec_plain(const char* sql);
  Error constraint_violation(std::size_t index);

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::optional<std::size_t> fail_at_;
  StatementFaultPlan* fault_plan_ = nullptr;
  bool refuse_commit_ = false;  // read by the commit hook
};

}  // namespace eventuall::sqlite
