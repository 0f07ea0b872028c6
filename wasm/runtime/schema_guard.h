#pragma once
// The schema guard: this build knows the migrations it was built for
// (migrations/<db>/meta/eventuall.sum, compiled in by CMakeLists.txt), and
// the first batch of each database in an instance carries a statement that
// fails the batch unless d1_migrations holds exactly those names. A database
// behind (a migration not applied) or ahead (one this build does not know)
// then answers schema_mismatch, naming them, instead of "no such column" —
// and nothing of that batch is written.
//
// Success path: no extra round trip (the guard rides the operation's batch,
// and once one batch carrying it succeeds the instance stops sending it).
// Failure path: one more batch reads d1_migrations to name the difference.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "runtime/task.h"
#include "sql/statement.h"

namespace eventuall::runtime {

class Context;

struct KnownMigration {
  std::string_view name;    // file name, as wrangler records it in d1_migrations
  std::string_view sha256;  // as recorded in the folder's eventuall.sum
};

// The migrations of `db` this build was built for, in order.
const std::vector<KnownMigration>& known_migrations(sql::Database db);

// Fails its batch (a JSON path error on a text that is not constant, so
// SQLite cannot evaluate it ahead of the CASE) unless d1_migrations holds
// exactly the known names; a missing d1_migrations fails it too.
sql::Statement schema_guard_statement(sql::Database db);

// schema_mismatch naming what `applied` lacks and what it has in excess, or
// nullopt when it is exactly the known set.
std::optional<Error> schema_difference(sql::Database db, const std::vector<std::string>& applied);

// The failure path: after a batch carrying the guard failed, reads
// d1_migrations (one batch, no guard) and answers schema_mismatch, or OK
// (then the instance stops guarding db) when the names match after all.
// A read that fails for another reason than a missing table answers OK: the
// operation's own error stands.
Task<Status> check_schema(Context& ctx, sql::Database db);

}  // namespace eventuall::runtime
