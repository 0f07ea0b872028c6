#include "migrations.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/encoding.h"
#include "crypto/sha256.h"

namespace eventuall::sqlite {

namespace {

bool is_migration_name(const std::string& name) {
  if (name.size() < 9 || name.substr(name.size() - 4) != ".sql" || name[4] != '_') return false;
  return std::all_of(name.begin(), name.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::not_found("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::vector<MigrationFile>> list_migration_files(const std::string& dir) {
  std::error_code ec;
  std::vector<MigrationFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && is_migration_name(name)) {
      files.push_back({name, entry.path().string()});
    }
  }
  if (ec) return Error::not_found("cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end(),
            [](const MigrationFile& a, const MigrationFile& b) { return a.name < b.name; });
  return files;
}

Result<std::vector<std::string>> applied_migrations(SqliteDatabase& db) {
  if (Status s = db.exec_script(kD1MigrationsTableSql); !s.ok()) return s.error();
  auto rows = db.query("SELECT name AS name FROM d1_migrations ORDER BY id");
  if (!rows.ok()) return rows.take_error();
  std::vector<std::string> names;
  for (const auto& row : rows->rows) names.push_back(row[0].as_text());
  return names;
}

Result<std::vector<std::string>> apply_migrations(SqliteDatabase& db, const std::string& dir) {
  return apply_migrations(db, dir, ApplyOptions{});
}

Result<std::vector<std::string>> apply_migrations(SqliteDatabase& db, const std::string& dir,
                                                  const ApplyOptions& options) {
  auto files = list_migration_files(dir);
  if (!files.ok()) return files.take_error();
  auto applied = applied_migrations(db);
  if (!applied.ok()) return applied.take_error();
  if (options.record_checksums) {
    if (Status s = db.exec_script(kChecksumTableSql); !s.ok()) return s.error();
  }

  std::vector<std::string> newly_applied;
  for (const auto& file : *files) {
    if (std::find(applied->begin(), applied->end(), file.name) != applied->end()) continue;
    auto text = read_file(file.path);
    if (!text.ok()) return text.take_error();
    // The file, its d1_migrations row and its checksum commit together or not at all.
    std::vector<sql::Statement> records = {
        {"INSERT INTO d1_migrations (name) VALUES (?)", {file.name}}};
    if (options.record_checksums) {
      records.push_back(
          {"INSERT OR REPLACE INTO eventuall_migration_checksums "
           "(name, sha256, applied_at) VALUES (?, ?, unixepoch())",
           {file.name, to_hex(crypto::sha256(*text))}});
    }
    Status s = db.exec_script(*text, records);
    if (!s.ok()) {
      return Error(s.error().code(), "migration " + file.name + " failed: " + s.error().message());
    }
    newly_applied.push_back(file.name);
  }
  return newly_applied;
}

Status apply_sql_file(SqliteDatabase& db, const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.take_error();
  return db.exec_script(*text);
}

}  // namespace eventuall::sqlite
