#include "common/encoding.h"

#include <utility>

namespace eventuall {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto* in = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t v = std::uint32_t{in[i]} << 16;
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

// 0..63, or -1 for anything outside the standard alphabet.
int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  std::string out(size * 2, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHexDigits[data[i] >> 4];
    out[2 * i + 1] = kHexDigits[data[i] & 15];
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  return encode(bytes, kBase64, true);
}

std::string base64url_encode(std::string_view bytes) {
  return encode(bytes, kBase64Url, false);
}

bool base64_decode(std::string_view text, std::string& out) {
  // Strip padding: up to two '=', and only when it completes a 4-char group.
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  if (padding > 0 && text.size() % 4 != 0) return false;
  std::string_view body = text.substr(0, text.size() - padding);
  std::size_t rest = body.size() % 4;
  if (rest == 1) return false;  // 6 bits cannot make a byte

  std::string decoded;
  decoded.reserve(body.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : body) {
    int v = base64_value(c);
    if (v < 0) return false;  // also catches a third '=' or '=' mid-string
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      decoded.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits (2 or 4) must be zero for a canonical encoding.
  if ((acc & ((1u << bits) - 1)) != 0) return false;
  out = std::move(decoded);
  return true;
}

bool base64url_decode(std::string_view text, std::string& out) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '+' || c == '/') return false;  // not of the url alphabet
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  return base64_decode(standard, out);
}

}  // namespace eventuall
