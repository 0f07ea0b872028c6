#include "ops/input.h"

#include "id/cuid2.h"

namespace eventuall::ops {

namespace {

// Counts code points; the input parser has already rejected invalid UTF-8.
std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool has_control_characters(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

std::optional<std::string> copy(std::optional<std::string_view> view) {
  if (!view) return std::nullopt;
  return std::string(*view);
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int year = std::stoi(std::string(s.substr(0, 4)));
  const int month = std::stoi(std::string(s.substr(5, 2)));
  const int day = std::stoi(std::string(s.substr(8, 2)));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const int days = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  return day <= days;
}

}  // namespace

std::optional<std::string> text_problem(std::string_view value, TextRule rule) {
  const std::size_t length = utf8_length(value);
  if (length < rule.min_length) {
    return rule.min_length == 1
               ? std::string("must not be empty")
               : "must be at least " + std::to_string(rule.min_length) + " characters";
  }
  if (length > rule.max_length) {
    return "must be at most " + std::to_string(rule.max_length) + " characters";
  }
  if (has_control_characters(value)) return std::string("must not contain control characters");
  return std::nullopt;
}

Input::Input(const Json& value, std::string path) : path_(std::move(path)) {
  if (value.is_object()) {
    object_ = &value;
  } else {
    error_ = Error::invalid_input((path_.empty() ? std::string("input") : path_) +
                                  " must be a JSON object");
  }
}

std::string Input::path_of(std::string_view field) const {
  return path_.empty() ? std::string(field) : path_ + "." + std::string(field);
}

void Input::reject(std::string_view field, std::string_view problem) {
  if (!error_) error_ = Error::invalid_input(path_of(field) + " " + std::string(problem));
}

void Input::absorb(const Input& nested) {
  if (!error_ && !nested.ok()) error_ = nested.error();
}

const Json* Input::field_value(std::string_view field) {
  if (error_ || !object_) return nullptr;
  auto it = object_->find(field);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string_view> Input::text_view(std::string_view field, TextRule rule,
                                                 bool required) {
  if (error_) return std::nullopt;
  const Json* v = field_value(field);
  if (!v) {
    if (required) reject(field, "is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    reject(field, "must be a string");
    return std::nullopt;
  }
  const std::string_view value = trim(v->get_ref<const std::string&>());
  if (auto problem = text_problem(value, rule)) {
    reject(field, *problem);
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> Input::optional_text(std::string_view field, TextRule rule) {
  return copy(text_view(field, rule, false));
}

std::string Input::text(std::string_view field, TextRule rule) {
  return copy(text_view(field, rule, true)).value_or(std::string());
}

std::optional<bool> Input::optional_boolean(std::string_view field) {
  const Json* v = field_value(field);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    reject(field, "must be a boolean");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> Input::optional_integer(std::string_view field, IntegerRule rule) {
  const Json* v = field_value(field);
  if (!v) return std::nullopt;
  // JSON numbers from JS are doubles; accept whole ones within range.
  std::int64_t value = 0;
  if (v->is_number_unsigned()) {
    const std::uint64_t u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) {
      reject(field, "is out of range");
      return std::nullopt;
    }
    value = static_cast<std::int64_t>(u);
  } else if (v->is_number_integer()) {
    value = v->get<std::int64_t>();
  } else if (v->is_number_float()) {
    const double d = v->get<double>();
    if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) ||
        d != static_cast<double>(static_cast<std::int64_t>(d))) {
      reject(field, "must be a whole number");
      return std::nullopt;
    }
    value = static_cast<std::int64_t>(d);
  } else {
    reject(field, "must be a number");
    return std::nullopt;
  }
  if (value < rule.min || value > rule.max) {
    reject(field,
           "must be between " + std::to_string(rule.min) + " and " + std::to_string(rule.max));
    return std::nullopt;
  }
  return value;
}

std::int64_t Input::integer(std::string_view field, IntegerRule rule) {
  if (error_) return 0;
  if (!field_value(field)) {
    reject(field, "is required");
    return 0;
  }
  return optional_integer(field, rule).value_or(0);
}

std::optional<std::string_view> Input::id_view(std::string_view field, bool required) {
  const Json* v = field_value(field);
  if (error_) return std::nullopt;
  if (!v) {
    if (required) reject(field, "is required");
    return std::nullopt;
  }
  if (!v->is_string() || !id::is_our_id(v->get_ref<const std::string&>())) {
    reject(field, "must be an id (24 lowercase letters and digits, starting with a letter)");
    return std::nullopt;
  }
  return std::string_view(v->get_ref<const std::string&>());
}

std::string Input::id(std::string_view field) {
  return copy(id_view(field, true)).value_or(std::string());
}

std::optional<std::string> Input::optional_id(std::string_view field) {
  return copy(id_view(field, false));
}

std::string Input::email(std::string_view field) {
  std::string value = text(field, {.min_length = 3, .max_length = 254});
  if (error_) return {};
  for (char& c : value) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const auto at = value.find('@');
  const bool looks_valid = at != std::string::npos && at > 0 && at + 1 < value.size() &&
                           value.find('@', at + 1) == std::string::npos &&
                           value.find(' ') == std::string::npos;
  if (!looks_valid) reject(field, "must be an email address");
  return value;
}

std::optional<std::string_view> Input::date_view(std::string_view field) {
  auto value = text_view(field, {.min_length = 10, .max_length = 10}, false);
  if (value && !valid_date(*value)) {
    reject(field, "must be a date as YYYY-MM-DD");
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> Input::optional_date(std::string_view field) {
  return copy(date_view(field));
}

std::optional<std::string_view> Input::one_of_view(std::string_view field,
                                                   const std::vector<std::string>& values,
                                                   bool required) {
  auto value = text_view(field, {.max_length = 64}, required);
  if (!value) return std::nullopt;
  for (const auto& allowed : values) {
    if (*value == allowed) return value;
  }
  std::string list;
  for (const auto& allowed : values) list += (list.empty() ? "" : ", ") + allowed;
  reject(field, "must be one of: " + list);
  return std::nullopt;
}

std::optional<std::string> Input::optional_one_of(std::string_view field,
                                                  const std::vector<std::string>& values) {
  return copy(one_of_view(field, values, false));
}

std::string Input::required_one_of(std::string_view field, const std::vector<std::string>& values) {
  return copy(one_of_view(field, values, true)).value_or(std::string());
}

std::string Input::one_of(std::string_view field, const std::vector<std::string>& values,
                          std::string_view fallback) {
  return copy(one_of_view(field, values, false)).value_or(std::string(fallback));
}

const Json* Input::array_value(std::string_view field, std::size_t max_items) {
  const Json* v = field_value(field);
  if (!v) return nullptr;
  if (!v->is_array()) {
    reject(field, "must be an array");
    return nullptr;
  }
  if (v->size() > max_items) {
    reject(field, "must have at most " + std::to_string(max_items) + " items");
    return nullptr;
  }
  return v;
}

std::vector<Json> Input::array(std::string_view field, std::size_t max_items) {
  const Json* v = array_value(field, max_items);
  if (!v) return {};
  return std::vector<Json>(v->begin(), v->end());
}

}  // namespace eventuall::ops
