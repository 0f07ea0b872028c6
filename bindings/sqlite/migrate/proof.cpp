#include "migrate/proof.h"

#include <algorithm>
#include <set>

#include "common/encoding.h"
#include "migrate/sql_text.h"
#include "migrations.h"

namespace eventuall::migrate {

namespace {

using schema::Column;
using schema::ColumnType;
using schema::Schema;
using schema::Table;

// One value to try for a column: a bound value, or "leave it to the DEFAULT".
struct Candidate {
  bool omit = false;
  sql::Value value;
};

// Tables ordered so that every table comes after the tables it references
// (self references aside); a reference cycle keeps declaration order.
std::vector<const Table*> parents_first(const Schema& schema) {
  std::vector<const Table*> out;
  std::set<std::string> placed;
  std::vector<const Table*> left;
  for (const auto& t : schema.tables()) left.push_back(&t);
  while (!left.empty()) {
    auto ready = std::find_if(left.begin(), left.end(), [&](const Table* t) {
      return std::all_of(t->columns().begin(), t->columns().end(), [&](const Column& c) {
        return !c.references || c.references->table == t->name() ||
               placed.count(c.references->table) || !schema.find_table(c.references->table);
      });
    });
    if (ready == left.end()) ready = left.begin();
    placed.insert((*ready)->name());
    out.push_back(*ready);
    left.erase(ready);
  }
  return out;
}

std::string row_id(const Table& table, int i) {
  std::string id = "r";
  for (char c : table.name()) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) id += c;
  }
  return id + "x" + std::to_string(i);
}

// Values to try, most likely first. Plain values come before the DEFAULT and
// NULL, so that the rows are deterministic and a kept column's values can be
// counted after the migration.
std::vector<Candidate> candidates(const Table& table, const Column& c, int i,
                                  const std::map<std::string, std::vector<sql::Value>>& ids) {
  std::vector<Candidate> out;
  const bool has_default = c.default_sql && !is_null_default(*c.default_sql);
  if (c.primary_key) {
    if (c.type == ColumnType::kInteger) return {{false, sql::Value(std::int64_t{i + 1})}};
    return {{false, sql::Value(row_id(table, i))}};
  }
  if (c.references) {
    if (c.references->table == table.name()) {
      out.push_back({false, sql::Value(row_id(table, i))});  // the row itself
      for (int k = 0; k < i; ++k) out.push_back({false, sql::Value(row_id(table, k))});
    } else if (auto it = ids.find(c.references->table); it != ids.end()) {
      const auto& parents = it->second;
      for (std::size_t k = 0; k < parents.size(); ++k)
        out.push_back({false, parents[(i + k) % parents.size()]});
    }
  } else if (!c.enum_values.empty()) {
    for (std::size_t k = 0; k < c.enum_values.size(); ++k)
      out.push_back({false, sql::Value(c.enum_values[(i + k) % c.enum_values.size()])});
  } else {
    const std::string n = std::to_string(i);
    switch (c.type) {
      case ColumnType::kInteger:
        if (c.name.size() > 3 && c.name.substr(c.name.size() - 3) == "_at") {
          out.push_back({false, sql::Value(std::int64_t{1767225600 + i * 60})});
        }
        for (std::int64_t v :
             {std::int64_t{i + 1}, std::int64_t{0}, std::int64_t{1}, std::int64_t{100 + i}}) {
          out.push_back({false, sql::Value(v)});
        }
        break;
      case ColumnType::kReal:
        out.push_back({false, sql::Value(i + 1.5)});
        out.push_back({false, sql::Value(0.0)});
        break;
      case ColumnType::kBlob:
        out.push_back({false, sql::Value(sql::Blob{{static_cast<std::uint8_t>(i), 1}})});
        break;
      case ColumnType::kJson:
        out.push_back({false, sql::Value("[]")});
        out.push_back({false, sql::Value("{}")});
        break;
      case ColumnType::kText:
        out.push_back({false, sql::Value("r" + n + "@example.com")});  // lower case, an email
        out.push_back({false, sql::Value(std::string("US") + static_cast<char>('A' + i % 26))});
        out.push_back({false, sql::Value("2026-01-1" + std::to_string(i % 10))});  // a date
        out.push_back({false, sql::Value("value " + n)});
        break;
    }
  }
  // The DEFAULT last: explicit values keep the rows the same on every run
  // (a DEFAULT may read the clock or randomness).
  if (has_default) out.push_back({true, {}});
  if (!c.not_null) out.push_back({false, sql::Value(nullptr)});
  if (out.empty()) out.push_back({true, {}});
  return out;
}

