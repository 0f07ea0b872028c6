#pragma once
// nlohmann/json, used only through these non-throwing entry points: the wasm
// build has exceptions off, where a throw would abort the whole instance.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

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

}  // namespace eventuall
