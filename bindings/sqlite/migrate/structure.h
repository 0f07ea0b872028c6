#pragma once
// A database's structure read through SQLite's pragmas (table_list,
// table_xinfo, index_list, index_xinfo, foreign_key_list) plus normalized
// CHECK, index and view SQL. Raw sqlite_master text is never compared: ALTER
// TABLE rewrites it (quotes, spacing, appended columns), so a migrated
// database and a fresh one differ in text while being the same database.
//
// Column order is ignored (ADD COLUMN always appends); bookkeeping tables
// (d1_migrations, eventuall_migration_checksums, sqlite_*, D1's _cf_*) are
// left out.

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "sqlite_database.h"

namespace eventuall::migrate {

// Each fact keyed by what it is about, e.g. "table users column email" ->
// "type TEXT, not null, default NULL"; facts that may repeat (CHECKs, foreign
// keys, automatic indexes) carry a count in their key.
using Structure = std::map<std::string, std::string>;

Result<Structure> read_structure(sqlite::SqliteDatabase& db);

// Human-readable differences, "only in <a_name>: ...", "only in <b_name>: ...",
// "<key>: <a_name> has ..., <b_name> has ...". Empty when equal.
std::vector<std::string> compare_structures(const Structure& a, const std::string& a_name,
                                            const Structure& b, const std::string& b_name);

bool is_bookkeeping_table(const std::string& name);

// The structure of a fresh in-memory database after running `sql`.
Result<Structure> structure_of_script(const std::string& sql);

}  // namespace eventuall::migrate
