#include "migrate/snapshot.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/json.h"
#include "migrate/sql_text.h"
#include "migrations.h"
#include "schema/ddl.h"

namespace eventuall::migrate {

namespace {

using Ordered = nlohmann::ordered_json;

constexpr const char* kFormat = "eventuall-schema-snapshot";

const char* type_name(schema::ColumnType type) {
  switch (type) {
    case schema::ColumnType::kText:
      return "text";
    case schema::ColumnType::kInteger:
      return "integer";
    case schema::ColumnType::kReal:
      return "real";
    case schema::ColumnType::kBlob:
      return "blob";
    case schema::ColumnType::kJson:
      return "json";
  }
  return "text";
}

const char* on_delete_name(schema::OnDelete on_delete) {
  switch (on_delete) {
    case schema::OnDelete::kCascade:
      return "cascade";
    case schema::OnDelete::kSetNull:
      return "set null";
    case schema::OnDelete::kRestrict:
      return "restrict";
  }
  return "restrict";
}

std::string dump_line(const Ordered& value) {
  return value.dump(-1, ' ', false, Ordered::error_handler_t::replace);
}

Ordered column_json(const schema::Column& c) {
  Ordered j;
  j["name"] = c.name;
  j["type"] = type_name(c.type);
  if (c.primary_key) j["primaryKey"] = true;
  if (c.not_null) j["notNull"] = true;
  if (c.default_sql) j["default"] = *c.default_sql;
  if (!c.enum_values.empty()) j["enum"] = c.enum_values;
  if (c.check) j["check"] = *c.check;
  if (c.references) {
    Ordered r;
    r["table"] = c.references->table;
    r["column"] = c.references->column;
    r["onDelete"] = on_delete_name(c.references->on_delete);
    j["references"] = r;
  }
  return j;
}

Ordered index_json(const schema::Index& index) {
  Ordered j;
  j["name"] = index.name;
  j["columns"] = index.columns;
  if (index.unique) j["unique"] = true;
  if (index.where) j["where"] = *index.where;
  return j;
}

// Writes `items` one per line, so a reviewer's diff shows one line per change.
std::string lines(const std::vector<std::string>& items, const std::string& indent) {
  if (items.empty()) return "[]";
  std::string out = "[\n";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += indent + "  " + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
  }
  return out + indent + "]";
}

// --- reading, without exceptions -----------------------------------------------------

struct Reader {
  std::string problem;

  const Json* field(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }
  std::string string(const Json& object, const char* key, bool required = true) {
    const Json* v = field(object, key);
    if (v && v->is_string()) return v->get<std::string>();
    if ((v || required) && problem.empty())
      problem = std::string("\"") + key + "\" must be a string";
    return {};
  }
  std::optional<std::string> optional_string(const Json& object, const char* key) {
    const Json* v = field(object, key);
    if (!v || v->is_null()) return std::nullopt;
    return string(object, key);
  }
  bool flag(const Json& object, const char* key) {
    const Json* v = field(object, key);
    if (!v) return false;
    if (v->is_boolean()) return v->get<bool>();
    if (problem.empty()) problem = std::string("\"") + key + "\" must be true or false";
    return false;
  }
  std::vector<std::string> strings(const Json& object, const char* key) {
    std::vector<std::string> out;
    const Json* v = field(object, key);
    if (!v) return out;
    if (!v->is_array()) {
      if (problem.empty()) problem = std::string("\"") + key + "\" must be an array";
      return out;
    }
    for (const auto& item : *v) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      } else if (problem.empty()) {
        problem = std::string("\"") + key + "\" must hold strings";
      }
    }
    return out;
  }
  const Json& array(const Json& object, const char* key) {
    static const Json empty = Json::array();
    const Json* v = field(object, key);
    if (v && v->is_array()) return *v;
    if (v && problem.empty()) problem = std::string("\"") + key + "\" must be an array";
    return empty;
  }
};

std::optional<schema::ColumnType> parse_type(const std::string& name) {
  if (name == "text") return schema::ColumnType::kText;
  if (name == "integer") return schema::ColumnType::kInteger;
  if (name == "real") return schema::ColumnType::kReal;
  if (name == "blob") return schema::ColumnType::kBlob;
  if (name == "json") return schema::ColumnType::kJson;
  return std::nullopt;
}

