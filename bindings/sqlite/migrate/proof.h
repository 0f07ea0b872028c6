#pragma once
// Proof on a populated copy: `generate` runs its migration on a database that
// the folder's migrations built and that holds rows in every table (generated
// to satisfy the types, enums, CHECKs and foreign keys), and refuses it when a
// table it does not mean to drop loses a row, or a column it keeps loses a
// value (an ON DELETE SET NULL reached by a DROP TABLE). An empty database
// proves only the DDL: on D1 the data loss of a rebuild happens through the
// rows (foreign keys are always enforced, and DROP TABLE deletes first).

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "migrate/diff.h"
#include "schema/schema.h"
#include "sqlite_database.h"

namespace eventuall::migrate {

// Inserts `rows` rows into every table of `schema`, parents first. Fails
// (invalid_input, naming the table and SQLite's last refusal) when no
// combination of the tried values satisfies a table's constraints.
Status populate(sqlite::SqliteDatabase& db, const schema::Schema& schema, int rows = 3);

// The rows of every table of `schema` in `db` as INSERT statements, parents
// first (to seed another database, e.g. a local D1 through wrangler, with
// what `populate` wrote).
Result<std::string> insert_script(sqlite::SqliteDatabase& db, const schema::Schema& schema);

// Rows per table, and non-NULL values per column ("table.column"), of every
// table of `schema` present in `db`.
struct Counts {
  std::map<std::string, std::int64_t> rows;
  std::map<std::string, std::int64_t> values;
};
Result<Counts> count_rows(sqlite::SqliteDatabase& db, const schema::Schema& schema);

// Builds the folder's migrations on an empty database, populates it from
// `before` (the schema they build), runs `migration_sql`, and compares the
// counts: conflict, naming each table and column that lost data, when
// anything but the diff's drops lost rows or values.
Status prove_on_populated(const schema::Schema& before, const std::string& dir,
                          const std::string& migration_sql, const Diff& diff);

}  // namespace eventuall::migrate
