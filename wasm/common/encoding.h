#pragma once
// Hex and base64 (RFC 4648) for digests, tokens and opaque cursors. Decoding
// takes untrusted text, so it reports failure instead of trapping.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace eventuall {

// Lowercase hex.
std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(std::string_view bytes) {
  return to_hex(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}
template <std::size_t N>
std::string to_hex(const std::array<std::uint8_t, N>& bytes) {
  return to_hex(bytes.data(), N);
}

// Standard alphabet, with '=' padding.
std::string base64_encode(std::string_view bytes);

// Standard alphabet. Padding is optional, but if present it must make the
// length a multiple of 4. Rejects (returns false) any other character,
// whitespace included, a dangling single character, and non-zero unused bits
// in the last character, so every byte string has exactly one accepted padded
// and one unpadded form. `out` is replaced only on success.
bool base64_decode(std::string_view text, std::string& out);

// URL-safe alphabet ('-' and '_'), no padding (RFC 4648 section 5).
std::string base64url_encode(std::string_view bytes);
// Decodes base64url with or without padding; false on anything else.
bool base64url_decode(std::string_view text, std::string& out);

// Appends the parts to out, growing it once (an operator+ chain allocates a
// temporary per step: the permission rules' long texts showed it in profiles).
inline void append_all(std::string& out, std::initializer_list<std::string_view> parts) {
  std::size_t size = out.size();
  for (std::string_view part : parts) size += part.size();
  out.reserve(size);
  for (std::string_view part : parts) out.append(part);
}

}  // namespace eventuall
