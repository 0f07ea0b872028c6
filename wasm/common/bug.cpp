#include "common/bug.h"

#include <cstdio>
#include <cstdlib>

namespace eventuall {

void bug(std::string_view message) {
  std::fprintf(stderr, "eventuall bug: %.*s\n", static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
#if defined(__wasm__)
  __builtin_trap();
#else
  std::abort();
#endif
}

}  // namespace eventuall
