#pragma once
// nlohmann/json, used only through these non-throwing entry points: the wasm
// build has exceptions off, where a throw would abort the whole instance.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace eventuall {

using Json = nlohmann::json;

// Inputs deeper than this are refused before parsing: destroying and dumping
// nlohmann values recurses, and a wasm stack is small.
inline constexpr std::size_t kMaxJsonDepth = 32;

// Parses text into a value, or returns invalid_input naming the problem.
Result<Json> parse_json(std::string_view text);
// Serialises; invalid UTF-8 in strings is replaced, never thrown on.
std::string dump_json(const Json& value);
// The same text, appended to out: outcomes and batches are written into one
// buffer without copying the values into a wrapper first.
void append_json(std::string& out, const Json& value);
void append_json_string(std::string& out, std::string_view text);

// JSON text written by SQLite (list pages: json_group_array(json_object(...))),
// spliced into an outcome as it is, without decoding its rows: a binary value
// of subtype kRawJsonSubtype, which append_json writes out verbatim. Only
// for text SQLite produced, whose objects list their keys in nlohmann's sorted
// order (schema::json_object_sql), so the outcome's bytes are those of the
// decoded value. Never built from input (parsing JSON never yields binary).
inline constexpr std::uint64_t kRawJsonSubtype = 0x4a53;  // "JS"
Json raw_json(std::string_view text);
// The value with every raw node decoded, for native callers that read the
// outcome's values rather than its text (malformed raw text becomes null).
void expand_raw_json(Json& value);

}  // namespace eventuall
