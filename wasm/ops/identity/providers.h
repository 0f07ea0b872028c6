#pragma once
// The OAuth providers a user_providers row may name (the schema's CHECK list).

#include <string>
#include <vector>

#include "schema/schema.h"

namespace eventuall::ops::identity {

// The providers the schema's user_providers.provider CHECK allows.
inline const std::vector<std::string>& provider_names() {
  return schema::webapp_schema().table("user_providers").allowed_values("provider");
}

// The provider's own id of the account: opaque text.
inline constexpr std::size_t kMaxProviderAccountIdLength = 255;

}  // namespace eventuall::ops::identity
