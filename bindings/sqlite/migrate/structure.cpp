#include "migrate/structure.h"

#include <algorithm>

#include "migrate/sql_text.h"

namespace eventuall::migrate {

namespace {

// Adds `key` -> `value`; a repeated key gets " #2", " #3", ... so repeats count.
void add(Structure& out, const std::string& key, const std::string& value) {
  if (out.emplace(key, value).second) return;
  for (int n = 2;; ++n) {
    if (out.emplace(key + " #" + std::to_string(n), value).second) return;
  }
}

}  // namespace

bool is_bookkeeping_table(const std::string& name) {
  const std::string n = lower(name);
  return n.rfind("sqlite_", 0) == 0 || n.rfind("_cf_", 0) == 0 || n == "d1_migrations" ||
         n == "eventuall_migration_checksums";
}

Result<Structure> read_structure(sqlite::SqliteDatabase& db) {
  Structure out;
  auto objects = db.query(
      "SELECT type AS type, name AS name, tbl_name AS tbl_name, coalesce(sql, '') AS sql "
      "FROM sqlite_master ORDER BY name");
  if (!objects.ok()) return objects.take_error();
  auto tables = db.query(
      "SELECT name AS name, type AS type, wr AS wr, strict AS strict FROM pragma_table_list "
      "WHERE schema = 'main' AND type IN ('table', 'virtual')");
  if (!tables.ok()) return tables.take_error();

  for (const auto& t : tables->rows) {
    const std::string name = t[0].as_text();
    if (is_bookkeeping_table(name)) continue;
    const std::string table = "table " + lower(name);
    std::string options = t[1].as_text();
    if (t[2].as_integer()) options += ", without rowid";
    if (t[3].as_integer()) options += ", strict";
    add(out, table, options);

    auto columns = db.query(
        "SELECT name AS name, type AS type, \"notnull\" AS nn, dflt_value AS dflt, pk AS pk, "
        "hidden AS hidden FROM pragma_table_xinfo(?)",
        {name});
    if (!columns.ok()) return columns.take_error();
    for (const auto& c : columns->rows) {
      std::string value = "type " + lower(c[1].as_text());
      if (c[2].as_integer()) value += ", not null";
      if (!c[3].is_null()) value += ", default " + normalize_sql(c[3].as_text());
      if (c[4].as_integer()) value += ", primary key #" + std::to_string(c[4].as_integer());
      if (c[5].as_integer()) value += ", hidden " + std::to_string(c[5].as_integer());
      add(out, table + " column " + lower(c[0].as_text()), value);
    }

    for (const auto& o : objects->rows) {
      if (o[0].as_text() == "table" && o[1].as_text() == name) {
        for (const auto& check : check_constraints(o[3].as_text())) {
          add(out, table + " check (" + check + ")", "present");
        }
      }
    }

    auto fks = db.query(
        "SELECT id AS id, \"table\" AS parent, \"from\" AS from_col, coalesce(\"to\", '') AS "
        "to_col, on_update AS on_update, on_delete AS on_delete, \"match\" AS match_kind "
        "FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        {name});
    if (!fks.ok()) return fks.take_error();
    for (std::size_t i = 0; i < fks->rows.size();) {
      const auto id = fks->rows[i][0].as_integer();
      std::string from, to;
      const auto& first = fks->rows[i];
      for (; i < fks->rows.size() && fks->rows[i][0].as_integer() == id; ++i) {
        if (!from.empty()) from += ", ";
        if (!to.empty()) to += ", ";
        from += lower(fks->rows[i][2].as_text());
        to += lower(fks->rows[i][3].as_text());
      }
      add(out,
          table + " foreign key (" + from + ") references " + lower(first[1].as_text()) + " (" +
              to + ")",
          "on delete " + lower(first[5].as_text()) + ", on update " + lower(first[4].as_text()) +
              ", match " + lower(first[6].as_text()));
    }

    auto indexes = db.query(
        "SELECT name AS name, \"unique\" AS is_unique, origin AS origin, partial AS partial "
        "FROM pragma_index_list(?)",
        {name});
    if (!indexes.ok()) return indexes.take_error();
    for (const auto& i : indexes->rows) {
      const std::string index_name = i[0].as_text();
      const std::string origin = i[2].as_text();
      if (origin == "c") {
        std::string sql;
        for (const auto& o : objects->rows) {
          if (o[0].as_text() == "index" && o[1].as_text() == index_name) sql = o[3].as_text();
        }
        add(out, "index " + lower(index_name), "on " + lower(name) + ": " + normalize_sql(sql));
        continue;
      }
      // Automatic indexes (PRIMARY KEY, UNIQUE) are named by position; key them
      // by their columns instead.
      auto cols = db.query(
          "SELECT coalesce(name, '<expr>') AS name, \"desc\" AS d FROM pragma_index_xinfo(?) "
          "WHERE key = 1 ORDER BY seqno",
          {index_name});
      if (!cols.ok()) return cols.take_error();
      std::string list;
      for (const auto& c : cols->rows) {
        if (!list.empty()) list += ", ";
        list += lower(c[0].as_text()) + (c[1].as_integer() ? " desc" : "");
      }
      add(out, table + " automatic index (" + list + ")",
          "origin " + origin + (i[1].as_integer() ? ", unique" : ""));
    }
  }

  for (const auto& o : objects->rows) {
    const std::string type = o[0].as_text();
    if (type == "view" || type == "trigger") {
      add(out, type + " " + lower(o[1].as_text()), normalize_sql(o[3].as_text()));
    }
  }
  return out;
}

std::vector<std::string> compare_structures(const Structure& a, const std::string& a_name,
                                            const Structure& b, const std::string& b_name) {
  std::vector<std::string> out;
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it == b.end()) {
      out.push_back("only in " + a_name + ": " + key + " (" + value + ")");
    } else if (it->second != value) {
      out.push_back(key + ": " + a_name + " has \"" + value + "\", " + b_name + " has \"" +
                    it->second + "\"");
    }
  }
  for (const auto& [key, value] : b) {
    if (!a.count(key)) out.push_back("only in " + b_name + ": " + key + " (" + value + ")");
  }
  return out;
}

Result<Structure> structure_of_script(const std::string& sql) {
  auto db = sqlite::SqliteDatabase::open(":memory:");
  if (!db.ok()) return db.take_error();
  if (Status s = (*db)->exec_script(sql); !s.ok()) return s.error();
  return read_structure(**db);
}

}  // namespace eventuall::migrate
