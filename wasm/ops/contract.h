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
#include <memory>
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

// One value's type. Array elements and object members are Nodes too.
struct Node {
  Kind kind = Kind::kJson;
  TextRule text{};
  IntegerRule integer{};
  std::string id_of;                  // kId: the table the id names
  std::string enum_of;                // kEnum: "table.column" of a schema CHECK
  std::vector<std::string> values;    // kEnum: a fixed list (when not from the schema)
  std::size_t max_items = 0;          // kArray
  std::size_t min_items = 0;          // kArray: 1 refuses an empty or absent one
  std::shared_ptr<const Node> items;  // kArray: its elements
  std::shared_ptr<const std::vector<Field>> fields;  // kObject: its members
  std::string table;                                 // kRow: schema table (fields: its extra keys)
  bool nullable = false;                             // output: null allowed
  bool open = false;  // kObject: undeclared keys allowed (output) and kept (input)

  // The allowed values of a kEnum (the schema's CHECK list or values).
  std::vector<std::string> enum_values() const;
};

struct Field {
  std::string name;
  Node node;
  bool is_optional = false;                  // input: may be absent or null; output: may be absent
  std::optional<std::string> default_value;  // kEnum input: the value when absent
  std::string doc;

  Field optional() && {
    is_optional = true;
    return std::move(*this);
  }
  Field nullable() && {
    node.nullable = true;
    return std::move(*this);
  }
  // Absent or null on output: both.
  Field maybe() && {
    is_optional = true;
    node.nullable = true;
    return std::move(*this);
  }
  Field max(std::size_t length) && {
    node.text.max_length = length;
    return std::move(*this);
  }
  Field min_length(std::size_t length) && {
    node.text.min_length = length;
    return std::move(*this);
  }
  Field min(std::int64_t v) && {
    node.integer.min = v;
    return std::move(*this);
  }
  Field max_value(std::int64_t v) && {
    node.integer.max = v;
    return std::move(*this);
  }
  Field defaults_to(std::string v) && {
    default_value = std::move(v);
    return std::move(*this);
  }
  Field non_empty() && {
    node.min_items = 1;
    return std::move(*this);
  }
  Field open() && {
    node.open = true;
    return std::move(*this);
  }
  Field about(std::string text) && {
    doc = std::move(text);
    return std::move(*this);
  }
};

using Fields = std::vector<Field>;

struct Contract {
  Fields input;
  Fields output;
  std::string summary;
};
using ContractFn = const Contract& (*)();

// Element types, for arrays.
namespace of {
Node text(TextRule rule = {});
Node integer(IntegerRule rule = {});
Node number();
Node boolean();
Node id(std::string table);
Node email();
Node one_of(std::string column);
Node values(std::vector<std::string> values);
Node permission();
Node object(Fields fields);
Node row(std::string table, Fields extra = {});
Node json();
}  // namespace of

// Field constructors.
Field text(std::string name, TextRule rule = {});
Field integer(std::string name, IntegerRule rule = {});
Field number(std::string name);
Field boolean(std::string name);
Field id(std::string name, std::string table);
Field email(std::string name);
Field date(std::string name);
Field one_of(std::string name, std::string column);
Field values(std::string name, std::vector<std::string> values);
Field permission(std::string name);
Field array(std::string name, Node items, std::size_t max_items = 0);
Field object(std::string name, Fields fields);
Field row(std::string name, std::string table, Fields extra = {});
// The acting user: filled in by dispatch from `auth`, or given by a trusted caller.
Field actor();
Field json(std::string name);
// An output field of any node type.
Field field(std::string name, Node node);

// The validated input: the declared fields, trimmed, lower-cased and defaulted
// as declared. Reading a field the contract does not declare is our bug.
class Args {
 public:
  Args(const Fields* fields, Json values) : fields_(fields), values_(std::move(values)) {}
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
  const Json& json() const { return values_; }

 private:
  const Json* value(std::string_view name) const;  // nullptr: absent
  const Fields* fields_;
  Json values_;
};

// Validates an input against declared fields, in declaration order; the first
// problem wins and reads as Input reports it ("name must not be empty").
Result<Args> read(const Fields& fields, const Json& input);
// Or, where an operation still reads with Input, the same checks into it.
void check_into(Input& in, const Json& input, const Fields& fields);

// A permission's name: two or more dotted lowercase words (event.view).
bool valid_permission_name(const std::string& name);

// The first place an answer departs from its declared shape: "path: problem"
// ("$.event.status: must be one of draft, active, archive"), or nullopt.
std::optional<std::string> check_output(const Fields& fields, const Json& answer);

// JSON Schema (2020-12, as OpenAPI 3.1 takes it) of declared fields as an
// object; input schemas leave other keys open, output schemas close them.
Json json_schema(const Fields& fields, bool input);
Json json_schema(const Node& node, bool input);

}  // namespace eventuall::ops::contract
