#include "migrate/diff.h"

#include <algorithm>
#include <map>
#include <set>

#include "migrate/sql_text.h"
#include "schema/ddl.h"

namespace eventuall::migrate {

namespace {

using schema::Column;
using schema::Index;
using schema::OnDelete;
using schema::Schema;
using schema::Table;
using schema::View;

std::string norm(const std::optional<std::string>& sql) {
  return sql ? normalize_sql(*sql) : std::string("<none>");
}

// The definition ddl.cpp writes for one column ("name TEXT NOT NULL ..."),
// taken from a one-column CREATE TABLE so both always spell it the same way.
std::string column_definition(const Column& column) {
  const std::string sql = schema::create_table_sql(Table("t", {column}));
  const auto begin = sql.find("(\n  ");
  const auto end = sql.rfind("\n) STRICT");
  return sql.substr(begin + 4, end - begin - 4);
}

std::string create_table_named(const Table& table, const std::string& name) {
  return schema::create_table_sql(Table(name, table.columns(), {}, table.checks()));
}

// Where the old schema's objects stand once the asked-for renames are applied:
// names, and the identifiers inside CHECK/DEFAULT/WHERE expressions, the way
// SQLite's RENAME COLUMN rewrites them.
struct RenameMap {
  std::map<std::string, std::string> table_new_name;              // old -> new
  std::map<std::string, std::string> table_old_name;              // new -> old
  std::map<std::string, std::vector<ColumnRename>> by_new_table;  // new table -> renames

