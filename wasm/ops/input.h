#pragma once
// Reads an operation's JSON input field by field. The first problem found is
// kept (with the field's path) and every later read returns a harmless default,
// so an operation reads its input top to bottom and checks ok() once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace eventuall::ops {

struct TextRule {
  std::size_t min_length = 1;
  std::size_t max_length = 200;
};

struct IntegerRule {
  std::int64_t min = 0;
  std::int64_t max = INT64_MAX;
};

class Input {
 public:
  // The input must be a JSON object; path prefixes field names in messages.
  explicit Input(const Json& value, std::string path = {});

  std::string text(std::string_view field, TextRule rule = {});
  std::optional<std::string> optional_text(std::string_view field, TextRule rule = {});
  std::int64_t integer(std::string_view field, IntegerRule rule = {});
  std::optional<std::int64_t> optional_integer(std::string_view field, IntegerRule rule = {});
  // true or false; absent or null: nullopt.
  std::optional<bool> optional_boolean(std::string_view field);
  // A CUID2 id as this system generates them.
  std::string id(std::string_view field);
  std::optional<std::string> optional_id(std::string_view field);
  // Trimmed and lower-cased; must look like an address.
  std::string email(std::string_view field);
  // ISO calendar date YYYY-MM-DD that exists.
  std::optional<std::string> optional_date(std::string_view field);
  // One of the listed values; required_one_of rejects an absent field, one_of
  // answers fallback for it and optional_one_of nullopt.
  std::string required_one_of(std::string_view field, const std::vector<std::string>& values);
  std::string one_of(std::string_view field, const std::vector<std::string>& values,
                     std::string_view fallback);
  std::optional<std::string> optional_one_of(std::string_view field,
                                             const std::vector<std::string>& values);
  // Elements of an array field (absent: empty), at most max_items of them.
  std::vector<Json> array(std::string_view field, std::size_t max_items);

  // The same checks, answering a view into the input instead of a copy (the
  // text trimmed; nullopt when absent, null or refused). `required` refuses an
  // absent field as text(), id() and required_one_of() do.
  std::optional<std::string_view> text_view(std::string_view field, TextRule rule, bool required);
  std::optional<std::string_view> id_view(std::string_view field, bool required);
  std::optional<std::string_view> date_view(std::string_view field);
  std::optional<std::string_view> one_of_view(std::string_view field,
                                              const std::vector<std::string>& values,
                                              bool required);
  // The array itself (nullptr: absent, null or refused).
  const Json* array_value(std::string_view field, std::size_t max_items);

  // Records a problem found by the operation itself (e.g. ends before starts).
  void reject(std::string_view field, std::string_view problem);
  // Carries a nested input's first problem into this one.
  void absorb(const Input& nested);

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  const Json* field_value(std::string_view field);  // nullptr when absent or null
  std::string path_of(std::string_view field) const;

  const Json* object_ = nullptr;
  std::string path_;
  std::optional<Error> error_;
};

// The checks on a text value shared by fields and array elements.
std::optional<std::string> text_problem(std::string_view value, TextRule rule);

}  // namespace eventuall::ops
