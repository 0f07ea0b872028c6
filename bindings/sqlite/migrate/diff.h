#pragma once
// The D1-safe DDL that turns one schema into another.
//
// Prefers ALTER TABLE: ADD COLUMN (nullable or with a literal default, not a
// primary key, a REFERENCES column only with a NULL default), RENAME COLUMN,
// RENAME TO, DROP COLUMN (not for primary-key or REFERENCES columns; indexes
// on the column are dropped first). Anything else rebuilds the table (create
// a copy, copy the rows, DROP TABLE, rename), which is refused when any table
// references it: on D1 foreign keys are always enforced, so the DROP TABLE
// deletes (CASCADE) or clears (SET NULL) the children's rows or fails
// (RESTRICT). For the same reason removed tables are dropped before the
// tables they reference are rebuilt and after the kept tables referencing
// them are, and a drop of data (table, column, or a rename without --rename)
// or a NOT NULL without a DEFAULT needs the user's say (Renames::drops,
// Renames::backfills). Views that read an altered table are dropped before
// and recreated after. Never emits BEGIN/COMMIT/PRAGMA: D1 rejects the first two
// and ignores PRAGMA foreign_keys.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "schema/schema.h"

namespace eventuall::migrate {

struct ColumnRename {
  std::string table;  // the table's name in the new schema (or its old name)
  std::string from;
  std::string to;
};
struct TableRename {
  std::string from;
  std::string to;
};
// Renames are only ever what the user asked for: a column missing on one side
// and new on the other is a drop plus an add otherwise.
// Beside them, the other choices only the user can make:
//   - drops: "table" or "table.column" (new table name), each a table or
//     column whose data the migration may lose (--drop). Without it a drop is
//     refused: a rename given without --rename would otherwise lose data.
//   - backfills: "table.column" -> an SQL expression over the old row's
//     columns (--backfill), the value of a column that becomes NOT NULL (or a
//     new NOT NULL column without a DEFAULT) where it has none.
struct Renames {
  std::vector<TableRename> tables;
  std::vector<ColumnRename> columns;
  std::set<std::string> drops;
  std::map<std::string, std::string> backfills;
};

// A column on both sides, by its old and its new names.
struct KeptColumn {
  std::string old_table, old_column, new_table, new_column;
};

struct Diff {
  std::vector<std::string> statements;  // each preceded by `-- ` comment lines saying why
  std::vector<std::string> warnings;    // data dropped, possible renames
  // What the migration means to keep and to lose, for the proof on a
  // populated copy (proof.h): every other row and value must survive.
  std::map<std::string, std::string> kept_tables;  // old name -> new name
  std::vector<KeptColumn> kept_columns;
  std::vector<std::string> dropped_tables;   // old names
  std::vector<std::string> dropped_columns;  // "table.column", new table name
  bool empty() const { return statements.empty(); }
  // The statements as a migration body, each ending in ";\n".
  std::string sql() const;
};

// A refusal is an Error (conflict) whose message says why and how to proceed.
Result<Diff> diff_schemas(const schema::Schema& from, const schema::Schema& to,
                          const Renames& renames);

}  // namespace eventuall::migrate
