#include "ops/keyset_cursor.h"

#include "common/encoding.h"

namespace eventuall::ops {

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

std::optional<Json> read_cursor(Input& in, std::string_view field, std::size_t max_length,
                                std::string_view shape) {
  const auto text = in.optional_text(field, {.max_length = max_length});
  if (!text) return std::nullopt;
  auto cursor = decode_cursor(*text, shape);
  if (!cursor) in.reject(field, "is not a cursor returned by this operation");
  return cursor;
}

}  // namespace eventuall::ops
