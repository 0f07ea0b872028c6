#pragma once
// `eventuall check`, for CI: every way the migrations of one database can be
// wrong, each with what to run. Empty means all is well.
//   - folder: bad file names, duplicate numbers, gaps, BEGIN/COMMIT/PRAGMA
//     foreign_keys in a file;
//   - schema: the migrations do not build the C++ schema (compared
//     structurally), or the newest snapshot is not the C++ schema (a schema
//     change without its migration);
//   - target (optional SQLite/D1 file): pending migrations, pending ones
//     numbered below an applied one, applied ones missing from the folder or
//     changed since (checksum), and a target whose tables drifted from what
//     its applied migrations build.

#include <optional>
#include <string>
#include <vector>

#include "migrate/files.h"
#include "schema/schema.h"

namespace eventuall::migrate {

struct CheckReport {
  std::vector<Finding> failures;
  std::vector<std::string> notes;  // not failures: e.g. files applied by wrangler have no checksum
};

CheckReport check_migrations(const schema::Schema& schema, const std::string& dir,
                             const std::optional<std::string>& target_file);

}  // namespace eventuall::migrate
