#pragma once
// Where migrations are applied: a SQLite file, or a local D1 state folder
// (wrangler/Miniflare keep each D1 database as a SQLite file under
// .wrangler/state/v3/d1/miniflare-D1DatabaseObject/<hash>.sqlite, WAL mode),
// and what such a target says it has applied. Reading never writes: no
// d1_migrations table is created, no missing file is created.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "schema/schema.h"

namespace eventuall::migrate {

struct AppliedState {
  bool exists = false;                           // the file exists
  std::vector<std::string> applied;              // d1_migrations names, in id order
  std::map<std::string, std::string> checksums;  // eventuall_migration_checksums
  std::vector<std::string> user_tables;          // everything but bookkeeping
};

Result<AppliedState> read_applied_state(const std::string& sqlite_file);

// A file path is returned as is (it may not exist yet). A folder is searched
// for D1 database files (metadata.sqlite excluded); the one holding this
// schema's tables wins, or the only empty one. `db_file` overrides the search.
Result<std::string> resolve_target(const std::string& target, const schema::Schema& schema,
                                   const std::optional<std::string>& db_file = std::nullopt);

// Which schema a database file holds, by its tables; nullptr when it cannot tell.
const schema::Schema* infer_schema(const AppliedState& state,
                                   const std::vector<const schema::Schema*>& candidates);

// The pending names in the output of `wrangler d1 migrations list <DB>`:
// its table of names, or none for "No migrations to apply!".
Result<std::vector<std::string>> parse_wrangler_list(std::string_view output);

}  // namespace eventuall::migrate
