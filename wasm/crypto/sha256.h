#pragma once
// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for tokens and signatures
// the core checks without calling out to JS.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace eventuall::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental form, for inputs assembled from pieces (HMAC uses it too).
class Sha256 {
 public:
  Sha256();

  void update(const std::uint8_t* data, std::size_t size);
  void update(std::string_view data) {
    update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  }
  // Ends this hash; call reset() before reusing the object.
  Sha256Digest finish();
  void reset();

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buffer_;
  std::size_t buffered_ = 0;
  std::uint64_t total_ = 0;  // bytes seen
};

Sha256Digest sha256(std::string_view data);
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

}  // namespace eventuall::crypto
