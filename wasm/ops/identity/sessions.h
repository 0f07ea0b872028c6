#pragma once
// Lifetimes of the secrets identity operations issue.

#include <cstdint>

namespace eventuall::ops::identity {

inline constexpr std::int64_t kDay = 24 * 60 * 60;
inline constexpr std::int64_t kDefaultSessionTtl = 30 * kDay;
inline constexpr std::int64_t kMaxSessionTtl = 365 * kDay;
inline constexpr std::int64_t kDefaultLoginTokenTtl = 10 * 60;
inline constexpr std::int64_t kMaxLoginTokenTtl = kDay;
inline constexpr std::int64_t kMaxApiKeyTtl = 5 * 365 * kDay;

}  // namespace eventuall::ops::identity
