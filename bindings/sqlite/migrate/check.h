#pragma once
// `eventuall check`, for CI: every way the migrations of one database can be
// wrong, each with what to run. Empty means all is well.
//   - integrity: the folder differs from meta/eventuall.sum (an edited,
//     deleted, renamed or reordered migration, or one inserted before the last);
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
  // With a target: the migrations applied there, and how many of them were
  // compared with a checksum recorded on it (only files `eventuall apply` ran
  // have one; the integrity file vouches for the others' bytes).
  std::size_t applied = 0;
  std::size_t checksums_verified = 0;
};

CheckReport check_migrations(const schema::Schema& schema, const std::string& dir,
                             const std::optional<std::string>& target_file);

// What an ok check with a target verified, for the CLI's last line.
std::string target_summary(const CheckReport& report, const std::string& target);

// The remote form: `pending` is what `wrangler d1 migrations list <BINDING>
// --remote` lists (parse_wrangler_list); every other file counts as applied.
CheckReport check_migrations_listed(const schema::Schema& schema, const std::string& dir,
                                    const std::vector<std::string>& pending);

}  // namespace eventuall::migrate