std::optional<schema::OnDelete> parse_on_delete(const std::string& name) {
  if (name == "cascade") return schema::OnDelete::kCascade;
  if (name == "set null") return schema::OnDelete::kSetNull;
  if (name == "restrict") return schema::OnDelete::kRestrict;
  return std::nullopt;
}

bool is_snapshot_name(const std::string& name) {
  return name.size() == 18 && name.substr(4) == "_snapshot.json" &&
         std::all_of(name.begin(), name.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string snapshot_text(const schema::Schema& schema, const std::string& migration_name) {
  std::string out = "{\n";
  out += "  \"format\": \"" + std::string(kFormat) + "\",\n";
  out += "  \"version\": 1,\n";
  out += "  \"database\": \"" + std::string(sql::database_name(schema.database())) + "\",\n";
  out += "  \"migration\": " + dump_line(Ordered(migration_name)) + ",\n";
  std::vector<std::string> tables;
  for (const auto& table : schema.tables()) {
    std::vector<std::string> columns, indexes, checks;
    for (const auto& c : table.columns()) columns.push_back(dump_line(column_json(c)));
    for (const auto& i : table.indexes()) indexes.push_back(dump_line(index_json(i)));
    for (const auto& c : table.checks()) checks.push_back(dump_line(Ordered(c)));
    std::string t = "{\n";
    t += "      \"name\": " + dump_line(Ordered(table.name())) + ",\n";
    t += "      \"columns\": " + lines(columns, "      ") + ",\n";
    t += "      \"indexes\": " + lines(indexes, "      ") + ",\n";
    t += "      \"checks\": " + lines(checks, "      ") + "\n";
    t += "    }";
    tables.push_back(t);
  }
  out += "  \"tables\": " + lines(tables, "  ") + ",\n";
  std::vector<std::string> views;
  for (const auto& view : schema.views()) {
    Ordered v;
    v["name"] = view.name;
    v["sql"] = view.select_sql;
    views.push_back(dump_line(v));
  }
  out += "  \"views\": " + lines(views, "  ") + "\n";
  return out + "}\n";
}

Result<schema::Schema> parse_snapshot(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed.ok()) return parsed.take_error();
  const Json& root = *parsed;
  Reader r;
  if (r.string(root, "format") != kFormat) {
    return Error::invalid_input("not an eventuall schema snapshot");
  }
  const Json* version = r.field(root, "version");
  if (!version || !version->is_number_integer() || version->get<std::int64_t>() != 1) {
    return Error::invalid_input("unsupported snapshot version (this tool reads version 1)");
  }
  const std::string database = r.string(root, "database");
  if (database != "webapp" && database != "workers") {
    return Error::invalid_input("snapshot database must be webapp or workers");
  }
  std::vector<schema::Table> tables;
  for (const auto& t : r.array(root, "tables")) {
    std::vector<schema::Column> columns;
    for (const auto& c : r.array(t, "columns")) {
      schema::Column column;
      column.name = r.string(c, "name");
      column.json_key = schema::snake_to_camel(column.name);
      auto type = parse_type(r.string(c, "type"));
      if (!type) return Error::invalid_input("column " + column.name + ": unknown type");
      column.type = *type;
      column.primary_key = r.flag(c, "primaryKey");
      column.not_null = r.flag(c, "notNull");
      column.default_sql = r.optional_string(c, "default");
      column.enum_values = r.strings(c, "enum");
      column.check = r.optional_string(c, "check");
      if (const Json* ref = r.field(c, "references")) {
        schema::Reference reference;
        reference.table = r.string(*ref, "table");
        reference.column = r.string(*ref, "column");
        auto on_delete = parse_on_delete(r.string(*ref, "onDelete"));
        if (!on_delete) return Error::invalid_input("column " + column.name + ": bad onDelete");
        reference.on_delete = *on_delete;
        column.references = reference;
      }
      columns.push_back(std::move(column));
    }
    std::vector<schema::Index> indexes;
    for (const auto& i : r.array(t, "indexes")) {
      schema::Index index;
      index.columns = r.strings(i, "columns");
      index.unique = r.flag(i, "unique");
      index.where = r.optional_string(i, "where");
      index.name = r.string(i, "name");
      indexes.push_back(std::move(index));
    }
    std::vector<std::string> stored_names;
    for (const auto& i : indexes) stored_names.push_back(i.name);
    schema::Table table(r.string(t, "name"), std::move(columns), std::move(indexes),
                        r.strings(t, "checks"));
    // Table derives index names; a stored name that differs means the
    // snapshot was edited by hand or written by another naming rule.
    for (std::size_t k = 0; k < stored_names.size(); ++k) {
      if (table.indexes()[k].name != stored_names[k]) {
        return Error::invalid_input("index " + stored_names[k] + " of " + table.name() +
                                    " is not named <table>_<cols>_idx");
      }
    }
    tables.push_back(std::move(table));
  }
  std::vector<schema::View> views;
  for (const auto& v : r.array(root, "views")) {
    views.push_back(schema::View{r.string(v, "name"), r.string(v, "sql")});
  }
  if (!r.problem.empty()) return Error::invalid_input("snapshot: " + r.problem);
  return schema::Schema(database == "webapp" ? sql::Database::kWebapp : sql::Database::kWorkers,
                        std::move(tables), std::move(views));
}

std::string snapshot_path(const std::string& migrations_dir, int number) {
  char name[32];
  std::snprintf(name, sizeof name, "%04d_snapshot.json", number);
  return (std::filesystem::path(migrations_dir) / "meta" / name).string();
}

std::vector<SnapshotFile> list_snapshots(const std::string& migrations_dir) {
  std::vector<SnapshotFile> out;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(migrations_dir) / "meta", ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && is_snapshot_name(name)) {
      out.push_back({std::stoi(name.substr(0, 4)), entry.path().string()});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SnapshotFile& a, const SnapshotFile& b) { return a.number < b.number; });
  return out;
}