  std::string new_table(const std::string& old) const {
    auto it = table_new_name.find(old);
    return it == table_new_name.end() ? old : it->second;
  }
  std::string old_table(const std::string& now) const {
    auto it = table_old_name.find(now);
    return it == table_old_name.end() ? now : it->second;
  }
  const std::vector<ColumnRename>& columns(const std::string& new_table_name) const {
    static const std::vector<ColumnRename> none;
    auto it = by_new_table.find(new_table_name);
    return it == by_new_table.end() ? none : it->second;
  }
  // An expression of the old table, with renamed columns spelled the new way.
  std::string expr(const std::string& new_table_name, std::string sql) const {
    for (const auto& r : columns(new_table_name)) sql = replace_identifier(sql, r.from, r.to);
    return sql;
  }
  std::optional<std::string> expr(const std::string& t,
                                  const std::optional<std::string>& sql) const {
    if (!sql) return std::nullopt;
    return expr(t, *sql);
  }
  std::string column_new_name(const std::string& new_table_name, const std::string& old) const {
    for (const auto& r : columns(new_table_name)) {
      if (r.from == old) return r.to;
    }
    return old;
  }
};

// What changes between an old column (renames applied) and the new one;
// empty when nothing does.
std::vector<std::string> column_changes(const RenameMap& map, const std::string& table,
                                        const Column& was, const Column& now) {
  std::vector<std::string> out;
  if (schema::storage_type(was.type) != schema::storage_type(now.type)) {
    out.push_back("type " + std::string(schema::storage_type(was.type)) + " -> " +
                  std::string(schema::storage_type(now.type)));
  }
  if (was.primary_key != now.primary_key) {
    out.push_back(now.primary_key ? "becomes PRIMARY KEY" : "stops being PRIMARY KEY");
  }
  if (was.not_null != now.not_null)
    out.push_back(now.not_null ? "becomes NOT NULL" : "becomes nullable");
  if (norm(map.expr(table, was.default_sql)) != norm(now.default_sql)) {
    out.push_back("DEFAULT " + was.default_sql.value_or("<none>") + " -> " +
                  now.default_sql.value_or("<none>"));
  }
  // The allowed values are a set: a new order builds the same constraint.
  if (std::set<std::string>(was.enum_values.begin(), was.enum_values.end()) !=
      std::set<std::string>(now.enum_values.begin(), now.enum_values.end())) {
    out.push_back("allowed values (CHECK ... IN) change");
  }
  if (norm(map.expr(table, was.check)) != norm(now.check)) {
    out.push_back("CHECK " + was.check.value_or("<none>") + " -> " + now.check.value_or("<none>"));
  }
  const bool had = was.references.has_value(), has = now.references.has_value();
  if (had != has) {
    out.push_back(has ? "gains REFERENCES " + now.references->table
                      : "loses REFERENCES " + was.references->table);
  } else if (had) {
    const auto& a = *was.references;
    const auto& b = *now.references;
    const std::string parent = map.new_table(a.table);
    if (parent != b.table || map.column_new_name(parent, a.column) != b.column ||
        a.on_delete != b.on_delete) {
      out.push_back("REFERENCES " + a.table + " ON DELETE " +
                    std::string(schema::on_delete_sql(a.on_delete)) + " -> " + b.table +
                    " ON DELETE " + std::string(schema::on_delete_sql(b.on_delete)));
    }
  }
  return out;
}

bool same_index(const RenameMap& map, const std::string& table, const Index& was,
                const Index& now) {
  if (was.unique != now.unique || was.columns.size() != now.columns.size()) return false;
  for (std::size_t i = 0; i < was.columns.size(); ++i) {
    if (normalize_sql(map.expr(table, was.columns[i])) != normalize_sql(now.columns[i]))
      return false;
  }
  return norm(map.expr(table, was.where)) == norm(now.where);
}

std::multiset<std::string> table_checks(const RenameMap& map, const std::string& table,
                                        const std::vector<std::string>& checks, bool old_side) {
  std::multiset<std::string> out;
  for (const auto& c : checks) out.insert(normalize_sql(old_side ? map.expr(table, c) : c));
  return out;
}

const Index* find_index(const Table& table, const std::string& name) {
  for (const auto& i : table.indexes()) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

const View* find_view(const Schema& schema, const std::string& name) {
  for (const auto& v : schema.views()) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

// Why an added column cannot use ALTER TABLE ADD COLUMN; empty when it can.
std::string add_column_obstacle(const Column& c) {
  if (c.primary_key) return "column " + c.name + " is a PRIMARY KEY (ADD COLUMN cannot add one)";
  if (c.default_sql && !is_literal_default(*c.default_sql)) {
    return "column " + c.name + " has the non-constant DEFAULT " + *c.default_sql +
           " (ADD COLUMN takes only a literal default)";
  }
  if (c.references && c.default_sql && !is_null_default(*c.default_sql)) {
    return "column " + c.name + " REFERENCES " + c.references->table +
           " with a non-NULL DEFAULT (ADD COLUMN requires DEFAULT NULL on a REFERENCES column)";
  }
  return {};
}

// Why a dropped column cannot use ALTER TABLE DROP COLUMN; empty when it can.
std::string drop_column_obstacle(const RenameMap& map, const Table& old_table,
                                 const std::string& new_name, const Column& c) {
  if (c.primary_key) return "column " + c.name + " is the PRIMARY KEY (DROP COLUMN refuses it)";
  if (c.references) {
    return "column " + c.name + " REFERENCES " + c.references->table +
           " (DROP COLUMN refuses foreign-key columns)";
  }
  for (const auto& check : old_table.checks()) {
    if (mentions_identifier(map.expr(new_name, check), c.name)) {
      return "column " + c.name + " is used by the table CHECK (" + check + ")";
    }
  }
  for (const auto& other : old_table.columns()) {
    if (other.name != c.name && other.check && mentions_identifier(*other.check, c.name)) {
      return "column " + c.name + " is used by the CHECK of column " + other.name;
    }
  }
  return {};
}

struct Referrer {
  std::string table;
  std::string column;
  OnDelete on_delete;
};

std::string refusal(const std::string& table, const std::vector<std::string>& reasons,
                    const std::vector<Referrer>& referrers, bool default_only) {
  std::string out = "refusing to generate: table " + table +
                    " would need a rebuild, which D1 cannot do without losing data.\n";
  out += "  why a rebuild: SQLite's ALTER TABLE cannot do this in place: " + join(reasons, "; ") +
         ". The table would be recreated (CREATE a copy, copy the rows, DROP TABLE " + table +
         ", rename the copy).\n";
  out += "  why refused: " + table + " is referenced by ";
  std::vector<std::string> names;
  for (const auto& r : referrers) {
    names.push_back(r.table + "." + r.column + " (ON DELETE " +
                    std::string(schema::on_delete_sql(r.on_delete)) + ")");
  }
  out += join(names, ", ") +
         ". On D1 foreign keys are always enforced (PRAGMA foreign_keys=OFF is a silent no-op), "
         "so DROP TABLE " +
         table + " first deletes all its rows, which ";
  std::set<OnDelete> kinds;
  for (const auto& r : referrers) kinds.insert(r.on_delete);
  std::vector<std::string> effects;
  if (kinds.count(OnDelete::kCascade)) effects.push_back("deletes every referencing row (CASCADE)");
  if (kinds.count(OnDelete::kSetNull)) effects.push_back("clears every reference (SET NULL)");
  if (kinds.count(OnDelete::kRestrict)) {
    effects.push_back("fails as soon as a referencing row exists (RESTRICT)");
  }
  out += join(effects, ", ") + ".\n";
  out += "  how to proceed:\n";
  if (default_only) {
    out +=
        "    - a DEFAULT only applies to INSERTs that omit the column: keep the old DEFAULT in the "
        "C++ schema and have the operations write the value explicitly; or\n";
  }
  out +=
      "    - change it in steps that need no rebuild: add a new column with the new definition "
      "(ALTER TABLE ADD COLUMN: nullable or with a literal DEFAULT) with `eventuall generate`, "
      "append an UPDATE that backfills it to the generated file before it is applied anywhere, "
      "move the code to it, and drop the old column in a later migration (DROP COLUMN needs no "
      "rebuild); or\n"
      "    - before the first release, with no data to keep, regenerate the initial migration "
      "instead (scripts/regenerate_initial_migrations.sh).\n";
  return out;
}

}  // namespace

std::string Diff::sql() const {
  std::string out;
  for (const auto& s : statements) out += s + ";\n";
  return out;
}

Result<Diff> diff_schemas(const Schema& from, const Schema& to, const Renames& renames) {
  if (from.database() != to.database()) {
    return Error::invalid_input(
        "the snapshot is of the " + std::string(sql::database_name(from.database())) +
        " database, the schema of " + std::string(sql::database_name(to.database())));
  }
  // The new schema must stand on its own.
  for (const auto& t : to.tables()) {
    for (const auto& c : t.columns()) {
      if (c.references && !to.find_table(c.references->table)) {
        return Error::invalid_input(t.name() + "." + c.name + " references " + c.references->table +
                                    ", which the schema does not declare");
      }
    }
  }

  RenameMap map;
  for (const auto& r : renames.tables) {
    if (!from.find_table(r.from)) {
      return Error::invalid_input("--rename-table " + r.from + "=" + r.to +
                                  ": the last snapshot has no table " + r.from);
    }
    if (!to.find_table(r.to)) {
      return Error::invalid_input("--rename-table " + r.from + "=" + r.to +
                                  ": the C++ schema has no table " + r.to);
    }
    if (from.find_table(r.to)) {
      return Error::conflict("--rename-table " + r.from + "=" + r.to + ": table " + r.to +
                             " already exists; drop it in one migration and rename in the next");
    }
    if (map.table_new_name.count(r.from) || map.table_old_name.count(r.to)) {
      return Error::invalid_input("table " + r.from + " is renamed twice");
    }
    map.table_new_name[r.from] = r.to;
    map.table_old_name[r.to] = r.from;
  }
  for (auto r : renames.columns) {
    // Accept the table by its new or its old name.
    if (!to.find_table(r.table) && map.table_new_name.count(r.table))
      r.table = map.table_new_name[r.table];
    const Table* now = to.find_table(r.table);
    const Table* was = from.find_table(map.old_table(r.table));
    const std::string flag = "--rename " + r.table + "." + r.from + "=" + r.to;
    if (!now || !was)
      return Error::invalid_input(flag + ": no table " + r.table + " on both sides");
    if (!was->column(r.from))
      return Error::invalid_input(flag + ": the last snapshot has no column " + r.table + "." +
                                  r.from);
    if (!now->column(r.to))
      return Error::invalid_input(flag + ": the C++ schema has no column " + r.table + "." + r.to);
    if (now->column(r.from))
      return Error::invalid_input(flag + ": the C++ schema still has " + r.table + "." + r.from);
    if (was->column(r.to)) {
      return Error::conflict(flag + ": column " + r.to +
                             " already exists; drop it in one migration and rename in the next");
    }
    for (const auto& other : map.columns(r.table)) {
      if (other.from == r.from || other.to == r.to)
        return Error::invalid_input(flag + ": renamed twice");
    }
    map.by_new_table[r.table].push_back(r);
  }

  Diff diff;
  auto emit = [&](const std::string& why, const std::string& sql) {
    diff.statements.push_back("-- " + why + "\n" + sql);
  };

  // --- classify tables ------------------------------------------------------------------
  std::vector<const Table*> dropped_tables;
  for (const auto& t : from.tables()) {
    if (!to.find_table(map.new_table(t.name()))) dropped_tables.push_back(&t);
  }
  std::vector<const Table*> new_tables;
  for (const auto& t : to.tables()) {
    const std::string old = map.old_table(t.name());
    if (!from.find_table(old) || (old == t.name() && map.table_new_name.count(old))) {
      new_tables.push_back(&t);
    }
  }
  auto is_dropped = [&](const std::string& old_name) {
    return std::any_of(dropped_tables.begin(), dropped_tables.end(),
                       [&](const Table* t) { return t->name() == old_name; });
  };

  struct TablePlan {
    const Table* was;
    const Table* now;
    std::vector<const Column*> added, dropped;
    std::vector<std::string> rebuild_reasons;
    bool default_only = true;  // every reason is a changed DEFAULT
    bool touched = false;      // views reading it must be recreated
  };
  std::vector<TablePlan> kept;
  std::set<std::string> used_backfills;
  for (const auto& now : to.tables()) {
    if (std::find(new_tables.begin(), new_tables.end(), &now) != new_tables.end()) continue;
    TablePlan plan{from.find_table(map.old_table(now.name())), &now, {}, {}, {}, true, false};
    const Table& was = *plan.was;
    const std::string& name = now.name();
    plan.touched = was.name() != name || !map.columns(name).empty();
    for (const auto& c : now.columns()) {
      const Column* old = nullptr;
      for (const auto& o : was.columns()) {
        if (map.column_new_name(name, o.name) == c.name) old = &o;
      }
      if (!old) {
        plan.added.push_back(&c);
        continue;
      }
      auto changes = column_changes(map, name, *old, c);
      const std::string key = name + "." + c.name;
      if (c.not_null && !old->not_null) {
        if (renames.backfills.count(key)) {
          used_backfills.insert(key);
        } else if (!c.default_sql || is_null_default(*c.default_sql)) {
          return Error::conflict(
              "refusing to generate: " + key +
              " becomes NOT NULL and has no DEFAULT, so its "
              "rows where it is NULL would have no value (the rebuild's copy would fail).\n"
              "  how to proceed: give it a DEFAULT, or say what the NULLs become with "
              "--backfill " +
              key + "=<SQL over the old row, e.g. '' or other_column>" + "; or keep it nullable.");
        }
      }
      if (!changes.empty()) {
        for (const auto& ch : changes) {
          if (ch.rfind("DEFAULT", 0) != 0) plan.default_only = false;
        }
        plan.rebuild_reasons.push_back("column " + c.name + ": " + join(changes, ", "));
      }
    }
    for (const auto& o : was.columns()) {
      if (!now.column(map.column_new_name(name, o.name))) plan.dropped.push_back(&o);
    }
    if (table_checks(map, name, was.checks(), true) !=
        table_checks(map, name, now.checks(), false)) {
      plan.rebuild_reasons.push_back("the table CHECK constraints change");
      plan.default_only = false;
    }
    for (const Column* c : plan.added) {
      const std::string key = name + "." + c->name;
      if (c->not_null && (!c->default_sql || is_null_default(*c->default_sql)) &&
          renames.backfills.count(key)) {
        used_backfills.insert(key);
        plan.rebuild_reasons.push_back("column " + c->name +
                                       " is NOT NULL without a DEFAULT, filled by --backfill");
        plan.default_only = false;
        continue;
      }
      if (c->not_null && (!c->default_sql || is_null_default(*c->default_sql))) {
        return Error::conflict(
            "refusing to generate: " + name + "." + c->name +
            " is NOT NULL without a DEFAULT, so the rows already in " + name +
            " would have no value for it.\n  how to proceed: give it a DEFAULT (a literal lets "
            "ALTER TABLE ADD COLUMN add it in place), or say what the existing rows get with "
            "--backfill " +
            key +
            "=<SQL over the old row>, or add it nullable, backfill it "
            "with an UPDATE, and make it NOT NULL later.");
      }
      if (auto why = add_column_obstacle(*c); !why.empty()) {
        plan.rebuild_reasons.push_back(why);
        plan.default_only = false;
      }
    }
    for (const Column* c : plan.dropped) {
      if (auto why = drop_column_obstacle(map, was, name, *c); !why.empty()) {
        plan.rebuild_reasons.push_back(why);
        plan.default_only = false;
      }
    }
    if (!plan.dropped.empty() || !plan.rebuild_reasons.empty()) plan.touched = true;
    kept.push_back(std::move(plan));
  }

  // --- refuse rebuilds of referenced tables ------------------------------------------------
  for (const auto& plan : kept) {
    if (plan.rebuild_reasons.empty()) continue;
    std::vector<Referrer> referrers;
    for (const auto& t : from.tables()) {
      if (is_dropped(t.name())) continue;
      for (const auto& c : t.columns()) {
        if (c.references && c.references->table == plan.was->name()) {
          referrers.push_back({map.new_table(t.name()), c.name, c.references->on_delete});
        }
      }
    }
    // A kept table whose new version references it counts too: rebuilt
    // before this table, its copy would lose rows to this DROP TABLE.
    for (const auto& t : to.tables()) {
      if (&t == plan.now ||
          std::find(new_tables.begin(), new_tables.end(), &t) != new_tables.end()) {
        continue;
      }
      for (const auto& c : t.columns()) {
        if (c.references && c.references->table == plan.now->name() &&
            std::none_of(referrers.begin(), referrers.end(), [&](const Referrer& r) {
              return r.table == t.name() && r.column == c.name;
            })) {
          referrers.push_back({t.name(), c.name, c.references->on_delete});
        }
      }
    }
    // The copy references the table by name too, so a self-reference counts.
    for (const auto& c : plan.now->columns()) {
      if (c.references && c.references->table == plan.now->name() &&
          std::none_of(referrers.begin(), referrers.end(), [&](const Referrer& r) {
            return r.table == plan.now->name() && r.column == c.name;
          })) {
        referrers.push_back({plan.now->name(), c.name, c.references->on_delete});
      }
    }
    if (!referrers.empty()) {
      return Error::conflict(
          refusal(plan.now->name(), plan.rebuild_reasons, referrers, plan.default_only));
    }
  }

  // --- what is meant to be kept and lost ------------------------------------------------
  for (const Table* t : dropped_tables) diff.dropped_tables.push_back(t->name());
  for (const auto& plan : kept) {
    diff.kept_tables[plan.was->name()] = plan.now->name();
    for (const auto& o : plan.was->columns()) {
      const std::string now_name = map.column_new_name(plan.now->name(), o.name);
      if (plan.now->column(now_name)) {
        diff.kept_columns.push_back({plan.was->name(), o.name, plan.now->name(), now_name});
      }
    }
    for (const Column* c : plan.dropped)
      diff.dropped_columns.push_back(plan.now->name() + "." + c->name);
  }

  // --- warnings: data that goes away, renames that were maybe meant ---------------------
  // A rename breaks the code already deployed, which reads the old name.
  for (const auto& r : renames.tables) {
    diff.warnings.push_back("renames table " + r.from + " to " + r.to +
                            ": the previous release's code reads " + r.from +
                            " and fails until the new code is deployed; without downtime, "
                            "expand (a new table, code writing both), deploy, then contract");
  }
  for (const auto& [table, list] : map.by_new_table) {
    for (const auto& r : list) {
      diff.warnings.push_back("renames column " + table + "." + r.from + " to " + r.to +
                              ": the previous release's code reads " + r.from +
                              " and fails until the new code is deployed; without downtime, "
                              "expand (add " +
                              r.to +
                              ", code writing both, backfill), deploy, "
                              "then contract (drop " +
                              r.from + ")");
    }
  }
  for (const Table* t : dropped_tables) {
    diff.warnings.push_back("drops table " + t->name() + " and all its rows");
  }
  for (const auto& plan : kept) {
    for (const Column* c : plan.dropped) {
      diff.warnings.push_back("drops column " + plan.now->name() + "." + c->name +
                              " and its values");
    }
    if (!plan.dropped.empty() && !plan.added.empty()) {
      diff.warnings.push_back("if " + plan.now->name() + "." + plan.dropped[0]->name +
                              " was renamed to " + plan.added[0]->name + ", rerun with --rename " +
                              plan.now->name() + "." + plan.dropped[0]->name + "=" +
                              plan.added[0]->name + " to keep its values");
    }
  }
  if (!dropped_tables.empty() && !new_tables.empty()) {
    diff.warnings.push_back("if table " + dropped_tables[0]->name() + " was renamed to " +
                            new_tables[0]->name() + ", rerun with --rename-table " +
                            dropped_tables[0]->name() + "=" + new_tables[0]->name() +
                            " to keep its rows");
  }

  // --- data lost only when asked for (--drop), flags that match nothing ----------------------
  std::vector<std::string> unasked, drop_flags;
  std::set<std::string> droppable;
  for (const Table* t : dropped_tables) {
    droppable.insert(t->name());
    if (!renames.drops.count(t->name())) {
      unasked.push_back("table " + t->name() + " and all its rows");
      drop_flags.push_back("--drop " + t->name());
    }
  }
  for (const auto& plan : kept) {
    for (const Column* c : plan.dropped) {
      const std::string key = plan.now->name() + "." + c->name;
      droppable.insert(key);
      if (!renames.drops.count(key) && !renames.drops.count(plan.was->name() + "." + c->name)) {
        unasked.push_back("column " + key + " and its values");
        drop_flags.push_back("--drop " + key);
      }
    }
  }
  for (const auto& d : renames.drops) {
    const auto dot = d.find('.');
    const std::string as_new =
        dot == std::string::npos ? d : map.new_table(d.substr(0, dot)) + d.substr(dot);
    if (!droppable.count(d) && !droppable.count(as_new)) {
      return Error::invalid_input("--drop " + d +
                                  ": the change drops no table or column of that name");
    }
  }
  for (const auto& [key, expr] : renames.backfills) {
    if (!used_backfills.count(key)) {
      return Error::invalid_input("--backfill " + key + "=" + expr +
                                  ": no column of that name becomes NOT NULL without a DEFAULT");
    }
  }
  if (!unasked.empty()) {
    std::string hints;
    for (const auto& w : diff.warnings) {
      if (w.rfind("if ", 0) == 0) hints += "\n    - " + w;
    }
    return Error::conflict(
        "refusing to generate: the change drops data:" + indented_list(unasked, "  ") +
        "\n  how to proceed:\n    - if that is meant, rerun with " + join(drop_flags, " ") +
        ". The previous release's code may still read them: deploy code that no longer does "
        "first (expand, deploy, contract), then drop;" +
        (hints.empty() ? std::string() : hints));
  }

  // --- views: drop what changes or reads an altered table, recreate after ---------------
  std::set<std::string> touched;  // old and new names of altered tables
  for (const Table* t : dropped_tables) touched.insert(t->name());
  for (const auto& plan : kept) {
    if (plan.touched) {
      touched.insert(plan.was->name());
      touched.insert(plan.now->name());
    }
  }
  std::set<std::string> views_dropped;
  for (const auto& v : from.views()) {
    const View* now = find_view(to, v.name);
    bool drop = !now || normalize_sql(v.select_sql) != normalize_sql(now->select_sql);
    for (const auto& t : touched) drop = drop || mentions_identifier(v.select_sql, t);
    if (drop) views_dropped.insert(v.name);
  }
  // A view reading a dropped view goes too: ALTER TABLE re-checks every view.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& v : from.views()) {
      if (views_dropped.count(v.name)) continue;
      for (const auto& d : views_dropped) {
        if (mentions_identifier(v.select_sql, d)) {
          views_dropped.insert(v.name);
          grew = true;
          break;
        }
      }
    }
  }
  for (auto it = from.views().rbegin(); it != from.views().rend(); ++it) {
    if (!views_dropped.count(it->name)) continue;
    emit(find_view(to, it->name)
             ? "recreated below: view " + it->name + " changes or reads an altered table"
             : "view " + it->name + " is no longer declared",
         "DROP VIEW " + it->name);
  }

