#pragma once
// SHA3-256 / SHA3-512 (FIPS 202). SHA3-512 is what @paralleldrive/cuid2 hashes
// with, so ids made here match the JS library bit for bit.

#include <array>
#include <cstdint>
#include <string_view>

namespace eventuall::crypto {

std::array<std::uint8_t, 64> sha3_512(std::string_view data);
std::array<std::uint8_t, 32> sha3_256(std::string_view data);

}  // namespace eventuall::crypto
