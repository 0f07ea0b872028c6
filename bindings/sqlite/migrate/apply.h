#pragma once
// `eventuall apply` and `eventuall seed` on a local SQLite file (a local D1
// database file included). Each migration file runs in one transaction with
// its d1_migrations row (as wrangler records it, so either tool continues the
// other's work) and its checksum; the first failure rolls that file back and
// stops.

#include <string>
#include <vector>

#include "common/status.h"
#include "migrate/files.h"
#include "migrate/target.h"

namespace eventuall::migrate {

struct PlannedMigration {
  std::string name;
  std::string path;
  std::string sha256;
  std::size_t statements = 0;
};

struct ApplyPlan {
  std::vector<PlannedMigration> pending;  // in the order they would run
  std::vector<std::string> warnings;      // out of order, edited since applied, unknown names
};

// Read-only: what apply would do. Refuses a folder with bad names, duplicate
// numbers or transaction statements (the order or atomicity would be unclear).
Result<ApplyPlan> plan_apply(const MigrationFolder& folder, const AppliedState& state);

// Applies the plan's files; returns the names applied.
Result<std::vector<std::string>> apply_pending(const std::string& sqlite_file,
                                               const std::string& dir);

// Runs each seed file in one transaction, twice: the second run must change
// nothing (seeds are re-run on every setup), or the whole seed rolls back.
Status apply_seed(const std::string& sqlite_file, const std::string& seed_path);

}  // namespace eventuall::migrate
