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

// The exact DDL wrangler uses for its table.
inline constexpr const char* kD1MigrationsTableSql =
    "CREATE TABLE IF NOT EXISTS d1_migrations("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, "
    "applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)";

Result<std::vector<MigrationFile>> list_migration_files(const std::string& dir);
Result<std::vector<std::string>> applied_migrations(SqliteDatabase& db);
// Applies every file not yet recorded (by name, never by high-water mark),
// each atomically with its record; stops at the first failure.
Result<std::vector<std::string>> apply_migrations(SqliteDatabase& db, const std::string& dir);
// Runs a seed script in one transaction.
Status apply_sql_file(SqliteDatabase& db, const std::string& path);

Result<std::string> read_file(const std::string& path);

}  // namespace eventuall::sqlite
