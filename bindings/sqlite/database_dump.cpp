#include "database_dump.h"

#include <algorithm>
#include <vector>

#include "common/encoding.h"

namespace eventuall::sqlite {

namespace {

std::string value_text(const sql::Value& v) {
  if (v.is_null()) return "NULL";
  if (v.is_integer()) return "i:" + std::to_string(v.as_integer());
  if (v.is_real()) return "r:" + std::to_string(v.as_real());
  if (v.is_text()) return "t:'" + v.as_text() + "'";
  const auto& bytes = v.as_blob().bytes;
  return "b:" + to_hex(bytes.data(), bytes.size());
}

}  // namespace

Result<std::string> dump_database(SqliteDatabase& db) {
  auto objects = db.query(
      "SELECT type AS type, name AS name, coalesce(sql, '') AS sql FROM sqlite_master "
      "ORDER BY type, name");
  if (!objects.ok()) return objects.take_error();
  std::string out;
  for (const auto& object : objects->rows) {
    out += object[0].as_text() + " " + object[1].as_text() + ": " + object[2].as_text() + "\n";
  }
  for (const auto& object : objects->rows) {
    if (object[0].as_text() != "table") continue;
    const std::string& table = object[1].as_text();
    // Table names come from sqlite_master, never from input.
    auto rows = db.query("SELECT * FROM \"" + table + "\"");
    if (!rows.ok()) return rows.take_error();
    std::vector<std::string> lines;
    for (const auto& row : rows->rows) {
      std::string line;
      for (const auto& v : row) line += value_text(v) + "|";
      lines.push_back(std::move(line));
    }
    // Row order is not part of the state (rowid reuse may differ).
    std::sort(lines.begin(), lines.end());
    out += "== " + table + " (" + std::to_string(lines.size()) + " rows)\n";
    for (const auto& line : lines) out += line + "\n";
  }
  return out;
}

}  // namespace eventuall::sqlite
