#include "migrate/target.h"

#include <algorithm>
#include <filesystem>

#include "migrate/structure.h"
#include "sqlite_database.h"

namespace eventuall::migrate {

namespace {

bool has_table(sqlite::SqliteDatabase& db, const std::string& name) {
  auto rows =
      db.query("SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = ?", {name});
  return rows.ok() && !rows->empty();
}

std::size_t shared_tables(const AppliedState& state, const schema::Schema& schema) {
  return static_cast<std::size_t>(
      std::count_if(state.user_tables.begin(), state.user_tables.end(),
                    [&](const std::string& t) { return schema.find_table(t) != nullptr; }));
}

std::string trim(std::string_view s) {
  // Box-drawing and spaces around a cell.
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

// Drops ANSI colour sequences (ESC [ ... letter) that a terminal run may keep.
std::string strip_ansi(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      i += 2;
      while (i < s.size() && !((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

}  // namespace

Result<AppliedState> read_applied_state(const std::string& sqlite_file) {
  AppliedState state;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(sqlite_file, ec)) return state;
  state.exists = true;
  auto db = sqlite::SqliteDatabase::open(sqlite_file);
  if (!db.ok()) return db.take_error();
  auto tables =
      (*db)->query("SELECT name AS name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  if (!tables.ok()) return Error::db_error(sqlite_file + ": " + tables.error().message());
  for (const auto& row : tables->rows) {
    if (!is_bookkeeping_table(row[0].as_text())) state.user_tables.push_back(row[0].as_text());
  }
  if (has_table(**db, "d1_migrations")) {
    auto rows = (*db)->query("SELECT name AS name FROM d1_migrations ORDER BY id");
    if (!rows.ok()) return rows.take_error();
    for (const auto& row : rows->rows) state.applied.push_back(row[0].as_text());
  }
  if (has_table(**db, "eventuall_migration_checksums")) {
    auto rows =
        (*db)->query("SELECT name AS name, sha256 AS sha256 FROM eventuall_migration_checksums");
    if (!rows.ok()) return rows.take_error();
    for (const auto& row : rows->rows) state.checksums[row[0].as_text()] = row[1].as_text();
  }
  return state;
}

const schema::Schema* infer_schema(const AppliedState& state,
                                   const std::vector<const schema::Schema*>& candidates) {
  const schema::Schema* best = nullptr;
  std::size_t best_count = 0;
  bool tie = false;
  for (const auto* s : candidates) {
    const std::size_t n = shared_tables(state, *s);
    if (n > best_count) {
      best = s;
      best_count = n;
      tie = false;
    } else if (n == best_count && n > 0) {
      tie = true;
    }
  }
  return tie ? nullptr : best;
}

Result<std::string> resolve_target(const std::string& target, const schema::Schema& schema,
                                   const std::optional<std::string>& db_file) {
  if (db_file) return *db_file;
  std::error_code ec;
  if (!std::filesystem::is_directory(target, ec)) return target;

  std::vector<std::string> matching, empty, all;
  for (auto it = std::filesystem::recursive_directory_iterator(target, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto& path = it->path();
    if (!it->is_regular_file() || path.extension() != ".sqlite" ||
        path.filename() == "metadata.sqlite") {
      continue;
    }
    auto state = read_applied_state(path.string());
    if (!state.ok()) continue;  // not a database we can read: not ours
    all.push_back(path.string());
    if (shared_tables(*state, schema) > 0) {
      matching.push_back(path.string());
    } else if (state->user_tables.empty() && state->applied.empty()) {
      empty.push_back(path.string());
    }
  }
  if (ec) return Error::not_found("cannot search " + target + ": " + ec.message());
  const std::string db = std::string(sql::database_name(schema.database()));
  if (matching.size() == 1) return matching[0];
  if (matching.empty() && empty.size() == 1) return empty[0];
  std::string list;
  for (const auto& p : all) list += "\n  " + p;
  if (all.empty()) {
    return Error::not_found("no D1 database file (*.sqlite) under " + target +
                            "; run `wrangler d1 migrations apply <BINDING> --local` once, or pass "
                            "a SQLite file");
  }
  return Error::conflict("cannot tell which file under " + target + " is the " + db +
                         " database; pass --db-file <file>. Candidates:" + list);
}

Result<std::vector<std::string>> parse_wrangler_list(std::string_view raw) {
  const std::string output = strip_ansi(raw);
  if (output.find("No migrations to apply") != std::string::npos) return std::vector<std::string>{};
  std::vector<std::string> names;
  bool table = false;
  std::size_t start = 0;
  while (start <= output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(start, end - start);
    start = end + 1;
    // Cells are separated by "│" (U+2502) in wrangler 3/4, "|" in older tables.
    std::vector<std::string> cells;
    std::size_t pos = 0;
    bool bordered = false;
    while (pos <= line.size()) {
      std::size_t next = line.size();
      std::size_t width = 0;
      for (std::string_view sep : {std::string_view("\xe2\x94\x82"), std::string_view("|")}) {
        const std::size_t at = line.find(sep, pos);
        if (at != std::string::npos && at < next) {
          next = at;
          width = sep.size();
        }
      }
      if (width) bordered = true;
      cells.push_back(trim(std::string_view(line).substr(pos, next - pos)));
      if (!width) break;
      pos = next + width;
    }
    if (!bordered) continue;
    table = true;
    for (const auto& cell : cells) {
      if (cell.size() > 4 && cell.substr(cell.size() - 4) == ".sql" &&
          cell.find(' ') == std::string::npos) {
        names.push_back(cell);
      }
    }
  }
  if (!table) {
    return Error::invalid_input(
        "cannot read the output of `wrangler d1 migrations list`: neither a table of migrations "
        "nor \"No migrations to apply!\"");
  }
  return names;
}

}  // namespace eventuall::migrate
