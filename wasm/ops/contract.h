#pragma once
// An operation's contract: the shape of its input and of its answer, declared
// once as data at the top of the operation's file. Everything else derives
// from it: the input validation (read(), with the messages Input gives), the
// check of every fixture outcome (check_output()), the TypeScript
// declarations, the OpenAPI document and the README tables (json_schema()).
//
// A declaration reads like the schema's columns:
//   {.input = {id("actorUserId", "users"), text("name"),
//              text("description").max(10'000).optional(),
//              one_of("status", "events.status").defaults_to("draft")},
//    .output = {row("event", "events"), array("rooms", of::row("rooms"))}}
// Enums name a schema column ("table.column"), so they follow the CHECKs.
// Inputs ignore fields they do not declare (dispatch adds actorUserId);
// outputs are closed: an answer key the contract does not name is a mismatch.

#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ops/input.h"

namespace eventuall::ops::contract {

enum class Kind {
  kText,
  kInteger,
  kNumber,
  kBoolean,
  kId,
  kEmail,
  kDate,
  kEnum,
  kPermission,  // a permission name: dotted lowercase words, one of the catalog's
  kArray,
  kObject,
  kRow,   // a row of a schema table as row_json shapes it
  kJson,  // any JSON value (payloads, metadata)
};

struct Field;
using Fields = std::vector<Field>;

// The text a contract holds (names, tables, columns, docs): a view of a copy
// that lives as long as the program, as the contracts do (intern()). So Field
// and Node are plain data, copied as bytes: a declaration compiles to a few
// calls instead of constructors and destructors of strings, vectors and
// shared pointers for every field (BENCHMARKS.md, "Module size").
std::string_view intern(std::string_view text);

// A name or text as a declaration passes it: a literal costs its call site one
// pointer (a string_view would be two words copied to the stack). What it
// points at is interned by the builder, so any string is safe to pass.
struct Name {
  const char* text;
  [[gnu::always_inline]] Name(const char* s) : text(s) {}
  Name(std::string_view s);
  Name(const std::string& s) : Name(std::string_view(s)) {}
};

// A contract's summary: a literal as it is, any other text interned.
struct Summary : std::string_view {
  Summary() = default;
  [[gnu::always_inline]] Summary(const char* literal) : std::string_view(literal) {}
  Summary(std::string_view text);
  Summary(const std::string& text) : Summary(std::string_view(text)) {}
};

// A fixed list of allowed values (values()), interned.
struct Values {
  const std::string_view* data = nullptr;
  std::size_t count = 0;
  const std::string_view* begin() const { return data; }
  const std::string_view* end() const { return data + count; }
  std::size_t size() const { return count; }
  bool empty() const { return count == 0; }
};

// One value's type. Array elements and object members are Nodes too.
struct Node {
  Kind kind = Kind::kJson;
  TextRule text{};
  IntegerRule integer{};
  std::string_view id_of;        // kId: the table the id names
  std::string_view enum_of;      // kEnum: "table.column" of a schema CHECK
  Values values;                 // kEnum: a fixed list (when not from the schema)
  std::size_t max_items = 0;     // kArray
  std::size_t min_items = 0;     // kArray: 1 refuses an empty or absent one
  const Node* items = nullptr;   // kArray: its elements (kept for the program's life)
  const Fields* fields = nullptr;  // kObject: its members; kRow: its extra keys (kept)
  std::string_view table;        // kRow: schema table
  bool nullable = false;         // output: null allowed
  bool open = false;             // kObject: undeclared keys allowed (output) and kept (input)
  std::string_view shape;        // kObject: a shape several answers share, by name (of::shape):
                                 // one component and one type alias in the generated docs

  // The allowed values of a kEnum (the schema's CHECK list or values).
  std::vector<std::string> enum_values() const;
};

struct Field {
  std::string_view name;
  Node node;
  bool is_optional = false;                       // input: may be absent or null; output: may be absent
  std::optional<std::string_view> default_value;  // kEnum input: the value when absent
  std::string_view doc;

