#pragma once
// The OAuth providers a user_providers row may name (the schema's CHECK list).

#include <string>
#include <vector>

namespace eventuall::ops::identity {

inline const std::vector<std::string>& provider_names() {
  static const std::vector<std::string> names = {"google", "github", "discord",
                                                 "apple",  "email",  "livekit"};
  return names;
}

// The provider's own id of the account: opaque text.
inline constexpr std::size_t kMaxProviderAccountIdLength = 255;

}  // namespace eventuall::ops::identity
