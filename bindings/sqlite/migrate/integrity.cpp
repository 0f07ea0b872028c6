#include "migrate/integrity.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "common/encoding.h"
#include "crypto/sha256.h"
#include "migrations.h"

namespace eventuall::migrate {

namespace {

std::string entry_lines(const std::vector<IntegrityEntry>& entries) {
  std::string out;
  for (const auto& e : entries) out += e.name + " " + e.sha256 + "\n";
  return out;
}

bool is_hex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The file name without its number: "0010_price.sql" -> "price.sql".
std::string unnumbered(const std::string& name) {
  return name.size() > 5 ? name.substr(5) : name;
}

}  // namespace

std::string integrity_path(const std::string& migrations_dir) {
  return (std::filesystem::path(migrations_dir) / "meta" / "eventuall.sum").string();
}

std::string integrity_text(const std::vector<IntegrityEntry>& entries) {
  const std::string lines = entry_lines(entries);
  return "# Integrity file of this migrations folder: the SHA-256 of every migration, in order.\n"
         "# Written by `eventuall generate` and `eventuall sum <db>`; `eventuall check` fails "
         "when\n"
         "# a recorded file is edited, deleted, renamed or reordered, or a file is inserted "
         "before\n"
         "# the last one. Never edit it by hand.\n"
         "total " +
         to_hex(crypto::sha256(lines)) + "\n" + lines;
}

Result<std::vector<IntegrityEntry>> read_integrity(const std::string& migrations_dir) {
  const std::string path = integrity_path(migrations_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Error::not_found("no integrity file " + path);
  auto text = sqlite::read_file(path);
  if (!text.ok()) return text.take_error();
  std::vector<IntegrityEntry> entries;
  std::string total;
  std::istringstream in(*text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    const std::string key = line.substr(0, space);
    const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (!is_hex64(value)) {
      return Error::invalid_input(path + " line " + std::to_string(number) +
                                  " is not `<name> <sha256>`");
    }
    if (key == "total" && total.empty() && entries.empty()) {
      total = value;
    } else {
      entries.push_back({key, value});
    }
  }
  if (total.empty()) return Error::invalid_input(path + " has no total line");
  if (to_hex(crypto::sha256(entry_lines(entries))) != total) {
    return Error::invalid_input(path +
                                " does not match its own total (edited by hand, or a merge kept "
                                "lines of both sides)");
  }
  return entries;
}

Result<std::string> write_integrity(const std::string& migrations_dir) {
  auto folder = scan_folder(migrations_dir);
  if (!folder.ok()) return folder.take_error();
  if (!folder->problems.empty()) {
    return Error::conflict("the migrations folder " + migrations_dir + " has problems (" +
                           folder->problems[0].problem +
                           "); fix them before recording its integrity file");
  }
  std::vector<IntegrityEntry> entries;
  for (const auto& f : folder->files) {
    auto sum = file_sha256(f.path);
    if (!sum.ok()) return sum.take_error();
    entries.push_back({f.name, *sum});
  }
  const std::string path = integrity_path(migrations_dir);
  if (Status s = write_text_file(path, integrity_text(entries)); !s.ok()) return s.error();
  return path;
}

std::vector<Finding> verify_integrity(const MigrationFolder& folder, const std::string& db) {
  const std::string sum_command = "`eventuall sum " + db + "`";
  auto recorded = read_integrity(folder.dir);
  if (!recorded.ok()) {
    if (recorded.error().code() == ErrorCode::kNotFound) {
      return {{recorded.error().message() +
                   " (it records every migration's SHA-256, so an edit to an applied file is "
                   "caught without a database)",
               "run " + sum_command + " and commit " + integrity_path(folder.dir)}};
    }
    return {
        {recorded.error().message(), "check out every migration file as committed (`git status " +
                                         folder.dir + "`), then run " + sum_command}};
  }
  std::map<std::string, std::string> now;  // name -> sha256 of the file in the folder
  std::map<std::string, std::string> by_hash;
  for (const auto& f : folder.files) {
    auto sum = file_sha256(f.path);
    now[f.name] = sum.ok() ? *sum : "";
    by_hash[now[f.name]] = f.name;
  }
  std::map<std::string, std::string> recorded_sum;
  for (const auto& e : *recorded) recorded_sum[e.name] = e.sha256;

  std::vector<Finding> out;
  const std::string never_renamed =
      "wrangler records applied migrations by file name, so a database that applied it under its "
      "old name would apply it again under the new one";
  for (const auto& e : *recorded) {
    auto it = now.find(e.name);
    if (it == now.end()) {
      auto moved = by_hash.find(e.sha256);
      if (moved != by_hash.end() && !recorded_sum.count(moved->second)) {
        out.push_back(
            {e.name + " was renamed to " + moved->second + " (same bytes); " + never_renamed,
             "restore its name: `git mv " + folder.dir + "/" + moved->second + " " + folder.dir +
                 "/" + e.name + "`"});
      } else {
        out.push_back({e.name + " is recorded in the integrity file but was deleted from " +
                           folder.dir + " (databases that applied it keep its effect)",
                       "restore it (`git checkout <main> -- " + folder.dir + "/" + e.name +
                           "`); to undo its effect, write a new migration"});
      }
      continue;
    }
    if (it->second != e.sha256) {
      auto moved = by_hash.find(e.sha256);
      if (moved != by_hash.end() && moved->second != e.name) {
        out.push_back({e.name + " now holds other bytes, and " + moved->second +
                           " holds what was recorded for " + e.name +
                           " (migrations renumbered or reordered); " + never_renamed,
                       "restore the recorded names and contents (`git checkout <main> -- " +
                           folder.dir +
                           "`), then add changes as new migrations with the next "
                           "number"});
      } else {
        out.push_back({e.name + " was edited after it was recorded (sha256 recorded " + e.sha256 +
                           ", now " + it->second +
                           "); databases that applied it never see the edit",
                       "restore it (`git checkout <main> -- " + folder.dir + "/" + e.name +
                           "`) and put the change in a new migration: `eventuall generate " + db +
                           " <name>` (or a hand-written next-number file)"});
      }
    }
  }
  const std::string last = recorded->empty() ? std::string() : recorded->back().name;
  for (const auto& f : folder.files) {
    if (recorded_sum.count(f.name)) continue;
    const auto same = std::find_if(recorded->begin(), recorded->end(),
                                   [&](const auto& e) { return e.sha256 == now[f.name]; });
    if (same != recorded->end() && !now.count(same->name)) continue;  // reported as a rename
    if (!last.empty() && f.name < last) {
      out.push_back(
          {f.name + " is not in the integrity file and sorts before the last recorded migration " +
               last + " (added on a branch merged after " + last +
               "?): databases that already applied " + last +
               " would run it after it, out of order",
           "keep every recorded file as it is. If " + f.name +
               " was applied to no database yet, replace it with a new file with the next "
               "number: delete it (and its meta/ snapshot), then `eventuall generate " +
               db + " " + unnumbered(f.name).substr(0, unnumbered(f.name).size() - 4) +
               "` (or copy its SQL into " + numbered_name(next_number(folder), "<name>") +
               " and run " + sum_command +
               "). If some database applied it already, that database must be rebuilt "
               "from the migrations: a renamed file would run there twice"});
    } else {
      out.push_back(
          {f.name + " is not in the integrity file (a migration added by hand?)",
           "run " + sum_command + " and commit " + integrity_path(folder.dir) + " with it"});
    }
  }
  return out;
}

}  // namespace eventuall::migrate
