#pragma once
// `eventuall generate`: the next migration of one database, from the C++
// schema diffed against the newest snapshot in <dir>/meta/. Takes the schema
// and the folder as parameters so tests can run it on schemas of their own.

#include <string>
#include <vector>

#include "common/status.h"
#include "migrate/diff.h"
#include "schema/schema.h"

namespace eventuall::migrate {

struct Generated {
  std::string sql_path;
  std::string snapshot_path;
  std::string integrity_path;  // meta/eventuall.sum, rewritten with the new file
  std::string sql;             // the file's text
  std::vector<std::string> warnings;
};

// Writes <dir>/NNNN_<name>.sql and <dir>/meta/NNNN_snapshot.json, and
// rewrites <dir>/meta/eventuall.sum (integrity.h). Fails
// (writing nothing) when nothing changed, when D1 would lose data (see
// diff.h), when the folder's migrations do not reproduce the newest snapshot,
// when the folder disagrees with its integrity file, when the generated SQL
// does not turn that snapshot into the schema, or when on a copy holding rows
// in every table it loses a row or value it does not mean to drop (proof.h).
Result<Generated> generate(const schema::Schema& schema, const std::string& dir,
                           const std::string& name, const Renames& renames = {});

// Writes the snapshot of the newest migration from the schema, after checking
// that the folder's migrations produce exactly that schema: the baseline for
// an existing folder, or the record after a hand-written migration.
Result<std::string> write_snapshot(const schema::Schema& schema, const std::string& dir);

// Differences between what the folder's migrations build and what the schema
// declares (structurally; empty when they agree).
Result<std::vector<std::string>> migrations_vs_schema(const schema::Schema& schema,
                                                      const std::string& dir);

}  // namespace eventuall::migrate
