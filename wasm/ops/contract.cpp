#include "ops/contract.h"

#include <cstring>
#include <mutex>

#include "common/bug.h"
#include "id/cuid2.h"
#include "schema/schema.h"

// The builders are calls, never inlined into a declaration: each field of a
// declaration is then one call with constants (BENCHMARKS.md, "Module size").
#if defined(__clang__)
#define EVENTUALL_BUILDER __attribute__((noinline, minsize))
#else
#define EVENTUALL_BUILDER __attribute__((noinline))
#endif

namespace eventuall::ops::contract {

namespace {

const schema::Table* find_table(std::string_view name) {
  if (auto* t = schema::webapp_schema().find_table(name)) return t;
  return schema::workers_schema().find_table(name);
}

const schema::Table& table_of(std::string_view name) {
  const schema::Table* t = find_table(name);
  if (!t) bug("contract: no table " + std::string(name));
  return *t;
}

// What the contracts point at: allocated once, never freed, and reachable
// from this one root (so leak checkers count none of it as lost). Contracts
// are built once per program (function-local statics) and live as long.
std::mutex& kept_mutex() {
  static auto* m = new std::mutex;
  return *m;
}
template <typename T>
T* keep(T* p) {
  static auto* kept = new std::vector<const void*>;
  std::lock_guard lock(kept_mutex());
  kept->push_back(p);
  return p;
}

EVENTUALL_BUILDER Node node(Kind kind) {
  Node n;
  n.kind = kind;
  return n;
}

EVENTUALL_BUILDER Field make(Name name, const Node& n) {
  Field f;
  f.name = intern(name.text);
  f.node = n;
  return f;
}

const Fields* kept_fields(Fields fields) {
  return keep(new Fields(std::move(fields)));
}

// The allowed values of a kEnum as Input takes them: the schema's own list
// (no copy), or the fixed list into `scratch`.
const std::vector<std::string>& allowed_values(const Node& n, std::vector<std::string>& scratch);

std::string join(const std::vector<std::string>& values) {
  std::string list;
  for (const auto& v : values) list += (list.empty() ? "" : ", ") + v;
  return list;
}

constexpr std::string_view kIdProblem =
    "must be an id (24 lowercase letters and digits, starting with a letter)";
constexpr std::string_view kPermissionProblem = "must be dotted lowercase words, e.g. event.view";

bool is_whole(const Json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return d >= -9007199254740992.0 && d <= 9007199254740992.0 &&
         d == static_cast<double>(static_cast<std::int64_t>(d));
}

// The checks read the input where it is and leave it as the args hold it: a
// checked text trimmed (an e-mail also lower-cased), an integer as a signed
// one, an absent enum given its default, and a closed object without the
// members it does not declare or that are null. Nothing is copied: what
// passed is already there (BENCHMARKS.md, "The core's own CPU").
//
// `prefix`: where the object being read stands in the input ("" at the top,
// "lines[1]" inside an array), so a nested problem names its whole path.
void check_fields(Input& in, Json& object, const Fields& fields, bool open,
                  const std::string& prefix);

// The checked text where the unchecked one was (only when trimming changed it).
void keep_trimmed(Json& value, std::string_view trimmed) {
  std::string& s = value.get_ref<std::string&>();
  if (trimmed.size() != s.size()) s = std::string(trimmed);
}

// A nested object at `path` of the object at `prefix`, read as declared.
void check_object(Input& in, const std::string& prefix, const std::string& path, const Node& n,
                  Json& v) {
  const std::string whole = prefix.empty() ? path : prefix + "." + path;
  Input nested(v, whole);
  // An open object keeps the members it does not declare, as given.
  if (nested.ok()) check_fields(nested, v, *n.fields, n.open, whole);
  in.absorb(nested);
}

// One array element at `path` (e.g. "rooms[2]") of the object at `prefix`:
// checked as it is (only an object's members are trimmed and defaulted).
void check_element(Input& in, const std::string& prefix, const std::string& path, const Node& n,
                   Json& v) {
  switch (n.kind) {
    case Kind::kObject:
      check_object(in, prefix, path, n, v);
      return;
    case Kind::kId:
      if (!v.is_string() || !id::is_our_id(v.get_ref<const std::string&>())) {
        in.reject(path, kIdProblem);
      }
      return;
    case Kind::kText:
    case Kind::kEnum:
    case Kind::kPermission: {
      if (!v.is_string()) {
        in.reject(path, "must be a string");
        return;
      }
      const std::string& s = v.get_ref<const std::string&>();
      if (n.kind == Kind::kText) {
        if (auto problem = text_problem(s, n.text)) in.reject(path, *problem);
      } else if (n.kind == Kind::kPermission) {
        if (s.size() > 100 || !valid_permission_name(s)) in.reject(path, kPermissionProblem);
      } else {
        std::vector<std::string> scratch;
        const auto& allowed = allowed_values(n, scratch);
        bool found = false;
        for (const auto& a : allowed) found = found || a == s;
        if (!found) in.reject(path, "must be one of: " + join(allowed));
      }
      return;
    }
    case Kind::kInteger:
      if (!v.is_number() || !is_whole(v)) {
        in.reject(path, "must be a whole number");
      } else if (v.get<double>() < static_cast<double>(n.integer.min) ||
                 v.get<double>() > static_cast<double>(n.integer.max)) {
        in.reject(path, "must be between " + std::to_string(n.integer.min) + " and " +
                            std::to_string(n.integer.max));
      }
      return;
    default:
      return;
  }
}

void check_field(Input& in, Json& object, const Field& f, const std::string& prefix) {
  if (!in.ok()) return;
  const std::string_view name = f.name;
  auto it = object.find(name);
  const bool present = it != object.end() && !it->is_null();
  auto require = [&] {
    if (!present && !f.is_optional) in.reject(name, "is required");
    return present;
  };
  // Whether a value was there and passed (so far all is well).
  auto passed = [&] { return present && in.ok(); };
  const Node& n = f.node;
  switch (n.kind) {
    case Kind::kText: {
      auto v = in.text_view(name, n.text, !f.is_optional);
      if (passed()) keep_trimmed(*it, *v);
      return;
    }
    case Kind::kInteger: {
      auto v = f.is_optional ? in.optional_integer(name, n.integer)
                             : std::optional(in.integer(name, n.integer));
      if (passed()) *it = *v;
      return;
    }
    case Kind::kBoolean:
      if (require()) in.optional_boolean(name);
      return;
    case Kind::kId:
      in.id_view(name, !f.is_optional);
      return;
    case Kind::kEmail: {
      if (f.is_optional && !present) return;
      std::string v = in.email(name);
      if (passed()) it->get_ref<std::string&>() = std::move(v);
      return;
    }
    case Kind::kDate: {
      if (!require()) return;
      auto v = in.date_view(name);
      if (passed()) keep_trimmed(*it, *v);
      return;
    }
    case Kind::kEnum: {
      std::vector<std::string> scratch;
      const auto& allowed = allowed_values(n, scratch);
      auto v = in.one_of_view(name, allowed, !f.is_optional && !f.default_value);
      if (passed()) {
        keep_trimmed(*it, *v);
      } else if (!present && f.default_value && in.ok()) {
        object[name] = std::string(*f.default_value);
      }
      return;
    }
    case Kind::kPermission: {
      auto v = in.text_view(name, TextRule{.max_length = 100}, !f.is_optional);
      if (!in.ok() || !present) return;
      if (!valid_permission_name(*v)) {
        in.reject(name, kPermissionProblem);
        return;
      }
      keep_trimmed(*it, *v);
      return;
    }
    case Kind::kArray: {
      if (!present && n.min_items) {
        in.reject(name, "must not be empty");
        return;
      }
      if (!require()) return;
      const Json* items = in.array_value(name, n.max_items ? n.max_items : SIZE_MAX);
      if (!items) return;
      if (items->size() < n.min_items) in.reject(name, "must not be empty");
      for (std::size_t i = 0; i < it->size() && in.ok(); ++i) {
        check_element(in, prefix, std::string(name) + "[" + std::to_string(i) + "]", *n.items,
                      (*it)[i]);
      }
      return;
    }
    case Kind::kObject:
      if (require()) check_object(in, prefix, std::string(name), n, *it);
      return;
    case Kind::kNumber:
      if (require() && !it->is_number()) in.reject(name, "must be a number");
      return;
    case Kind::kRow:
    case Kind::kJson:
      require();
      return;
  }
}

bool declares(const Fields& fields, std::string_view key);

void check_fields(Input& in, Json& object, const Fields& fields, bool open,
                  const std::string& prefix) {
  for (const auto& f : fields) check_field(in, object, f, prefix);
  if (open || !in.ok()) return;
  for (auto it = object.begin(); it != object.end();) {
    if (it->is_null() || !declares(fields, it.key())) {
      it = object.erase(it);
    } else {
      ++it;
    }
  }
}

// --- output -----------------------------------------------------------------

std::optional<std::string> check_value(const Node& n, const Json& v, const std::string& path);
Json object_schema(const Fields& fields, bool input, bool open);

// The declared fields of object v: each present (unless optional) and of its shape.
std::optional<std::string> check_declared(const Fields& fields, const Json& v,
                                          const std::string& path) {
  for (const auto& f : fields) {
    auto it = v.find(f.name);
    if (it == v.end()) {
      if (f.is_optional) continue;
      return path + "." + std::string(f.name) + ": is missing";
    }
    if (auto problem = check_value(f.node, *it, path + "." + std::string(f.name))) return problem;
  }
  return std::nullopt;
}

bool declares(const Fields& fields, std::string_view key) {
  for (const auto& f : fields) {
    if (f.name == key) return true;
  }
  return false;
}

std::optional<std::string> check_members(const Fields& fields, bool open, const Json& v,
                                         const std::string& path) {
  if (!v.is_object()) return path + ": must be an object";
  if (auto problem = check_declared(fields, v, path)) return problem;
  // An open answer object's undeclared members are scalars (the TypeScript
  // and JSON Schema say so: RPC typing cannot carry an unknown value).
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (declares(fields, it.key())) continue;
    if (!open) return path + "." + it.key() + ": is not declared";
    if (it->is_object() || it->is_array()) {
      return path + "." + it.key() + ": an undeclared member must be a string, number, boolean or null";
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_row(const schema::Table& table, const Fields& extra, const Json& v,
                                     const std::string& path) {
  if (!v.is_object()) return path + ": must be an object (a " + table.name() + " row)";
  for (const auto& c : table.columns()) {
    if (c.secret) continue;
    auto it = v.find(c.json_key);
    const std::string at = path + "." + c.json_key;
    if (it == v.end()) return at + ": is missing";
    if (it->is_null()) {
      if (c.not_null) return at + ": must not be null";
      continue;
    }
    switch (c.type) {
      case schema::ColumnType::kText:
      case schema::ColumnType::kBlob:
        if (!it->is_string()) return at + ": must be a string";
        if (!c.enum_values.empty()) {
          bool found = false;
          for (const auto& a : c.enum_values)
            found = found || a == it->get_ref<const std::string&>();
          if (!found) return at + ": must be one of " + join(c.enum_values);
        }
        break;
      case schema::ColumnType::kInteger:
        if (!is_whole(*it)) return at + ": must be an integer";
        break;
      case schema::ColumnType::kReal:
        if (!it->is_number()) return at + ": must be a number";
        break;
      case schema::ColumnType::kJson:
        break;
    }
  }
  if (auto problem = check_declared(extra, v, path)) return problem;
  for (auto it = v.begin(); it != v.end(); ++it) {
    bool known = declares(extra, it.key());
    for (const auto& c : table.columns()) known = known || (!c.secret && c.json_key == it.key());
    if (!known) return path + "." + it.key() + ": is not a column of " + table.name();
  }
  return std::nullopt;
}

std::optional<std::string> check_value(const Node& n, const Json& v, const std::string& path) {
  if (n.kind == Kind::kJson) return std::nullopt;
  if (v.is_null()) {
    if (n.nullable) return std::nullopt;
    return path + ": must not be null";
  }
  switch (n.kind) {
    case Kind::kText:
    case Kind::kId:
    case Kind::kEmail:
    case Kind::kDate:
    case Kind::kPermission:
      if (!v.is_string()) return path + ": must be a string";
      return std::nullopt;
    case Kind::kEnum: {
      if (!v.is_string()) return path + ": must be a string";
      std::vector<std::string> scratch;
      const auto& allowed = allowed_values(n, scratch);
      for (const auto& a : allowed) {
        if (a == v.get_ref<const std::string&>()) return std::nullopt;
      }
      return path + ": must be one of " + join(allowed);
    }
    case Kind::kInteger:
      if (!is_whole(v)) return path + ": must be an integer";
      return std::nullopt;
    case Kind::kNumber:
      if (!v.is_number()) return path + ": must be a number";
      return std::nullopt;
    case Kind::kBoolean:
      if (!v.is_boolean()) return path + ": must be a boolean";
      return std::nullopt;
    case Kind::kArray:
      if (!v.is_array()) return path + ": must be an array";
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (auto p = check_value(*n.items, v[i], path + "[" + std::to_string(i) + "]")) return p;
      }
      return std::nullopt;
    case Kind::kObject:
      return check_members(*n.fields, n.open, v, path);
    case Kind::kRow:
      return check_row(table_of(n.table), *n.fields, v, path);
    case Kind::kJson:
      return std::nullopt;
  }
  return std::nullopt;
}

// --- JSON Schema ------------------------------------------------------------

Json nullable_type(const char* type, bool nullable) {
  if (!nullable) return type;
  return Json::array({type, "null"});
}

Json row_schema(const schema::Table& table, const Fields& extra) {
  Json properties = Json::object();
  Json required = Json::array();
  for (const auto& c : table.columns()) {
    if (c.secret) continue;
    Json p = Json::object();
    const bool nullable = !c.not_null;
    switch (c.type) {
      case schema::ColumnType::kText:
      case schema::ColumnType::kBlob:
        p["type"] = nullable_type("string", nullable);
        if (!c.enum_values.empty()) {
          Json values(c.enum_values);
          if (nullable) values.push_back(nullptr);
          p["enum"] = values;
        }
        break;
      case schema::ColumnType::kInteger:
        p["type"] = nullable_type("integer", nullable);
        break;
      case schema::ColumnType::kReal:
        p["type"] = nullable_type("number", nullable);
        break;
      case schema::ColumnType::kJson:
        break;
    }
    properties[c.json_key] = std::move(p);
    required.push_back(c.json_key);
  }
  const Json more = object_schema(extra, false, false);
  for (auto it = more["properties"].begin(); it != more["properties"].end(); ++it) {
    properties[it.key()] = *it;
  }
  if (more.contains("required")) {
    for (const auto& r : more["required"]) required.push_back(r);
  }
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

}  // namespace

// Permission names: dotted lowercase words (`event.view`, `clips.download`).
bool valid_permission_name(std::string_view name) {
  bool word_start = true;
  int words = 0;
  for (char c : name) {
    const bool letter = c >= 'a' && c <= 'z';
    if (word_start) {
      if (!letter) return false;
      word_start = false;
      ++words;
    } else if (c == '.') {
      word_start = true;
    } else if (!letter && !(c >= '0' && c <= '9') && c != '_') {
      return false;
    }
  }
  return !word_start && words >= 2;
}

std::string_view intern(std::string_view text) {
  if (text.empty()) return {};
  // NUL-terminated, so that an interned text is also a Name.
  char* copy = keep(new char[text.size() + 1]);
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return {copy, text.size()};
}

Name::Name(std::string_view s) : text(intern(s).data()) {
  if (!text) text = "";
}

Summary::Summary(std::string_view text) : std::string_view(intern(text)) {}

namespace {
const std::vector<std::string>& allowed_values(const Node& n, std::vector<std::string>& scratch) {
  if (n.enum_of.empty()) {
    scratch.assign(n.values.begin(), n.values.end());
    return scratch;
  }
  const auto dot = n.enum_of.find('.');
  if (dot == std::string::npos) bug("contract: enum " + std::string(n.enum_of) + " is not table.column");
  const auto& table = table_of(n.enum_of.substr(0, dot));
  const auto* column = table.column(n.enum_of.substr(dot + 1));
  if (!column || column->enum_values.empty()) bug("contract: no enum column " + std::string(n.enum_of));
  return column->enum_values;
}
}  // namespace

std::vector<std::string> Node::enum_values() const {
  std::vector<std::string> scratch;
  return allowed_values(*this, scratch);
}

namespace of {
EVENTUALL_BUILDER Node text(TextRule rule) {
  Node n = node(Kind::kText);
  n.text = rule;
  return n;
}
EVENTUALL_BUILDER Node integer(IntegerRule rule) {
  Node n = node(Kind::kInteger);
  n.integer = rule;
  return n;
}
EVENTUALL_BUILDER Node number() {
  return node(Kind::kNumber);
}
EVENTUALL_BUILDER Node boolean() {
  return node(Kind::kBoolean);
}
EVENTUALL_BUILDER Node id(Name table) {
  Node n = node(Kind::kId);
  n.id_of = intern(table.text);
  return n;
}
EVENTUALL_BUILDER Node email() {
  return node(Kind::kEmail);
}
EVENTUALL_BUILDER Node one_of(Name column) {
  Node n = node(Kind::kEnum);
  n.enum_of = intern(column.text);
  return n;
}
EVENTUALL_BUILDER Node values(const ValueList& values) {
  Node n = node(Kind::kEnum);
  const auto& given = values.list();
  auto* list = keep(new std::string_view[given.size()]);
  for (std::size_t i = 0; i < given.size(); ++i) list[i] = intern(given[i]);
  n.values = {list, given.size()};
  return n;
}
EVENTUALL_BUILDER Node permission() {
  return node(Kind::kPermission);
}
EVENTUALL_BUILDER Node object(Fields fields) {
  Node n = node(Kind::kObject);
  n.fields = kept_fields(std::move(fields));
  return n;
}
EVENTUALL_BUILDER Node shape(Name name, Node object) {
  object.shape = intern(name.text);
  return object;
}
EVENTUALL_BUILDER Node row(Name table, Fields extra) {
  Node n = node(Kind::kRow);
  n.table = intern(table.text);
  n.fields = kept_fields(std::move(extra));
  return n;
}
EVENTUALL_BUILDER Node row(Name table) {
  return row(table, Fields{});
}
EVENTUALL_BUILDER Node json() {
  return node(Kind::kJson);
}
}  // namespace of

EVENTUALL_BUILDER Field text(Name name, TextRule rule) {
  return make(name, of::text(rule));
}
EVENTUALL_BUILDER Field integer(Name name, IntegerRule rule) {
  return make(name, of::integer(rule));
}
EVENTUALL_BUILDER Field number(Name name) {
  return make(name, of::number());
}
EVENTUALL_BUILDER Field boolean(Name name) {
  return make(name, of::boolean());
}
EVENTUALL_BUILDER Field id(Name name, Name table) {
  return make(name, of::id(table));
}
EVENTUALL_BUILDER Field email(Name name) {
  return make(name, of::email());
}
EVENTUALL_BUILDER Field date(Name name) {
  return make(name, node(Kind::kDate));
}
EVENTUALL_BUILDER Field one_of(Name name, Name column) {
  return make(name, of::one_of(column));
}
EVENTUALL_BUILDER Field values(Name name, const ValueList& values) {
  return make(name, of::values(values));
}
EVENTUALL_BUILDER Field permission(Name name) {
  return make(name, of::permission());
}
EVENTUALL_BUILDER Field array(Name name, const Node& items, std::size_t max_items) {
  Node n = node(Kind::kArray);
  n.items = keep(new Node(items));
  n.max_items = max_items;
  return make(name, std::move(n));
}
EVENTUALL_BUILDER Field object(Name name, Fields fields) {
  return make(name, of::object(std::move(fields)));
}
EVENTUALL_BUILDER Field row(Name name, Name table, Fields extra) {
  return make(name, of::row(table, std::move(extra)));
}
EVENTUALL_BUILDER Field row(Name name, Name table) {
  return make(name, of::row(table));
}
EVENTUALL_BUILDER Field actor() {
  return id("actorUserId", "users");
}
EVENTUALL_BUILDER Field json(Name name) {
  return make(name, of::json());
}
EVENTUALL_BUILDER Field field(Name name, const Node& n) {
  return make(name, n);
}

// --- Args -------------------------------------------------------------------

const Json* Args::value(std::string_view name) const {
  bool declared = false;
  for (const auto& f : *fields_) declared = declared || f.name == name;
  if (!declared) bug("contract: reading undeclared input field " + std::string(name));
  const Json& values = json();
  auto it = values.find(name);
  if (it == values.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Args::text(std::string_view name) const {
  const Json* v = value(name);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}
std::optional<std::string> Args::optional_text(std::string_view name) const {
  const Json* v = value(name);
  if (!v || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}
std::int64_t Args::integer(std::string_view name) const {
  return optional_integer(name).value_or(0);
}
std::optional<std::int64_t> Args::optional_integer(std::string_view name) const {
  const Json* v = value(name);
  if (!v || !v->is_number()) return std::nullopt;
  if (v->is_number_float()) return static_cast<std::int64_t>(v->get<double>());
  return v->get<std::int64_t>();
}
std::optional<bool> Args::optional_boolean(std::string_view name) const {
  const Json* v = value(name);
  if (!v || !v->is_boolean()) return std::nullopt;
  return v->get<bool>();
}
bool Args::boolean(std::string_view name, bool fallback) const {
  return optional_boolean(name).value_or(fallback);
}
std::vector<Json> Args::items(std::string_view name) const {
  const Json* v = value(name);
  if (!v || !v->is_array()) return {};
  return std::vector<Json>(v->begin(), v->end());
}
std::vector<Args> Args::objects(std::string_view name) const {
  const Field* field = nullptr;
  for (const auto& f : *fields_) {
    if (f.name == name) field = &f;
  }
  std::vector<Args> out;
  const Json* v = value(name);
  if (!v || !v->is_array()) return out;
  for (const auto& item : *v) {
    if (!field || field->node.kind != Kind::kArray || field->node.items->kind != Kind::kObject) {
      bug("contract: " + std::string(name) + " is no array of objects");
    }
    out.push_back(Args(field->node.items->fields, &item));
  }
  return out;
}

// --- entry points -----------------------------------------------------------

Result<Args> read(const Fields& fields, Json&& input) {
  Input in(input);
  if (in.ok()) check_fields(in, input, fields, /*open=*/false, "");
  if (!in.ok()) return in.error();
  return Args(&fields, std::move(input));
}

Result<Args> read(const Fields& fields, const Json& input) {
  return read(fields, Json(input));
}

std::optional<std::string> check_output(const Fields& fields, const Json& answer) {
  return check_members(fields, false, answer, "$");
}

Json json_schema(const Node& n, bool input) {
  Json s = Json::object();
  switch (n.kind) {
    case Kind::kText:
      s["type"] = nullable_type("string", n.nullable);
      if (input) {
        s["minLength"] = n.text.min_length;
        s["maxLength"] = n.text.max_length;
      }
      break;
    case Kind::kId:
      s["type"] = nullable_type("string", n.nullable);
      if (input) s["pattern"] = "^[a-z][0-9a-z]{23}$";
      break;
    case Kind::kEmail:
      s["type"] = nullable_type("string", n.nullable);
      s["format"] = "email";
      break;
    case Kind::kDate:
      s["type"] = nullable_type("string", n.nullable);
      s["format"] = "date";
      break;
    case Kind::kPermission:
      s["type"] = nullable_type("string", n.nullable);
      s["pattern"] = "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$";
      s["maxLength"] = 100;
      break;
    case Kind::kEnum: {
      s["type"] = nullable_type("string", n.nullable);
      Json values(n.enum_values());
      if (n.nullable) values.push_back(nullptr);
      s["enum"] = std::move(values);
      break;
    }
    case Kind::kInteger:
      s["type"] = nullable_type("integer", n.nullable);
      if (input) {
        s["minimum"] = n.integer.min;
        if (n.integer.max != INT64_MAX) s["maximum"] = n.integer.max;
      }
      break;
    case Kind::kNumber:
      s["type"] = nullable_type("number", n.nullable);
      break;
    case Kind::kBoolean:
      s["type"] = nullable_type("boolean", n.nullable);
      break;
    case Kind::kArray:
      s["type"] = nullable_type("array", n.nullable);
      s["items"] = json_schema(*n.items, input);
      if (input && n.max_items) s["maxItems"] = n.max_items;
      if (input && n.min_items) s["minItems"] = n.min_items;
      break;
    case Kind::kObject:
      s = object_schema(*n.fields, input, n.open);
      if (n.nullable) s["type"] = Json::array({"object", "null"});
      if (!n.shape.empty()) s["title"] = std::string(n.shape);
      break;
    case Kind::kRow:
      s = row_schema(table_of(n.table), *n.fields);
      if (n.nullable) s["type"] = Json::array({"object", "null"});
      break;
    case Kind::kJson:
      break;
  }
  return s;
}

namespace {
Json object_schema(const Fields& fields, bool input, bool open) {
  Json properties = Json::object();
  Json required = Json::array();
  for (const auto& f : fields) {
    Json p = json_schema(f.node, input);
    if (input && f.node.kind != Kind::kJson && f.is_optional) {
      // Absent and null read the same on input.
      if (p.contains("type") && p["type"].is_string()) {
        p["type"] = Json::array({p["type"], "null"});
        if (p.contains("enum")) p["enum"].push_back(nullptr);
      }
    }
    if (f.default_value) p["default"] = std::string(*f.default_value);
    if (!f.doc.empty()) p["description"] = std::string(f.doc);
    properties[f.name] = std::move(p);
    if (!f.is_optional && !f.default_value) required.push_back(std::string(f.name));
  }
  Json s = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) s["required"] = std::move(required);
  if (!input) {
    s["additionalProperties"] =
        open ? Json{{"type", Json::array({"string", "number", "boolean", "null"})}} : Json(false);
  }
  return s;
}
}  // namespace

Json json_schema(const Fields& fields, bool input) {
  return object_schema(fields, input, false);
}

}  // namespace eventuall::ops::contract
