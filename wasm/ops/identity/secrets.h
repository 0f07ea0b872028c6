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

// Session tokens and API keys name their user in clear after the secret:
// "<prefix><new token>.<user id>" ("evs_..." and "evk_..."). Only the SHA-256
// of the whole text is stored, so a token whose user id was changed is an
// unknown credential. Naming the user lets dispatch run the operation for
// that user at once and check the credential inside the operation's own batch
// (ops/credentials.cpp), instead of in a batch of its own before it. The older
// shapes (a bare token; "evk_" + token) still authenticate, the slower way.
inline constexpr std::string_view kSessionTokenPrefix = "evs_";
inline constexpr char kUserSeparator = '.';

// base64url of 32 bytes from the operation's random stream.
std::string new_token(crypto::Random& random);
// "evs_" + a new token + "." + user_id.
std::string new_session_token(crypto::Random& random, const std::string& user_id);
// "evk_" + a new token + "." + user_id.
std::string new_api_key(crypto::Random& random, const std::string& user_id);
// The user id a session token ("evs_") or API key ("evk_") of the current
// shape names, or "" for any other text (the older shapes included).
std::string named_user(std::string_view secret, std::string_view prefix);
// Lowercase hex SHA-256: what the token_hash / key_hash columns hold.
std::string hash_secret(std::string_view secret);

// Every secret belongs to a user: the guard of its insert, so nothing is
// written for an unknown user, and the error reported when it held.
schema::Guard for_existing_user(const std::string& user_id);
Error unknown_user(const std::string& user_id);

// Conditions on a sessions / mcp_api_keys row, binding now (and the scope,
// twice: NULL for any) as their parameters.
inline constexpr const char* kLiveSession = "revoked_at IS NULL AND expires_at > ?";
inline constexpr const char* kLiveApiKey =
    "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";
inline constexpr const char* kApiKeyHoldsScope =
    "(? IS NULL OR EXISTS (SELECT 1 FROM json_each(mcp_api_keys.scopes) s WHERE s.value = ?))";

bool is_token_shape(std::string_view text);
// Either shape of a session token: a bare token, or one naming its user.
bool is_session_token_shape(std::string_view text);
// Either shape of an API key.
bool is_api_key_shape(std::string_view text);

}  // namespace eventuall::ops::secrets
