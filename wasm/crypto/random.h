#pragma once
// Per-operation randomness: a ChaCha20 keystream keyed by 32 seed bytes that the
// binding supplies (crypto.getRandomValues in a Worker, the OS natively). The
// core never reads a random source of its own, and nothing random runs in a
// static initialiser (Workers forbid randomness in global scope).

#include <array>
#include <cstddef>
#include <cstdint>

namespace eventuall::crypto {

using Seed = std::array<std::uint8_t, 32>;

class Random {
 public:
  explicit Random(const Seed& seed);

  void fill(std::uint8_t* out, std::size_t size);
  std::uint32_t next_u32();
  std::uint64_t next_u64();
  double next_double();  // uniform in [0, 1), 53 bits, like Math.random()

 private:
  void refill();

  std::array<std::uint32_t, 16> state_;
  std::array<std::uint8_t, 64> block_;
  std::size_t used_ = 64;
};

}  // namespace eventuall::crypto
