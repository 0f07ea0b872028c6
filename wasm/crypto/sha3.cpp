#include "crypto/sha3.h"

#include <cstddef>
#include <cstring>

namespace eventuall::crypto {
namespace {

constexpr std::array<std::uint64_t, 24> kRoundConstants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

// n in 1..63 only.
inline std::uint64_t rotl(std::uint64_t x, int n) {
  return (x << n) | (x >> (64 - n));
}

void keccak_f1600(std::array<std::uint64_t, 25>& state) {
  // Lanes in locals (a<x><y>) so the compiler keeps them in registers; the
  // round body is written out in full for the same reason.
  std::uint64_t a00 = state[0];
  std::uint64_t a10 = state[1];
  std::uint64_t a20 = state[2];
  std::uint64_t a30 = state[3];
  std::uint64_t a40 = state[4];
  std::uint64_t a01 = state[5];
  std::uint64_t a11 = state[6];
  std::uint64_t a21 = state[7];
  std::uint64_t a31 = state[8];
  std::uint64_t a41 = state[9];
  std::uint64_t a02 = state[10];
  std::uint64_t a12 = state[11];
  std::uint64_t a22 = state[12];
  std::uint64_t a32 = state[13];
  std::uint64_t a42 = state[14];
  std::uint64_t a03 = state[15];
  std::uint64_t a13 = state[16];
  std::uint64_t a23 = state[17];
  std::uint64_t a33 = state[18];
  std::uint64_t a43 = state[19];
  std::uint64_t a04 = state[20];
  std::uint64_t a14 = state[21];
  std::uint64_t a24 = state[22];
  std::uint64_t a34 = state[23];
  std::uint64_t a44 = state[24];
  for (std::uint64_t rc : kRoundConstants) {
    // Theta.
    const std::uint64_t c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
    const std::uint64_t c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
    const std::uint64_t c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
    const std::uint64_t c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
    const std::uint64_t c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
    const std::uint64_t d0 = c4 ^ rotl(c1, 1);
    const std::uint64_t d1 = c0 ^ rotl(c2, 1);
    const std::uint64_t d2 = c1 ^ rotl(c3, 1);
    const std::uint64_t d3 = c2 ^ rotl(c4, 1);
    const std::uint64_t d4 = c3 ^ rotl(c0, 1);
    a00 ^= d0;
    a01 ^= d0;
    a02 ^= d0;
    a03 ^= d0;
    a04 ^= d0;
    a10 ^= d1;
    a11 ^= d1;
    a12 ^= d1;
    a13 ^= d1;
    a14 ^= d1;
    a20 ^= d2;
    a21 ^= d2;
    a22 ^= d2;
    a23 ^= d2;
    a24 ^= d2;
    a30 ^= d3;
    a31 ^= d3;
    a32 ^= d3;
    a33 ^= d3;
    a34 ^= d3;
    a40 ^= d4;
    a41 ^= d4;
    a42 ^= d4;
    a43 ^= d4;
    a44 ^= d4;
    // Rho and pi: b[y][2x + 3y] = rotl(a[x][y], r[x][y]).
    const std::uint64_t b00 = a00;
    const std::uint64_t b13 = rotl(a01, 36);
    const std::uint64_t b21 = rotl(a02, 3);
    const std::uint64_t b34 = rotl(a03, 41);
    const std::uint64_t b42 = rotl(a04, 18);
    const std::uint64_t b02 = rotl(a10, 1);
    const std::uint64_t b10 = rotl(a11, 44);
    const std::uint64_t b23 = rotl(a12, 10);
    const std::uint64_t b31 = rotl(a13, 45);
    const std::uint64_t b44 = rotl(a14, 2);
    const std::uint64_t b04 = rotl(a20, 62);
    const std::uint64_t b12 = rotl(a21, 6);
    const std::uint64_t b20 = rotl(a22, 43);
    const std::uint64_t b33 = rotl(a23, 15);
    const std::uint64_t b41 = rotl(a24, 61);
    const std::uint64_t b01 = rotl(a30, 28);
    const std::uint64_t b14 = rotl(a31, 55);
    const std::uint64_t b22 = rotl(a32, 25);
    const std::uint64_t b30 = rotl(a33, 21);
    const std::uint64_t b43 = rotl(a34, 56);
    const std::uint64_t b03 = rotl(a40, 27);
    const std::uint64_t b11 = rotl(a41, 20);
    const std::uint64_t b24 = rotl(a42, 39);
    const std::uint64_t b32 = rotl(a43, 8);
    const std::uint64_t b40 = rotl(a44, 14);
    // Chi.
    a00 = b00 ^ (~b10 & b20);
    a10 = b10 ^ (~b20 & b30);
    a20 = b20 ^ (~b30 & b40);
    a30 = b30 ^ (~b40 & b00);
    a40 = b40 ^ (~b00 & b10);
    a01 = b01 ^ (~b11 & b21);
    a11 = b11 ^ (~b21 & b31);
    a21 = b21 ^ (~b31 & b41);
    a31 = b31 ^ (~b41 & b01);
    a41 = b41 ^ (~b01 & b11);
    a02 = b02 ^ (~b12 & b22);
    a12 = b12 ^ (~b22 & b32);
    a22 = b22 ^ (~b32 & b42);
    a32 = b32 ^ (~b42 & b02);
    a42 = b42 ^ (~b02 & b12);
    a03 = b03 ^ (~b13 & b23);
    a13 = b13 ^ (~b23 & b33);
    a23 = b23 ^ (~b33 & b43);
    a33 = b33 ^ (~b43 & b03);
    a43 = b43 ^ (~b03 & b13);
    a04 = b04 ^ (~b14 & b24);
    a14 = b14 ^ (~b24 & b34);
    a24 = b24 ^ (~b34 & b44);
    a34 = b34 ^ (~b44 & b04);
    a44 = b44 ^ (~b04 & b14);
    // Iota.
    a00 ^= rc;
  }
  state[0] = a00;
  state[1] = a10;
  state[2] = a20;
  state[3] = a30;
  state[4] = a40;
  state[5] = a01;
  state[6] = a11;
  state[7] = a21;
  state[8] = a31;
  state[9] = a41;
  state[10] = a02;
  state[11] = a12;
  state[12] = a22;
  state[13] = a32;
  state[14] = a42;
  state[15] = a03;
  state[16] = a13;
  state[17] = a23;
  state[18] = a33;
  state[19] = a43;
  state[20] = a04;
  state[21] = a14;
  state[22] = a24;
  state[23] = a34;
  state[24] = a44;
}

inline std::uint64_t load_le64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Sponge with the SHA-3 domain suffix 0x06; Rate is in bytes.
template <std::size_t Rate, std::size_t OutSize>
std::array<std::uint8_t, OutSize> sha3(std::string_view data) {
  static_assert(OutSize <= Rate, "single squeeze only");
  std::array<std::uint64_t, 25> state{};
  const auto* in = reinterpret_cast<const std::uint8_t*>(data.data());
  std::size_t size = data.size();
  while (size >= Rate) {
    for (std::size_t i = 0; i < Rate / 8; ++i) state[i] ^= load_le64(in + 8 * i);
    keccak_f1600(state);
    in += Rate;
    size -= Rate;
  }
  std::uint8_t last[Rate] = {};
  if (size > 0) std::memcpy(last, in, size);
  last[size] ^= 0x06;
  last[Rate - 1] ^= 0x80;
  for (std::size_t i = 0; i < Rate / 8; ++i) state[i] ^= load_le64(last + 8 * i);
  keccak_f1600(state);

  std::array<std::uint8_t, OutSize> out;
  for (std::size_t i = 0; i < OutSize; ++i) {
    out[i] = static_cast<std::uint8_t>(state[i / 8] >> (8 * (i % 8)));
  }
  return out;
}

}  // namespace

std::array<std::uint8_t, 64> sha3_512(std::string_view data) {
  return sha3<72, 64>(data);
}

std::array<std::uint8_t, 32> sha3_256(std::string_view data) {
  return sha3<136, 32>(data);
}

}  // namespace eventuall::crypto
