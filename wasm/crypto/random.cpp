#include "crypto/random.h"

#include <cstring>

#include "crypto/chacha20.h"

namespace eventuall::crypto {

Random::Random(const Seed& seed) {
  std::array<std::uint32_t, 8> key;
  for (int i = 0; i < 8; ++i) {
    key[i] = std::uint32_t{seed[4 * i]} | (std::uint32_t{seed[4 * i + 1]} << 8) |
             (std::uint32_t{seed[4 * i + 2]} << 16) | (std::uint32_t{seed[4 * i + 3]} << 24);
  }
  // Nonce 0 and counter 0: each Random has its own seed, so the stream is unique.
  state_ = chacha20_state(key, 0, {0, 0, 0});
  block_ = {};
  used_ = block_.size();
}

void Random::refill() {
  chacha20_block(state_, block_);
  // 32-bit block counter as in RFC 8439; wrapping would need 256 GiB from one seed.
  ++state_[12];
  used_ = 0;
}

void Random::fill(std::uint8_t* out, std::size_t size) {
  while (size > 0) {
    if (used_ == block_.size()) refill();
    std::size_t take = block_.size() - used_;
    if (take > size) take = size;
    std::memcpy(out, block_.data() + used_, take);
    used_ += take;
    out += take;
    size -= take;
  }
}

std::uint32_t Random::next_u32() {
  std::uint8_t b[4];
  fill(b, sizeof b);
  return std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8) | (std::uint32_t{b[2]} << 16) |
         (std::uint32_t{b[3]} << 24);
}

std::uint64_t Random::next_u64() {
  std::uint8_t b[8];
  if (used_ + sizeof b <= block_.size()) {  // the usual case: one copy out of the block
    std::memcpy(b, block_.data() + used_, sizeof b);
    used_ += sizeof b;
  } else {
    fill(b, sizeof b);
  }
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

double Random::next_double() {
  // Top 53 bits scaled by 2^-53: exactly representable, never 1.0.
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

}  // namespace eventuall::crypto
