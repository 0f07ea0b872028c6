#include "sql/value.h"

namespace eventuall::sql {

std::int64_t Value::as_integer() const {
  if (auto* i = std::get_if<std::int64_t>(&v_)) return *i;
  if (auto* d = std::get_if<double>(&v_)) return static_cast<std::int64_t>(*d);
  return 0;
}

double Value::as_real() const {
  if (auto* d = std::get_if<double>(&v_)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
  return 0;
}

const std::string& Value::as_text() const {
  static const std::string kEmpty;
  if (auto* s = std::get_if<std::string>(&v_)) return *s;
  return kEmpty;
}

const Blob& Value::as_blob() const {
  static const Blob kEmpty;
  if (auto* b = std::get_if<Blob>(&v_)) return *b;
  return kEmpty;
}

}  // namespace eventuall::sql
