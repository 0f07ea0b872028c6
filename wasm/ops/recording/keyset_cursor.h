#pragma once
// Opaque keyset cursors: the sort key of the last row of a page (a JSON array
// of strings and integers), base64url-encoded. Callers only hand them back.

#include <optional>
#include <string>

#include "common/json.h"

namespace eventuall::ops::recording {

std::string encode_cursor(const Json& key);
// The key, if `text` is a cursor of the given shape:
// `shape` has one letter per element, 's' for a string and 'i' for an integer.
std::optional<Json> decode_cursor(const std::string& text, std::string_view shape);

}  // namespace eventuall::ops::recording
