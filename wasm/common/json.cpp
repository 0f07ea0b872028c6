#include "common/json.h"

#include <array>
#include <charconv>

namespace eventuall {

namespace {

// Deepest nesting of [ and { outside strings; stops counting past the limit.
std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > kMaxJsonDepth) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// nlohmann's own text for what the fast paths below leave to it: floats
// (shortest round-trip form), invalid UTF-8 (each bad sequence becomes
// U+FFFD), binary and discarded values. Same bytes either way.
void append_with_nlohmann(std::string& out, const Json& value) {
  out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Length of the well-formed UTF-8 sequence starting at s[i] (lead byte >= 0x80),
// or 0 if it is not one: overlong forms, surrogates and code points above
// U+10FFFF are rejected, as nlohmann's decoder rejects them.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  const auto continuation = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(i + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(i + 1) || !continuation(i + 2)) return 0;
    const unsigned char second = byte(i + 1);
    if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
    if (lead == 0xED && second > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3)) return 0;
    const unsigned char second = byte(i + 1);
    if (lead == 0xF0 && second < 0x90) return 0;  // overlong
    if (lead == 0xF4 && second > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// The bytes a JSON string cannot hold as they are (controls, '"', '\\') and
// the lead bytes of multi-byte UTF-8 sequences, to be checked: everything else
// is copied in runs.
constexpr std::array<bool, 256> kNeedsAttention = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
  return table;
}();

// Appends s as a JSON string, escaped as nlohmann escapes it (ensure_ascii
// off). Returns false, having appended nothing, if s is not valid UTF-8.
bool append_valid_string(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kNeedsAttention[c]) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(s, i);
      if (length == 0) {
        out.resize(start);
        return false;
      }
      i += length;
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof escape);
      }
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
  return true;
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace

Result<Json> parse_json(std::string_view text) {
  if (nesting_depth(text) > kMaxJsonDepth) {
    return Error::invalid_input("JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                " levels");
  }
  Json value = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Error::invalid_input("malformed JSON");
  return value;
}

void append_json_string(std::string& out, std::string_view text) {
  if (!append_valid_string(out, text)) append_with_nlohmann(out, Json(text));
}

// Writes what nlohmann's dump(-1, ' ', false, replace) writes, byte for byte;
// nlohmann's serializer goes through a character at a time and was a quarter
// of the core's time per operation in the wasm.
void append_json(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_integer:
      append_integer(out, value.get<std::int64_t>());
      return;
    case Json::value_t::number_unsigned:
      append_integer(out, value.get<std::uint64_t>());
      return;
    case Json::value_t::string:
      append_json_string(out, value.get_ref<const std::string&>());
      return;
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        append_json(out, item);
      }
      out += ']';
      return;
    }
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto item = value.begin(); item != value.end(); ++item) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, item.key());
        out += ':';
        append_json(out, item.value());
      }
      out += '}';
      return;
    }
    case Json::value_t::binary: {
      const auto& bytes = value.get_binary();
      if (bytes.has_subtype() && bytes.subtype() == kRawJsonSubtype) {
        out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        return;
      }
      append_with_nlohmann(out, value);
      return;
    }
    default:
      append_with_nlohmann(out, value);
      return;
  }
}

Json raw_json(std::string_view text) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  return Json::binary(Json::binary_t::container_type(bytes, bytes + text.size()), kRawJsonSubtype);
}

void expand_raw_json(Json& value) {
  if (value.is_binary()) {
    const auto& bytes = value.get_binary();
    if (!bytes.has_subtype() || bytes.subtype() != kRawJsonSubtype) return;
    auto parsed = parse_json(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    value = parsed.ok() ? std::move(parsed).value() : Json(nullptr);
    return;
  }
  if (value.is_array() || value.is_object()) {
    for (auto& item : value) expand_raw_json(item);
  }
}

std::string dump_json(const Json& value) {
  std::string out;
  append_json(out, value);
  return out;
}

}  // namespace eventuall
