#pragma once
// CUID2 ids compatible with @paralleldrive/cuid2: a random first letter a-z,
// then base36 of SHA3-512(time + salt + counter + fingerprint), 24 chars total.

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/random.h"

namespace eventuall::id {

inline constexpr std::size_t kCuidLength = 24;

// One per wasm instance / native client. The counter and fingerprint are drawn
// from the first Random handed in, lazily, never in a static initialiser.
class Cuid2Generator {
 public:
  Cuid2Generator() = default;

  std::string next(crypto::Random& random, std::int64_t now_ms);

 private:
  void initialise(crypto::Random& random);

  bool initialised_ = false;
  std::uint64_t counter_ = 0;
  std::string fingerprint_;
};

// Same rule as cuid2 3.x's isCuid: 2..32 chars, a letter then [0-9a-z]. Our own
// ids are also exactly 24 long; is_our_id checks that stricter form.
bool is_cuid(std::string_view id);
bool is_our_id(std::string_view id);

}  // namespace eventuall::id
