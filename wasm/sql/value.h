#pragma once
// The values D1 can carry: null, number, string, ArrayBuffer. SQLite's integer
// and real are kept apart so the native path loses nothing; D1 returns both as
// JS numbers (integers above 2^53 lose precision there).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace eventuall::sql {

struct Blob {
  std::vector<std::uint8_t> bytes;
  bool operator==(const Blob&) const = default;
};

class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool v) : v_(static_cast<std::int64_t>(v ? 1 : 0)) {}
  Value(int v) : v_(static_cast<std::int64_t>(v)) {}
  Value(std::int64_t v) : v_(v) {}
  Value(double v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(std::string_view v) : v_(std::string(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(Blob v) : v_(std::move(v)) {}
  // Absent optionals bind as NULL.
  template <typename T>
  Value(const std::optional<T>& v) {
    if (v) *this = Value(*v);
  }

  bool is_null() const { return v_.index() == 0; }
  bool is_integer() const { return v_.index() == 1; }
  bool is_real() const { return v_.index() == 2; }
  bool is_text() const { return v_.index() == 3; }
  bool is_blob() const { return v_.index() == 4; }

  std::int64_t as_integer() const;  // reals truncate; anything else is 0
  double as_real() const;           // integers widen; anything else is 0
  const std::string& as_text() const;  // empty unless text
  const Blob& as_blob() const;          // empty unless blob

  bool operator==(const Value&) const = default;

 private:
  std::variant<std::monostate, std::int64_t, double, std::string, Blob> v_;
};

}  // namespace eventuall::sql
