#include "ops/identity/secrets.h"

#include <array>
#include <cstdint>

#include "common/encoding.h"
#include "common/for_size.h"
#include "crypto/sha256.h"
#include "id/cuid2.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops::secrets {

namespace {

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::string new_token(crypto::Random& random) {
  std::array<std::uint8_t, kTokenBytes> bytes{};
  random.fill(bytes.data(), bytes.size());
  return base64url_encode(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string new_session_token(crypto::Random& random, const std::string& user_id) {
  return std::string(kSessionTokenPrefix) + new_token(random) + kUserSeparator + user_id;
}

std::string new_api_key(crypto::Random& random, const std::string& user_id) {
  return std::string(kApiKeyPrefix) + new_token(random) + kUserSeparator + user_id;
}

std::string named_user(std::string_view secret, std::string_view prefix) {
  const std::size_t user_at = prefix.size() + kTokenLength + 1;
  if (secret.size() <= user_at || secret.substr(0, prefix.size()) != prefix ||
      secret[user_at - 1] != kUserSeparator ||
      !is_token_shape(secret.substr(prefix.size(), kTokenLength))) {
    return {};
  }
  const std::string_view user = secret.substr(user_at);
  return id::is_our_id(user) ? std::string(user) : std::string();
}

std::string hash_secret(std::string_view secret) {
  return to_hex(crypto::sha256(secret));
}

bool is_token_shape(std::string_view text) {
  if (text.size() != kTokenLength) return false;
  for (char c : text) {
    if (!is_base64url_char(c)) return false;
  }
  return true;
}

bool is_session_token_shape(std::string_view text) {
  return is_token_shape(text) || !named_user(text, kSessionTokenPrefix).empty();
}

bool is_api_key_shape(std::string_view text) {
  const bool bare = text.size() == kApiKeyPrefix.size() + kTokenLength &&
                    text.substr(0, kApiKeyPrefix.size()) == kApiKeyPrefix &&
                    is_token_shape(text.substr(kApiKeyPrefix.size()));
  return bare || !named_user(text, kApiKeyPrefix).empty();
}

schema::Guard for_existing_user(const std::string& user_id) {
  return {"EXISTS (SELECT 1 FROM users WHERE id = ?)", {user_id}};
}

Error unknown_user(const std::string& user_id) {
  return Error::not_found("user " + user_id + " not found");
}

}  // namespace eventuall::ops::secrets

EVENTUALL_FOR_SIZE_END
