#include "id/cuid2.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "crypto/sha3.h"

// A line-by-line port of @paralleldrive/cuid2 3.x (src/index.js) with its
// `random()` replaced by Random::next_double(); tests/native/cuid2_test.cpp
// checks ids against the JS library driven by the same stream.

namespace eventuall::id {
namespace {

constexpr std::size_t kBigLength = 32;            // cuid2 bigLength
constexpr double kInitialCountMax = 476782367.0;  // cuid2 initialCountMax
constexpr char kBase36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

// Math.floor(random() * n), kept in range even if a caller's double were 1.0.
std::size_t random_index(crypto::Random& random, std::size_t n) {
  auto i = static_cast<std::size_t>(std::floor(random.next_double() * static_cast<double>(n)));
  return std::min(i, n - 1);
}

// cuid2 createEntropy(length, random): one base36 char per draw.
char* write_entropy(char* out, std::size_t length, crypto::Random& random) {
  for (std::size_t i = 0; i < length; ++i) *out++ = kBase36[random_index(random, 36)];
  return out;
}

// Number.prototype.toString(36) for an integer (at most 14 chars with a sign).
char* write_base36(char* out, std::int64_t value) {
  char buffer[16];
  std::size_t n = 0;
  // Magnitude as unsigned so INT64_MIN does not overflow.
  std::uint64_t v = value < 0 ? 0 - static_cast<std::uint64_t>(value) : value;
  do {
    buffer[n++] = kBase36[v % 36];
    v /= 36;
  } while (v != 0);
  if (value < 0) *out++ = '-';
  while (n > 0) *out++ = buffer[--n];
  return out;
}

// 2^512 has 100 base36 digits.
constexpr std::size_t kMaxHashDigits = 100;

// cuid2 hash(): SHA3-512 as a big-endian integer in base36, first digit
// dropped, written to `out` (kMaxHashDigits chars); returns how many.
// Long division by 36^6 over 32-bit limbs keeps every step in 64-bit arithmetic
// (128-bit division is a slow library call, especially in wasm) and yields six
// digits per pass.
std::size_t hash(std::string_view input, char* out) {
  constexpr std::uint64_t kChunk = 36ULL * 36 * 36 * 36 * 36 * 36;  // < 2^32
  const std::array<std::uint8_t, 64> digest = crypto::sha3_512(input);
  std::array<std::uint32_t, 16> limbs;  // most significant first
  for (std::size_t i = 0; i < limbs.size(); ++i) {
    limbs[i] = (std::uint32_t{digest[4 * i]} << 24) | (std::uint32_t{digest[4 * i + 1]} << 16) |
               (std::uint32_t{digest[4 * i + 2]} << 8) | std::uint32_t{digest[4 * i + 3]};
  }
  char reversed[108];  // passes emit 6 digits at a time
  std::size_t n = 0;
  std::size_t start = 0;
  while (start < limbs.size() && limbs[start] == 0) ++start;
  while (start < limbs.size()) {
    std::uint64_t rem = 0;
    for (std::size_t i = start; i < limbs.size(); ++i) {
      std::uint64_t cur = (rem << 32) | limbs[i];
      const std::uint64_t quotient = cur / kChunk;
      limbs[i] = static_cast<std::uint32_t>(quotient);
      rem = cur - quotient * kChunk;
    }
    auto chunk = static_cast<std::uint32_t>(rem);
    for (int d = 0; d < 6; ++d) {
      reversed[n++] = kBase36[chunk % 36];
      chunk /= 36;
    }
    while (start < limbs.size() && limbs[start] == 0) ++start;
  }
  while (n > 1 && reversed[n - 1] == '0') --n;  // leading zeros of the last pass
  if (n == 0) reversed[n++] = '0';

  // .slice(1): skip the most significant digit.
  for (std::size_t i = n - 1; i > 0; --i) out[n - 1 - i] = reversed[i - 1];
  return n - 1;
}

bool is_base36_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

}  // namespace

void Cuid2Generator::initialise(crypto::Random& random) {
  // init()'s defaults run in parameter order: counter, then fingerprint.
  counter_ = static_cast<std::uint64_t>(std::floor(random.next_double() * kInitialCountMax));
  // createFingerprint with no global object: sourceString = createEntropy(32).
  char source[kBigLength];
  write_entropy(source, kBigLength, random);
  char digits[kMaxHashDigits];
  const std::size_t n = hash(std::string_view(source, kBigLength), digits);
  fingerprint_.assign(digits, std::min(n, kBigLength));
  initialised_ = true;
}

std::string Cuid2Generator::next(crypto::Random& random, std::int64_t now_ms) {
  if (!initialised_) initialise(random);
  const char first_letter = static_cast<char>('a' + random_index(random, 26));

  // time + salt + counter + fingerprint, on the stack.
  char input[16 + kCuidLength + 16 + kBigLength];
  char* end = write_base36(input, now_ms);
  end = write_entropy(end, kCuidLength, random);  // salt
  end = write_base36(end, static_cast<std::int64_t>(counter_++));
  end = std::copy(fingerprint_.begin(), fingerprint_.end(), end);

  char digits[kMaxHashDigits];
  const std::size_t n = hash(std::string_view(input, static_cast<std::size_t>(end - input)), digits);
  std::string id;
  id.reserve(kCuidLength);
  id.push_back(first_letter);
  if (n > 1) id.append(digits + 1, std::min(n - 1, kCuidLength - 1));  // .substring(1, length)
  return id;
}

bool is_cuid(std::string_view id) {
  // cuid2 3.x: /^[a-z][0-9a-z]+$/ and 2 <= length <= 32.
  if (id.size() < 2 || id.size() > kBigLength) return false;
  if (id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), is_base36_char);
}

bool is_our_id(std::string_view id) {
  return id.size() == kCuidLength && is_cuid(id);
}

}  // namespace eventuall::id
