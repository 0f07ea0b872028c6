#pragma once
// MCP API key scopes: "<resource>:<action>", e.g. "events:read".

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

}  // namespace eventuall::ops::identity
