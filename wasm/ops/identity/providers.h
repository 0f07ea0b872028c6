#pragma once
// What the provider operations share. The providers a user_providers row may
// name are the schema's CHECK list (contracts: one_of "user_providers.provider").

#include <cstddef>

namespace eventuall::ops::identity {

// The provider's own id of the account: opaque text.
inline constexpr std::size_t kMaxProviderAccountIdLength = 255;

}  // namespace eventuall::ops::identity
