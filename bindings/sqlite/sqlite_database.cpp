#include "sqlite_database.h"

#include <sqlite3.h>

#include <cstring>

namespace eventuall::sqlite {

namespace {

Error sqlite_error(sqlite3* db) { return Error::db_error(sqlite3_errmsg(db)); }

Status bind_value(sqlite3_stmt* stmt, int index, const sql::Value& v) {
  int rc = SQLITE_OK;
  if (v.is_null()) {
    rc = sqlite3_bind_null(stmt, index);
  } else if (v.is_integer()) {
    rc = sqlite3_bind_int64(stmt, index, v.as_integer());
  } else if (v.is_real()) {
    rc = sqlite3_bind_double(stmt, index, v.as_real());
  } else if (v.is_text()) {
    const auto& s = v.as_text();
    rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } else {
    const auto& b = v.as_blob().bytes;
    rc = sqlite3_bind_blob64(stmt, index, b.data(), b.size(), SQLITE_TRANSIENT);
  }
  if (rc != SQLITE_OK) return Error::db_error("cannot bind parameter " + std::to_string(index));
  return {};
}

sql::Value column_value(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return sql::Value(static_cast<std::int64_t>(sqlite3_column_int64(stmt, i)));
    case SQLITE_FLOAT:
      return sql::Value(sqlite3_column_double(stmt, i));
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return sql::Value(std::string(text, sqlite3_column_bytes(stmt, i)));
    }
    case SQLITE_BLOB: {
      const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, i));
      sql::Blob blob;
      blob.bytes.assign(data, data + sqlite3_column_bytes(stmt, i));
      return sql::Value(std::move(blob));
    }
    default:
      return sql::Value();
  }
}

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Error error = Error::db_error(db ? sqlite3_errmsg(db) : "cannot open database");
    sqlite3_close(db);
    return error;
  }
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(db));
  // D1 always enforces foreign keys; so do we.
  if (Status s = database->exec_plain("PRAGMA foreign_keys = ON"); !s.ok()) return s.error();
  sqlite3_busy_timeout(db, 5000);
  return database;
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status SqliteDatabase::exec_plain(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    Error error = Error::db_error(message ? message : "sqlite error");
    sqlite3_free(message);
    return error;
  }
  return {};
}

Result<sqlite3_stmt*> SqliteDatabase::prepare_cached(const std::string& sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return sqlite_error(db_);
  }
  cache_.emplace(sql, stmt);
  return stmt;
}

Result<sql::ResultSet> SqliteDatabase::run_statement(const sql::Statement& statement) {
  auto prepared = prepare_cached(statement.sql);
  if (!prepared.ok()) return prepared.take_error();
  sqlite3_stmt* stmt = *prepared;
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (static_cast<int>(statement.params.size()) != sqlite3_bind_parameter_count(stmt)) {
    return Error::db_error("statement expects " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
                           " parameters, got " + std::to_string(statement.params.size()));
  }
  for (std::size_t i = 0; i < statement.params.size(); ++i) {
    if (Status s = bind_value(stmt, static_cast<int>(i + 1), statement.params[i]); !s.ok()) {
      return s.error();
    }
  }
  sql::ResultSet result;
  const int columns = sqlite3_column_count(stmt);
  for (int i = 0; i < columns; ++i) result.columns.emplace_back(sqlite3_column_name(stmt, i));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<sql::Value> row;
    row.reserve(columns);
    for (int i = 0; i < columns; ++i) row.push_back(column_value(stmt, i));
    result.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    Error error = sqlite_error(db_);
    sqlite3_reset(stmt);
    return error;
  }
  // D1 reports no changes for reads; sqlite3_changes64 would repeat the last write's.
  result.changes = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes64(db_);
  sqlite3_reset(stmt);
  return result;
}

Result<sql::BatchResult> SqliteDatabase::run_batch(const std::vector<sql::Statement>& statements) {
  if (statements.empty()) return Error::db_error("empty batch");
  if (Status s = exec_plain("BEGIN IMMEDIATE"); !s.ok()) return s.error();
  sql::BatchResult results;
  results.reserve(statements.size());
  for (std::size_t i = 0; i < statements.size(); ++i) {
    // The plan counts every attempted statement, so it is asked first.
    const bool planned = fault_plan_ && fault_plan_->hit();
    const bool inject = (planned && fault_plan_->kind == FaultKind::kBeforeStatement) ||
                        (fail_at_ && *fail_at_ == i);
    auto result = inject ? Result<sql::ResultSet>(Error::db_error("injected failure"))
                      : run_statement(statements[i]);
    if (result.ok() && planned && fault_plan_->kind == FaultKind::kConstraint) {
      result = constraint_violation(fault_plan_->seen - 1);
    }
    if (!result.ok()) {
      (void)exec_plain("ROLLBACK");
      return result.take_error();
    }
    results.push_back(std::move(result).value());
  }
  refuse_commit_ = fault_plan_ && fault_plan_->hit_commit();
  Status committed = exec_plain("COMMIT");
  refuse_commit_ = false;
  if (Status s = std::move(committed); !s.ok()) {
    (void)exec_plain("ROLLBACK");
    return s.error();
  }
  return results;
}

