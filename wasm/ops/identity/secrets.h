#pragma once
// One-time secrets: session tokens, MCP login tokens and MCP API keys. Only the
// SHA-256 of a secret is stored; the plain value leaves the core once, in the
// result of the operation that created it.

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "crypto/random.h"
#include "ops/input.h"
#include "schema/queries.h"

namespace eventuall::ops::secrets {

inline constexpr std::size_t kTokenBytes = 32;
// base64url without padding of kTokenBytes.
inline constexpr std::size_t kTokenLength = 43;
inline constexpr std::string_view kApiKeyPrefix = "evk_";
// Characters of an API key kept in clear for display ("evk_" + 8).
inline constexpr std::size_t kApiKeyDisplayLength = 12;

// base64url of 32 bytes from the operation's random stream.
std::string new_token(crypto::Random& random);
// "evk_" + a new token.
std::string new_api_key(crypto::Random& random);
// Lowercase hex SHA-256: what the token_hash / key_hash columns hold.
std::string hash_secret(std::string_view secret);

// Every secret belongs to a user: the guard of its insert, so nothing is
// written for an unknown user, and the error reported when it held.
schema::Guard for_existing_user(const std::string& user_id);
Error unknown_user(const std::string& user_id);

bool is_token_shape(std::string_view text);
bool is_api_key_shape(std::string_view text);

// Reads a secret field: missing, null, not a string, empty or absurdly long is
// invalid_input (recorded in `in`). The shape is checked by the caller, which
// reports a malformed secret as unauthenticated.
std::string read_secret(Input& in, std::string_view field);

}  // namespace eventuall::ops::secrets
