#include "migrate/check.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "migrate/generate.h"
#include "migrate/snapshot.h"
#include "migrate/sql_text.h"
#include "migrate/structure.h"
#include "migrate/target.h"
#include "migrations.h"

namespace eventuall::migrate {

namespace {

// What the target's applied migrations build, in the order it applied them.
Result<Structure> structure_of_applied(const MigrationFolder& folder,
                                       const std::vector<std::string>& applied) {
  auto db = sqlite::SqliteDatabase::open(":memory:");
  if (!db.ok()) return db.take_error();
  for (const auto& name : applied) {
    for (const auto& f : folder.files) {
      if (f.name != name) continue;
      auto text = sqlite::read_file(f.path);
      if (!text.ok()) return text.take_error();
      if (Status s = (*db)->exec_script(*text); !s.ok()) return s.error();
    }
  }
  return read_structure(**db);
}

void check_target(const schema::Schema& schema, const MigrationFolder& folder,
                  const std::string& target, CheckReport& report) {
  const std::string db = std::string(sql::database_name(schema.database()));
  auto state = read_applied_state(target);
  if (!state.ok()) {
    report.failures.push_back({"cannot read " + target + ": " + state.error().message(),
                               "pass the database file with --target (or --db-file)"});
    return;
  }
  if (!state->exists) {
    report.failures.push_back({"target " + target + " does not exist",
                               "run `eventuall apply " + db + " " + target + "`"});
    return;
  }
  const std::set<std::string> applied(state->applied.begin(), state->applied.end());
  std::string last_applied;
  for (const auto& f : folder.files) {
    if (applied.count(f.name)) last_applied = f.name;
  }
  std::vector<std::string> pending, out_of_order;
  for (const auto& f : folder.files) {
    if (applied.count(f.name)) continue;
    pending.push_back(f.name);
    if (f.name < last_applied) out_of_order.push_back(f.name);
  }
  if (!pending.empty()) {
    report.failures.push_back({"pending on " + target + ":" + indented_list(pending, "    "),
                               "run `eventuall apply " + db + " " + target +
                                   "` (or `wrangler d1 migrations apply <BINDING> --local`)"});
  }
  for (const auto& name : out_of_order) {
    report.failures.push_back(
        {name + " is pending on " + target + " but the later " + last_applied +
             " is already applied (added on a branch merged after " + last_applied + " shipped?)",
         "if " + name + " was not applied anywhere yet, renumber it past the last file: `git mv " +
             folder.dir + "/" + name + " " + folder.dir + "/" +
             numbered_name(next_number(folder), name.substr(5, name.size() - 9)) + "`"});
  }
  std::vector<std::string> missing;
  for (const auto& name : state->applied) {
    if (std::none_of(folder.files.begin(), folder.files.end(),
                     [&](const auto& f) { return f.name == name; })) {
      missing.push_back(name);
    }
  }
  if (!missing.empty()) {
    report.failures.push_back(
        {"applied to " + target + " but missing from " + folder.dir + ":" +
             indented_list(missing, "    "),
         "restore those files (git): a migration is never renamed or deleted once applied"});
  }
  std::vector<std::string> unverified;
  for (const auto& f : folder.files) {
    if (!applied.count(f.name)) continue;
    auto recorded = state->checksums.find(f.name);
    if (recorded == state->checksums.end()) {
      unverified.push_back(f.name);
      continue;
    }
    auto now = file_sha256(f.path);
    if (now.ok() && *now != recorded->second) {
      report.failures.push_back(
          {f.name + " changed since it was applied to " + target + " (sha256 then " +
               recorded->second + ", now " + *now + "); the change never reaches that database",
           "restore the applied version (`git log -p -- " + f.path +
               "`), then put the change in a new migration: `eventuall generate " + db +
               " <name>`"});
    }
  }
  if (!unverified.empty()) {
    report.notes.push_back("no checksum recorded on " + target +
                           " (applied by wrangler or an older eventuall), not verified:" +
                           indented_list(unverified, "    "));
  }
  if (missing.empty()) {
    auto expected = structure_of_applied(folder, state->applied);
    auto target_db = sqlite::SqliteDatabase::open(target);
    if (expected.ok() && target_db.ok()) {
      auto actual = read_structure(**target_db);
      if (actual.ok()) {
        auto diffs = compare_structures(*actual, "target", *expected, "applied migrations");
        if (!diffs.empty()) {
          report.failures.push_back(
              {"the tables of " + target +
                   " differ from what its applied migrations build "
                   "(changed by hand, or by a migration edited after it ran):" +
                   indented_list(diffs, "    "),
               "put intended changes in a migration (`eventuall generate " + db +
                   " <name>`); for a local database, recreate it with `eventuall apply`"});
        }
      }
    }
  }
}

}  // namespace

CheckReport check_migrations(const schema::Schema& schema, const std::string& dir,
                             const std::optional<std::string>& target_file) {
  CheckReport report;
  const std::string db = std::string(sql::database_name(schema.database()));
  auto folder = scan_folder(dir);
  if (!folder.ok()) {
    report.failures.push_back({folder.error().message(), "pass the right folder with --dir"});
    return report;
  }
  report.failures = folder->problems;

  bool migrations_match = false;
  if (folder->files.empty()) {
    report.failures.push_back(
        {"no migrations in " + dir, "run `eventuall generate " + db + " initial`"});
  } else {
    auto diffs = migrations_vs_schema(schema, dir);
    if (!diffs.ok()) {
      report.failures.push_back(
          {"the migrations fail on an empty database: " + diffs.error().message(),
           "fix the failing migration (if it was applied nowhere yet) or add "
           "a corrective one"});
    } else if (!diffs->empty()) {
      report.failures.push_back(
          {"the migrations do not build the C++ schema (a schema change without its migration?):" +
               indented_list(*diffs, "    "),
           "run `eventuall generate " + db + " <name>` and commit the new files"});
    } else {
      migrations_match = true;
    }
  }

  std::set<int> numbers;
  for (const auto& f : folder->files) numbers.insert(migration_number(f.name));
  for (const auto& s : list_snapshots(dir)) {
    if (!numbers.count(s.number)) {
      report.failures.push_back(
          {s.path + " belongs to no migration file", "delete it, or restore its migration (git)"});
    }
  }
  auto latest = latest_snapshot(dir);
  if (!latest.ok()) {
    report.failures.push_back(
        {latest.error().message(), "record the baseline: `eventuall snapshot " + db + "`"});
  } else if (!same_database(latest->schema, schema)) {
    const std::string name = std::filesystem::path(latest->file.path).filename().string();
    if (migrations_match) {
      report.failures.push_back({"meta/" + name +
                                     " is not the C++ schema, though the migrations build it (a "
                                     "hand-written migration without its snapshot)",
                                 "run `eventuall snapshot " + db + "`"});
    } else {
      report.failures.push_back({"the C++ schema changed since meta/" + name,
                                 "run `eventuall generate " + db + " <name>`"});
    }
  }

  if (target_file) check_target(schema, *folder, *target_file, report);
  return report;
}

}  // namespace eventuall::migrate
