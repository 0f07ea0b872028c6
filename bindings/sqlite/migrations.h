#pragma once
// Applies wrangler-style migrations (NNNN_name.sql at the top of a folder) and
// records them in wrangler's own d1_migrations table, so this runner and
// `wrangler d1 migrations apply` agree on what is applied.

#include <string>
#include <vector>

#include "common/status.h"
#include "sqlite_database.h"

namespace eventuall::sqlite {

struct MigrationFile {
  std::string name;  // file name, as wrangler records it
  std::string path;
};

// Wrangler's DDL for its table, character for character (tabs included, as in
// js-shim/node/migrations.mjs), so sqlite_master reads the same whichever tool
// created it.
inline constexpr const char* kD1MigrationsTableSql =
    "CREATE TABLE IF NOT EXISTS d1_migrations(\n"
    "\t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "\t\tname       TEXT UNIQUE,\n"
    "\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n"
    ");";

// Ours, beside d1_migrations: the SHA-256 of each file when we applied it, so
// `eventuall check` notices an applied migration edited afterwards. Files
// applied by wrangler have no row here.
inline constexpr const char* kChecksumTableSql =
    "CREATE TABLE IF NOT EXISTS eventuall_migration_checksums("
    "name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, applied_at INTEGER NOT NULL)";

struct ApplyOptions {
  // Record each applied file's checksum. Off for the test and fixture
  // databases, whose sqlite_master is compared with the schema's.
  bool record_checksums = false;
};

Result<std::vector<MigrationFile>> list_migration_files(const std::string& dir);
Result<std::vector<std::string>> applied_migrations(SqliteDatabase& db);
// Applies every file not yet recorded (by name, never by high-water mark),
// each atomically with its record; stops at the first failure.
Result<std::vector<std::string>> apply_migrations(SqliteDatabase& db, const std::string& dir);
Result<std::vector<std::string>> apply_migrations(SqliteDatabase& db, const std::string& dir,
                                                  const ApplyOptions& options);
// Runs a seed script in one transaction.
Status apply_sql_file(SqliteDatabase& db, const std::string& path);

Result<std::string> read_file(const std::string& path);

}  // namespace eventuall::sqlite
