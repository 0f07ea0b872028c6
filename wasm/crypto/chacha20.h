#pragma once
// The ChaCha20 block function (RFC 8439 section 2.3), split out of Random so the
// published test vector can check it directly.

#include <array>
#include <cstdint>

namespace eventuall::crypto {

using ChaChaState = std::array<std::uint32_t, 16>;
using ChaChaBlock = std::array<std::uint8_t, 64>;

// Constants, key words, block counter (word 12) and nonce (words 13..15).
ChaChaState chacha20_state(const std::array<std::uint32_t, 8>& key, std::uint32_t counter,
                           const std::array<std::uint32_t, 3>& nonce);

// Keystream block for `state`, serialised little-endian.
void chacha20_block(const ChaChaState& state, ChaChaBlock& out);

inline ChaChaBlock chacha20_block(const std::array<std::uint32_t, 8>& key, std::uint32_t counter,
                                  const std::array<std::uint32_t, 3>& nonce) {
  ChaChaBlock out;
  chacha20_block(chacha20_state(key, counter, nonce), out);
  return out;
}

}  // namespace eventuall::crypto
