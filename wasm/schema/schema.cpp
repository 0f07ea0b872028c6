#include "schema/schema.h"

#include "common/bug.h"

namespace eventuall::schema {

std::string snake_to_camel(std::string_view snake) {
  std::string out;
  out.reserve(snake.size());
  bool upper = false;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
    } else if (upper) {
      out.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
      upper = false;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {
Column make(std::string name, ColumnType type) {
  Column c;
  c.json_key = snake_to_camel(name);
  c.name = std::move(name);
  c.type = type;
  return c;
}
}  // namespace

Column id_column() {
  Column c = make("id", ColumnType::kText);
  c.primary_key = true;
  c.not_null = true;
  return c;
}
Column text(std::string name) {
  return make(std::move(name), ColumnType::kText);
}
Column integer(std::string name) {
  return make(std::move(name), ColumnType::kInteger);
}
Column real(std::string name) {
  return make(std::move(name), ColumnType::kReal);
}
Column json_text(std::string name) {
  Column c = make(name, ColumnType::kJson);
  c.check = "json_valid(" + name + ")";
  return c;
}
Column timestamp(std::string name) {
  return make(std::move(name), ColumnType::kInteger);
}
Column created_at() {
  return timestamp("created_at").required().defaults_to("(unixepoch())");
}
Column updated_at() {
  return timestamp("updated_at").required().defaults_to("(unixepoch())");
}

Column foreign_id(std::string name, std::string table, OnDelete on_delete) {
  return text(std::move(name)).required().references_(std::move(table), on_delete);
}
Column optional_foreign_id(std::string name, std::string table, OnDelete on_delete) {
  return text(std::move(name)).references_(std::move(table), on_delete);
}

Index index(std::vector<std::string> columns) {
  return Index{std::move(columns), false, {}, {}};
}
Index unique_index(std::vector<std::string> columns) {
  return Index{std::move(columns), true, {}, {}};
}
Index unique_index_where(std::vector<std::string> columns, std::string where) {
  return Index{std::move(columns), true, std::move(where), {}};
}

namespace {
// <table>_<cols>_idx; expressions contribute their identifier characters only,
// so coalesce(room_id, '') names as "coalesce_room_id".
std::string index_name(const std::string& table, const std::vector<std::string>& columns) {
  std::string name = table;
  for (const auto& column : columns) {
    name += '_';
    bool last_was_sep = true;
    for (char c : column) {
      bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      if (word) {
        name += c;
        last_was_sep = false;
      } else if (!last_was_sep) {
        name += '_';
        last_was_sep = true;
      }
    }
    while (!name.empty() && name.back() == '_') name.pop_back();
  }
  return name + "_idx";
}

// "a.id AS id, a.name AS name, ..." (no "a." without an alias).
std::string aliased_readable_columns(const std::vector<Column>& columns, std::string_view alias) {
  std::string out;
  for (const auto& c : columns) {
    if (c.secret) continue;
    if (!out.empty()) out += ", ";
    if (!alias.empty()) out.append(alias).append(".");
    out.append(c.name).append(" AS ").append(c.name);
  }
  return out;
}
}  // namespace

Table::Table(std::string name, std::vector<Column> columns, std::vector<Index> indexes,
             std::vector<std::string> checks)
    : name_(std::move(name)),
      columns_(std::move(columns)),
      indexes_(std::move(indexes)),
      checks_(std::move(checks)) {
  for (auto& index : indexes_) index.name = index_name(name_, index.columns);
  readable_columns_sql_ = aliased_readable_columns(columns_, {});
  for (std::size_t i = 0, rank = 0; i < columns_.size(); ++i) {
    if (columns_[i].secret) continue;
    readable_by_key_.push_back(
        {static_cast<std::uint16_t>(i), static_cast<std::uint16_t>(rank++)});
  }
  // An insertion sort, stable (a table's dozen columns, once per isolate).
  for (std::size_t i = 1; i < readable_by_key_.size(); ++i) {
    for (std::size_t j = i; j > 0 && columns_[readable_by_key_[j].column].json_key <
                                         columns_[readable_by_key_[j - 1].column].json_key;
         --j) {
      std::swap(readable_by_key_[j], readable_by_key_[j - 1]);
    }
  }
}

std::string Table::readable_columns_sql(std::string_view alias) const {
  return aliased_readable_columns(columns_, alias);
}

namespace {

// A name's length and first byte rule out nearly every other name before
// the bytes are compared.
bool same_name(const std::string& a, std::string_view b) {
  return a.size() == b.size() && (b.empty() || (a[0] == b[0] && a == b));
}

}  // namespace

const Column* Table::column(std::string_view name) const {
  for (const auto& c : columns_) {
    if (same_name(c.name, name)) return &c;
  }
  return nullptr;
}

const std::vector<std::string>& Table::allowed_values(std::string_view name) const {
  static const std::vector<std::string> kNone;
  const Column* c = column(name);
  return c ? c->enum_values : kNone;
}

Schema::Schema(sql::Database database, std::vector<Table> tables, std::vector<View> views)
    : database_(database), tables_(std::move(tables)), views_(std::move(views)) {}

const Table* Schema::find_table(std::string_view name) const {
  for (const auto& t : tables_) {
    if (same_name(t.name(), name)) return &t;
  }
  return nullptr;
}

const Table& Schema::table(std::string_view name) const {
  if (const Table* t = find_table(name)) return *t;
  // Table names come only from our own code: a miss is our bug.
  bug("no table " + std::string(name) + " in the schema");
}

}  // namespace eventuall::schema
