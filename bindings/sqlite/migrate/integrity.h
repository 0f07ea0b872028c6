#pragma once
// The integrity file, migrations/<db>/meta/eventuall.sum, in the spirit of
// Atlas's atlas.sum: committed beside the migrations, it records the SHA-256
// of every migration file in order, plus a hash over the whole list. `check`
// compares the folder with it and fails, naming the file, on an edit, a
// deletion, a rename or reorder, and an insertion before the last recorded
// file, with no database at all: D1 keeps no checksums (wrangler records names
// only), so this file is what vouches for applied migrations on any database.
// `generate` and `eventuall sum <db>` rewrite it.
//
// Format (one line each, LF):
//   # comment lines
//   total <sha256 of the entry lines below, each with its "\n">
//   <file name> <sha256 of its bytes>
//   ...

#include <string>
#include <vector>

#include "common/status.h"
#include "migrate/files.h"

namespace eventuall::migrate {

struct IntegrityEntry {
  std::string name;
  std::string sha256;
};

std::string integrity_path(const std::string& migrations_dir);

// The file's text for these entries (in this order).
std::string integrity_text(const std::vector<IntegrityEntry>& entries);
// not_found when there is none; invalid_input when it is malformed or its total
// does not match its entries (edited by hand, or a merge kept lines of both sides).
Result<std::vector<IntegrityEntry>> read_integrity(const std::string& migrations_dir);

// Records every migration file of the folder; refuses a folder with problems
// (bad names, duplicate numbers). Returns the path written.
Result<std::string> write_integrity(const std::string& migrations_dir);

// What differs between the folder and its integrity file, each with its fix;
// empty when they agree.
std::vector<Finding> verify_integrity(const MigrationFolder& folder, const std::string& db);

}  // namespace eventuall::migrate
