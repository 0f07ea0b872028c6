#include "migrate/generate.h"

#include <filesystem>
#include <fstream>

#include "migrate/files.h"
#include "migrate/integrity.h"
#include "migrate/proof.h"
#include "migrate/snapshot.h"
#include "migrate/sql_text.h"
#include "migrate/structure.h"
#include "migrations.h"
#include "schema/ddl.h"

namespace eventuall::migrate {

namespace {

// The structure the folder's migrations build on an empty database, plus `extra` SQL.
Result<Structure> structure_of_folder(const std::string& dir, const std::string& extra = {}) {
  auto db = sqlite::SqliteDatabase::open(":memory:");
  if (!db.ok()) return db.take_error();
  if (auto applied = sqlite::apply_migrations(**db, dir); !applied.ok()) {
    return applied.take_error();
  }
  if (!extra.empty()) {
    if (Status s = (*db)->exec_script(extra); !s.ok()) return s.error();
  }
  return read_structure(**db);
}

Status usable_folder(const MigrationFolder& folder, const std::string& db) {
  if (folder.problems.empty()) return {};
  std::string text;
  for (const auto& p : folder.problems) text += "\n  " + p.problem + "\n    fix: " + p.fix;
  return Error::conflict("the migrations folder " + folder.dir +
                         " has problems; fix them first (`eventuall check " + db +
                         "` lists them):" + text);
}

}  // namespace

Result<std::vector<std::string>> migrations_vs_schema(const schema::Schema& schema,
                                                      const std::string& dir) {
  auto built = structure_of_folder(dir);
  if (!built.ok()) return built.take_error();
  auto declared = structure_of_script(schema::schema_ddl(schema));
  if (!declared.ok()) return declared.take_error();
  return compare_structures(*built, "migrations", *declared, "C++ schema");
}

Result<std::string> write_snapshot(const schema::Schema& schema, const std::string& dir) {
  const std::string db(sql::database_name(schema.database()));
  auto folder = scan_folder(dir);
  if (!folder.ok()) return folder.take_error();
  if (Status s = usable_folder(*folder, db); !s.ok()) return s.error();
  if (folder->files.empty()) return Error::not_found("no migrations in " + dir);
  auto diffs = migrations_vs_schema(schema, dir);
  if (!diffs.ok()) return diffs.take_error();
  if (!diffs->empty()) {
    return Error::conflict("the migrations in " + dir +
                           " do not build the C++ schema, so a snapshot of it would be wrong:" +
                           indented_list(*diffs, "  ") + "\n  fix: run `eventuall generate " + db +
                           " <name>` (or finish the hand-written migration) first");
  }
  const auto& last = folder->files.back();
  const std::string path = snapshot_path(dir, migration_number(last.name));
  if (Status s = write_text_file(path, snapshot_text(schema, last.name)); !s.ok()) return s.error();
  return path;
}

Result<Generated> generate(const schema::Schema& schema, const std::string& dir,
                           const std::string& raw_name, const Renames& renames) {
  const std::string db(sql::database_name(schema.database()));
  const std::string name = sanitize_name(raw_name);
  if (name.empty()) return Error::invalid_input("a migration needs a name (letters and digits)");

  auto folder = scan_folder(dir);
  if (!folder.ok()) return folder.take_error();
  if (Status s = usable_folder(*folder, db); !s.ok()) return s.error();
  // An integrity file that disagrees with the folder would be rewritten over
  // an edited or renamed migration: settle that first.
  if (auto recorded = read_integrity(dir);
      recorded.ok() || recorded.error().code() != ErrorCode::kNotFound) {
    const auto problems = verify_integrity(*folder, db);
    if (!problems.empty()) {
      std::string text;
      for (const auto& p : problems) text += "\n  " + p.problem + "\n    fix: " + p.fix;
      return Error::conflict("the migrations in " + dir + " differ from " + integrity_path(dir) +
                             "; fix that first:" + text);
    }
  }
  auto latest = latest_snapshot(dir);
  if (!latest.ok()) {
    return Error(latest.error().code(),
                 latest.error().message() + "; write the baseline first with `eventuall snapshot " +
                     db + "` (it checks that the migrations build the C++ schema)");
  }
  const std::string snapshot_name =
      "meta/" + std::filesystem::path(latest->file.path).filename().string();

  // The diff trusts the snapshot; the snapshot must describe what the files build.
  auto built = structure_of_folder(dir);
  if (!built.ok()) return built.take_error();
  auto recorded = structure_of_script(schema::schema_ddl(latest->schema));
  if (!recorded.ok()) return recorded.take_error();
  if (auto diffs = compare_structures(*built, "migrations", *recorded, snapshot_name);
      !diffs.empty()) {
    return Error::conflict(
        "the migrations in " + dir + " do not build the schema recorded in " + snapshot_name +
        " (a migration written or edited by hand after it?):" + indented_list(diffs, "  ") +
        "\n  fix: if the C++ schema already has that change, record it with `eventuall snapshot " +
        db + "`; otherwise restore the edited file");
  }

  auto diff = diff_schemas(latest->schema, schema, renames);
  if (!diff.ok()) return diff.take_error();
  if (diff->empty()) {
    return Error::not_found("nothing changed: the C++ schema of " + db + " matches " + dir + "/" +
                            snapshot_name + "; no migration written");
  }

  const int number = next_number(*folder);
  const std::string file_name = numbered_name(number, name);
  Generated out;
  out.sql_path = (std::filesystem::path(dir) / file_name).string();
  out.snapshot_path = snapshot_path(dir, number);
  out.warnings = diff->warnings;
  std::string text = "-- " + file_name + ": written by `eventuall generate " + db + " " + name +
                     "` from the C++ schema,\n-- diffed against " + snapshot_name +
                     ". Runs as one unit (a D1 batch / one SQLite transaction): no\n"
                     "-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).\n";
  for (const auto& w : diff->warnings) text += "-- warning: " + w + "\n";
  text += "\n" + diff->sql();
  out.sql = text;

  // Prove the file before writing it: the folder's migrations plus this one
  // must build exactly the schema.
  auto after = structure_of_folder(dir, text);
  if (!after.ok()) {
    return Error::internal("the generated SQL fails on the migrated schema (" +
                           after.error().message() + "); nothing written. SQL was:\n" + text);
  }
  auto declared = structure_of_script(schema::schema_ddl(schema));
  if (!declared.ok()) return declared.take_error();
  if (auto diffs = compare_structures(*after, "after migration", *declared, "C++ schema");
      !diffs.empty()) {
    return Error::internal(
        "the generated SQL does not build the C++ schema (a bug in eventuall "
        "generate); nothing written:" +
        indented_list(diffs, "  ") + "\nSQL was:\n" + text);
  }

  // And on a copy holding rows in every table: no kept row or value may go.
  if (Status s = prove_on_populated(latest->schema, dir, text, *diff); !s.ok()) return s.error();

  std::error_code ec;
  if (std::filesystem::exists(out.sql_path, ec)) return Error::conflict(out.sql_path + " exists");
  if (Status s = write_text_file(out.sql_path, text); !s.ok()) return s.error();
  if (Status s = write_text_file(out.snapshot_path, snapshot_text(schema, file_name)); !s.ok()) {
    std::filesystem::remove(out.sql_path, ec);
    return s.error();
  }
  auto sum = write_integrity(dir);
  if (!sum.ok()) {
    std::filesystem::remove(out.sql_path, ec);
    std::filesystem::remove(out.snapshot_path, ec);
    return sum.take_error();
  }
  out.integrity_path = *sum;
  return out;
}

}  // namespace eventuall::migrate