  Field optional() && {
    is_optional = true;
    return *this;
  }
  Field nullable() && {
    node.nullable = true;
    return *this;
  }
  // Absent or null on output: both.
  Field maybe() && {
    is_optional = true;
    node.nullable = true;
    return *this;
  }
  Field max(std::size_t length) && {
    node.text.max_length = length;
    return *this;
  }
  Field min_length(std::size_t length) && {
    node.text.min_length = length;
    return *this;
  }
  Field min(std::int64_t v) && {
    node.integer.min = v;
    return *this;
  }
  Field max_value(std::int64_t v) && {
    node.integer.max = v;
    return *this;
  }
  Field defaults_to(Name v) && {
    default_value = intern(v.text);
    return *this;
  }
  Field non_empty() && {
    node.min_items = 1;
    return *this;
  }
  Field open() && {
    node.open = true;
    return *this;
  }
  Field about(Name text) && {
    doc = intern(text.text);
    return *this;
  }
};
static_assert(std::is_trivially_copyable_v<Field> && std::is_trivially_destructible_v<Field>);

struct Contract {
  Fields input;
  Fields output;
  Summary summary;
};
using ContractFn = const Contract& (*)();

// What values() takes: a braced list of strings, or {first, last} of a range.
class ValueList {
 public:
  ValueList(std::initializer_list<std::string_view> list) : list_(list.begin(), list.end()) {}
  template <typename It>
  ValueList(It first, It last) : list_(first, last) {}
  // A container of strings (a std::vector<std::string>, a std::array of views).
  template <typename Range>
    requires requires(const Range& r) { std::string_view(*std::begin(r)); }
  ValueList(const Range& range) : list_(std::begin(range), std::end(range)) {}
  const std::vector<std::string_view>& list() const { return list_; }

 private:
  std::vector<std::string_view> list_;
};

// Element types, for arrays.
namespace of {
Node text(TextRule rule = {});
Node integer(IntegerRule rule = {});
Node number();
Node boolean();
Node id(Name table);
Node email();
Node one_of(Name column);
Node values(const ValueList& values);
Node permission();
Node object(Fields fields);
Node row(Name table, Fields extra);
Node row(Name table);  // no extra keys (no vector at the call site)
Node json();
// An object node under a name, for a shape several answers hold (an order's
// access entries): the docs declare it once and refer to it by that name.
Node shape(Name name, Node object);
}  // namespace of

// Field constructors.
Field text(Name name, TextRule rule = {});
Field integer(Name name, IntegerRule rule = {});
Field number(Name name);
Field boolean(Name name);
Field id(Name name, Name table);
Field email(Name name);
Field date(Name name);
Field one_of(Name name, Name column);
Field values(Name name, const ValueList& values);
Field permission(Name name);
Field array(Name name, const Node& items, std::size_t max_items = 0);
Field object(Name name, Fields fields);
Field row(Name name, Name table, Fields extra);
Field row(Name name, Name table);
// The acting user: filled in by dispatch from `auth`, or given by a trusted caller.
Field actor();
Field json(Name name);
// An output field of any node type.
Field field(Name name, const Node& node);

// The validated input: the declared fields, trimmed, lower-cased and defaulted
// as declared. Reading a field the contract does not declare is our bug.
// It is the parsed input itself, checked in place (read()); objects() answers
// views into it, valid while the Args they came from lives.
class Args {
 public:
  Args(const Fields* fields, Json values) : fields_(fields), owned_(std::move(values)) {}
  std::string text(std::string_view name) const;
  std::optional<std::string> optional_text(std::string_view name) const;
  std::int64_t integer(std::string_view name) const;
  std::optional<std::int64_t> optional_integer(std::string_view name) const;
  std::optional<bool> optional_boolean(std::string_view name) const;
  bool boolean(std::string_view name, bool fallback) const;
  // Elements of an array (absent: empty).
  std::vector<Json> items(std::string_view name) const;
  // Elements of an array of objects, each validated as declared.
  std::vector<Args> objects(std::string_view name) const;
  const Json& json() const { return view_ ? *view_ : owned_; }

 private:
  // An element of an array of objects, where it stands in its owner's input.
  Args(const Fields* fields, const Json* view) : fields_(fields), view_(view) {}
  const Json* value(std::string_view name) const;  // nullptr: absent
  const Fields* fields_;
  Json owned_;
  const Json* view_ = nullptr;
};

// Validates an input against declared fields, in declaration order; the first
// problem wins and reads as Input reports it ("name must not be empty").
// Given the input to keep (an operation's own parsed input, moved in), the args
// are that input, checked in place; given a const one, a copy of it.
Result<Args> read(const Fields& fields, Json&& input);
Result<Args> read(const Fields& fields, const Json& input);

// A permission's name: two or more dotted lowercase words (event.view).
bool valid_permission_name(std::string_view name);

// The first place an answer departs from its declared shape: "path: problem"
// ("$.event.status: must be one of draft, active, archive"), or nullopt.
std::optional<std::string> check_output(const Fields& fields, const Json& answer);

// JSON Schema (2020-12, as OpenAPI 3.1 takes it) of declared fields as an
// object; input schemas leave other keys open, output schemas close them.
Json json_schema(const Fields& fields, bool input);
Json json_schema(const Node& node, bool input);

}  // namespace eventuall::ops::contract