  // --- indexes that go away or change on tables altered in place ---------------------------
  for (const auto& plan : kept) {
    if (!plan.rebuild_reasons.empty()) continue;
    for (const auto& i : plan.was->indexes()) {
      const Index* now = find_index(*plan.now, i.name);
      if (!now || !same_index(map, plan.now->name(), i, *now)) {
        emit(now ? "index " + i.name + " changes: recreated below"
                 : "index " + i.name + " is no longer declared",
             "DROP INDEX " + i.name);
      }
    }
  }

  // --- table renames -----------------------------------------------------------------------
  for (const auto& plan : kept) {
    if (plan.rebuild_reasons.empty() && plan.was->name() != plan.now->name()) {
      emit("renamed with --rename-table " + plan.was->name() + "=" + plan.now->name(),
           "ALTER TABLE " + plan.was->name() + " RENAME TO " + plan.now->name());
    }
  }

  // --- new tables ----------------------------------------------------------------------
  for (const Table* t : new_tables) {
    emit("new table " + t->name(), schema::create_table_sql(*t));
    for (const auto& i : t->indexes())
      emit("index of new table " + t->name(), schema::create_index_sql(*t, i));
  }

  // --- tables kept and altered in place ------------------------------------------------
  for (const auto& plan : kept) {
    const Table& now = *plan.now;
    const std::string& name = now.name();
    if (plan.rebuild_reasons.empty()) {
      for (const auto& r : map.columns(name)) {
        emit("renamed with --rename " + name + "." + r.from + "=" + r.to,
             "ALTER TABLE " + name + " RENAME COLUMN " + r.from + " TO " + r.to);
      }
      for (const Column* c : plan.dropped) {
        emit("column " + name + "." + c->name + " is no longer declared (its values are lost)",
             "ALTER TABLE " + name + " DROP COLUMN " + c->name);
      }
      for (const Column* c : plan.added) {
        emit("new column " + name + "." + c->name,
             "ALTER TABLE " + name + " ADD COLUMN " + column_definition(*c));
      }
      for (const auto& i : now.indexes()) {
        const Index* was = find_index(*plan.was, i.name);
        if (!was || !same_index(map, name, *was, i)) {
          emit((was ? "changed index on " : "new index on ") + name,
               schema::create_index_sql(now, i));
        }
      }
    }
  }

