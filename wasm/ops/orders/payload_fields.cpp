#include "ops/orders/payload_fields.h"

#include "common/for_size.h"
#include "ops/orders/normalized_order.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops::orders {

namespace {

const Json& empty_object() {
  static const Json kEmpty = Json::object();
  return kEmpty;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Whole digits as a number no larger than limit; nullopt on overflow.
std::optional<std::int64_t> digits_value(std::string_view s, std::int64_t limit) {
  std::int64_t value = 0;
  for (char c : s) {
    if (value > (limit - (c - '0')) / 10) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool is_leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int number_at(std::string_view s, std::size_t at, std::size_t width) {
  int v = 0;
  for (std::size_t i = at; i < at + width; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM) -> unix seconds.
std::optional<std::int64_t> parse_iso8601(std::string_view s) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const int year = number_at(s, 0, 4), month = number_at(s, 5, 2), day = number_at(s, 8, 2);
  const int hour = number_at(s, 11, 2), minute = number_at(s, 14, 2), second = number_at(s, 17, 2);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 ||
      day > kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {  // fractions of a second are dropped
    ++at;
    const std::size_t start = at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (at == start) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (at + 1 == s.size() && s[at] == 'Z') {
    ++at;
  } else if (at + 6 == s.size() && (s[at] == '+' || s[at] == '-') && s[at + 3] == ':' &&
             all_digits(s.substr(at + 1, 2)) && all_digits(s.substr(at + 4, 2))) {
    const int oh = number_at(s, at + 1, 2), om = number_at(s, at + 4, 2);
    if (oh > 23 || om > 59) return std::nullopt;
    offset = (s[at] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    at += 6;
  } else {
    return std::nullopt;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

}  // namespace

const Json* field(const Json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

bool has_text(const Json& object, std::string_view name) {
  const Json* v = field(object, name);
  return v && v->is_string() && !v->get_ref<const std::string&>().empty();
}

const Json& object_field(Input& in, const Json& object, std::string_view name) {
  const Json* v = field(object, name);
  if (!v) return empty_object();
  if (!v->is_object()) {
    in.reject(name, "must be an object");
    return empty_object();
  }
  return *v;
}

std::optional<std::string> external_id(Input& in, const Json& object, std::string_view name,
                                       bool required) {
  const Json* v = field(object, name);
  if (!v) {
    if (required) in.reject(name, "is required");
    return std::nullopt;
  }
  if (v->is_number_unsigned()) return std::to_string(v->get<std::uint64_t>());
  if (v->is_number_integer()) {
    if (v->get<std::int64_t>() < 0) in.reject(name, "must not be negative");
    return std::to_string(v->get<std::int64_t>());
  }
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (auto problem = text_problem(s, {.max_length = 200})) {
      in.reject(name, *problem);
      return std::nullopt;
    }
    return s;
  }
  in.reject(name, "must be an id (a string or a whole number)");
  return std::nullopt;
}

int currency_exponent(std::string_view currency) {
  // ISO 4217 minor units that are not 2 (the common currencies only).
  static constexpr std::string_view kZero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                               "KMF", "KRW", "PYG", "RWF", "UGX", "VND",
                                               "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::string_view kThree[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  for (auto c : kZero) {
    if (c == currency) return 0;
  }
  for (auto c : kThree) {
    if (c == currency) return 3;
  }
  return 2;
}

std::optional<std::int64_t> decimal_amount(Input& in, const Json& object, std::string_view name,
                                           const std::string& currency, bool required) {
  const Json* v = field(object, name);
  if (!v) {
    if (required) in.reject(name, "is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    in.reject(name, "must be a decimal string such as \"25.00\"");
    return std::nullopt;
  }
  const std::string_view s = v->get_ref<const std::string&>();
  if (!s.empty() && s[0] == '-') {
    in.reject(name, "must not be negative");
    return std::nullopt;
  }
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  const std::size_t exponent = static_cast<std::size_t>(currency_exponent(currency));
  // Trailing zeros beyond the currency's minor unit carry no value ("25.000").
  while (fraction.size() > exponent && fraction.back() == '0') fraction.remove_suffix(1);
  if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(s.substr(dot + 1)))) {
    in.reject(name, "must be a decimal string such as \"25.00\"");
    return std::nullopt;
  }
  if (fraction.size() > exponent) {
    in.reject(name, "has more decimals than " + currency + " allows");
    return std::nullopt;
  }
  std::string minor(whole);
  minor += fraction;
  minor.append(exponent - fraction.size(), '0');
  auto value = digits_value(minor, kMaxAmount);
  if (!value) in.reject(name, "is too large");
  return value;
}

std::optional<std::int64_t> minor_amount(Input& in, const Json& object, std::string_view name,
                                         bool required) {
  const Json* v = field(object, name);
  if (!v) {
    if (required) in.reject(name, "is required");
    return std::nullopt;
  }
  if (!v->is_number_integer() && !v->is_number_unsigned()) {
    in.reject(name, "must be a whole number of minor units");
    return std::nullopt;
  }
  if (v->is_number_integer() && !v->is_number_unsigned() && v->get<std::int64_t>() < 0) {
    in.reject(name, "must not be negative");
    return std::nullopt;
  }
  const std::uint64_t u = v->get<std::uint64_t>();
  if (u > static_cast<std::uint64_t>(kMaxAmount)) {
    in.reject(name, "is too large");
    return std::nullopt;
  }
  return static_cast<std::int64_t>(u);
}

std::string currency(Input& in, const Json& object, std::string_view name) {
  const Json* v = field(object, name);
  if (!v) {
    in.reject(name, "is required");
    return {};
  }
  std::string code = v->is_string() ? v->get<std::string>() : std::string();
  bool valid = code.size() == 3;
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    valid = valid && c >= 'A' && c <= 'Z';
  }
  if (!valid) {
    in.reject(name, "must be a three-letter ISO 4217 currency code");
    return {};
  }
  return code;
}

std::optional<std::int64_t> iso_timestamp(Input& in, const Json& object, std::string_view name) {
  const Json* v = field(object, name);
  if (!v) return std::nullopt;
  auto seconds = v->is_string() ? parse_iso8601(v->get_ref<const std::string&>()) : std::nullopt;
  if (!seconds) in.reject(name, "must be an ISO 8601 date-time with a time zone");
  return seconds;
}

std::string first_email(Input& in, const Json& object, const std::string& path,
                        std::initializer_list<std::string_view> names) {
  Input reader(object.is_object() ? object : empty_object(), path);
  for (auto name : names) {
    if (has_text(object, name)) {
      std::string email = reader.email(name);
      in.absorb(reader);
      return email;
    }
  }
  reader.reject(*names.begin(), "is required");
  in.absorb(reader);
  return {};
}

}  // namespace eventuall::ops::orders

EVENTUALL_FOR_SIZE_END