Result<LatestSnapshot> latest_snapshot(const std::string& migrations_dir) {
  auto files = list_snapshots(migrations_dir);
  if (files.empty()) {
    return Error::not_found("no snapshot in " + migrations_dir + "/meta");
  }
  auto text = sqlite::read_file(files.back().path);
  if (!text.ok()) return text.take_error();
  auto schema = parse_snapshot(*text);
  if (!schema.ok()) {
    return Error::invalid_input(files.back().path + ": " + schema.error().message());
  }
  return LatestSnapshot{files.back(), std::move(schema).value()};
}

namespace {

// DDL with tables, columns, indexes, checks and views sorted by name, then
// normalized: column order and spelling are not part of what the migrations
// must reproduce (ADD COLUMN appends; SQLite ignores case and spacing).
std::string canonical_ddl(const schema::Schema& s) {
  std::vector<schema::Table> tables;
  for (const auto& t : s.tables()) {
    auto columns = t.columns();
    auto indexes = t.indexes();
    auto checks = t.checks();
    auto by_name = [](const auto& x, const auto& y) { return x.name < y.name; };
    std::sort(columns.begin(), columns.end(), by_name);
    for (auto& c : columns) std::sort(c.enum_values.begin(), c.enum_values.end());  // a set
    std::sort(indexes.begin(), indexes.end(), by_name);
    std::sort(checks.begin(), checks.end());
    tables.emplace_back(t.name(), std::move(columns), std::move(indexes), std::move(checks));
  }
  std::sort(tables.begin(), tables.end(),
            [](const schema::Table& x, const schema::Table& y) { return x.name() < y.name(); });
  auto views = s.views();
  std::sort(views.begin(), views.end(),
            [](const schema::View& x, const schema::View& y) { return x.name < y.name; });
  return normalize_sql(
      schema::schema_ddl(schema::Schema(s.database(), std::move(tables), std::move(views))));
}

}  // namespace

bool same_database(const schema::Schema& a, const schema::Schema& b) {
  return a.database() == b.database() && canonical_ddl(a) == canonical_ddl(b);
}

}  // namespace eventuall::migrate