  // --- rebuilt tables and dropped tables, in an order that deletes no kept row ------------
  // DROP TABLE deletes every row first, and on D1 that cascades. So a dropped
  // table goes before any table it references is rebuilt, after every kept
  // table referencing it has been rebuilt without that reference, and after
  // the dropped tables referencing it (children first).
  auto references = [](const Table& child, const std::string& parent) {
    for (const auto& c : child.columns()) {
      if (c.references && c.references->table == parent && child.name() != parent) return true;
    }
    return false;
  };
  struct Step {
    const TablePlan* rebuild = nullptr;  // or
    const Table* drop = nullptr;
  };
  std::vector<Step> steps;
  for (const auto& plan : kept) {
    if (!plan.rebuild_reasons.empty()) steps.push_back({&plan, nullptr});
  }
  for (auto it = dropped_tables.rbegin(); it != dropped_tables.rend(); ++it)
    steps.push_back({nullptr, *it});
  // Whether step a must run before step b.
  auto before = [&](const Step& a, const Step& b) {
    if (a.drop && b.rebuild) return references(*a.drop, b.rebuild->was->name());
    if (a.rebuild && b.drop) return references(*a.rebuild->was, b.drop->name());
    if (a.drop && b.drop) return references(*a.drop, b.drop->name());
    return false;
  };
  std::vector<Step> ordered;
  std::vector<bool> done(steps.size(), false);
  while (ordered.size() < steps.size()) {
    std::size_t pick = steps.size();
    for (std::size_t i = 0; i < steps.size() && pick == steps.size(); ++i) {
      if (done[i]) continue;
      bool ready = true;
      for (std::size_t j = 0; j < steps.size() && ready; ++j) {
        ready = done[j] || j == i || !before(steps[j], steps[i]);
      }
      if (ready) pick = i;
    }
    if (pick == steps.size()) {
      std::vector<std::string> names;
      for (std::size_t i = 0; i < steps.size(); ++i) {
        if (!done[i]) {
          names.push_back(steps[i].drop ? "drop " + steps[i].drop->name()
                                        : "rebuild " + steps[i].rebuild->now->name());
        }
      }
      return Error::conflict(
          "refusing to generate: these steps reference each other in a cycle, so any order "
          "deletes rows of a kept table: " +
          join(names, ", ") +
          ".\n  how to proceed: drop the tables in one migration and change "
          "the others in the next");
    }
    done[pick] = true;
    ordered.push_back(steps[pick]);
  }

