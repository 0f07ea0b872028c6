#pragma once
// Snapshots: the C++ schema as it stood after a migration, kept as JSON in
// migrations/<db>/meta/NNNN_snapshot.json. `generate` diffs the schema against
// the newest one (drizzle-kit's model), so the diff never depends on reading a
// live database.
//
// Format (version 1), optional keys omitted when absent/false:
//   {"format": "eventuall-schema-snapshot", "version": 1, "database": "webapp",
//    "migration": "0001_add_x.sql",
//    "tables": [{"name": "users",
//                "columns": [{"name": "id", "type": "text|integer|real|blob|json",
//                             "primaryKey": true, "notNull": true, "default": "<sql>",
//                             "enum": ["a", "b"], "check": "<sql>",
//                             "references": {"table": "t", "column": "id",
//                                            "onDelete": "cascade|set null|restrict"}}],
//                "indexes": [{"name": "users_email_idx", "columns": ["email"],
//                             "unique": true, "where": "<sql>"}],
//                "checks": ["<sql>"]}],
//    "views": [{"name": "v", "sql": "<select>"}]}

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "schema/schema.h"

namespace eventuall::migrate {

std::string snapshot_text(const schema::Schema& schema, const std::string& migration_name);
Result<schema::Schema> parse_snapshot(std::string_view text);

struct SnapshotFile {
  int number = 0;
  std::string path;
};
// meta/NNNN_snapshot.json files under a database's migrations folder, by number.
std::vector<SnapshotFile> list_snapshots(const std::string& migrations_dir);
std::string snapshot_path(const std::string& migrations_dir, int number);

struct LatestSnapshot {
  SnapshotFile file;
  schema::Schema schema;
};
// not_found when the folder has no snapshot yet.
Result<LatestSnapshot> latest_snapshot(const std::string& migrations_dir);

// Whether two schemas produce the same database (same DDL); JSON keys and
// other API-only details do not count.
bool same_database(const schema::Schema& a, const schema::Schema& b);

}  // namespace eventuall::migrate
