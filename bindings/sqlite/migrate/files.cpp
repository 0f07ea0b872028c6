#include "migrate/files.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "common/encoding.h"
#include "crypto/sha256.h"
#include "migrate/sql_text.h"

namespace eventuall::migrate {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// NNNN_<letters, digits, '_' or '-'>.sql
bool is_good_name(const std::string& name) {
  if (name.size() < 10 || name.substr(name.size() - 4) != ".sql" || name[4] != '_') return false;
  if (!std::all_of(name.begin(), name.begin() + 4, is_digit)) return false;
  return std::all_of(name.begin() + 5, name.end() - 4, [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
  });
}

}  // namespace

int migration_number(const std::string& name) {
  int n = 0;
  for (std::size_t i = 0; i < 4 && i < name.size() && is_digit(name[i]); ++i)
    n = n * 10 + (name[i] - '0');
  return n;
}

std::string numbered_name(int number, const std::string& name) {
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%04d_", number);
  return prefix + name + ".sql";
}

int next_number(const MigrationFolder& folder) {
  int next = 0;
  for (const auto& f : folder.files) next = std::max(next, migration_number(f.name) + 1);
  return next;
}

std::string sanitize_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool word = (c >= 'a' && c <= 'z') || is_digit(c);
    if (word) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

Status write_text_file(const std::string& path, const std::string& text) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Error::internal("cannot write " + path);
  return {};
}

Result<std::string> file_sha256(const std::string& path) {
  auto text = sqlite::read_file(path);
  if (!text.ok()) return text.take_error();
  return to_hex(crypto::sha256(*text));
}

std::vector<std::string> forbidden_statements(const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& statement : split_statements(sql)) {
    const auto tokens = tokenize(statement);
    if (tokens.empty()) continue;
    const std::string first = lower(tokens[0].text);
    if (first == "begin" || first == "commit" || first == "end" || first == "rollback" ||
        first == "savepoint" || first == "release") {
      out.push_back("`" + statement +
                    "` (D1 rejects transaction statements; each file already "
                    "runs as one unit)");
    } else if (first == "pragma" && tokens.size() > 1 &&
               (lower(tokens[1].text) == "foreign_keys" ||
                lower(tokens[1].text) == "legacy_alter_table")) {
      out.push_back("`" + statement + "` (a no-op on D1, where foreign keys are always enforced)");
    }
  }
  return out;
}

Result<MigrationFolder> scan_folder(const std::string& dir) {
  MigrationFolder folder;
  folder.dir = dir;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error::not_found("no migrations folder " + dir);
  }
  std::vector<std::string> sql_names;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.size() < 4 || name.substr(name.size() - 4) != ".sql")
      continue;
    if (is_good_name(name)) {
      folder.files.push_back({name, entry.path().string()});
    } else {
      folder.problems.push_back(
          {"bad migration file name " + name + " (wrangler applies every .sql file in " + dir +
               ", ordered by its number; ours are NNNN_name.sql with a 4-digit number)",
           "rename it to the next free number, e.g. `git mv " + dir + "/" + name + " " + dir + "/" +
               "NNNN_" + sanitize_name(name.substr(0, name.size() - 4)) +
               ".sql`, or move it out of the folder (seeds belong in migrations/seeds/)"});
    }
  }
  if (ec) return Error::not_found("cannot list " + dir + ": " + ec.message());
  std::sort(folder.files.begin(), folder.files.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });

  std::map<int, std::vector<std::string>> by_number;
  for (const auto& f : folder.files) by_number[migration_number(f.name)].push_back(f.name);
  int expected = by_number.empty() ? 0 : by_number.begin()->first;
  for (const auto& [number, names] : by_number) {
    if (names.size() > 1) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      folder.problems.push_back(
          {"duplicate migration number " + numbered_name(number, "").substr(0, 4) + ": " + list +
               " (usually two branches each added one)",
           "do not rename a file a database may have applied: wrangler records names, so it "
           "would run again there. Keep the one recorded in meta/eventuall.sum (committed "
           "first). If the other (say " +
               names.back() +
               ") was applied to no database yet, replace it with a new file with the next "
               "number: delete it and its meta/ snapshot, then `eventuall generate <db> " +
               names.back().substr(5, names.back().size() - 9) + "` (it writes " +
               numbered_name(next_number(folder), names.back().substr(5, names.back().size() - 9)) +
               "). If a database applied it, recreate that database from the migrations "
               "instead"});
    }
    if (number != expected) {
      folder.problems.push_back(
          {"migration numbers jump from " + numbered_name(expected - 1, "").substr(0, 4) + " to " +
               numbered_name(number, "").substr(0, 4) + " (a file is missing or out of order)",
           "restore the missing file (git), or renumber the later files to close the gap if none "
           "of them was applied anywhere yet"});
    }
    expected = number + 1;
  }
  for (const auto& f : folder.files) {
    auto text = sqlite::read_file(f.path);
    if (!text.ok()) return text.take_error();
    for (const auto& bad : forbidden_statements(*text)) {
      folder.problems.push_back(
          {f.name + " contains " + bad, "remove that statement from " + f.path});
    }
  }
  return folder;
}

}  // namespace eventuall::migrate