void SqliteDatabase::set_fault_plan_for_testing(StatementFaultPlan* plan) {
  fault_plan_ = plan;
  if (!plan) return;
  (void)exec_plain(
      "CREATE TEMP TABLE IF NOT EXISTS eventuall_fault_parent (id INTEGER PRIMARY KEY);"
      "CREATE TEMP TABLE IF NOT EXISTS eventuall_fault (u INTEGER UNIQUE, n INTEGER NOT NULL,"
      " c INTEGER CHECK (c > 0), p INTEGER REFERENCES eventuall_fault_parent (id));"
      "INSERT OR IGNORE INTO eventuall_fault (u, n, c) VALUES (1, 1, 1);");
  sqlite3_commit_hook(
      db_, [](void* self) { return static_cast<SqliteDatabase*>(self)->refuse_commit_ ? 1 : 0; },
      this);
}

// A real violation, raised by SQLite inside the open transaction: the error
// (and its message, which the core classifies) is SQLite's own.
Error SqliteDatabase::constraint_violation(std::size_t index) {
  static const char* const kViolations[] = {
      "INSERT INTO eventuall_fault (u, n, c) VALUES (1, 1, 1)",            // UNIQUE
      "INSERT INTO eventuall_fault (u, n, c) VALUES (2, NULL, 1)",         // NOT NULL
      "INSERT INTO eventuall_fault (u, n, c) VALUES (3, 1, 0)",            // CHECK
      "INSERT INTO eventuall_fault (u, n, c, p) VALUES (4, 1, 1, 99)",     // FOREIGN KEY
  };
  Status violated = exec_plain(kViolations[index % 4]);
  return violated.ok() ? Error::internal("the constraint violation did not fail")
                       : violated.error();
}

Status SqliteDatabase::exec_script(std::string_view sql, const std::vector<sql::Statement>& then) {
  if (Status s = exec_plain("BEGIN IMMEDIATE"); !s.ok()) return s;
  std::string script(sql);
  Status status = exec_plain(script.c_str());
  for (std::size_t i = 0; status.ok() && i < then.size(); ++i) {
    auto result = run_statement(then[i]);
    if (!result.ok()) status = result.take_error();
  }
  if (!status.ok()) {
    (void)exec_plain("ROLLBACK");
    return status;
  }
  return exec_plain("COMMIT");
}

Result<sql::ResultSet> SqliteDatabase::query(const std::string& sql,
                                             const std::vector<sql::Value>& params) {
  return run_statement({sql, params});
}

Result<std::string> SqliteDatabase::snapshot_for_testing() {
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db_, "main", &size, 0);
  if (!bytes) return Error::db_error("cannot serialize the database");
  std::string image(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  return image;
}

Status SqliteDatabase::restore_for_testing(const std::string& image) {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
  // Deserialized into a scratch connection, then copied with the backup API:
  // deserializing straight into this connection crashed later prepares
  // (libsqlite3 3.40).
  sqlite3* scratch = nullptr;
  if (sqlite3_open(":memory:", &scratch) != SQLITE_OK) {
    sqlite3_close(scratch);
    return Error::db_error("cannot open a scratch database");
  }
  auto* bytes = static_cast<unsigned char*>(sqlite3_malloc64(image.size()));
  Status status;
  if (!bytes) {
    status = Error::db_error("out of memory");
  } else {
    std::memcpy(bytes, image.data(), image.size());
    const auto size = static_cast<sqlite3_int64>(image.size());
    if (sqlite3_deserialize(scratch, "main", bytes, size, size,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) !=
        SQLITE_OK) {
      status = sqlite_error(scratch);
    } else if (sqlite3_backup* backup = sqlite3_backup_init(db_, "main", scratch, "main")) {
      const int rc = sqlite3_backup_step(backup, -1);
      sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) status = sqlite_error(db_);
    } else {
      status = sqlite_error(db_);
    }
  }
  sqlite3_close(scratch);
  return status;
}

}  // namespace eventuall::sqlite
