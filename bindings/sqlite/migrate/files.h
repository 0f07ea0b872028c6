#pragma once
// A database's migrations folder as wrangler sees it: every *.sql file at the
// top (wrangler applies them all, ordered by number), NNNN_name.sql by
// convention, meta/ for our snapshots.

#include <string>
#include <vector>

#include "common/status.h"
#include "migrations.h"

namespace eventuall::migrate {

struct Finding {
  std::string problem;
  std::string fix;  // what to run or do
};

struct MigrationFolder {
  std::string dir;
  std::vector<sqlite::MigrationFile> files;  // well-named, sorted by name
  std::vector<Finding> problems;             // bad names, duplicate numbers, gaps, BEGIN/COMMIT
};

// not_found when the folder does not exist.
Result<MigrationFolder> scan_folder(const std::string& dir);

// The number a migration file starts with (files are validated first).
int migration_number(const std::string& name);
// The next free number: one past the highest, 0 for an empty folder.
int next_number(const MigrationFolder& folder);
std::string numbered_name(int number, const std::string& name);

// Writes `text` to `path`, creating its folder.
Status write_text_file(const std::string& path, const std::string& text);

// Lower-case hex SHA-256 of a file's bytes: what `apply` records and `check` compares.
Result<std::string> file_sha256(const std::string& path);

// A migration name as wrangler writes it: lower-case words joined by '_'.
std::string sanitize_name(const std::string& name);

// Statements D1 rejects or ignores in a migration file (BEGIN, COMMIT,
// SAVEPOINT, PRAGMA foreign_keys, ...), each described.
std::vector<std::string> forbidden_statements(const std::string& sql);

}  // namespace eventuall::migrate