  for (const Step& step : ordered) {
    if (step.drop) {
      emit("table " + step.drop->name() + " is no longer declared (its rows are lost)",
           "DROP TABLE " + step.drop->name());
      continue;
    }
    const TablePlan& plan = *step.rebuild;
    const Table& now = *plan.now;
    const std::string& name = now.name();
    // Rebuild: SQLite's documented procedure, minus PRAGMA foreign_keys=OFF
    // (a no-op on D1) and BEGIN/COMMIT (the file is one unit already). Only
    // tables no kept table references get here.
    const std::string temp = "__new_" + name;
    const std::string why = "rebuild of " + name + ": " + join(plan.rebuild_reasons, "; ");
    emit(why, create_table_named(now, temp));
    std::vector<std::string> targets, sources;
    for (const auto& c : now.columns()) {
      const Column* old = nullptr;
      for (const auto& o : plan.was->columns()) {
        if (map.column_new_name(name, o.name) == c.name) old = &o;
      }
      auto backfill = renames.backfills.find(name + "." + c.name);
      if (!old) {  // new column: its DEFAULT fills it, or the --backfill expression
        if (backfill != renames.backfills.end()) {
          targets.push_back(c.name);
          sources.push_back("(" + backfill->second + ")");
        }
        continue;
      }
      targets.push_back(c.name);
      // A column that becomes NOT NULL takes the --backfill expression, or
      // its DEFAULT, where it was NULL.
      if (c.not_null && !old->not_null && backfill != renames.backfills.end()) {
        sources.push_back("coalesce(" + old->name + ", (" + backfill->second + "))");
      } else if (c.not_null && !old->not_null && c.default_sql) {
        sources.push_back("coalesce(" + old->name + ", " + *c.default_sql + ")");
      } else {
        sources.push_back(old->name);
      }
    }
    emit("copy the rows of " + plan.was->name(),
         "INSERT INTO " + temp + " (" + join(targets, ", ") + ") SELECT " + join(sources, ", ") +
             " FROM " + plan.was->name());
    emit("no kept table references " + plan.was->name() +
             " (dropped tables that did are gone by now), so dropping it deletes no other rows",
         "DROP TABLE " + plan.was->name());
    emit("the copy takes the table's name", "ALTER TABLE " + temp + " RENAME TO " + name);
    for (const auto& i : now.indexes())
      emit("index of rebuilt " + name, schema::create_index_sql(now, i));
  }

  // --- views ---------------------------------------------------------------------------------
  for (const auto& v : to.views()) {
    if (!find_view(from, v.name) || views_dropped.count(v.name)) {
      emit((find_view(from, v.name) ? "view " : "new view ") + v.name, schema::create_view_sql(v));
    }
  }
  return diff;
}

}  // namespace eventuall::migrate
