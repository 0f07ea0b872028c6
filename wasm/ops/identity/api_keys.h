#pragma once
// MCP API key scopes: "<resource>:<action>", e.g. "events:read".

#include <algorithm>
#include <array>
#include <string_view>

namespace eventuall::ops::identity {

inline constexpr std::size_t kMaxScopes = 50;
inline constexpr std::size_t kMaxScopeLength = 64;

// Lowercase letters, digits and '_', each side starting with a letter.
inline bool is_scope(std::string_view scope) {
  if (scope.empty() || scope.size() > kMaxScopeLength) return false;
  const auto colon = scope.find(':');
  if (colon == std::string_view::npos) return false;
  auto part_ok = [](std::string_view part) {
    if (part.empty() || part[0] < 'a' || part[0] > 'z') return false;
    for (char c : part) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
  };
  return part_ok(scope.substr(0, colon)) && part_ok(scope.substr(colon + 1));
}

// Every scope a key may hold. Each registered operation names the one it
// needs (ops/registry.cpp, operation.h's Policy); a key runs an operation only
// when it holds that scope, and mints keys only with scopes it holds itself.
// There is no wildcard, and no scope reaches an administrative operation.
inline constexpr std::array<std::string_view, 15> kScopes = {
    "profile:read",  "profile:write",  "sessions:write", "keys:read",
    "keys:write",    "accounts:read",  "accounts:write", "events:read",
    "events:write",  "access:read",    "access:write",   "orders:read",
    "orders:write",  "recording:read", "recording:write",
};

inline bool is_known_scope(std::string_view scope) {
  return std::find(kScopes.begin(), kScopes.end(), scope) != kScopes.end();
}

}  // namespace eventuall::ops::identity