// The columns a constraint error names: a CHECK's expression, or a
// UNIQUE/NOT NULL list of table.column; every column when it names none.
std::vector<std::size_t> blamed_columns(const Table& table, const std::string& message) {
  std::vector<std::size_t> out;
  const std::string marker = "constraint failed: ";
  const auto at = message.find(marker);
  const std::string detail = at == std::string::npos ? "" : message.substr(at + marker.size());
  for (std::size_t k = 0; k < table.columns().size(); ++k) {
    const std::string& name = table.columns()[k].name;
    const bool foreign = message.find("FOREIGN KEY") != std::string::npos;
    if (foreign ? table.columns()[k].references.has_value()
                : (!detail.empty() && (mentions_identifier(detail, name) ||
                                       mentions_identifier(detail, table.name() + "." + name)))) {
      out.push_back(k);
    }
  }
  if (out.empty()) {
    for (std::size_t k = 0; k < table.columns().size(); ++k) out.push_back(k);
  }
  return out;
}

Status populate_table(sqlite::SqliteDatabase& db, const Table& table, int rows,
                      std::map<std::string, std::vector<sql::Value>>& ids) {
  const auto& columns = table.columns();
  for (int i = 0; i < rows; ++i) {
    std::vector<std::vector<Candidate>> options;
    for (const auto& c : columns) options.push_back(candidates(table, c, i, ids));
    std::vector<std::size_t> choice(columns.size(), 0);
    std::string last_error;
    bool inserted = false;
    for (int attempt = 0; attempt < 500 && !inserted; ++attempt) {
      std::string names, marks;
      std::vector<sql::Value> params;
      for (std::size_t k = 0; k < columns.size(); ++k) {
        const Candidate& pick = options[k][choice[k]];
        if (pick.omit) continue;
        names += (names.empty() ? "" : ", ") + columns[k].name;
        marks += marks.empty() ? "?" : ", ?";
        params.push_back(pick.value);
      }
      const std::string sql =
          names.empty() ? "INSERT INTO " + table.name() + " DEFAULT VALUES"
                        : "INSERT INTO " + table.name() + " (" + names + ") VALUES (" + marks + ")";
      auto done = db.query(sql, params);
      if (done.ok()) {
        inserted = true;
        break;
      }
      last_error = done.error().message();
      // Next combination of the blamed columns (an odometer, last column fastest).
      const auto blamed = blamed_columns(table, last_error);
      bool advanced = false;
      for (auto it = blamed.rbegin(); it != blamed.rend() && !advanced; ++it) {
        if (++choice[*it] < options[*it].size()) {
          advanced = true;
        } else {
          choice[*it] = 0;
        }
      }
      if (!advanced) break;
    }
    if (!inserted) {
      return Error::invalid_input("cannot fill table " + table.name() +
                                  " with rows that satisfy its constraints, so the migration "
                                  "cannot be proven on a populated copy (last refusal: " +
                                  last_error + ")");
    }
    for (const auto& c : columns) {
      if (c.primary_key) {
        ids[table.name()].push_back(c.type == ColumnType::kInteger ? sql::Value(std::int64_t{i + 1})
                                                                   : sql::Value(row_id(table, i)));
      }
    }
  }
  return {};
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

Status populate(sqlite::SqliteDatabase& db, const Schema& schema, int rows) {
  std::map<std::string, std::vector<sql::Value>> ids;
  for (const Table* t : parents_first(schema)) {
    if (Status s = populate_table(db, *t, rows, ids); !s.ok()) return s;
  }
  return {};
}

Result<std::string> insert_script(sqlite::SqliteDatabase& db, const Schema& schema) {
  std::string out;
  for (const Table* t : parents_first(schema)) {
    std::string names;
    for (const auto& c : t->columns()) names += (names.empty() ? "" : ", ") + c.name;
    auto rows = db.query("SELECT " + names + " FROM " + t->name());
    if (!rows.ok()) return rows.take_error();
    for (const auto& row : rows->rows) {
      std::string values;
      for (const auto& v : row) {
        std::string literal;
        if (v.is_null()) {
          literal = "NULL";
        } else if (v.is_integer()) {
          literal = std::to_string(v.as_integer());
        } else if (v.is_real()) {
          literal = std::to_string(v.as_real());
        } else if (v.is_text()) {
          literal = "'";
          for (char ch : v.as_text())
            literal += ch == '\'' ? std::string("''") : std::string(1, ch);
          literal += "'";
        } else {
          literal =
              "X'" + to_hex(std::string(v.as_blob().bytes.begin(), v.as_blob().bytes.end())) + "'";
        }
        values += (values.empty() ? "" : ", ") + literal;
      }
      out += "INSERT INTO " + t->name() + " (" + names + ") VALUES (" + values + ");\n";
    }
  }
  return out;
}

Result<Counts> count_rows(sqlite::SqliteDatabase& db, const Schema& schema) {
  Counts out;
  for (const auto& t : schema.tables()) {
    std::string select = "SELECT count(*) AS n";
    for (const auto& c : t.columns()) select += ", count(" + c.name + ") AS " + c.name;
    auto rows = db.query(select + " FROM " + t.name());
    if (!rows.ok()) return rows.take_error();
    out.rows[t.name()] = rows->rows[0][0].as_integer();
    for (std::size_t k = 0; k < t.columns().size(); ++k)
      out.values[t.name() + "." + t.columns()[k].name] = rows->rows[0][k + 1].as_integer();
  }
  return out;
}

Status prove_on_populated(const Schema& before, const std::string& dir,
                          const std::string& migration_sql, const Diff& diff) {
  auto db = sqlite::SqliteDatabase::open(":memory:");
  if (!db.ok()) return db.error();
  if (auto applied = sqlite::apply_migrations(**db, dir); !applied.ok()) return applied.error();
  if (Status s = populate(**db, before); !s.ok()) return s;
  auto then = count_rows(**db, before);
  if (!then.ok()) return then.error();

  if (Status s = (*db)->exec_script(migration_sql); !s.ok()) {
    return Error::conflict(
        "refusing to generate: the migration fails on a copy holding rows in every table (" +
        s.error().message() +
        "), so it would fail the same way on a database with data. Nothing written.");
  }

  // Every kept table, by its new name, still has its rows and its values.
  std::vector<std::string> lost;
  for (const auto& t : before.tables()) {
    if (contains(diff.dropped_tables, t.name())) continue;
    auto kept = diff.kept_tables.find(t.name());
    if (kept == diff.kept_tables.end()) continue;
    auto rows = (*db)->query("SELECT count(*) AS n FROM " + kept->second);
    if (!rows.ok()) return rows.error();
    const std::int64_t now = rows->rows[0][0].as_integer();
    if (now < then->rows[t.name()]) {
      lost.push_back("table " + kept->second + ": " + std::to_string(then->rows[t.name()]) +
                     " rows before, " + std::to_string(now) + " after");
    }
  }
  for (const auto& c : diff.kept_columns) {
    if (contains(diff.dropped_tables, c.old_table)) continue;
    auto values = (*db)->query("SELECT count(" + c.new_column + ") AS n FROM " + c.new_table);
    if (!values.ok()) return values.error();
    const std::int64_t was = then->values[c.old_table + "." + c.old_column];
    const std::int64_t now = values->rows[0][0].as_integer();
    if (now < was) {
      lost.push_back("column " + c.new_table + "." + c.new_column + ": " + std::to_string(was) +
                     " values before, " + std::to_string(now) + " after");
    }
  }
  if (!lost.empty()) {
    return Error::conflict(
        "refusing to generate: on a copy holding rows in every table, the migration deletes data "
        "it does not mean to drop:" +
        indented_list(lost, "  ") +
        "\n  (on D1 foreign keys are always enforced: a DROP TABLE deletes its rows first, and "
        "that cascades or sets NULL in the tables referencing it). Nothing written; please report "
        "this as a bug in eventuall generate, and write this migration by hand in steps.");
  }
  return {};
}

}  // namespace eventuall::migrate
