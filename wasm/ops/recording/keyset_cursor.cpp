#include "ops/recording/keyset_cursor.h"

#include "common/encoding.h"

namespace eventuall::ops::recording {

std::string encode_cursor(const Json& key) {
  return base64url_encode(dump_json(key));
}

std::optional<Json> decode_cursor(const std::string& text, std::string_view shape) {
  std::string decoded;
  if (!base64url_decode(text, decoded)) return std::nullopt;
  auto key = parse_json(decoded);
  if (!key.ok() || !key->is_array() || key->size() != shape.size()) return std::nullopt;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const Json& v = (*key)[i];
    if (shape[i] == 's' ? !v.is_string() : !v.is_number_integer()) return std::nullopt;
  }
  return std::move(key).value();
}

}  // namespace eventuall::ops::recording
