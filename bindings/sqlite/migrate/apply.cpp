#include "migrate/apply.h"

#include <sqlite3.h>

#include <algorithm>
#include <set>

#include "migrate/sql_text.h"
#include "migrations.h"
#include "sqlite_database.h"

namespace eventuall::migrate {

namespace {

Status exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error error = Error::db_error(message ? message : sqlite3_errmsg(db));
    sqlite3_free(message);
    return error;
  }
  return {};
}

}  // namespace

Result<ApplyPlan> plan_apply(const MigrationFolder& folder, const AppliedState& state) {
  if (!folder.problems.empty()) {
    std::string text;
    for (const auto& p : folder.problems) text += "\n  " + p.problem + "\n    fix: " + p.fix;
    return Error::conflict("refusing to apply from " + folder.dir + ":" + text);
  }
  ApplyPlan plan;
  const std::set<std::string> applied(state.applied.begin(), state.applied.end());
  std::string last_applied;
  for (const auto& f : folder.files) {
    if (applied.count(f.name)) last_applied = f.name;
  }
  for (const auto& f : folder.files) {
    auto sha = file_sha256(f.path);
    if (!sha.ok()) return sha.take_error();
    if (applied.count(f.name)) {
      auto recorded = state.checksums.find(f.name);
      if (recorded != state.checksums.end() && recorded->second != *sha) {
        plan.warnings.push_back(f.name + " changed since it was applied (run `eventuall check`)");
      }
      continue;
    }
    auto text = sqlite::read_file(f.path);
    if (!text.ok()) return text.take_error();
    if (f.name < last_applied) {
      plan.warnings.push_back(f.name + " is pending but " + last_applied +
                              " is already applied: it runs now, out of order");
    }
    plan.pending.push_back({f.name, f.path, *sha, split_statements(*text).size()});
  }
  for (const auto& name : state.applied) {
    if (std::none_of(folder.files.begin(), folder.files.end(),
                     [&](const auto& f) { return f.name == name; })) {
      plan.warnings.push_back(name + " is recorded as applied but is not in " + folder.dir);
    }
  }
  return plan;
}

Result<std::vector<std::string>> apply_pending(const std::string& sqlite_file,
                                               const std::string& dir) {
  auto db = sqlite::SqliteDatabase::open(sqlite_file);
  if (!db.ok()) return db.take_error();
  sqlite::ApplyOptions options;
  options.record_checksums = true;
  return sqlite::apply_migrations(**db, dir, options);
}

Status apply_seed(const std::string& sqlite_file, const std::string& seed_path) {
  auto text = sqlite::read_file(seed_path);
  if (!text.ok()) return text.take_error();
  auto opened = sqlite::SqliteDatabase::open(sqlite_file);
  if (!opened.ok()) return opened.take_error();
  sqlite3* db = (*opened)->handle();
  if (Status s = exec(db, "BEGIN IMMEDIATE"); !s.ok()) return s;
  Status status = exec(db, *text);
  const auto after_first = sqlite3_total_changes64(db);
  if (status.ok()) status = exec(db, *text);
  if (status.ok() && sqlite3_total_changes64(db) != after_first) {
    status = Error::conflict("seed " + seed_path +
                             " is not idempotent: running it a second time changes rows. Use "
                             "INSERT OR IGNORE / ON CONFLICT DO NOTHING and guarded UPDATEs; "
                             "nothing was written");
  }
  if (!status.ok()) {
    (void)exec(db, "ROLLBACK");
    return Error(status.error().code(),
                 status.error().code() == ErrorCode::kConflict
                     ? status.error().message()
                     : "seed " + seed_path + " failed: " + status.error().message());
  }
  return exec(db, "COMMIT");
}

}  // namespace eventuall::migrate
