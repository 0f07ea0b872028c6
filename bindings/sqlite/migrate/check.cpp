#include "migrate/check.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "migrate/generate.h"
#include "migrate/integrity.h"
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

// A pending file numbered below an applied one. Never advise renaming it: it
// may be applied on another database already (wrangler records names, so a
// renamed file would run there a second time).
Finding out_of_order_finding(const MigrationFolder& folder, const std::string& db,
                             const std::string& name, const std::string& where,
                             const std::string& last_applied) {
  const std::string base = name.substr(5, name.size() - 9);
  return {name + " is pending on " + where + " but the later " + last_applied +
              " is already applied there (added on a branch merged after " + last_applied +
              " shipped?); wrangler would run it now, after " + last_applied,
          "do not rename " + name +
              ": a database that applied it would run it again under a new name. If it was "
              "applied to no database yet, replace it with a new file with the next number: "
              "delete it and its meta/ snapshot, then `eventuall generate " +
              db + " " + base + "` (or copy its SQL into " +
              numbered_name(next_number(folder), base) + " and run `eventuall sum " + db +
              "`). If it is applied somewhere, keep it: apply it here only if it does not "
              "depend on running before " +
              last_applied + ", otherwise undo it in a new migration"};
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
    report.failures.push_back(out_of_order_finding(folder, db, name, target, last_applied));
  }
  std::vector<std::string> missing;
  for (const auto& name : state->applied) {
    if (std::none_of(folder.files.begin(), folder.files.end(),
                     [&](const auto& f) { return f.name == name; })) {
      missing.push_back(name);
    }
  }
  // A missing applied name whose file is pending under another name (same
  // bytes, or the same name with another number) was renamed: applying would
  // run it twice.
  std::vector<std::string> deleted;
  for (const auto& name : missing) {
    std::string renamed_to;
    auto recorded = state->checksums.find(name);
    for (const auto& f : folder.files) {
      if (applied.count(f.name)) continue;
      auto sum = file_sha256(f.path);
      const bool same_bytes =
          recorded != state->checksums.end() && sum.ok() && *sum == recorded->second;
      if (same_bytes || f.name.substr(4) == name.substr(4)) renamed_to = f.name;
    }
    if (renamed_to.empty()) {
      deleted.push_back(name);
      continue;
    }
    report.failures.push_back(
        {name + " is applied to " + target + " and now appears renamed to " + renamed_to +
             ", which is pending there: applying it would run the same migration twice",
         "restore its name: `git mv " + folder.dir + "/" + renamed_to + " " + folder.dir + "/" +
             name + "` (a migration is never renamed once applied)"});
  }
  if (!deleted.empty()) {
    report.failures.push_back(
        {"applied to " + target + " but missing from " + folder.dir + ":" +
             indented_list(deleted, "    "),
         "restore those files (git): a migration is never renamed or deleted once applied"});
  }
  std::vector<std::string> unverified;
  report.applied = state->applied.size();
  for (const auto& f : folder.files) {
    if (!applied.count(f.name)) continue;
    auto recorded = state->checksums.find(f.name);
    if (recorded == state->checksums.end()) {
      unverified.push_back(f.name);
      continue;
    }
    ++report.checksums_verified;
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
                           " (applied by wrangler or an older eventuall); their bytes are "
                           "vouched for by the integrity file only:" +
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

// The checks that need no database; the folder when it could be read.
std::optional<MigrationFolder> check_folder(const schema::Schema& schema, const std::string& dir,
                                            CheckReport& report) {
  const std::string db = std::string(sql::database_name(schema.database()));
  auto folder = scan_folder(dir);
  if (!folder.ok()) {
    report.failures.push_back({folder.error().message(), "pass the right folder with --dir"});
    return std::nullopt;
  }
  report.failures = folder->problems;
  for (auto& f : verify_integrity(*folder, db)) report.failures.push_back(std::move(f));

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

  return std::move(folder).value();
}

}  // namespace

CheckReport check_migrations(const schema::Schema& schema, const std::string& dir,
                             const std::optional<std::string>& target_file) {
  CheckReport report;
  auto folder = check_folder(schema, dir, report);
  if (folder && target_file) check_target(schema, *folder, *target_file, report);
  return report;
}

CheckReport check_migrations_listed(const schema::Schema& schema, const std::string& dir,
                                    const std::vector<std::string>& pending) {
  CheckReport report;
  auto folder = check_folder(schema, dir, report);
  if (!folder) return report;
  const std::string db = std::string(sql::database_name(schema.database()));
  const std::string where = "the database `wrangler d1 migrations list` described";
  const std::set<std::string> waiting(pending.begin(), pending.end());
  std::string last_applied;
  for (const auto& f : folder->files) {
    if (!waiting.count(f.name)) {
      last_applied = f.name;
      ++report.applied;
    }
  }
  std::vector<std::string> listed;
  for (const auto& name : pending) {
    if (std::none_of(folder->files.begin(), folder->files.end(),
                     [&](const auto& f) { return f.name == name; })) {
      report.failures.push_back(
          {"wrangler lists " + name + " as pending, but " + dir + " has no such file",
           "list the database whose migrations_dir is " + dir});
      continue;
    }
    listed.push_back(name);
    if (name < last_applied) {
      report.failures.push_back(out_of_order_finding(*folder, db, name, where, last_applied));
    }
  }
  if (!listed.empty()) {
    report.failures.push_back({"pending on " + where + ":" + indented_list(listed, "    "),
                               "run `wrangler d1 migrations apply <BINDING> --remote`"});
  }
  if (report.applied > 0) {
    report.notes.push_back(
        "D1 keeps no checksums (wrangler records names only): the " +
        std::to_string(report.applied) +
        " applied migration(s) are vouched for by the integrity file, which the folder matches "
        "when no failure above names it");
  }
  return report;
}

std::string target_summary(const CheckReport& report, const std::string& target) {
  // Exactly what was verified (issue 16, case 7): a name in d1_migrations
  // proves the file ran, a checksum that its bytes did not change since.
  return target + " has all " + std::to_string(report.applied) + " migration(s) applied, " +
         std::to_string(report.checksums_verified) +
         " of them checked against a checksum recorded there" +
         (report.checksums_verified < report.applied
              ? " (the others, applied by wrangler, only against the integrity file)"
              : "");
}

}  // namespace eventuall::migrate
